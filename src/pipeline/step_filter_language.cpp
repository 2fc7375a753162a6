// filter.language: CLD2 language identification per field (LanguageFilter,
// src/filters/language_filter.h); drops (or flags) rows whose language is not allowed or too
// uncertain, and writes each field's language into the row's annotations under the step id.
#include "filters/language_filter.h"
#include "pipeline/step.h"

namespace winnow {

namespace {

class FilterLanguageStep final : public Step {
 public:
  std::string_view Type() const override { return "filter.language"; }
  Status Configure(const nlohmann::json& params) override { return m_filter.Configure(params); }
  nlohmann::json Params() const override { return m_filter.Params(); }
  void Process(std::span<Row*> rows, StepContext& ctx) override {
    const std::string key = ctx.step_id.empty() ? std::string(Type()) : ctx.step_id;
    LanguageOutcome out;
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
  LanguageFilter m_filter;
};

}  // namespace

WINNOW_REGISTER_STEP(FilterLanguageStep, "filter.language",
                     "Language identification per field (CLD2) with allowed languages and a minimum confidence");

}  // namespace winnow
