// `winnow filter IN [IN...] -o OUTDIR`: filter.quality, and filter.language when --language is given,
// filter.toxicity when --toxicity is given.
#include <cstdio>

#include "command.h"
#include "pipeline_cli.h"

namespace winnow::cli {
namespace {

struct FilterArgs {
  PipelineInputArgs in;
  std::string quality_params, language_params, toxicity_params;
  std::vector<std::string> languages;
  bool no_quality = false, toxicity = false;
};

int RunFilter(FilterArgs& a) {
  PipelineConfig c;
  c.name = "filter";
  if (!a.no_quality) {
    if (!RequireStep("filter.quality")) return kExitUsage;
    nlohmann::json p = nlohmann::json::object();
    if (!a.quality_params.empty() && !ParseParamsArg(a.quality_params, &p)) return kExitUsage;
    c.steps.push_back(StepSpec{"filter.quality", "filter.quality", p});
  }
  if (!a.languages.empty() || !a.language_params.empty()) {
    if (!RequireStep("filter.language")) return kExitUsage;
    nlohmann::json p = nlohmann::json::object();
    if (!a.language_params.empty() && !ParseParamsArg(a.language_params, &p)) return kExitUsage;
    if (!a.languages.empty()) p["allowed"] = a.languages;
    c.steps.push_back(StepSpec{"filter.language", "filter.language", p});
  }
  if (a.toxicity || !a.toxicity_params.empty()) {
    if (!RequireStep("filter.toxicity")) return kExitUsage;
    nlohmann::json p = nlohmann::json::object();
    if (!a.toxicity_params.empty() && !ParseParamsArg(a.toxicity_params, &p)) return kExitUsage;
    c.steps.push_back(StepSpec{"filter.toxicity", "filter.toxicity", p});
  }
  if (c.steps.empty()) {
    std::fprintf(stderr, "winnow: nothing to do: give --language or --toxicity, or drop --no-quality\n");
    return kExitUsage;
  }
  return RunPipelineCli(c, a.in);
}

RegisterCommand reg(33, [](CLI::App& app) {
  auto a = std::make_shared<FilterArgs>();
  CLI::App* sub = app.add_subcommand("filter", "Drop low-quality rows (filter.quality), rows in other languages (filter.language), toxic rows (filter.toxicity)");
  AddPipelineInputOptions(sub, &a->in);
  sub->add_option("--language", a->languages, "Allowed language codes (e.g. en de); adds filter.language")->delimiter(',');
  sub->add_flag("--no-quality", a->no_quality, "Skip filter.quality");
  sub->add_option("--quality-params", a->quality_params, "filter.quality parameters as JSON, or @file.json");
  sub->add_option("--language-params", a->language_params, "filter.language parameters as JSON, or @file.json");
  sub->add_flag("--toxicity", a->toxicity, "Add filter.toxicity (the shipped toxicity model + bad-word lists)");
  sub->add_option("--toxicity-params", a->toxicity_params, "filter.toxicity parameters as JSON, or @file.json");
  sub->callback([a] { SetExitCode(RunFilter(*a)); });
});

}  // namespace
}  // namespace winnow::cli
