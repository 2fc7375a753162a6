#include "pipeline/step_synth_common.h"

#include <algorithm>

#include "core/hash.h"
#include "pipeline/pipeline_config.h"
#include "pipeline/step_util.h"
#include "synth/cost.h"
#include "synth/response_store.h"

namespace winnow {

using nlohmann::json;
using synth::ChatMessage;

namespace {
constexpr size_t kMaxUsageEntries = 1000;
constexpr size_t kMaxRejectedSamples = 50;
constexpr size_t kMaxDryPrompts = 50;

std::string DefaultKeyEnv(synth::ProviderKind k) {
  return k == synth::ProviderKind::Anthropic ? "ANTHROPIC_API_KEY" : "OPENAI_API_KEY";
}
std::string DefaultModel(synth::ProviderKind k) {
  return k == synth::ProviderKind::Anthropic ? "claude-3-5-haiku-latest" : "gpt-4o-mini";
}
}  // namespace

Example ChatExample(Format fmt, std::string user, std::string assistant) {
  Example ex;
  ex.messages.push_back(Message{Role::User, std::move(user), {}, {}, {}, {}});
  ex.messages.push_back(Message{Role::Assistant, std::move(assistant), {}, {}, {}, {}});
  ex.source_format = fmt;
  if (fmt == Format::Alpaca) ex.shape = kShapeInputPresent;
  return ex;
}

Status ParseChatFormat(std::string_view step, const json& p, Format* out, bool allow_alpaca) {
  std::string f(FormatName(*out));
  std::vector<std::string_view> allowed = {"messages", "sharegpt"};
  if (allow_alpaca) allowed.push_back("alpaca");
  Status st = GetParam(step, p, "format", &f, allowed);
  if (!st.ok()) return st;
  ParseFormat(f, out);
  return Status::Ok();
}

std::string PickWeighted(const std::map<std::string, double>& w, uint64_t r) {
  double total = 0;
  for (const auto& [k, v] : w) total += v;
  // 53 random bits as a fraction: the same on every platform.
  double x = static_cast<double>(r >> 11) * (1.0 / 9007199254740992.0) * total;
  std::string last;
  for (const auto& [k, v] : w) {
    if (v <= 0) continue;
    last = k;
    if (x < v) return k;
    x -= v;
  }
  return last;
}

Status ParseWeights(std::string_view step, const json& p, const char* key, const std::vector<std::string>& allowed,
                    std::map<std::string, double>* out) {
  if (!p.contains(key)) return Status::Ok();
  const json& v = p[key];
  std::string list;
  for (const std::string& a : allowed) list += (list.empty() ? "" : ", ") + a;
  if (!v.is_object() || v.empty())
    return Error{"bad_config", std::string(step) + ": \"" + key + "\" must be an object of weights {name: number} over " + list};
  std::map<std::string, double> w;
  double total = 0;
  for (auto& [k, x] : v.items()) {
    if (std::find(allowed.begin(), allowed.end(), k) == allowed.end())
      return Error{"bad_config", std::string(step) + ": \"" + key + "\" has an unknown name \"" + k + "\" (allowed: " + list + ")"};
    if (!x.is_number() || x.get<double>() < 0)
      return Error{"bad_config", std::string(step) + ": \"" + key + "\"." + k + " must be a number >= 0"};
    w[k] = x.get<double>();
    total += w[k];
  }
  if (total <= 0) return Error{"bad_config", std::string(step) + ": \"" + key + "\" needs at least one weight > 0"};
  *out = std::move(w);
  return Status::Ok();
}

Status SynthStep::Configure(const json& p) {
  if (p.is_object() && (p.contains("api_key") || p.contains("key"))) {
    return Error{"bad_config", std::string(Type()) + ": API keys never go in a pipeline file: name the environment "
                                                     "variable that holds it with \"api_key_env\" (e.g. \"OPENAI_API_KEY\")"};
  }
  std::vector<std::string_view> keys = {"provider", "base_url", "model", "api_key_env", "temperature", "max_tokens",
                                        "concurrency", "max_retries", "retry_base_ms", "timeout_s", "repair_json",
                                        "dry_run", "system", "prompt"};
  for (std::string_view k : RecipeKeys()) keys.push_back(k);
  Status st = CheckParamKeys(Type(), p, keys);
  if (!st.ok()) return st;
  std::string provider = "openai";
  if (!(st = GetParam(Type(), p, "provider", &provider, {"openai", "anthropic"})).ok()) return st;
  synth::ParseProvider(provider, &m_provider.kind);
  m_provider.model = DefaultModel(m_provider.kind);
  if (!(st = GetParam(Type(), p, "base_url", &m_provider.base_url)).ok()) return st;
  if (!m_provider.base_url.empty() && m_provider.base_url.rfind("http://", 0) != 0 &&
      m_provider.base_url.rfind("https://", 0) != 0)
    return Error{"bad_config", std::string(Type()) + ": \"base_url\" must start with http:// or https://, got \"" + m_provider.base_url + "\""};
  if (m_provider.base_url.find('?') != std::string::npos || m_provider.base_url.find('@') != std::string::npos)
    return Error{"bad_config", std::string(Type()) + ": \"base_url\" must not carry a query or credentials (keys go in api_key_env)"};
  if (!(st = GetParam(Type(), p, "model", &m_provider.model)).ok()) return st;
  if (m_provider.model.empty()) return Error{"bad_config", std::string(Type()) + ": \"model\" must not be empty"};
  m_api_key_env = DefaultKeyEnv(m_provider.kind);
  if (!(st = GetParam(Type(), p, "api_key_env", &m_api_key_env)).ok()) return st;
  m_key_env_named = p.contains("api_key_env") && !m_api_key_env.empty();
  if (!(st = GetParam(Type(), p, "temperature", &m_provider.temperature, 0.0, 2.0)).ok()) return st;
  if (!(st = GetParam(Type(), p, "max_tokens", &m_provider.max_tokens, 1, 200000)).ok()) return st;
  if (!(st = GetParam(Type(), p, "concurrency", &m_concurrency, 1, 64)).ok()) return st;
  if (!(st = GetParam(Type(), p, "max_retries", &m_max_retries, 0, 20)).ok()) return st;
  if (!(st = GetParam(Type(), p, "retry_base_ms", &m_retry_base_ms, 0, 600000)).ok()) return st;
  if (!(st = GetParam(Type(), p, "timeout_s", &m_timeout_s, 1, 3600)).ok()) return st;
  if (!(st = GetParam(Type(), p, "repair_json", &m_repair_json)).ok()) return st;
  if (!(st = GetParam(Type(), p, "dry_run", &m_dry_run)).ok()) return st;
  m_provider.timeout_ms = static_cast<uint32_t>(m_timeout_s * 1000);
  Templates t = DefaultTemplates();
  m_system = t.system;
  m_prompt = t.prompt;
  if (!(st = GetParam(Type(), p, "system", &m_system)).ok()) return st;
  if (!(st = GetParam(Type(), p, "prompt", &m_prompt)).ok()) return st;
  std::string what = std::string(Type()) + ": \"prompt\"";
  if (!(st = synth::CheckTemplate(m_prompt, t.names, what)).ok()) return st;
  what = std::string(Type()) + ": \"system\"";
  if (!(st = synth::CheckTemplate(m_system, t.names, what)).ok()) return st;
  return ConfigureRecipe(p);
}

json SynthStep::Params() const {
  json p{{"provider", synth::ProviderName(m_provider.kind)},
         {"base_url", m_provider.base_url},
         {"model", m_provider.model},
         {"api_key_env", m_api_key_env},
         {"temperature", Round4(m_provider.temperature)},
         {"max_tokens", m_provider.max_tokens},
         {"concurrency", m_concurrency},
         {"max_retries", m_max_retries},
         {"retry_base_ms", m_retry_base_ms},
         {"timeout_s", m_timeout_s},
         {"repair_json", m_repair_json},
         {"dry_run", m_dry_run},
         {"system", m_system},
         {"prompt", m_prompt}};
  json recipe = RecipeParams();  // a named object: items() of a temporary would dangle
  for (auto& [k, v] : recipe.items()) p[k] = v;
  return p;
}

Status SynthStep::Prepare(StepContext& ctx) {
  m_step_id = ctx.step_id;
  synth::EngineOptions o;
  o.concurrency = static_cast<int>(m_concurrency);
  o.retry.max_retries = static_cast<int>(m_max_retries);
  o.retry.base_delay_ms = static_cast<uint64_t>(m_retry_base_ms);
  o.repair_json = m_repair_json;
  o.dry_run = m_dry_run;
  o.seed = Seed(ctx);
  if (m_dry_run) {
    // A dry run sends nothing and reads no cache: it shows the prompts and the estimate.
    m_engine = std::make_unique<synth::SynthEngine>(nullptr, nullptr, m_provider, std::string(), o);
    return Status::Ok();
  }
  if (!ctx.http) {
    return Error{"unsupported", std::string(Type()) + " sends requests to an LLM API: run it in the studio or with the "
                                                      "native CLI (this front end has no HTTP client); \"dry_run\": true works anywhere"};
  }
  std::string key;
  if (!m_api_key_env.empty() && ctx.http->secret_lookup) key = ctx.http->secret_lookup(m_api_key_env);
  // A key is needed for the providers' own endpoints and whenever the pipeline names a variable;
  // a local server (base_url without api_key_env) may go without.
  if (key.empty() && (m_provider.base_url.empty() || m_key_env_named)) {
    return Error{"bad_config", "no API key: set the environment variable " + m_api_key_env +
                                   " (CLI) or enter the key in the studio's synthesis panel; a local server "
                                   "needs \"base_url\""};
  }
  m_engine = std::make_unique<synth::SynthEngine>(ctx.http, ctx.http->cache, m_provider, std::move(key), o);
  return Status::Ok();
}

uint64_t SynthStep::Seed(const StepContext& ctx) const { return StepSeed(ctx); }

size_t SynthStep::AddCall(std::vector<ChatMessage> messages, synth::JsonShape shape) {
  m_estimated_input_tokens += synth::EstimateTokens(messages);
  m_estimated_output_tokens += static_cast<uint64_t>(m_provider.max_tokens);
  return m_engine->Add(synth::CallSpec{std::move(messages), std::move(shape)});
}

std::vector<ChatMessage> SynthStep::Prompt(const synth::TemplateVars& vars) const {
  std::vector<ChatMessage> m;
  std::string sys = synth::RenderTemplate(m_system, vars);
  if (!sys.empty()) m.push_back(ChatMessage{"system", sys});
  m.push_back(ChatMessage{"user", synth::RenderTemplate(m_prompt, vars)});
  return m;
}

void SynthStep::Process(std::span<Row*> rows, StepContext& ctx) {
  if (!m_engine || m_cancelled) return;
  StartBatch(rows, ctx);
  m_engine->Poll(0);
  m_busy = true;
  Drive(ctx);
}

void SynthStep::Finish(std::span<Row*>, StepContext& ctx) {
  if (!m_engine || m_cancelled) return;
  StartFinish(ctx);
  m_engine->Poll(0);
  m_busy = true;
  Drive(ctx);
}

void SynthStep::Poll(StepContext& ctx) {
  if (!m_engine) return;
  if (ctx.cancel && ctx.cancel->Cancelled() && !m_cancelled) {
    m_cancelled = true;
    m_engine->Cancel();
  }
  m_engine->Poll(50);
  Drive(ctx);
}

void SynthStep::Drive(StepContext& ctx) {
  for (;;) {
    for (size_t i : m_engine->TakeCompleted()) {
      const synth::CallOutcome& o = m_engine->outcome(i);
      if (m_usage.size() < kMaxUsageEntries) {
        m_usage.push_back(json{{"call", i},
                               {"prompt_hash", o.prompt_hash},
                               {"requests", o.requests},
                               {"cached", o.cache_hits > 0},
                               {"input_tokens", o.input_tokens},
                               {"output_tokens", o.output_tokens},
                               {"result", o.ok ? std::string("ok") : o.reason}});
      }
      if (o.reason == "dry_run" && m_dry_prompts.size() < kMaxDryPrompts) {
        json msgs = json::array();
        for (const ChatMessage& m : m_engine->spec(i).messages) msgs.push_back(json{{"role", m.role}, {"content", m.content}});
        m_dry_prompts.push_back(json{{"call", i}, {"messages", msgs}});
      } else if (!o.ok && o.reason != "dry_run" && o.reason != "cancelled" && m_rejected_samples.size() < kMaxRejectedSamples) {
        json s{{"call", i}, {"reason", o.reason}, {"detail", o.detail}, {"prompt_hash", o.prompt_hash}};
        if (!o.text.empty()) s["reply"] = o.text;
        if (!o.first_reply.empty()) s["first_reply"] = o.first_reply;
        m_rejected_samples.push_back(std::move(s));
      }
    }
    if (!m_engine->Idle()) {
      m_busy = true;
      return;
    }
    if (!m_busy) return;
    // Every call of this phase is finished: the recipe turns them into rows / verdicts, and may
    // start another round (self-instruct).
    if (m_cancelled || !Complete(ctx)) {
      m_busy = false;
      return;
    }
    m_engine->Poll(0);
  }
}

Row SynthStep::MakeRow(Example ex, size_t call, const json& extra_meta) {
  const synth::CallOutcome& o = m_engine->outcome(call);
  json s{{"recipe", Type()},
         {"step", m_step_id},
         {"provider", synth::ProviderName(m_provider.kind)},
         {"model", m_provider.model},
         {"prompt_hash", o.prompt_hash},
         {"created", o.created},
         {"input_tokens", o.input_tokens},
         {"output_tokens", o.output_tokens}};
  if (o.repaired) s["repaired"] = true;
  for (auto& [k, v] : extra_meta.items()) s[k] = v;
  ex.meta = json{{"synth", s}}.dump();
  std::string idsrc = ex.meta;
  for (const Message& m : ex.messages) idsrc += m.content;
  ex.id = Hash64(idsrc);
  ex.origin.line = 0;
  ex.origin.index = m_generated_count;
  ex.origin.offset = 0;
  ++m_generated_count;
  Row r;
  r.ex = std::move(ex);
  return r;
}

void SynthStep::TakeGenerated(std::vector<Row>* out) {
  for (Row& r : m_generated) out->push_back(std::move(r));
  m_generated.clear();
}

json SynthStep::Report() const {
  json r = json::object();
  r["provider"] = synth::ProviderName(m_provider.kind);
  r["model"] = m_provider.model;
  r["dry_run"] = m_dry_run;
  r["generated"] = m_generated_count;
  if (m_engine) {
    const synth::EngineStats& s = m_engine->stats();
    r["calls"] = s.calls;
    r["succeeded"] = s.succeeded;
    r["rejected"] = s.rejected;
    r["requests"] = s.requests;
    r["cache_hits"] = s.cache_hits;
    r["retries"] = s.retries;
    r["repairs"] = s.repairs;
    r["usage_total"] = json{{"input_tokens", s.input_tokens}, {"output_tokens", s.output_tokens}};
    r["failures"] = s.failures;
  }
  // Before running, the same numbers come from a dry run: prompt tokens approximated, completion
  // tokens at most max_tokens per call. Prices are applied by the front end from its price table.
  r["estimate"] = json{{"calls", m_engine ? m_engine->size() : 0},
                       {"input_tokens", m_estimated_input_tokens},
                       {"output_tokens_max", m_estimated_output_tokens}};
  r["usage"] = m_usage;
  if (!m_rejected_samples.empty()) r["rejected_replies"] = m_rejected_samples;
  if (m_dry_run) r["prompts"] = m_dry_prompts;
  RecipeReport(&r);
  return r;
}

}  // namespace winnow
