// `winnow run PIPELINE.json IN [IN...] -o OUTDIR`: runs a pipeline (or a preset by name) and writes
// kept.jsonl, rejected.jsonl, annotations.jsonl, report.json, README.md and, with a split step, the split files.
#include <cstdio>

#include "command.h"
#include "pipeline_cli.h"

namespace winnow::cli {
namespace {

struct RunArgs {
  std::string pipeline;
  PipelineInputArgs in;
  int64_t seed = -1;
};

// A preset name ("sft-default") resolves to assets/presets/<name>.json next to the source tree
// or the working directory.
std::string ResolvePipelinePath(const std::string& p) {
  if (p.find('/') != std::string::npos || p.find(".json") != std::string::npos) return p;
  for (std::string dir : {std::string("assets/presets/"),
#ifdef WINNOW_PRESETS_DIR
                          std::string(WINNOW_PRESETS_DIR "/"),
#endif
                          }) {
    std::string path = dir + p + ".json";
    if (FILE* f = std::fopen(path.c_str(), "rb")) {
      std::fclose(f);
      return path;
    }
  }
  return p;
}

int RunRun(RunArgs& a) {
  std::string path = ResolvePipelinePath(a.pipeline);
  auto text = ReadWholeFile(path);
  if (!text.ok()) {
    std::fprintf(stderr, "winnow: cannot read the pipeline: %s\n", text.error().message.c_str());
    return kExitUsage;
  }
  auto config = ParsePipeline(text.value());
  if (!config.ok()) {
    std::fprintf(stderr, "winnow: %s: %s\n", path.c_str(), config.error().message.c_str());
    return kExitUsage;
  }
  if (a.seed >= 0) config.value().seed = static_cast<uint64_t>(a.seed);
  return RunPipelineCli(config.value(), a.in);
}

RegisterCommand reg(30, [](CLI::App& app) {
  auto a = std::make_shared<RunArgs>();
  CLI::App* sub = app.add_subcommand("run", "Run a cleaning pipeline (JSON file or preset name) over datasets");
  sub->add_option("PIPELINE", a->pipeline, "Pipeline JSON file, or a preset name such as sft-default")->required();
  AddPipelineInputOptions(sub, &a->in, true, /*inputs_required=*/false);
  AddSynthOptions(sub, &a->in.synth);
  sub->add_option("--seed", a->seed, "Override the pipeline's seed");
  sub->footer("Exit codes: 0 nothing rejected; 1 some rows rejected (see rejected.jsonl); 2 bad pipeline or usage;\n"
              "3 I/O error; 4 row conservation failed (a bug: please report); 130 interrupted.");
  sub->callback([a] { SetExitCode(RunRun(*a)); });
});

}  // namespace
}  // namespace winnow::cli
