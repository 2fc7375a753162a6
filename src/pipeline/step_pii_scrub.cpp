// pii.scrub: finds personal data and secrets (src/pii) in the chosen fields and roles and rewrites
// each hit with an operator; every byte outside a hit is left as it was.
//
// Params (all optional; defaults in brackets):
//   entities        list of type / group names to detect ["ALL"]; groups: ALL, SECRET,
//                   NATIONAL_ID, NETWORK, FINANCIAL; types: EMAIL, PHONE, CREDIT_CARD, IBAN, US_SSN,
//                   IPV4, IPV6, MAC, URL_CREDENTIALS, PRIVATE_KEY, JWT, AWS_ACCESS_KEY, AWS_SECRET_KEY,
//                   GITHUB_TOKEN, GITLAB_TOKEN, SLACK_TOKEN, STRIPE_KEY, OPENAI_KEY, ANTHROPIC_KEY,
//                   BITCOIN, UK_NHS, ES_NIF, ES_NIE, IN_AADHAAR, PL_PESEL, AU_ABN, AU_TFN, CA_SIN, DE_TAX_ID
//   exclude         list of type / group names not to detect, applied after entities [[]]
//   operator        "replace" (typed placeholder "[EMAIL]") | "mask" ("****@*******.***") |
//                   "pseudonym" ("[EMAIL_3f9a2c1b04de]", same value -> same token across the
//                   dataset, keyed by pseudonym_key) | "drop_row" (no edits; rows over max_hits
//                   are dropped) ["replace"]
//   max_hits        rows with more hits than this are dropped with reason "pii_over_limit";
//                   -1 = never drop [-1; 0 with operator drop_row]. Dropped rows are still
//                   rewritten with placeholders so no detected value travels on in the Example.
//   pseudonym_key   secret key of the pseudonym hash; required with operator "pseudonym". Never
//                   written to Params() (which shows "(set)"), the report or any output.
//   mask_char       one ASCII character ["*"];  mask_keep_last  0..8 letters/digits left visible [0]
//   fields          any of "messages", "chosen", "rejected", "text", "meta", "tool_calls"
//                   [all six: a value in a tool call's arguments or in a kept source field is as
//                   personal as one in a message; JSON text (tool_calls, meta) is scrubbed inside
//                   its string values only]
//   roles           any of "system", "user", "assistant", "tool": which message roles (in messages,
//                   chosen and rejected) are scrubbed [all four]
//   min_confidence  0..100: hits below are ignored [50]
//   keep_private_ip leave private / loopback / link-local IPv4 and IPv6 addresses alone [false]
//   examples        0..20 masked examples per type in the report [3]
//   annotate        add {"hits": n, "types": {...}} to the row's annotations under the step id [false]
//
// Report: rows_scanned, rows_with_pii, rows_dropped, hits, bytes_scanned, by_type {TYPE: n},
// by_field {"messages.user": n, "text": n, ...}, examples [{row, field, type, masked}] where
// masked keeps only the first letter/digit and the separators of the value.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "pii/pii_scrubber.h"
#include "pipeline/pipeline_config.h"
#include "pipeline/step.h"
#include "pipeline/step_util.h"

namespace winnow {
namespace {

using pii::PiiSpan;
using pii::PiiType;

constexpr const char* kRedactedKey = "(set)";
constexpr std::string_view kFieldNames[] = {"messages", "chosen", "rejected", "text", "meta", "tool_calls"};
enum FieldBit : uint8_t { kMessages = 1, kChosen = 2, kRejected = 4, kText = 8, kMeta = 16, kToolCalls = 32 };

class PiiScrubStep final : public Step {
 public:
  std::string_view Type() const override { return "pii.scrub"; }

