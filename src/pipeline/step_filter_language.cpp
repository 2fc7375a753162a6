// filter.language: CLD2 language identification per field (LanguageFilter,
// src/filters/language_filter.h); drops (or flags) rows whose language is not allowed or too
// uncertain, and writes each field's language into the row's annotations under the step id.
#include "filters/language_filter.h"
#include "pipeline/step_filter_common.h"

namespace winnow {

namespace {

class FilterLanguageStep final : public FilterStep<LanguageFilter, LanguageOutcome> {
 public:
  FilterLanguageStep() : FilterStep("filter.language") {}
  // Held rows keep each field's language code only (the report's language counts read "lang");
  // percent, reliability and skip reasons are dropped.
  void CompactAnnotation(nlohmann::json* a) const override {
    if (!a->is_object()) return;
    nlohmann::json compact = nlohmann::json::object();
    for (auto it = a->begin(); it != a->end(); ++it) {
      if (!it->is_object()) continue;
      auto lang = it->find("lang");
      if (lang != it->end()) compact[it.key()] = nlohmann::json{{"lang", *lang}};
    }
    *a = std::move(compact);
  }
};

}  // namespace

WINNOW_REGISTER_STEP(FilterLanguageStep, "filter.language",
                     "Language identification per field (CLD2) with allowed languages and a minimum confidence");

}  // namespace winnow
