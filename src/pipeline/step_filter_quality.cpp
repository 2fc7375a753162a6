// filter.quality: heuristic quality signals per row (QualityFilter, src/filters/quality_filter.h).
// Each failing signal drops the row (or flags it with "action": "flag") with its reason code; the
// values, the 0..1 score and its breakdown go into the row's annotations under the step id.
#include "filters/quality_filter.h"
#include "pipeline/step_filter_common.h"

namespace winnow {

namespace {

class FilterQualityStep final : public FilterStep<QualityFilter, QualityOutcome> {
 public:
  FilterQualityStep() : FilterStep("filter.quality") {}
  // Held rows keep only the score (what dedup's score_from and the report's score histogram read):
  // the per-signal values and breakdown are ~4 KB of JSON objects a row, most of a held row's size.
  void CompactAnnotation(nlohmann::json* a) const override {
    if (!a->is_object()) return;
    auto s = a->find("score");
    nlohmann::json score = s != a->end() ? *s : nlohmann::json();
    *a = nlohmann::json::object();
    if (!score.is_null()) (*a)["score"] = std::move(score);
  }
};

}  // namespace

WINNOW_REGISTER_STEP(FilterQualityStep, "filter.quality",
                     "Heuristic quality signals (length, refusals, repetition, markup damage, ...) with a 0-1 score");

}  // namespace winnow