  Status Configure(const nlohmann::json& p) override {
    Status st = CheckParamKeys(Type(), p,
                               {"entities", "exclude", "operator", "max_hits", "pseudonym_key", "mask_char",
                                "mask_keep_last", "fields", "roles", "min_confidence", "keep_private_ip",
                                "examples", "annotate"});
    if (!st.ok()) return st;
    std::vector<std::string> entities = {"ALL"}, exclude, fields = {"messages", "chosen", "rejected", "text", "meta", "tool_calls"},
                             roles = {"system", "user", "assistant", "tool"};
    if (!(st = GetParam(Type(), p, "entities", &entities)).ok()) return st;
    if (!(st = GetParam(Type(), p, "exclude", &exclude)).ok()) return st;
    m_opt.scan.enabled.fill(false);
    for (const std::string& e : entities) {
      std::vector<PiiType> ts;
      if (!pii::ExpandPiiTypeOrGroup(e, &ts)) return BadName("entities", e);
      for (PiiType t : ts) m_opt.scan.enabled[size_t(t)] = true;
    }
    for (const std::string& e : exclude) {
      std::vector<PiiType> ts;
      if (!pii::ExpandPiiTypeOrGroup(e, &ts)) return BadName("exclude", e);
      for (PiiType t : ts) m_opt.scan.enabled[size_t(t)] = false;
    }
    m_entities = entities;
    m_exclude = exclude;

    std::string op = "replace";
    if (!(st = GetParam(Type(), p, "operator", &op, {"replace", "mask", "pseudonym", "drop_row"})).ok()) return st;
    pii::ParsePiiOperator(op, &m_opt.op);
    m_max_hits = m_opt.op == pii::PiiOperator::DropRow ? 0 : -1;
    if (!(st = GetParam(Type(), p, "max_hits", &m_max_hits, -1, 1000000)).ok()) return st;

    std::string key;
    bool has_key = p.is_object() && p.contains("pseudonym_key");
    if (!(st = GetParam(Type(), p, "pseudonym_key", &key)).ok()) return st;
    if (m_opt.op == pii::PiiOperator::Pseudonym && (!has_key || key.empty())) {
      return Error{"bad_config", "pii.scrub: operator \"pseudonym\" needs a non-empty string \"pseudonym_key\""};
    }
    if (key == kRedactedKey) {
      // Params() shows the key as this marker; feeding that back must not silently use it as a key.
      return Error{"bad_config", "pii.scrub: \"pseudonym_key\" is the redaction marker \"(set)\" from a report; "
                                 "give the real key"};
    }
    m_has_key = has_key && !key.empty();
    m_opt.pseudonym_key = m_has_key ? pii::DerivePseudonymKey(key) : pii::PseudonymKey{};

    std::string mask_char = "*";
    if (!(st = GetParam(Type(), p, "mask_char", &mask_char)).ok()) return st;
    if (mask_char.size() != 1 || static_cast<unsigned char>(mask_char[0]) < 0x20 ||
        static_cast<unsigned char>(mask_char[0]) > 0x7e || mask_char[0] == '"' || mask_char[0] == '\\') {
      return Error{"bad_config", "pii.scrub: \"mask_char\" must be one printable ASCII character other than '\"' and '\\'"};
    }
    m_opt.mask_char = mask_char[0];
    int64_t keep_last = 0;
    if (!(st = GetParam(Type(), p, "mask_keep_last", &keep_last, 0, 8)).ok()) return st;
    m_opt.mask_keep_last = int(keep_last);

    if (!(st = GetParam(Type(), p, "fields", &fields)).ok()) return st;
    m_fields = 0;
    for (const std::string& f : fields) {
      size_t i = 0;
      while (i < std::size(kFieldNames) && kFieldNames[i] != f) ++i;
      if (i == std::size(kFieldNames)) {
        return Error{"bad_config", "pii.scrub: \"fields\" has unknown value \"" + f +
                                       "\"; allowed: messages, chosen, rejected, text, meta, tool_calls"};
      }
      m_fields |= uint8_t(1u << i);
    }
    m_field_list = fields;
    if (!(st = GetParam(Type(), p, "roles", &roles)).ok()) return st;
    m_roles.fill(false);
    for (const std::string& r : roles) {
      Role role;
      if (!ParseRole(r, &role)) {
        return Error{"bad_config", "pii.scrub: \"roles\" has unknown value \"" + r + "\"; allowed: system, user, assistant, tool"};
      }
      m_roles[size_t(role)] = true;
    }
    m_role_list = roles;

    int64_t min_conf = 50;
    if (!(st = GetParam(Type(), p, "min_confidence", &min_conf, 0, 100)).ok()) return st;
    m_opt.scan.min_confidence = int(min_conf);
    if (!(st = GetParam(Type(), p, "keep_private_ip", &m_opt.scan.detect.keep_private_ip)).ok()) return st;
    if (!(st = GetParam(Type(), p, "examples", &m_examples_per_type, 0, 20)).ok()) return st;
    if (!(st = GetParam(Type(), p, "annotate", &m_annotate)).ok()) return st;
    return Status::Ok();
  }

