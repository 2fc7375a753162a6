// SynthPanel: the state of the studio's synthesis view (view_synth.cpp): provider, base URL, model,
// the API key (held in this struct only: never written to the pipeline, a share link, an output, the
// status JSON or a log), the recipe with its params and prompt templates, the price table, and two
// runs of a one-step synth pipeline driven a slice per frame: the dry run (estimate and prompts,
// nothing sent) and the real run through the front end's HttpClient.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "ui/dataset_loader.h"
#include "ui/run_driver.h"

namespace winnow {
class HttpClient;     // platform/http_client.h
class ResponseStore;  // synth/response_store.h
}

namespace winnow::ui {

struct SynthPanel {
  int provider = 0;              // 0 OpenAI-compatible, 1 Anthropic
  std::string base_url;          // empty: the provider's own endpoint
  std::string model = "gpt-4o-mini";
  std::string api_key;           // memory only
  std::string recipe = "synth.qa";
  std::string params_text;       // the recipe's params, a JSON object
  std::string system_text, prompt_text;        // editable prompt templates
  std::string default_system, default_prompt;  // the recipe's defaults (left out of the step when unchanged)
  double temperature = 0.7;
  int64_t max_tokens = 1024;
  int64_t concurrency = 4;
  int64_t seed = 1;
  bool use_cache = true;
  std::string prices_text;       // editable price table (USD per million tokens)

  std::string config_key;        // what config_error was computed for
  std::string config_error;      // the step's Configure() message, shown before anything is sent

  DatasetLoader no_input;        // stays idle: the input of recipes that make rows from params alone
  RunDriver preview;             // the dry run
  RunDriver run;                 // the real run
  nlohmann::json preview_report; // the synth step's report of the last dry run / run
  nlohmann::json run_report;
  std::string run_recipe;        // recipe of the last real run (names its outputs)
  double refreshed_at = 0;
  bool focus_key = false;        // focus the key field at the next frame (keyboard users, tests)
  bool wired = false;            // the host's HttpClient got the key lookup
  ResponseStore* host_cache = nullptr;  // the front end's reply cache (off when use_cache is false)
  int runs = 0, previews = 0;    // finished runs (status / tests)
};

}  // namespace winnow::ui
