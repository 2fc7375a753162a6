// Synthesis view: generate rows with an LLM and the user's own key. Provider (OpenAI-compatible or
// Anthropic), base URL, model and key (a password field held in memory only); a recipe (synth.* or
// score.judge) with its params and editable prompt templates; the estimate (calls, tokens, cost from
// an editable price table) and the prompts from a dry run that sends nothing; Run / Cancel with
// progress; the generated rows become the dataset, or the step joins the pipeline. The key never
// enters the step's params: the step names an environment variable, which the studio's HttpClient
// resolves to the key field (StudioHttp).
// [SECTION] index: recipes · building the step · runs · status and the test hook · drawing
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cstdio>

#include "pipeline/step.h"
#include "platform/http_client.h"
#include "synth/cost.h"
#include "synth/response_store.h"
#include "ui/resources.h"
#include "ui/share_link.h"
#include "ui/studio.h"

namespace winnow::ui {

using nlohmann::json;

// ---------------------------------------------------------------------------------------------
// [SECTION] recipes
// ---------------------------------------------------------------------------------------------
namespace {

struct Recipe {
  const char* type;
  const char* id;      // step id in the pipeline
  const char* label;
  bool uses_input;     // the loaded dataset is the recipe's input (seeds, rows to rewrite or judge)
  const char* starter; // params to start from
};

const Recipe kRecipes[] = {
    {"synth.qa", "qa", "Q&A pairs for a list of topics", false,
     R"({"topics": ["tides", "bread baking"], "per_topic": 3, "difficulty": {"easy": 1, "medium": 2, "hard": 1}, )"
     R"("question_types": {"what": 1, "how": 2, "why": 2, "compare": 1}, "format": "messages"})"},
    {"synth.conversation", "conversation", "Multi-turn conversations for scenarios", false,
     R"({"scenarios": ["a customer asks how to reset a router", "a student asks for help with fractions"], )"
     R"("per_scenario": 1, "turns": 3, "format": "sharegpt"})"},
    {"synth.self_instruct", "self_instruct", "Self-instruct: new tasks from the loaded rows as seeds", true,
     R"({"count": 20, "per_call": 5, "examples_per_prompt": 3, "max_similarity": 0.7})"},
    {"synth.paraphrase", "paraphrase", "Paraphrase / easier / harder / back-translate the loaded rows", true,
     R"({"mode": "paraphrase"})"},
    {"synth.rag_qa", "rag_qa", "Grounded Q&A from documents and the loaded text rows", true,
     R"({"documents": [], "chunk_tokens": 400, "overlap": 50, "per_chunk": 2})"},
    {"synth.reverse_instruction", "reverse_instruction", "Reverse instruction for the loaded texts", true,
     R"({"keep_source": true})"},
    {"synth.preference", "preference", "Preference pairs: a chosen and a rejected reply", false,
     R"({"prompts": ["Explain recursion to a ten-year-old"], "from_input": false})"},
    {"score.judge", "judge", "LLM-as-judge: score the loaded rows 1-5 by a rubric", true,
     R"({"min_score": 3, "action": "flag"})"},
};

const Recipe* FindRecipe(std::string_view type) {
  for (const Recipe& r : kRecipes)
    if (type == r.type) return &r;
  return nullptr;
}

const char* kProviders[] = {"openai", "anthropic"};
const char* kProviderLabels[] = {"OpenAI-compatible (OpenAI, vLLM, llama.cpp, Ollama, OpenRouter)", "Anthropic Messages API"};

// Params the panel owns (widgets or the key field): not accepted from the params box.
bool PanelOwned(const std::string& k) {
  return k == "provider" || k == "base_url" || k == "model" || k == "temperature" || k == "max_tokens" ||
         k == "concurrency" || k == "system" || k == "prompt" || k == "dry_run";
}

// The recipe's default templates: its effective params configured from the starter.
void LoadRecipe(SynthPanel& p, const Recipe& r) {
  p.recipe = r.type;
  p.params_text = json::parse(r.starter).dump(2);
  p.system_text.clear();
  p.prompt_text.clear();
  p.default_system.clear();
  p.default_prompt.clear();
  if (const StepInfo* info = FindStep(r.type)) {
    auto st = info->make();
    (void)st->Configure(json::parse(r.starter));
    json eff = st->Params();
    p.default_system = p.system_text = eff.value("system", "");
    p.default_prompt = p.prompt_text = eff.value("prompt", "");
  }
  p.config_key.clear();
}

void EnsureInit(Studio& s) {
  SynthPanel& p = s.synth;
  if (p.params_text.empty()) LoadRecipe(p, kRecipes[0]);
  if (p.prices_text.empty()) {
    const EmbeddedFile* f = FindEmbedded("synth/prices.json");
    p.prices_text = f ? std::string(EmbeddedText(*f)) : std::string("{\"currency\": \"USD\", \"models\": {}}\n");
  }
}

// ---------------------------------------------------------------------------------------------
// [SECTION] building the step
// ---------------------------------------------------------------------------------------------

// The step as the pipeline holds it: type, id and params, never the key.
Result<json> BuildStep(const SynthPanel& p, bool dry_run) {
  const Recipe* r = FindRecipe(p.recipe);
  if (!r) return Error{"bad_config", "unknown recipe " + p.recipe};
  json params = json::parse(p.params_text, nullptr, false);
  if (params.is_discarded() || !params.is_object())
    return Error{"bad_config", "the recipe params are not a JSON object"};
  if (params.contains("api_key") || params.contains("key"))
    return Error{"bad_config", "an API key never goes in the params: type it in the key field (it stays in memory)"};
  for (auto it = params.begin(); it != params.end();) {
    if (PanelOwned(it.key())) it = params.erase(it);
    else ++it;
  }
  params["provider"] = kProviders[p.provider];
  if (!p.base_url.empty()) params["base_url"] = p.base_url;
  params["model"] = p.model;
  params["temperature"] = static_cast<double>(static_cast<int64_t>(p.temperature * 100 + 0.5)) / 100.0;
  params["max_tokens"] = p.max_tokens;
  params["concurrency"] = p.concurrency;
  if (p.system_text != p.default_system) params["system"] = p.system_text;
  if (p.prompt_text != p.default_prompt) params["prompt"] = p.prompt_text;
  if (dry_run) params["dry_run"] = true;
  return json{{"id", r->id}, {"type", r->type}, {"params", params}};
}

std::string PipelineFor(const SynthPanel& p, const json& step) {
  json doc{{"version", 1}, {"name", std::string("synth-") + step["id"].get<std::string>()}, {"seed", p.seed},
           {"steps", json::array({step})}};
  return doc.dump();
}

// Configure()'s message for the current settings ("" when the step accepts them); recomputed only
// when something changed.
const std::string& ConfigError(SynthPanel& p) {
  auto step = BuildStep(p, false);
  std::string key = step.ok() ? step.value().dump() : step.error().message;
  if (key == p.config_key) return p.config_error;
  p.config_key = key;
  p.config_error.clear();
  if (!step.ok()) {
    p.config_error = step.error().message;
    return p.config_error;
  }
  if (const StepInfo* info = FindStep(p.recipe)) {
    Status st = info->make()->Configure(step.value()["params"]);
    if (!st.ok()) p.config_error = st.error().message;
  }
  return p.config_error;
}

// Sets the message of an action and returns its result.
bool Say(std::string* message, std::string text, bool ok) {
  *message = std::move(text);
  return ok;
}

const DatasetLoader& InputFor(Studio& s) {
  const Recipe* r = FindRecipe(s.synth.recipe);
  if (r && r->uses_input && s.HasData()) return s.loader;
  return s.synth.no_input;
}

// "at most $0.0123" from the editable table, or why there is no price.
std::string CostText(const SynthPanel& p, uint64_t in, uint64_t out, bool upper_bound) {
  auto table = synth::PriceTable::Parse(p.prices_text);
  if (!table.ok()) return "price table: " + table.error().message;
  double c = synth::EstimateCost(table.value(), p.model, in, out);
  if (c < 0) return "no price for " + p.model + " in the price table";
  return (upper_bound ? "at most " : "") + synth::FormatMoney(c, table.value().currency());
}

// ---------------------------------------------------------------------------------------------
// [SECTION] runs
// ---------------------------------------------------------------------------------------------

bool StartPreview(Studio& s, std::string* message) {
  SynthPanel& p = s.synth;
  if (p.preview.Running() || p.run.Running()) return Say(message, "a synthesis run is in progress", false);
  if (!ConfigError(p).empty()) return Say(message, p.config_error, false);
  auto step = BuildStep(p, true);
  p.preview.KeepStepReports(true);
  Status st = p.preview.Start(InputFor(s), PipelineFor(p, step.value()),
                              [&s](const std::string& path) { return s.host.ReadFile(path); });
  if (!st.ok()) return Say(message, st.error().message, false);
  p.preview_report = nullptr;
  return Say(message, "dry run started", true);
}

bool StartSynthRun(Studio& s, std::string* message) {
  SynthPanel& p = s.synth;
  if (p.preview.Running() || p.run.Running()) return Say(message, "a synthesis run is in progress", false);
  if (!ConfigError(p).empty()) return Say(message, p.config_error, false);
  HttpClient* http = StudioHttp(s);
  if (!http) return Say(message, "this front end cannot send HTTP requests (use the desktop studio, the page or the CLI)", false);
  auto step = BuildStep(p, false);
  p.run.KeepStepReports(true);
  Status st = p.run.Start(InputFor(s), PipelineFor(p, step.value()),
                          [&s](const std::string& path) { return s.host.ReadFile(path); }, nullptr, http);
  if (!st.ok()) return Say(message, st.error().message, false);
  p.run_report = nullptr;
  p.run_recipe = step.value()["id"].get<std::string>();
  p.refreshed_at = s.host.Now();
  return Say(message, "run started", true);
}

bool CancelSynth(Studio& s, std::string* message) {
  SynthPanel& p = s.synth;
  if (!p.run.Running() && !p.preview.Running()) return Say(message, "nothing is running", false);
  p.run.Cancel();
  p.preview.Cancel();
  return Say(message, "cancelled", true);
}

const RunOutput* RunOutputNamed(const SynthPanel& p, const char* name) {
  return p.run.state() == RunDriver::State::Done ? p.run.Find(name) : nullptr;
}

bool UseAsDataset(Studio& s, std::string* message) {
  const RunOutput* kept = RunOutputNamed(s.synth, "kept.jsonl");
  if (!kept) return Say(message, "no finished run", false);
  if (s.run.Running() || s.loader.Active()) return Say(message, "wait for the current load or run to end", false);
  std::string name = "synth-" + s.synth.run_recipe + ".jsonl";
  // Generated rows are LLM replies, far from a large output: one contiguous copy is fine here.
  s.OpenBytes(name, kept->bytes.ToString());
  s.Toast("The generated rows are the dataset now (" + name + "): clean them in the Pipeline tab, then Run.");
  return Say(message, name, true);
}

bool DownloadOutputs(Studio& s, std::string* message) {
  const SynthPanel& p = s.synth;
  if (p.run.state() != RunDriver::State::Done) return Say(message, "no finished run", false);
  int n = 0;
  std::string where;
  for (const RunOutput& o : p.run.outputs()) {
    Status st = s.host.SaveFile("synth-" + o.name, o.bytes.Views(), &where);
    if (!st.ok()) return Say(message, st.error().message, false);
    ++n;
  }
  s.exported += n;
  s.Toast("Saved " + std::to_string(n) + " files" + (s.host.NativeFiles() ? " to " + where : ""));
  return Say(message, std::to_string(n), true);
}

bool AddToPipeline(Studio& s, std::string* message) {
  if (!ConfigError(s.synth).empty()) return Say(message, s.synth.config_error, false);
  auto step = BuildStep(s.synth, false);
  json& steps = s.pipeline["steps"];
  if (!steps.is_array()) steps = json::array();
  for (size_t i = 0; i < steps.size(); ++i) {
    if (steps[i].is_object() && steps[i].value("id", "") == step.value()["id"].get<std::string>()) {
      steps.erase(steps.begin() + static_cast<std::ptrdiff_t>(i));
      break;
    }
  }
  steps.insert(steps.begin(), step.value());
  s.share_link.clear();
  s.Toast(std::string(step.value()["type"].get<std::string>()) +
          " is now the first step of the pipeline: Run generates the rows, then the other steps clean them. "
          "The key stays in the synthesis panel.", 8);
  return Say(message, "added", true);
}

bool SavePipeline(Studio& s, std::string* message) {
  std::string where;
  const std::string text = s.PipelineText(true);
  Status st = s.host.SaveFile("pipeline.json", {text}, &where);
  s.Toast(st.ok() ? "Saved the pipeline to " + where : st.error().message);
  return Say(message, st.ok() ? where : st.error().message, st.ok());
}

bool SharePipeline(Studio& s, std::string* message) {
  s.share_link = s.host.PageUrl() + ShareFragment(s.PipelineText(false));
  s.host.CopyText(s.share_link);
  s.host.SetFragment(ShareFragment(s.PipelineText(false)));
  return Say(message, s.share_link, true);
}

}  // namespace

HttpClient* StudioHttp(Studio& s) {
  HttpClient* http = s.host.Http();
  if (!http) return nullptr;
  SynthPanel& p = s.synth;
  if (!p.wired) {
    p.host_cache = http->cache;
    // Every LLM step gets the panel's key, whatever variable its params name: the studio has one key.
    const std::string* key = &p.api_key;
    http->secret_lookup = [key](const std::string&) { return *key; };
    p.wired = true;
  }
  http->cache = p.use_cache ? p.host_cache : nullptr;
  return http;
}

void PumpSynth(Studio& s) {
  SynthPanel& p = s.synth;
  auto now = [&s] { return s.host.Now(); };
  if (p.preview.Running()) {
    p.preview.Step(0.010, now);
    if (!p.preview.Running()) {
      const json& r = p.preview.step_reports();
      p.preview_report = r.is_array() && !r.empty() ? r[0] : json();
      if (p.preview.state() == RunDriver::State::Done) ++p.previews;
      else if (p.preview.state() == RunDriver::State::Failed) s.Toast("The dry run failed: " + p.preview.error(), 10);
    }
  }
  if (p.run.Running()) {
    // A dataset opened meanwhile replaces the run's input: stop rather than read a changing dataset.
    if (&InputFor(s) == &s.loader && s.loader.Active()) p.run.Cancel();
    p.run.Step(0.010, now);
    if (p.run.Running() && now() - p.refreshed_at > 0.2) {
      p.run.RefreshStepReports();
      p.refreshed_at = now();
    }
    const json& r = p.run.step_reports();
    if (r.is_array() && !r.empty()) p.run_report = r[0];
    if (!p.run.Running()) {
      if (p.run.state() == RunDriver::State::Done) {
        ++p.runs;
        s.Toast("Synthesis finished: " + std::to_string(p.run_report.value("generated", uint64_t{0})) + " rows generated.");
      } else if (p.run.state() == RunDriver::State::Failed) {
        s.Toast("The synthesis run failed: " + p.run.error(), 12);
      } else if (p.run.state() == RunDriver::State::Cancelled) {
        s.Toast("Synthesis cancelled: the replies that arrived are kept in the cache; Run sends only the rest.", 8);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// [SECTION] status and the test hook
// ---------------------------------------------------------------------------------------------
namespace {

const char* StateName(RunDriver::State st) {
  static const char* names[] = {"idle", "running", "done", "failed", "cancelled"};
  return names[static_cast<int>(st)];
}

json ReportCounts(const json& r) {
  json out = json::object();
  if (!r.is_object()) return out;
  for (const char* k : {"calls", "succeeded", "rejected", "requests", "cache_hits", "retries", "repairs", "generated"})
    out[k] = r.value(k, uint64_t{0});
  if (r.contains("estimate")) out["estimate"] = r["estimate"];
  if (r.contains("usage_total")) out["usage_total"] = r["usage_total"];
  if (r.contains("failures")) out["failures"] = r["failures"];
  out["rejected_replies"] = r.contains("rejected_replies") ? r["rejected_replies"].size() : 0;
  if (r.contains("prompts")) out["prompts"] = r["prompts"].size();
  return out;
}

}  // namespace

json SynthStatus(const Studio& s) {
  const SynthPanel& p = s.synth;
  json j{{"recipe", p.recipe},
         {"provider", kProviders[p.provider]},
         {"base_url", p.base_url},
         {"model", p.model},
         {"key_set", !p.api_key.empty()},  // never the key itself
         {"use_cache", p.use_cache},
         {"config_error", p.config_error},
         {"preview_state", StateName(p.preview.state())},
         {"preview_error", p.preview.error()},
         {"run_state", StateName(p.run.state())},
         {"run_error", p.run.error()},
         {"runs", p.runs},
         {"previews", p.previews}};
  j["preview_report"] = ReportCounts(p.preview_report);
  j["run_report"] = ReportCounts(p.run_report);
  if (p.preview_report.is_object() && p.preview_report.contains("estimate")) {
    const json& e = p.preview_report["estimate"];
    j["estimate_cost"] = CostText(p, e.value("input_tokens", uint64_t{0}), e.value("output_tokens_max", uint64_t{0}), true);
  }
  json outs = json::array();
  if (p.run.state() == RunDriver::State::Done)
    for (const RunOutput& o : p.run.outputs()) outs.push_back({{"name", o.name}, {"bytes", o.bytes.size()}});
  j["outputs"] = outs;
  return j;
}

std::string SynthCommand(Studio& s, std::string_view text) {
  EnsureInit(s);
  SynthPanel& p = s.synth;
  json c = json::parse(text.begin(), text.end(), nullptr, false);
  std::string message;
  bool ok = false;
  std::string cmd = c.is_object() ? c.value("cmd", "") : "";
  if (cmd == "configure") {
    ok = true;
    if (c.contains("api_key")) {
      ok = false;
      message = "the key is typed into the key field, never passed in a command";
    } else {
      if (c.contains("recipe")) {
        const Recipe* r = FindRecipe(c.value("recipe", ""));
        if (r) LoadRecipe(p, *r);
        else ok = Say(&message, "unknown recipe", false);
      }
      if (c.contains("provider")) p.provider = c.value("provider", "") == "anthropic" ? 1 : 0;
      if (c.contains("base_url")) p.base_url = c.value("base_url", "");
      if (c.contains("model")) p.model = c.value("model", "");
      if (c.contains("params") && c["params"].is_object()) p.params_text = c["params"].dump(2);
      if (c.contains("temperature")) p.temperature = c.value("temperature", 0.7);
      if (c.contains("max_tokens")) p.max_tokens = c.value("max_tokens", int64_t{1024});
      if (c.contains("concurrency")) p.concurrency = c.value("concurrency", int64_t{4});
      if (c.contains("seed")) p.seed = c.value("seed", int64_t{1});
      if (c.contains("use_cache")) p.use_cache = c.value("use_cache", true);
      if (c.contains("prompt")) p.prompt_text = c.value("prompt", "");
      if (ok) message = ConfigError(p);
      ok = ok && message.empty();
    }
  } else if (cmd == "focus_key") {
    s.SelectTab(Tab::Synth);
    p.focus_key = true;
    ok = true;
  } else if (cmd == "dry_run") {
    ok = StartPreview(s, &message);
  } else if (cmd == "run") {
    ok = StartSynthRun(s, &message);
  } else if (cmd == "cancel") {
    ok = CancelSynth(s, &message);
  } else if (cmd == "use") {
    ok = UseAsDataset(s, &message);
  } else if (cmd == "download") {
    ok = DownloadOutputs(s, &message);
  } else if (cmd == "add_to_pipeline") {
    ok = AddToPipeline(s, &message);
  } else if (cmd == "save_pipeline") {
    ok = SavePipeline(s, &message);
  } else if (cmd == "share") {
    ok = SharePipeline(s, &message);
  } else {
    message = "unknown command";
  }
  return json{{"ok", ok}, {"message", message}}.dump();
}

// ---------------------------------------------------------------------------------------------
// [SECTION] drawing
// ---------------------------------------------------------------------------------------------
namespace {

void ErrorText(const std::string& text) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.95f, 0.45f, 0.40f, 1));
  ImGui::TextWrapped("%s", text.c_str());
  ImGui::PopStyleColor();
}

void DrawConnection(Studio& s) {
  SynthPanel& p = s.synth;
  float w = ImGui::GetContentRegionAvail().x * 0.6f;
  ImGui::TextDisabled("PROVIDER");
  ImGui::SetNextItemWidth(w);
  int before = p.provider;
  ImGui::Combo("provider", &p.provider, kProviderLabels, 2);
  if (p.provider != before) p.model = p.provider == 1 ? "claude-3-5-haiku-latest" : "gpt-4o-mini";
  ImGui::SetNextItemWidth(w);
  ImGui::InputTextWithHint("base URL", p.provider == 1 ? "https://api.anthropic.com" : "https://api.openai.com/v1", &p.base_url);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Empty: the provider's own API. An OpenAI-compatible server: vLLM http://localhost:8000/v1,\n"
                      "llama.cpp http://localhost:8080/v1, Ollama http://localhost:11434/v1, OpenRouter https://openrouter.ai/api/v1");
  ImGui::SetNextItemWidth(w);
  ImGui::InputText("model", &p.model);
  ImGui::SetNextItemWidth(w);
  if (p.focus_key) {
    ImGui::SetKeyboardFocusHere();
    p.focus_key = false;
  }
  ImGui::InputTextWithHint("API key", "your key (a local server may need none)", &p.api_key, ImGuiInputTextFlags_Password);
  ImGui::SameLine();
  ImGui::BeginDisabled(p.api_key.empty());
  if (ImGui::SmallButton("Forget")) p.api_key.clear();
  ImGui::EndDisabled();
  ImGui::TextDisabled("The key is held in memory only, for this session: it is sent in a request header to the base URL\n"
                      "and never written to the pipeline, a share link, the outputs, the report or the card.");
}

void DrawRecipe(Studio& s) {
  SynthPanel& p = s.synth;
  ImGui::TextDisabled("RECIPE");
  const Recipe* cur = FindRecipe(p.recipe);
  float w = ImGui::GetContentRegionAvail().x * 0.6f;
  ImGui::SetNextItemWidth(w);
  if (ImGui::BeginCombo("recipe", cur ? (std::string(cur->type) + "  -  " + cur->label).c_str() : p.recipe.c_str())) {
    for (const Recipe& r : kRecipes) {
      std::string label = std::string(r.type) + "  -  " + r.label;
      if (ImGui::Selectable(label.c_str(), cur == &r)) LoadRecipe(p, r);
    }
    ImGui::EndCombo();
  }
  if (cur && cur->uses_input) {
    if (s.HasData()) ImGui::TextDisabled("Input: the loaded dataset, %s.", CountOf(s.loader.dataset().size(), "row", "rows").c_str());
    else ImGui::TextDisabled("Input: none loaded (open a dataset: this recipe works from its rows).");
  }
  ImGui::TextUnformatted("params (JSON)");
  ImGui::SameLine();
  HelpMarker("The recipe's parameters (README: Synthesis). Common ones too: max_retries, retry_base_ms,\n"
             "timeout_s, repair_json. Provider, model and sampling are set by the fields here.");
  ImGui::SameLine();
  if (ImGui::SmallButton("Reset") && cur) LoadRecipe(p, *cur);
  ImGui::InputTextMultiline("##params", &p.params_text, ImVec2(-1, ImGui::GetTextLineHeight() * 12 + 10 * s.scale));
  float nw = 80 * s.scale;
  ImGui::SetNextItemWidth(nw);
  ImGui::InputDouble("temperature", &p.temperature, 0, 0, "%.2f");
  p.temperature = std::clamp(p.temperature, 0.0, 2.0);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(nw);
  ImGui::InputScalar("max tokens", ImGuiDataType_S64, &p.max_tokens);
  p.max_tokens = std::clamp<int64_t>(p.max_tokens, 1, 200000);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(nw);
  ImGui::InputScalar("concurrency", ImGuiDataType_S64, &p.concurrency);
  p.concurrency = std::clamp<int64_t>(p.concurrency, 1, 64);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(nw);
  ImGui::InputScalar("seed", ImGuiDataType_S64, &p.seed);
  if (ImGui::TreeNode("Prompt templates")) {
    ImGui::TextDisabled("{{placeholders}} are filled per call; an unknown one is an error shown here before anything is sent.");
    ImGui::TextUnformatted("system");
    ImGui::InputTextMultiline("##system", &p.system_text, ImVec2(-1, ImGui::GetTextLineHeight() * 3 + 10 * s.scale));
    ImGui::TextUnformatted("prompt");
    ImGui::InputTextMultiline("##prompt", &p.prompt_text, ImVec2(-1, ImGui::GetTextLineHeight() * 6 + 10 * s.scale));
    if (ImGui::SmallButton("Default templates")) {
      p.system_text = p.default_system;
      p.prompt_text = p.default_prompt;
    }
    ImGui::TreePop();
  }
  if (ImGui::TreeNode("Price table (USD per million tokens)")) {
    ImGui::TextDisabled("Edit to your provider's current prices: the estimate and the cost use this table.");
    ImGui::InputTextMultiline("##prices", &p.prices_text, ImVec2(-1, ImGui::GetTextLineHeight() * 8 + 10 * s.scale));
    ImGui::TreePop();
  }
  ImGui::Checkbox("use the reply cache", &p.use_cache);
  ImGui::SameLine();
  HelpMarker("Replies are cached by provider, base URL, model, parameters and prompt (never the key):\n"
             "a re-run after an edit pays only for the prompts that changed, and a cancelled run resumes.\n"
             "Desktop: a folder in your user cache directory. Web: this browser's IndexedDB.");
  const std::string& err = ConfigError(p);
  if (!err.empty()) ErrorText(err);
}

void DrawActions(Studio& s) {
  SynthPanel& p = s.synth;
  std::string msg;
  bool busy = p.run.Running() || p.preview.Running();
  bool valid = p.config_error.empty();
  ImGui::BeginDisabled(busy || !valid);
  if (ImGui::Button("Estimate + dry run")) StartPreview(s, &msg);
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("Builds every prompt and counts calls and tokens. Sends nothing.");
  ImGui::SameLine();
  ImGui::BeginDisabled(busy || !valid);
  ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_TabActive));
  if (ImGui::Button("\xE2\x96\xB6 Generate")) {
    if (!StartSynthRun(s, &msg)) s.Toast(msg, 8);
  }
  ImGui::PopStyleColor();
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(!busy);
  if (ImGui::Button("\xE2\x96\xA0 Cancel##synth")) CancelSynth(s, &msg);
  ImGui::EndDisabled();
  ImGui::SameLine(0, 18 * s.scale);
  ImGui::BeginDisabled(!valid);
  if (ImGui::Button("Add to pipeline")) AddToPipeline(s, &msg);
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("Puts this step first in the pipeline (without the key): Run then generates and cleans in one go.");
  if (!s.host.Http()) ImGui::TextDisabled("This front end has no HTTP client: only the dry run works here.");
}

