// FilterStep: the pipeline step around a row filter of src/filters (LanguageFilter, QualityFilter):
// annotates every row under the step id and drops the failing rows, or flags them when the
// filter's "action" is "flag". A filter provides Configure, Params, Evaluate(ex, &outcome),
// FlagOnly and Report; its outcome has annotation, failed, reason and detail.
#pragma once
#include <string>
#include <string_view>
#include <utility>

#include "pipeline/step.h"

namespace winnow {

template <typename Filter, typename Outcome>
class FilterStep : public Step {
 public:
  explicit FilterStep(std::string_view type) : m_type(type) {}
  std::string_view Type() const override { return m_type; }
  Status Configure(const nlohmann::json& params) override { return m_filter.Configure(params); }
  nlohmann::json Params() const override { return m_filter.Params(); }
  void Process(std::span<Row*> rows, StepContext& ctx) override {
    const std::string key = ctx.step_id.empty() ? std::string(Type()) : ctx.step_id;
    Outcome out;
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
  std::string_view m_type;
  Filter m_filter;
};

}  // namespace winnow
