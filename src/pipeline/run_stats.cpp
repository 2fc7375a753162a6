#include "pipeline/run_stats.h"

#include <algorithm>

#include "pipeline/example_view.h"

namespace winnow {

using nlohmann::json;

std::string Percent(uint64_t part, uint64_t whole) {
  if (whole == 0) return "0.0%";
  uint64_t tenths = (part * 1000 + whole / 2) / whole;
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + "%";
}

json LengthHistogram(std::vector<uint32_t>& v) {
  json h = json::object();
  h["count"] = v.size();
  if (v.empty()) return h;
  std::sort(v.begin(), v.end());
  uint64_t sum = 0;
  for (uint32_t x : v) sum += x;
  auto pct = [&](uint64_t p) { return v[std::min<uint64_t>(v.size() - 1, (v.size() - 1) * p / 100)]; };
  h["min"] = v.front();
  h["max"] = v.back();
  h["mean"] = (sum + v.size() / 2) / v.size();
  h["p50"] = pct(50);
  h["p90"] = pct(90);
  h["p99"] = pct(99);
  json bins = json::array();
  uint64_t lo = 0, hi = 16;
  size_t i = 0;
  while (i < v.size()) {
    uint64_t count = 0;
    while (i < v.size() && v[i] < hi) {
      ++count;
      ++i;
    }
    json b = json::object();
    b["lo"] = lo;
    b["hi"] = hi;
    b["count"] = count;
    bins.push_back(b);
    lo = hi;
    hi *= 2;
  }
  h["bins"] = bins;
  return h;
}

namespace {
// filter.language annotates {field: {"lang": code, ...}}; the reply's language names the row
// (then the text, then the prompt), "und" (undetermined) never does.
std::string FindLanguage(const json& a) {
  if (!a.is_object()) return {};
  auto lang_of = [](const json& v) -> std::string {
    if (!v.is_object()) return {};
    for (const char* k : {"lang", "language"}) {
      auto l = v.find(k);
      if (l != v.end() && l->is_string() && l->get<std::string>() != "und") return l->get<std::string>();
    }
    return {};
  };
  if (std::string top = lang_of(a); !top.empty()) return top;
  for (const char* f : {"assistant", "text", "user"}) {
    auto it = a.find(f);
    if (it != a.end()) {
      if (std::string l = lang_of(*it); !l.empty()) return l;
    }
  }
  for (auto f = a.begin(); f != a.end(); ++f) {
    if (std::string l = lang_of(f.value()); !l.empty()) return l;
  }
  return {};
}
}  // namespace

void RunStats::Add(const Row& row) {
  const Example& ex = row.ex;
  ++m_rows;
  ++m_formats[std::string(FormatName(ex.source_format))];
  uint32_t turns = 0;
  for (const Message& m : ex.messages) {
    ++m_roles[std::string(RoleName(m.role))];
    if (m.role == Role::User || m.role == Role::Assistant) ++turns;
  }
  m_turns.push_back(turns);
  if (!ex.chosen.empty() || !ex.rejected.empty()) {
    ++m_kinds["preference"];
  } else if (ex.label >= 0) {
    ++m_kinds["binary_feedback"];
  } else if (ex.has_text && ex.messages.empty()) {
    ++m_kinds["text"];
  } else {
    ++m_kinds["chat"];
  }
  uint64_t chars = 0, words = 0;
  CountChars(ex, &chars, &words);
  m_chars.push_back(static_cast<uint32_t>(std::min<uint64_t>(chars, UINT32_MAX)));
  m_words.push_back(static_cast<uint32_t>(std::min<uint64_t>(words, UINT32_MAX)));
  if (row.annotations.is_object()) {
    for (const std::string& id : m_lang_ids) {
      auto it = row.annotations.find(id);
      if (it == row.annotations.end()) continue;
      std::string lang = FindLanguage(*it);
      if (!lang.empty()) {
        ++m_languages[lang];
        break;
      }
    }
    for (const std::string& id : m_quality_ids) {
      auto it = row.annotations.find(id);
      if (it == row.annotations.end() || !it->is_object()) continue;
      auto s = it->find("score");
      if (s == it->end() || !s->is_number()) continue;
      double score = s->get<double>();
      int bin = score >= 1.0 ? 9 : score <= 0 ? 0 : static_cast<int>(score * 10);
      ++m_quality_bins[std::min(bin, 9)];
      ++m_quality_rows;
      break;
    }
  }
}

json RunStats::ToJson() const {
  json j = json::object();
  j["rows"] = m_rows;
  j["formats"] = m_formats;
  j["kinds"] = m_kinds;
  j["roles"] = m_roles;
  std::vector<uint32_t> c = m_chars, w = m_words, t = m_turns;
  j["chars"] = LengthHistogram(c);
  j["words"] = LengthHistogram(w);
  j["turns"] = LengthHistogram(t);
  if (!m_languages.empty()) j["languages"] = m_languages;
  if (m_quality_rows > 0) {
    json bins = json::array();
    for (int i = 0; i < 10; ++i) {
      json b = json::object();
      b["range"] = "0." + std::to_string(i) + (i == 9 ? "-1.0" : "-0." + std::to_string(i + 1));
      b["count"] = m_quality_bins[i];
      bins.push_back(b);
    }
    j["quality_score"] = json{{"rows", m_quality_rows}, {"bins", bins}};
  }
  return j;
}

}  // namespace winnow