void DrawCounts(const SynthPanel& p, const json& r) {
  uint64_t calls = r.value("calls", uint64_t{0});
  uint64_t done = r.value("succeeded", uint64_t{0}) + r.value("rejected", uint64_t{0});
  ImGui::Text("%s of %s calls done  \xC2\xB7  %s ok, %s rejected  \xC2\xB7  %s requests, %s from the cache, %s retries, %s repairs",
              GroupedCount(done).c_str(), GroupedCount(calls).c_str(), GroupedCount(r.value("succeeded", uint64_t{0})).c_str(),
              GroupedCount(r.value("rejected", uint64_t{0})).c_str(), GroupedCount(r.value("requests", uint64_t{0})).c_str(),
              GroupedCount(r.value("cache_hits", uint64_t{0})).c_str(), GroupedCount(r.value("retries", uint64_t{0})).c_str(),
              GroupedCount(r.value("repairs", uint64_t{0})).c_str());
  if (r.contains("usage_total")) {
    uint64_t in = r["usage_total"].value("input_tokens", uint64_t{0}), out = r["usage_total"].value("output_tokens", uint64_t{0});
    ImGui::Text("tokens %s in / %s out  \xC2\xB7  cost %s", GroupedCount(in).c_str(), GroupedCount(out).c_str(),
                CostText(p, in, out, false).c_str());
  }
}