  nlohmann::json Params() const override {
    nlohmann::json j{{"entities", m_entities},
                     {"exclude", m_exclude},
                     {"operator", std::string(pii::PiiOperatorName(m_opt.op))},
                     {"max_hits", m_max_hits},
                     {"mask_char", std::string(1, m_opt.mask_char)},
                     {"mask_keep_last", m_opt.mask_keep_last},
                     {"fields", m_field_list},
                     {"roles", m_role_list},
                     {"min_confidence", m_opt.scan.min_confidence},
                     {"keep_private_ip", m_opt.scan.detect.keep_private_ip},
                     {"examples", m_examples_per_type},
                     {"annotate", m_annotate}};
    // The key is a secret: only whether one was given.
    if (m_has_key) j["pseudonym_key"] = kRedactedKey;
    return j;
  }

  void Process(std::span<Row*> rows, StepContext& ctx) override {
    for (size_t k = 0; k < rows.size(); ++k) {
      if (ctx.cancel && ctx.cancel->Cancelled()) return;
#if defined(__GNUC__) || defined(__clang__)
      // Rows are large and cold when a step reaches them (the scan itself is fast), and reaching a
      // row's text takes three dependent loads (row, message array, text): a row six ahead, the
      // message array four ahead and the texts (first 256 bytes each) two ahead are requested
      // while this one is scanned, so each load finds the one before it in cache.
      if (k + 6 < rows.size()) {
        const char* p = reinterpret_cast<const char*>(&rows[k + 6]->ex);
        for (int line = 0; line < 4; ++line) __builtin_prefetch(p + 64 * line);
      }
      if (k + 4 < rows.size()) {
        const std::vector<Message>& ms = rows[k + 4]->ex.messages;
        const char* p = reinterpret_cast<const char*>(ms.data());
        for (size_t line = 0; line < std::min<size_t>(8, (ms.size() * sizeof(Message) + 63) / 64); ++line) __builtin_prefetch(p + 64 * line);
      }
      if (k + 2 < rows.size()) {
        for (const Message& m : rows[k + 2]->ex.messages) {
          const char* p = m.content.data();
          for (size_t line = 0; line < std::min<size_t>(4, (m.content.size() + 63) / 64); ++line) __builtin_prefetch(p + 64 * line);
        }
      }
#endif
      ProcessRow(rows[k], ctx);
    }
  }

  nlohmann::json Report() const override {
    nlohmann::json by_type = nlohmann::json::object();
    for (size_t i = 0; i < pii::kPiiTypeCount; ++i) {
      if (m_by_type[i]) by_type[std::string(pii::PiiTypeName(PiiType(i)))] = m_by_type[i];
    }
    nlohmann::json by_field = nlohmann::json::object();
    for (const auto& [k, v] : m_by_field) by_field[k] = v;
    return nlohmann::json{{"rows_scanned", m_rows_scanned}, {"rows_with_pii", m_rows_with_pii},
                          {"rows_dropped", m_rows_dropped}, {"hits", m_hits},
                          {"bytes_scanned", m_bytes_scanned}, {"by_type", by_type},
                          {"by_field", by_field}, {"examples", m_samples}};
  }

 private:
  Status BadName(const char* key, const std::string& v) const {
    return Error{"bad_config", std::string("pii.scrub: \"") + key + "\" has unknown value \"" + v +
                                   "\"; allowed: " + std::string(pii::PiiTypeNamesHelp())};
  }

  struct RowHits {
    uint64_t total = 0;
    std::array<uint32_t, pii::kPiiTypeCount> by_type{};
  };

