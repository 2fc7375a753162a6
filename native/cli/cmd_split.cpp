// `winnow split IN [IN...] -o OUTDIR`: train / validation / test files (random, stratified, time).
#include <cstdio>

#include "command.h"
#include "pipeline_cli.h"

namespace winnow::cli {
namespace {

struct SplitArgs {
  PipelineInputArgs in;
  std::string method = "random", field;
  std::vector<double> ratios = {0.8, 0.1, 0.1};
  int64_t seed = 0;
};

int RunSplit(SplitArgs& a) {
  if (a.ratios.size() != 3) {
    std::fprintf(stderr, "winnow: --ratios takes three numbers: train,validation,test (e.g. 0.8,0.1,0.1)\n");
    return kExitUsage;
  }
  nlohmann::json p{{"method", a.method},
                   {"ratios", {{"train", a.ratios[0]}, {"validation", a.ratios[1]}, {"test", a.ratios[2]}}}};
  if (!a.field.empty()) p["field"] = a.field;
  return RunPipelineCli(SingleStepPipeline("split", p, static_cast<uint64_t>(a.seed)), a.in);
}

RegisterCommand reg(34, [](CLI::App& app) {
  auto a = std::make_shared<SplitArgs>();
  CLI::App* sub = app.add_subcommand("split", "Split into train / validation / test (random, stratified or time-based)");
  AddPipelineInputOptions(sub, &a->in);
  sub->add_option("--method", a->method, "random, stratified or time")->check(CLI::IsMember({"random", "stratified", "time"}));
  sub->add_option("--by", a->field, "Field to stratify or order by (a source field, or label / format / file)");
  sub->add_option("--ratios", a->ratios, "train,validation,test ratios adding up to 1")->delimiter(',');
  sub->add_option("--seed", a->seed, "Seed of the random assignment");
  sub->callback([a] { SetExitCode(RunSplit(*a)); });
});

}  // namespace
}  // namespace winnow::cli