void DrawPreview(Studio& s) {
  SynthPanel& p = s.synth;
  if (p.preview.Running()) {
    ImGui::TextUnformatted("Building the prompts...");
    return;
  }
  if (p.preview.state() == RunDriver::State::Failed) ErrorText("The dry run failed: " + p.preview.error());
  const json& r = p.preview_report;
  if (!r.is_object() || !r.contains("estimate")) {
    ImGui::TextDisabled("Press \"Estimate + dry run\" to see the calls, tokens, cost and prompts before paying for anything.");
    return;
  }
  const json& e = r["estimate"];
  uint64_t in = e.value("input_tokens", uint64_t{0}), out = e.value("output_tokens_max", uint64_t{0});
  ImGui::PushFont(s.font_big);
  ImGui::Text("%s calls  \xC2\xB7  %s", GroupedCount(e.value("calls", uint64_t{0})).c_str(), CostText(p, in, out, true).c_str());
  ImGui::PopFont();
  ImGui::TextDisabled("~%s prompt tokens (4 bytes per token) + up to %s completion tokens (max tokens per call)%s",
                      GroupedCount(in).c_str(), GroupedCount(out).c_str(),
                      p.recipe == "synth.self_instruct" ? "; first round only" : "");
  if (!r.contains("prompts")) return;
  const json& prompts = r["prompts"];
  char head[96];
  std::snprintf(head, sizeof head, "Prompts (%zu shown)###prompts", prompts.size());
  if (ImGui::CollapsingHeader(head, ImGuiTreeNodeFlags_DefaultOpen)) {
    ImGui::BeginChild("prompts", ImVec2(0, 220 * s.scale), true);
    ImGui::PushFont(s.font_mono);
    for (const json& pr : prompts) {
      ImGui::TextDisabled("--- call %llu ---", static_cast<unsigned long long>(pr.value("call", uint64_t{0})));
      for (const json& m : pr["messages"]) {
        ImGui::TextColored(ImVec4(0.45f, 0.75f, 0.72f, 1), "[%s]", m.value("role", "").c_str());
        ImGui::TextWrapped("%s", m.value("content", "").c_str());
      }
    }
    ImGui::PopFont();
    ImGui::EndChild();
  }
}

