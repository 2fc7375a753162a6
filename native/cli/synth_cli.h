// The CLI's side of synthesis: --cache / --no-cache / --prices options, the HTTP client and reply
// cache handed to synth steps, API keys read from the environment variables the pipeline names,
// and the summary of requests, tokens and cost printed after a run.
#pragma once
#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "pipeline/pipeline_config.h"
#include "pipeline/pipeline_run.h"
#include "platform/http_client.h"
#include "synth/response_store.h"

namespace winnow::cli {

struct SynthCliArgs {
  std::string cache_dir;  // default: <output dir>/.synth-cache
  bool no_cache = false;
  std::string prices;     // price table JSON (default assets/synth/prices.json)
};

void AddSynthOptions(CLI::App* sub, SynthCliArgs* a);

// True when a step of the pipeline calls an LLM API (synth.*, score.judge).
bool PipelineCallsLlm(const PipelineConfig& config);

// What a run with LLM steps needs; lives as long as the run.
struct SynthSession {
  std::unique_ptr<HttpClient> http;
  std::unique_ptr<ResponseStore> cache;
};

// Sets opts->http (null in the wasm CLI) with keys from the environment and the reply cache.
void SetUpSynth(const PipelineConfig& config, const SynthCliArgs& a, const std::string& outdir, RunOptions* opts,
                SynthSession* session);

// Requests, cache hits, tokens and cost per LLM step, on stderr (cost from the price table).
void PrintSynthSummary(const PipelineConfig& config, const RunSummary& s, const SynthCliArgs& a, const SynthSession& session);

// The price table's path: --prices, else assets/synth/prices.json found like the presets.
std::string PricesPath(const SynthCliArgs& a);

}  // namespace winnow::cli
