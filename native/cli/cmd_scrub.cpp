// `winnow scrub IN [IN...] -o OUTDIR`: a one-step pipeline of pii.scrub (by default every detected
// value becomes its typed placeholder, e.g. [EMAIL]; every other byte of a JSONL row is left as it
// was: the verb writes "row_bytes": "source" unless --row-bytes canonical is given).
#include <cstdio>

#include "command.h"
#include "pipeline_cli.h"

namespace winnow::cli {
namespace {

struct ScrubArgs {
  PipelineInputArgs in;
  std::string params;
};

int RunScrub(ScrubArgs& a) {
  if (!RequireStep("pii.scrub")) return kExitUsage;
  nlohmann::json params = nlohmann::json::object();
  if (!a.params.empty() && !ParseParamsArg(a.params, &params)) return kExitUsage;
  PipelineConfig config = SingleStepPipeline("pii.scrub", params);
  config.row_bytes = RowBytes::Source;
  return RunPipelineCli(config, a.in);
}

RegisterCommand reg(31, [](CLI::App& app) {
  auto a = std::make_shared<ScrubArgs>();
  CLI::App* sub = app.add_subcommand("scrub", "Replace personal data and secrets with typed placeholders (pii.scrub)");
  AddPipelineInputOptions(sub, &a->in);
  sub->add_option("--params", a->params, "pii.scrub parameters as a JSON object, or @file.json");
  sub->callback([a] { SetExitCode(RunScrub(*a)); });
});

}  // namespace
}  // namespace winnow::cli
