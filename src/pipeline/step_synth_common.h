// The shared machinery of the LLM synthesis steps (synth.* and score.judge): provider params, the
// API key resolved by name through the front end (never a key in the pipeline), the SynthEngine run
// across Poll() calls, provenance in meta, the report (usage per request, failures with the raw
// reply, the prompts of a dry run, the token estimate). Each recipe adds its calls in phases and
// turns the finished calls into rows or verdicts in Complete().
#pragma once
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "pipeline/step.h"
#include "synth/prompt_template.h"
#include "synth/synth_engine.h"

namespace winnow {

// A two-message example (user, assistant) in `fmt` (messages, sharegpt or alpaca).
Example ChatExample(Format fmt, std::string user, std::string assistant);
// "messages" / "sharegpt" / "alpaca" param -> Format.
Status ParseChatFormat(std::string_view step, const nlohmann::json& p, Format* out, bool allow_alpaca = true);
// Weighted pick over a {name: weight} map (weights >= 0, not all 0) with a 64-bit random value.
std::string PickWeighted(const std::map<std::string, double>& weights, uint64_t r);
// Parses a {name: weight} param whose names must be in `allowed`.
Status ParseWeights(std::string_view step, const nlohmann::json& p, const char* key,
                    const std::vector<std::string>& allowed, std::map<std::string, double>* out);

class SynthStep : public Step {
 public:
  Status Configure(const nlohmann::json& params) override;
  nlohmann::json Params() const override;
  Status Prepare(StepContext& ctx) override;
  void Process(std::span<Row*> rows, StepContext& ctx) override;
  void Finish(std::span<Row*> all, StepContext& ctx) override;
  nlohmann::json Report() const override;
  bool Busy() const override { return m_busy; }
  void Poll(StepContext& ctx) override;
  void TakeGenerated(std::vector<Row>* out) override;
  bool GeneratesRows() const override { return true; }

  // The recipe's default prompt templates and the placeholders they may use.
  struct Templates {
    std::string system;
    std::string prompt;
    std::vector<std::string> names;  // allowed {{placeholders}} of "prompt" and "system"
  };

 protected:
  // Recipe hooks.
  virtual Templates DefaultTemplates() const = 0;
  // Recipe params beyond the common ones: the allowed keys, parsing, and their effective values.
  virtual std::vector<std::string_view> RecipeKeys() const = 0;
  virtual Status ConfigureRecipe(const nlohmann::json& params) = 0;
  virtual nlohmann::json RecipeParams() const = 0;
  // Rows of a batch (seed-based recipes add calls here; `rows` stay valid until Complete()).
  virtual void StartBatch(std::span<Row*> rows, StepContext& ctx) {}
  // After the last batch (param-driven recipes add their calls here).
  virtual void StartFinish(StepContext& ctx) {}
  // Every call added so far is finished: set verdicts / add rows (in call order, for determinism).
  // Return true after adding more calls (another round), false when this phase is over.
  virtual bool Complete(StepContext& ctx) = 0;
  // Recipe's own report entries.
  virtual void RecipeReport(nlohmann::json* report) const {}

  // For recipes.
  size_t AddCall(std::vector<synth::ChatMessage> messages, synth::JsonShape shape);
  // system + user prompt from the templates with these values.
  std::vector<synth::ChatMessage> Prompt(const synth::TemplateVars& vars) const;
  const synth::CallOutcome& Outcome(size_t call) const { return m_engine->outcome(call); }
  // Records a rejected call (the raw reply kept for inspection) in the report.
  void NoteRejected(size_t call);
  // A generated row: format, provenance in meta under "synth" (recipe, step, provider, model,
  // prompt hash, tokens, time of the reply) plus `extra_meta` keys.
  Row MakeRow(Example ex, size_t call, const nlohmann::json& extra_meta = nlohmann::json::object());
  void AddGenerated(Row row) { m_generated.push_back(std::move(row)); }
  uint64_t Seed(const StepContext& ctx) const;
  bool dry_run() const { return m_dry_run; }
  const synth::ProviderConfig& provider() const { return m_provider; }

 private:
  void Drive(StepContext& ctx);
  synth::ProviderConfig m_provider;
  std::string m_api_key_env;
  bool m_key_env_named = false;  // the pipeline named api_key_env itself
  std::string m_system, m_prompt;
  int64_t m_concurrency = 4, m_max_retries = 4, m_retry_base_ms = 1000, m_timeout_s = 60;
  bool m_repair_json = true, m_dry_run = false;
  std::unique_ptr<synth::SynthEngine> m_engine;
  std::string m_step_id;
  bool m_busy = false;
  bool m_cancelled = false;
  std::vector<Row> m_generated;
  uint64_t m_generated_count = 0;
  uint64_t m_estimated_input_tokens = 0, m_estimated_output_tokens = 0;
  nlohmann::json m_usage = nlohmann::json::array();
  nlohmann::json m_rejected_samples = nlohmann::json::array();
  nlohmann::json m_dry_prompts = nlohmann::json::array();
  size_t m_reported_upto = 0;
};

}  // namespace winnow
