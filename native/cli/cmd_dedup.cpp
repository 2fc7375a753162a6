// `winnow dedup IN [IN...] -o OUTDIR`: exact and / or near-duplicate removal (dedup.exact, dedup.near).
#include <cstdio>

#include "command.h"
#include "pipeline_cli.h"

namespace winnow::cli {
namespace {

struct DedupArgs {
  PipelineInputArgs in;
  std::string mode = "both", view = "example", keep = "first", params;
  double threshold = 0.8;
  int64_t seed = 0;
};

int RunDedup(DedupArgs& a) {
  PipelineConfig c;
  c.name = "dedup";
  c.seed = static_cast<uint64_t>(a.seed);
  if (a.mode == "exact" || a.mode == "both") {
    c.steps.push_back(StepSpec{"dedup.exact", "dedup.exact", nlohmann::json{{"view", a.view}}});
  }
  if (a.mode == "near" || a.mode == "both") {
    nlohmann::json p = nlohmann::json::object();
    if (!a.params.empty() && !ParseParamsArg(a.params, &p)) return kExitUsage;
    if (!p.contains("view")) p["view"] = a.view;
    if (!p.contains("threshold")) p["threshold"] = a.threshold;
    if (!p.contains("keep")) p["keep"] = a.keep;
    c.steps.push_back(StepSpec{"dedup.near", "dedup.near", p});
  }
  return RunPipelineCli(c, a.in);
}

RegisterCommand reg(32, [](CLI::App& app) {
  auto a = std::make_shared<DedupArgs>();
  CLI::App* sub = app.add_subcommand("dedup", "Remove exact and near duplicates (MinHash LSH)");
  AddPipelineInputOptions(sub, &a->in);
  sub->add_option("--mode", a->mode, "exact, near or both")->check(CLI::IsMember({"exact", "near", "both"}));
  sub->add_option("--view", a->view, "What to compare: example, user, instruction, assistant")
      ->check(CLI::IsMember({"example", "user", "instruction", "assistant"}));
  sub->add_option("--threshold", a->threshold, "Near-duplicate Jaccard threshold")->check(CLI::Range(0.05, 1.0));
  sub->add_option("--keep", a->keep, "Which member of a near-duplicate cluster to keep: first, longest, highest_score, none")
      ->check(CLI::IsMember({"first", "longest", "highest_score", "none"}));
  sub->add_option("--params", a->params, "More dedup.near parameters as JSON (num_perm, ngram, shingle, verify, ...)");
  sub->add_option("--seed", a->seed, "Seed of the MinHash permutations");
  sub->callback([a] { SetExitCode(RunDedup(*a)); });
});

}  // namespace
}  // namespace winnow::cli
