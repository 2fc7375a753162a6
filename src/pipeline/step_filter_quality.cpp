// filter.quality: heuristic quality signals per row (QualityFilter, src/filters/quality_filter.h).
// Each failing signal drops the row (or flags it with "action": "flag") with its reason code; the
// values, the 0..1 score and its breakdown go into the row's annotations under the step id.
#include "filters/quality_filter.h"
#include "pipeline/step.h"

namespace winnow {

namespace {

class FilterQualityStep final : public Step {
 public:
  std::string_view Type() const override { return "filter.quality"; }
  Status Configure(const nlohmann::json& params) override { return m_filter.Configure(params); }
  nlohmann::json Params() const override { return m_filter.Params(); }
  void Process(std::span<Row*> rows, StepContext& ctx) override {
    const std::string key = ctx.step_id.empty() ? std::string(Type()) : ctx.step_id;
    QualityOutcome out;
    for (Row* r : rows) {
      if (ctx.cancel && ctx.cancel->Cancelled()) return;
      m_filter.Evaluate(r->ex, &out);
      if (!r->annotations.is_object()) r->annotations = nlohmann::json::object();
      r->annotations[key] = std::move(out.annotation);
      if (!out.failed) continue;
      Verdict v{m_filter.FlagOnly() ? VerdictKind::Flag : VerdictKind::Drop, "", out.reason, out.detail};
      if (m_filter.FlagOnly()) {
        r->flags.push_back(std::move(v));
      } else {
        r->verdict = std::move(v);
      }
    }
  }
  nlohmann::json Report() const override { return m_filter.Report(); }

 private:
  QualityFilter m_filter;
};

}  // namespace

WINNOW_REGISTER_STEP(FilterQualityStep, "filter.quality",
                     "Heuristic quality signals (length, refusals, repetition, markup damage, ...) with a 0-1 score");

}  // namespace winnow
