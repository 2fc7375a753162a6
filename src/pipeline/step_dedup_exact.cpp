// dedup.exact: drops (or flags) rows whose chosen view, after normalization, is identical to an
// earlier row's. Keys are 128-bit XXH3 hashes; the first occurrence is kept. Streams.
#include <unordered_map>

#include "core/hash.h"
#include "dedup/text_normalize.h"
#include "pipeline/example_view.h"
#include "pipeline/pipeline_config.h"
#include "pipeline/step.h"
#include "pipeline/step_util.h"

namespace winnow {

namespace {

struct KeyHash {
  size_t operator()(const Hash128& h) const { return static_cast<size_t>(h.lo ^ (h.hi * 0x9E3779B97F4A7C15ULL)); }
};

class DedupExactStep final : public Step {
 public:
  std::string_view Type() const override { return "dedup.exact"; }
  Status Configure(const nlohmann::json& p) override {
    Status st = CheckParamKeys(Type(), p, {"view", "normalize", "action"});
    if (!st.ok()) return st;
    std::string view = std::string(TextViewName(m_view));
    if (!(st = GetParam(Type(), p, "view", &view, TextViewNames())).ok()) return st;
    ParseTextView(view, &m_view);
    if (!(st = ParseNormalizeParam(Type(), p, "normalize", &m_norm)).ok()) return st;
    return GetParam(Type(), p, "action", &m_action, {"drop", "flag"});
  }
  nlohmann::json Params() const override {
    return nlohmann::json{{"view", TextViewName(m_view)}, {"normalize", NormalizeParamJson(m_norm)}, {"action", m_action}};
  }
  void Process(std::span<Row*> rows, StepContext& ctx) override {
    for (Row* r : rows) {
      ViewText(r->ex, m_view, &m_text);
      NormalizeText(m_text, m_norm, &m_norm_text);
      if (m_norm_text.empty()) {
        ++m_empty;
        continue;
      }
      Hash128 key = Hash128Of(m_norm_text);
      auto [it, inserted] = m_seen.emplace(key, First{r->ex.origin, 0});
      if (inserted) continue;
      ++m_duplicates;
      if (it->second.dups++ == 0) ++m_clusters;
      std::string detail = "same " + std::string(TextViewName(m_view)) + " text as " + RowWhere(it->second.origin, ctx);
      if (m_samples.size() < 10) {
        m_samples.push_back(nlohmann::json{{"kept", RowRef(it->second.origin, ctx)}, {"duplicate", RowRef(r->ex.origin, ctx)}});
      }
      if (m_action == "drop") {
        r->verdict = Verdict{VerdictKind::Drop, "", "exact_duplicate", detail};
      } else {
        r->flags.push_back(Verdict{VerdictKind::Flag, "", "exact_duplicate", detail});
      }
    }
  }
  nlohmann::json Report() const override {
    return nlohmann::json{{"view", TextViewName(m_view)}, {"action", m_action}, {"duplicates", m_duplicates},
                          {"clusters", m_clusters}, {"distinct", m_seen.size()}, {"empty_view", m_empty},
                          {"samples", m_samples}};
  }

 private:
  struct First {
    Origin origin;
    uint64_t dups;
  };
  TextView m_view = TextView::Example;
  NormalizeOptions m_norm;
  std::string m_action = "drop";
  // Looked up only, never iterated: its order cannot reach an output.
  std::unordered_map<Hash128, First, KeyHash> m_seen;
  uint64_t m_duplicates = 0, m_clusters = 0, m_empty = 0;
  nlohmann::json m_samples = nlohmann::json::array();
  std::string m_text, m_norm_text;
};

}  // namespace

WINNOW_REGISTER_STEP(DedupExactStep, "dedup.exact", "Remove exact duplicates of a view (example, user, instruction, assistant) after normalization");

}  // namespace winnow