  // Scrubs one string in place; json_text: the field is JSON text (meta, tool_calls), where a
  // span holding a quote or backslash is skipped so the JSON stays well-formed.
  // field: the report's field name, or its two halves "group" "." "role" (joined only when there
  // is a hit, so rows without PII build no strings).
  // JSON text (tool_calls arguments, meta) must stay valid JSON after the operator: a hit inside a
  // string value is kept (unless it spans an escape or a quote); a hit that is a whole number token
  // (a phone or card stored as a JSON number) turns that token into a string first, so its
  // placeholder is quoted; any other hit is dropped. The text is our reader's valid JSON, so
  // tracking string boundaries is enough: a JSON parser would give values, not their byte ranges.
  static void KeepJsonValid(std::string* s, std::vector<PiiSpan>* spans) {
    std::sort(spans->begin(), spans->end(), [](const PiiSpan& a, const PiiSpan& b) { return a.begin < b.begin; });
    std::string_view t(*s);
    std::vector<std::pair<uint32_t, uint32_t>> strings, numbers;  // [begin, end) of contents / tokens
    for (size_t i = 0; i < t.size();) {
      char c = t[i];
      if (c == '"') {
        size_t b = ++i;
        while (i < t.size() && t[i] != '"') i += (t[i] == '\\') ? 2 : 1;
        strings.emplace_back(uint32_t(b), uint32_t(std::min(i, t.size())));
        ++i;
      } else if (c == '-' || (c >= '0' && c <= '9')) {
        size_t b = i;
        while (i < t.size() && (t[i] == '-' || t[i] == '+' || t[i] == '.' || t[i] == 'e' || t[i] == 'E' || (t[i] >= '0' && t[i] <= '9'))) ++i;
        numbers.emplace_back(uint32_t(b), uint32_t(i));
      } else {
        ++i;
      }
    }
    auto inside = [](const std::vector<std::pair<uint32_t, uint32_t>>& ranges, const PiiSpan& sp, bool exact) {
      auto it = std::upper_bound(ranges.begin(), ranges.end(), sp.begin,
                                 [](uint32_t v, const std::pair<uint32_t, uint32_t>& r) { return v < r.first; });
      if (it == ranges.begin()) return false;
      --it;
      return exact ? (it->first == sp.begin && it->second == sp.end) : (sp.begin >= it->first && sp.end <= it->second);
    };
    std::vector<PiiSpan> kept;
    std::vector<uint32_t> quote;  // begins of number tokens to quote (ascending)
    for (const PiiSpan& sp : *spans) {
      std::string_view v = t.substr(sp.begin, sp.end - sp.begin);
      if (inside(strings, sp, false)) {
        if (v.find('"') == std::string_view::npos && v.find('\\') == std::string_view::npos) kept.push_back(sp);
      } else if (inside(numbers, sp, true)) {
        quote.push_back(sp.begin);
        kept.push_back(sp);
      }
    }
    if (!quote.empty()) {
      std::string out;
      out.reserve(s->size() + 2 * quote.size());
      size_t at = 0, q = 0;
      for (PiiSpan& sp : kept) {
        uint32_t b = sp.begin, e = sp.end;  // in the original text
        bool quoted = q < quote.size() && quote[q] == b;
        out.append(t.substr(at, b - at));
        if (quoted) out.push_back('"');
        sp.begin = uint32_t(out.size());
        out.append(t.substr(b, e - b));
        sp.end = uint32_t(out.size());
        if (quoted) {
          out.push_back('"');
          ++q;
        }
        at = e;
      }
      out.append(t.substr(at));
      s->swap(out);
    }
    spans->swap(kept);
  }

  void ScrubField(std::string* s, std::string_view field, bool json_text, const Row& row, const StepContext& ctx,
                  RowHits* hits, std::string_view role = {}) {
    if (s->empty()) return;
    m_bytes_scanned += s->size();
    m_spans.clear();
    pii::PiiScanner::Get().Find(*s, m_opt.scan, &m_spans);
    if (json_text && !m_spans.empty()) KeepJsonValid(s, &m_spans);  // most JSON text has no hit
    if (m_spans.empty()) return;
    std::string joined;
    if (!role.empty()) {
      joined = std::string(field) + "." + std::string(role);
      field = joined;
    }
    // One map update per field, not per span (a row of dense PII has several hits in one field).
    m_by_field[std::string(field)] += m_spans.size();
    for (const PiiSpan& sp : m_spans) {
      ++hits->total;
      ++hits->by_type[size_t(sp.type)];
      ++m_by_type[size_t(sp.type)];
      ++m_hits;
      uint32_t& shown = m_examples_shown[size_t(sp.type)];
      if (shown < uint32_t(m_examples_per_type)) {
        ++shown;
        m_samples.push_back(nlohmann::json{{"row", RowRef(row.ex.origin, ctx)},
                                           {"field", std::string(field)},
                                           {"type", std::string(pii::PiiTypeName(sp.type))},
                                           {"masked", pii::MaskForReport(std::string_view(*s).substr(sp.begin, sp.end - sp.begin))}});
      }
    }
    pii::ApplyOperator(*s, m_spans, m_opt, &m_out);
    s->swap(m_out);
  }

  // `owner` is the Example of a `messages` entry (index i), so an alpaca instruction and input are
  // scrubbed apart and the split point stays exact; null for chosen / rejected messages.
  void ScrubMessage(Message* m, std::string_view group, Example* owner, size_t i, const Row& row, const StepContext& ctx,
                    RowHits* hits) {
    if (!m_roles[size_t(m->role)]) return;
    std::string_view role = RoleName(m->role);
    auto scrub = [&](std::string* t) {
      uint64_t before = hits->total;
      ScrubField(t, group, false, row, ctx, hits, role);
      return hits->total != before;
    };
    if (owner) EditMessageContent(owner, i, scrub);
    else scrub(&m->content);
    if (m_fields & kToolCalls) ScrubField(&m->tool_calls, "tool_calls", true, row, ctx, hits);
  }

