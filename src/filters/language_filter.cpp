#include "filters/language_filter.h"

#include <algorithm>

#include "filters/language_id.h"
#include "filters/text_stats.h"

namespace winnow {

namespace {

using json = nlohmann::json;

constexpr std::string_view kFieldNames[kLanguageFieldCount] = {"system", "user", "assistant", "text"};

int FieldIndex(std::string_view name) {
  for (size_t i = 0; i < kLanguageFieldCount; ++i) {
    if (kFieldNames[i] == name) return static_cast<int>(i);
  }
  return -1;
}

Status Bad(std::string msg) { return Status(Error{"bad_config", "filter.language: " + std::move(msg)}); }

Status ParseCodes(const json& v, const std::string& key, std::vector<std::string>* out) {
  if (!v.is_array()) return Bad("\"" + key + "\" must be a list of language codes such as [\"en\", \"de\"]");
  out->clear();
  for (const json& c : v) {
    if (!c.is_string()) return Bad("\"" + key + "\" must contain only strings, got " + c.dump());
    const std::string& code = c.get_ref<const std::string&>();
    if (!IsKnownLanguageCode(code)) {
      return Bad("\"" + key + "\": unknown language code \"" + code +
                 "\" (use CLD2 codes: ISO 639-1 such as \"en\", \"zh\", or \"zh-Hant\")");
    }
    out->push_back(code);
  }
  std::sort(out->begin(), out->end());
  out->erase(std::unique(out->begin(), out->end()), out->end());
  return Status::Ok();
}

Status ParseInt(const json& v, const std::string& key, int lo, int hi, int* out) {
  if (!v.is_number_integer() || v.get<int64_t>() < lo || v.get<int64_t>() > hi) {
    return Bad("\"" + key + "\" must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi) +
               ", got " + v.dump());
  }
  *out = static_cast<int>(v.get<int64_t>());
  return Status::Ok();
}

std::string JoinCodes(const std::vector<std::string>& codes) {
  std::string s = "[";
  for (size_t i = 0; i < codes.size(); ++i) s += (i ? ", " : "") + codes[i];
  return s + "]";
}

}  // namespace

std::string_view LanguageFieldName(LanguageField f) { return kFieldNames[static_cast<size_t>(f)]; }

LanguageFilter::LanguageFilter() {
  m_cfg.fields = {false, true, true, true};
}

Status LanguageFilter::Configure(const json& params) {
  if (params.is_null()) return Status::Ok();
  if (!params.is_object()) return Bad("params must be an object");
  Config cfg = m_cfg;
  bool flag_only = m_flag_only;
  for (auto it = params.begin(); it != params.end(); ++it) {
    const std::string& key = it.key();
    const json& v = it.value();
    if (key == "fields") {
      if (!v.is_array() || v.empty()) {
        return Bad("\"fields\" must be a non-empty list of: system, user, assistant, text");
      }
      cfg.fields = {};
      for (const json& f : v) {
        int idx = f.is_string() ? FieldIndex(f.get_ref<const std::string&>()) : -1;
        if (idx < 0) return Bad("\"fields\": unknown field " + f.dump() + "; expected system, user, assistant or text");
        cfg.fields[idx] = true;
      }
    } else if (key == "allowed") {
      for (auto& a : cfg.allowed) a.clear();
      if (v.is_array()) {
        std::vector<std::string> codes;
        if (Status s = ParseCodes(v, "allowed", &codes); !s) return s;
        for (auto& a : cfg.allowed) a = codes;
        cfg.allowed_per_field = false;
      } else if (v.is_object()) {
        for (auto jt = v.begin(); jt != v.end(); ++jt) {
          int idx = FieldIndex(jt.key());
          if (idx < 0) return Bad("\"allowed\": unknown field \"" + jt.key() + "\"; expected system, user, assistant or text");
          if (Status s = ParseCodes(jt.value(), "allowed." + jt.key(), &cfg.allowed[idx]); !s) return s;
        }
        cfg.allowed_per_field = true;
      } else {
        return Bad("\"allowed\" must be a list of language codes or an object {field: [codes]}");
      }
    } else if (key == "min_confidence") {
      if (Status s = ParseInt(v, key, 0, 100, &cfg.min_confidence); !s) return s;
    } else if (key == "min_letters") {
      if (Status s = ParseInt(v, key, 0, 1000000, &cfg.min_letters); !s) return s;
    } else if (key == "max_bytes") {
      if (Status s = ParseInt(v, key, 0, 1 << 30, &cfg.max_bytes); !s) return s;
    } else if (key == "action") {
      if (!v.is_string() || (v != "drop" && v != "flag")) return Bad("\"action\" must be \"drop\" or \"flag\"");
      flag_only = v == "flag";
    } else {
      return Bad("unknown parameter \"" + key +
                 "\"; expected one of: fields, allowed, min_confidence, min_letters, max_bytes, action");
    }
  }
  m_cfg = std::move(cfg);
  m_flag_only = flag_only;
  return Status::Ok();
}

json LanguageFilter::Params() const {
  json fields = json::array();
  for (size_t i = 0; i < kLanguageFieldCount; ++i) {
    if (m_cfg.fields[i]) fields.push_back(kFieldNames[i]);
  }
  json allowed;
  if (m_cfg.allowed_per_field) {
    allowed = json::object();
    for (size_t i = 0; i < kLanguageFieldCount; ++i) {
      if (!m_cfg.allowed[i].empty()) allowed[std::string(kFieldNames[i])] = m_cfg.allowed[i];
    }
  } else {
    allowed = m_cfg.allowed[0];
    if (allowed.is_null()) allowed = json::array();
  }
  return json{{"fields", fields},          {"allowed", allowed},
              {"min_confidence", m_cfg.min_confidence}, {"min_letters", m_cfg.min_letters},
              {"max_bytes", m_cfg.max_bytes}, {"action", m_flag_only ? "flag" : "drop"}};
}

void LanguageFilter::Evaluate(const Example& ex, LanguageOutcome* out) {
  *out = LanguageOutcome{};
  out->annotation = json::object();
  std::array<std::string, kLanguageFieldCount> text;
  std::array<bool, kLanguageFieldCount> present{};
  auto add = [&](LanguageField f, std::string_view s) {
    size_t i = static_cast<size_t>(f);
    if (present[i]) text[i].push_back('\n');
    text[i].append(s);
    present[i] = true;
  };
  for (const Message& m : ex.messages) {
    if (m.role == Role::System) add(LanguageField::System, m.content);
    if (m.role == Role::User) add(LanguageField::User, m.content);
    if (m.role == Role::Assistant) add(LanguageField::Assistant, m.content);
  }
  // Preference replies are assistant text too (both of them: a rejected reply in another
  // language is as unusable as a chosen one).
  for (const std::vector<Message>* side : {&ex.chosen, &ex.rejected}) {
    for (const Message& m : *side) {
      if (m.role == Role::Assistant || m.role == Role::User) {
        add(m.role == Role::User ? LanguageField::User : LanguageField::Assistant, m.content);
      }
    }
  }
  if (ex.has_text) add(LanguageField::Text, ex.text);

  ++m_rows;
  for (size_t i = 0; i < kLanguageFieldCount; ++i) {
    if (!m_cfg.fields[i] || !present[i]) continue;
    const std::string name(kFieldNames[i]);
    FieldReport& rep = m_fields[i];
    uint64_t letters = ComputeTextStats(text[i]).letters;
    if (letters < static_cast<uint64_t>(m_cfg.min_letters)) {
      out->annotation[name] = json{{"lang", "und"}, {"skipped", "too_short"}, {"letters", letters}};
      ++rep.skipped;
      continue;
    }
    LanguageGuess g = DetectLanguage(text[i], static_cast<size_t>(m_cfg.max_bytes));
    out->annotation[name] = json{{"lang", g.code}, {"percent", g.percent}, {"reliable", g.reliable}};
    ++rep.languages[g.code];
    ++rep.percent_bins[std::min(9, g.percent / 10)];
    const std::vector<std::string>& allowed = m_cfg.allowed[i];
    if (allowed.empty()) continue;
    std::string why, reason;
    if (g.code == "un" || !g.reliable || g.percent < m_cfg.min_confidence) {
      reason = "language_uncertain";
      why = name + ": " + g.code + " (" + std::to_string(g.percent) + "%" + (g.reliable ? "" : ", unreliable") +
            ") below confidence " + std::to_string(m_cfg.min_confidence);
    } else if (!std::binary_search(allowed.begin(), allowed.end(), g.code)) {
      reason = "language_not_allowed";
      why = name + ": " + g.code + " (" + std::to_string(g.percent) + "%) not in " + JoinCodes(allowed);
    }
    if (reason.empty()) continue;
    if (!out->failed) out->reason = reason;
    out->failed = true;
    if (!out->detail.empty()) out->detail += "; ";
    out->detail += why;
  }
  if (out->failed) {
    ++m_failed_rows;
    ++m_reasons[out->reason];
  }
}

json LanguageFilter::Report() const {
  json fields = json::object();
  for (size_t i = 0; i < kLanguageFieldCount; ++i) {
    if (!m_cfg.fields[i]) continue;
    const FieldReport& r = m_fields[i];
    json langs = json::object();
    for (const auto& [code, n] : r.languages) langs[code] = n;
    fields[std::string(kFieldNames[i])] =
        json{{"languages", langs},
             {"skipped", r.skipped},
             {"percent_histogram", json{{"edges", {0, 10, 20, 30, 40, 50, 60, 70, 80, 90}}, {"counts", r.percent_bins}}}};
  }
  json reasons = json::object();
  for (const auto& [code, n] : m_reasons) reasons[code] = n;
  return json{{"rows", m_rows}, {"failed_rows", m_failed_rows}, {"reasons", reasons}, {"fields", fields}};
}

}  // namespace winnow
