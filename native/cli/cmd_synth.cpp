// `winnow synth RECIPE [IN...] -o OUTDIR --params JSON`: a one-step pipeline of an LLM recipe
// (synth.qa, synth.conversation, synth.self_instruct, synth.paraphrase, synth.rag_qa,
// synth.reverse_instruction, synth.preference, or score.judge as "judge"). --dry-run prints the
// prompts without sending them; --estimate prints the number of calls, tokens and cost.
#include <cstdio>

#include "command.h"
#include "pipeline_cli.h"
#include "synth/cost.h"

namespace winnow::cli {
namespace {

using nlohmann::json;

struct SynthArgs {
  std::string recipe;
  PipelineInputArgs in;
  std::string params, provider, model, base_url, api_key_env;
  bool dry_run = false, estimate = false;
  int64_t seed = 0;
};

std::string StepType(const std::string& recipe) {
  if (recipe == "judge" || recipe == "score.judge") return "score.judge";
  if (recipe.rfind("synth.", 0) == 0) return recipe;
  return "synth." + recipe;
}

int RunSynth(SynthArgs& a) {
  std::string type = StepType(a.recipe);
  if (!RequireStep(type.c_str())) return kExitUsage;
  json params = json::object();
  if (!a.params.empty() && !ParseParamsArg(a.params, &params)) return kExitUsage;
  if (!a.provider.empty()) params["provider"] = a.provider;
  if (!a.model.empty()) params["model"] = a.model;
  if (!a.base_url.empty()) params["base_url"] = a.base_url;
  if (!a.api_key_env.empty()) params["api_key_env"] = a.api_key_env;
  bool preview = a.dry_run || a.estimate;
  if (preview) params["dry_run"] = true;
  if (!preview && a.in.outdir.empty()) {
    std::fprintf(stderr, "winnow: synth needs -o OUTDIR (or --dry-run / --estimate)\n");
    return kExitUsage;
  }
  PipelineConfig config = SingleStepPipeline(type, params, static_cast<uint64_t>(a.seed));
  config.name = "synth";
  if (!preview) return RunPipelineCli(config, a.in);
  MemoryOutputs memory;
  RunSummary summary;
  PipelineInputArgs in = a.in;
  in.quiet = true;
  int rc = RunPipelineCli(config, in, &memory, &summary);
  if (rc != kExitOk && rc != kExitRejected) return rc;
  const json& r = summary.report["steps"][0]["report"];
  if (a.dry_run) {
    for (const json& p : r["prompts"]) {
      std::printf("--- call %llu ---\n", static_cast<unsigned long long>(p["call"].get<uint64_t>()));
      for (const json& m : p["messages"]) std::printf("[%s]\n%s\n", m["role"].get<std::string>().c_str(), m["content"].get<std::string>().c_str());
    }
    if (r["estimate"]["calls"].get<uint64_t>() > r["prompts"].size())
      std::printf("--- (%zu of %llu prompts shown) ---\n", r["prompts"].size(),
                  static_cast<unsigned long long>(r["estimate"]["calls"].get<uint64_t>()));
  }
  const json& e = r["estimate"];
  std::string model = r.value("model", std::string());
  std::string cost = "no price for " + model + " in the price table";
  std::string path = PricesPath(a.in.synth);
  if (!path.empty()) {
    auto text = ReadWholeFile(path);
    if (text.ok()) {
      auto t = synth::PriceTable::Parse(text.value());
      if (!t.ok()) {
        std::fprintf(stderr, "winnow: %s: %s\n", path.c_str(), t.error().message.c_str());
        return kExitUsage;
      }
      double c = synth::EstimateCost(t.value(), model, e["input_tokens"].get<uint64_t>(), e["output_tokens_max"].get<uint64_t>());
      if (c >= 0) cost = "at most " + synth::FormatMoney(c, t.value().currency());
    }
  }
  std::printf("estimate: %llu calls to %s, ~%llu prompt tokens, up to %llu completion tokens, %s%s\n",
              static_cast<unsigned long long>(e["calls"].get<uint64_t>()), model.c_str(),
              static_cast<unsigned long long>(e["input_tokens"].get<uint64_t>()),
              static_cast<unsigned long long>(e["output_tokens_max"].get<uint64_t>()), cost.c_str(),
              type == "synth.self_instruct" ? " (first round only: later rounds depend on the replies)" : "");
  return kExitOk;
}

RegisterCommand reg(38, [](CLI::App& app) {
  auto a = std::make_shared<SynthArgs>();
  CLI::App* sub = app.add_subcommand("synth", "Generate or judge rows with an LLM (your own API key): qa, conversation, "
                                              "self_instruct, paraphrase, rag_qa, reverse_instruction, preference, judge");
  sub->add_option("RECIPE", a->recipe, "qa, conversation, self_instruct, paraphrase, rag_qa, reverse_instruction, preference, judge")->required();
  AddPipelineInputOptions(sub, &a->in, /*needs_output=*/false, /*inputs_required=*/false);
  sub->add_option("-o,--output", a->in.outdir, "Output directory: kept.jsonl, rejected.jsonl, annotations.jsonl, report.json, README.md");
  AddSynthOptions(sub, &a->in.synth);
  sub->add_option("--params", a->params, "Recipe parameters as a JSON object, or @file.json");
  sub->add_option("--provider", a->provider, "openai (any OpenAI-compatible server) or anthropic");
  sub->add_option("--model", a->model, "Model name");
  sub->add_option("--base-url", a->base_url, "API base URL (e.g. http://localhost:8000/v1 for vLLM, http://localhost:11434/v1 for Ollama)");
  sub->add_option("--api-key-env", a->api_key_env, "Environment variable holding the API key (default OPENAI_API_KEY / ANTHROPIC_API_KEY)");
  sub->add_flag("--dry-run", a->dry_run, "Print the prompts and the estimate; send nothing");
  sub->add_flag("--estimate", a->estimate, "Print the number of calls, tokens and cost; send nothing");
  sub->add_option("--seed", a->seed, "Pipeline seed (sampling of difficulties, question types, seed examples)");
  sub->callback([a] { SetExitCode(RunSynth(*a)); });
});

}  // namespace
}  // namespace winnow::cli