  void ProcessRow(Row* r, StepContext& ctx) {
    ++m_rows_scanned;
    RowHits hits;
    Example& ex = r->ex;
    // With drop_row this pass only counts (ApplyOperator copies the text unchanged); a dropped
    // row is rewritten with placeholders below.
    if (m_fields & kMessages) {
      for (size_t i = 0; i < ex.messages.size(); ++i) ScrubMessage(&ex.messages[i], "messages", &ex, i, *r, ctx, &hits);
    } else if (m_fields & kToolCalls) {
      for (Message& m : ex.messages) {
        if (m_roles[size_t(m.role)]) ScrubField(&m.tool_calls, "tool_calls", true, *r, ctx, &hits);
      }
    }
    if (m_fields & kChosen) {
      for (Message& m : ex.chosen) ScrubMessage(&m, "chosen", nullptr, 0, *r, ctx, &hits);
    }
    if (m_fields & kRejected) {
      for (Message& m : ex.rejected) ScrubMessage(&m, "rejected", nullptr, 0, *r, ctx, &hits);
    }
    if ((m_fields & kText) && ex.has_text) ScrubField(&ex.text, "text", false, *r, ctx, &hits);
    if (m_fields & kMeta) ScrubField(&ex.meta, "meta", true, *r, ctx, &hits);

    if (hits.total == 0) return;
    ++m_rows_with_pii;
    if (m_annotate) {
      nlohmann::json types = nlohmann::json::object();
      for (size_t i = 0; i < pii::kPiiTypeCount; ++i) {
        if (hits.by_type[i]) types[std::string(pii::PiiTypeName(PiiType(i)))] = hits.by_type[i];
      }
      if (!r->annotations.is_object()) r->annotations = nlohmann::json::object();
      r->annotations[ctx.step_id.empty() ? std::string(Type()) : ctx.step_id] =
          nlohmann::json{{"hits", hits.total}, {"types", types}};
    }
    if (m_max_hits >= 0 && hits.total > uint64_t(m_max_hits)) {
      ++m_rows_dropped;
      std::string detail = std::to_string(hits.total) + " PII hits (";
      bool first = true;
      for (size_t i = 0; i < pii::kPiiTypeCount; ++i) {
        if (!hits.by_type[i]) continue;
        detail += (first ? "" : ", ") + std::string(pii::PiiTypeName(PiiType(i))) + " " + std::to_string(hits.by_type[i]);
        first = false;
      }
      detail += ") > max_hits " + std::to_string(m_max_hits);
      r->verdict = Verdict{VerdictKind::Drop, ctx.step_id, "pii_over_limit", detail};
      if (m_opt.op == pii::PiiOperator::DropRow) RewriteWithPlaceholders(r, ctx);
    }
  }

  void RewriteWithPlaceholders(Row* r, StepContext& ctx) {
    // A second pass with the replace operator whose counts are discarded.
    PiiScrubStep copy;
    copy.m_opt = m_opt;
    copy.m_opt.op = pii::PiiOperator::Replace;
    copy.m_fields = m_fields;
    copy.m_roles = m_roles;
    copy.m_max_hits = -1;
    copy.ProcessRow(r, ctx);
  }

  pii::ScrubOptions m_opt;
  std::vector<std::string> m_entities = {"ALL"}, m_exclude,
                           m_field_list = {"messages", "chosen", "rejected", "text", "meta", "tool_calls"},
                           m_role_list = {"system", "user", "assistant", "tool"};
  uint8_t m_fields = kMessages | kChosen | kRejected | kText | kMeta | kToolCalls;
  std::array<bool, 4> m_roles{true, true, true, true};
  int64_t m_max_hits = -1;
  bool m_has_key = false;
  int64_t m_examples_per_type = 3;
  bool m_annotate = false;

  // Scratch buffers reused across rows.
  std::vector<PiiSpan> m_spans;
  std::string m_out;

  // Report.
  uint64_t m_rows_scanned = 0, m_rows_with_pii = 0, m_rows_dropped = 0, m_hits = 0, m_bytes_scanned = 0;
  std::array<uint64_t, pii::kPiiTypeCount> m_by_type{};
  std::map<std::string, uint64_t> m_by_field;
  std::array<uint32_t, pii::kPiiTypeCount> m_examples_shown{};
  nlohmann::json m_samples = nlohmann::json::array();
};

}  // namespace

WINNOW_REGISTER_STEP(PiiScrubStep, "pii.scrub",
                     "Detect personal data and secrets (e-mail, phone, cards, IBAN, ids, keys, ...) and replace, mask or pseudonymize them");

}  // namespace winnow
