// Shared plumbing of the pipeline verbs (run, scrub, dedup, filter, split, stats, card): input
// options, running a PipelineConfig over files into an output directory, the summary on stderr,
// exit codes (command.h).
#pragma once
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "pipeline/pipeline_config.h"
#include "pipeline/pipeline_run.h"
#include "synth_cli.h"

namespace winnow::cli {

struct PipelineInputArgs {
  std::vector<std::string> inputs;
  std::string from, kind;
  std::vector<std::string> fields;
  bool repair_utf8 = false;
  std::string outdir;
  bool quiet = false;
  size_t batch = 512;
  std::string annotations;  // --annotations: overrides the pipeline's "annotations" when not empty
  std::string row_bytes;    // --row-bytes: overrides the pipeline's "row_bytes" when not empty
  SynthCliArgs synth;  // LLM steps: --cache, --no-cache, --prices (AddSynthOptions)
};

// Adds IN..., -o/--output DIR (and --annotations, --row-bytes), --from, --kind, --field, --repair-utf8, -q, --batch. IN may be
// omitted when !inputs_required (pipelines whose synth steps generate every row).
void AddPipelineInputOptions(CLI::App* sub, PipelineInputArgs* a, bool needs_output = true, bool inputs_required = true);

// Reads a whole file (used for pipeline JSON, params and reference files). Errors: io_error.
Result<std::string> ReadWholeFile(const std::string& path);

// Parses a --params value: inline JSON object text, or @path to a JSON file. Prints and returns
// false on error.
bool ParseParamsArg(const std::string& arg, nlohmann::json* out);

// Runs config over a.inputs into a.outdir (created if missing); prints a summary unless quiet.
// Returns the exit code. When `memory` is given, outputs go there instead of a.outdir.
int RunPipelineCli(const PipelineConfig& config, const PipelineInputArgs& a, MemoryOutputs* memory = nullptr,
                   RunSummary* summary_out = nullptr);

// Builds a one-step pipeline of a step another component registers, with a clear message when
// this build lacks it. Returns false (after printing) when the step is missing.
bool RequireStep(const char* type);

}  // namespace winnow::cli