void DrawRun(Studio& s) {
  SynthPanel& p = s.synth;
  const json& r = p.run_report;
  RunDriver::State st = p.run.state();
  if (st == RunDriver::State::Idle) return;
  ImGui::Separator();
  ImGui::TextDisabled("RUN");
  if (st == RunDriver::State::Running) {
    uint64_t calls = r.is_object() ? r.value("calls", uint64_t{0}) : 0;
    uint64_t done = r.is_object() ? r.value("succeeded", uint64_t{0}) + r.value("rejected", uint64_t{0}) : 0;
    char label[96];
    std::snprintf(label, sizeof label, "%s / %s calls", GroupedCount(done).c_str(), GroupedCount(calls).c_str());
    ImGui::SetNextItemWidth(-1);
    ProgressWithEta(calls ? static_cast<float>(done) / static_cast<float>(calls) : -1.0f, p.run.Elapsed(), label);
  } else if (st == RunDriver::State::Failed) {
    ErrorText("The run failed: " + p.run.error());
  } else if (st == RunDriver::State::Cancelled) {
    ImGui::TextWrapped("Cancelled. The replies that had arrived are kept in the cache: Generate again sends only the rest.");
  }
  if (r.is_object()) DrawCounts(p, r);
  if (st == RunDriver::State::Done) {
    ImGui::PushFont(s.font_big);
    ImGui::Text("%s generated", CountOf(r.value("generated", uint64_t{0}), "row", "rows").c_str());
    ImGui::PopFont();
    std::string msg;
    ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_TabActive));
    if (ImGui::Button("Use as dataset")) UseAsDataset(s, &msg);
    ImGui::PopStyleColor();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Opens the generated rows (kept.jsonl) as the dataset: dedup, filter, split and export them.");
    ImGui::SameLine();
    if (ImGui::Button(s.host.NativeFiles() ? "Save outputs" : "Download outputs")) DownloadOutputs(s, &msg);
    ImGui::SameLine();
    std::string names;
    for (const RunOutput& o : p.run.outputs()) names += (names.empty() ? "" : ", ") + o.name;
    ImGui::TextDisabled("%s", names.c_str());
  }
  if (r.is_object() && r.contains("rejected_replies") && !r["rejected_replies"].empty()) {
    char head[96];
    std::snprintf(head, sizeof head, "Rejected calls (%zu, raw replies kept)###rejected", r["rejected_replies"].size());
    if (ImGui::CollapsingHeader(head)) {
      ImGui::PushFont(s.font_mono);
      for (const json& x : r["rejected_replies"]) {
        ImGui::TextColored(ImVec4(0.95f, 0.6f, 0.4f, 1), "call %llu: %s", static_cast<unsigned long long>(x.value("call", uint64_t{0})),
                           x.value("reason", "").c_str());
        ImGui::TextWrapped("%s", x.value("detail", "").c_str());
        if (x.contains("reply")) ImGui::TextWrapped("reply: %s", OneLine(x.value("reply", ""), 400).c_str());
      }
      ImGui::PopFont();
    }
  }
}

}  // namespace

void DrawSynthView(Studio& s) {
  EnsureInit(s);
  float left_w = ImGui::GetContentRegionAvail().x * 0.5f;
  ImGui::BeginChild("synth_config", ImVec2(left_w, 0), false);
  DrawConnection(s);
  ImGui::Separator();
  DrawRecipe(s);
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("synth_out", ImVec2(0, 0), false);
  DrawActions(s);
  ImGui::Separator();
  DrawPreview(s);
  DrawRun(s);
  ImGui::EndChild();
}

}  // namespace winnow::ui
