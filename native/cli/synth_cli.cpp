#include "synth_cli.h"

#include <cstdio>
#include <cstdlib>

#include "pipeline_cli.h"
#include "synth/cost.h"

namespace winnow::cli {

using nlohmann::json;

void AddSynthOptions(CLI::App* sub, SynthCliArgs* a) {
  sub->add_option("--cache", a->cache_dir, "Reply cache directory for LLM steps (default: OUTDIR/.synth-cache)");
  sub->add_flag("--no-cache", a->no_cache, "Do not read or write the reply cache");
  sub->add_option("--prices", a->prices, "Price table JSON for cost estimates (default: assets/synth/prices.json)");
}

bool PipelineCallsLlm(const PipelineConfig& config) {
  for (const StepSpec& s : config.steps)
    if (s.type.rfind("synth.", 0) == 0 || s.type == "score.judge") return true;
  return false;
}

void SetUpSynth(const PipelineConfig& config, const SynthCliArgs& a, const std::string& outdir, RunOptions* opts,
                SynthSession* session) {
  if (!PipelineCallsLlm(config)) return;
  session->http = NewCliHttpClient();
  if (!session->http) return;  // the wasm CLI: synth steps explain in Prepare
  // Keys come from the environment variables the pipeline names ("api_key_env"), read when a step
  // asks; they are held by the step's engine in memory and sent only in request headers.
  session->http->secret_lookup = [](const std::string& name) -> std::string {
    const char* v = std::getenv(name.c_str());
    return v ? std::string(v) : std::string();
  };
  if (!a.no_cache) {
    std::string dir = !a.cache_dir.empty() ? a.cache_dir : outdir.empty() ? std::string() : outdir + "/.synth-cache";
    if (!dir.empty()) session->cache = NewDirResponseStore(dir);
    session->http->cache = session->cache.get();
  }
  opts->http = session->http.get();
}

std::string PricesPath(const SynthCliArgs& a) {
  if (!a.prices.empty()) return a.prices;
  for (std::string p : {std::string("assets/synth/prices.json"),
#ifdef WINNOW_PRESETS_DIR
                        std::string(WINNOW_PRESETS_DIR "/../synth/prices.json"),
#endif
                        }) {
    if (FILE* f = std::fopen(p.c_str(), "rb")) {
      std::fclose(f);
      return p;
    }
  }
  return {};
}

void PrintSynthSummary(const PipelineConfig& config, const RunSummary& s, const SynthCliArgs& a, const SynthSession& session) {
  if (!PipelineCallsLlm(config) || !s.report.contains("steps")) return;
  std::unique_ptr<synth::PriceTable> table;
  std::string path = PricesPath(a);
  if (!path.empty()) {
    auto text = ReadWholeFile(path);
    if (text.ok()) {
      auto t = synth::PriceTable::Parse(text.value());
      if (t.ok()) table = std::make_unique<synth::PriceTable>(std::move(t.value()));
      else std::fprintf(stderr, "winnow: %s: %s\n", path.c_str(), t.error().message.c_str());
    }
  }
  const json& steps = s.report["steps"];
  for (const json& st : steps) {
    if (!st.is_object() || !st.contains("report") || !st["report"].is_object() || !st["report"].contains("estimate")) continue;
    const json& r = st["report"];
    std::string id = st.value("id", std::string("?"));
    std::string model = r.value("model", std::string());
    const json& est = r["estimate"];
    uint64_t ein = est.value("input_tokens", uint64_t{0}), eout = est.value("output_tokens_max", uint64_t{0});
    std::string ecost = "no price for " + model;
    if (table) {
      double c = synth::EstimateCost(*table, model, ein, eout);
      if (c >= 0) ecost = "at most " + synth::FormatMoney(c, table->currency());
    }
    std::fprintf(stderr, "  %s: %llu calls, estimate ~%llu prompt tokens + up to %llu completion tokens (%s)\n", id.c_str(),
                 static_cast<unsigned long long>(est.value("calls", uint64_t{0})), static_cast<unsigned long long>(ein),
                 static_cast<unsigned long long>(eout), ecost.c_str());
    if (r.value("dry_run", false)) continue;
    uint64_t uin = r["usage_total"].value("input_tokens", uint64_t{0}), uout = r["usage_total"].value("output_tokens", uint64_t{0});
    std::string cost;
    if (table) {
      double c = synth::EstimateCost(*table, model, uin, uout);
      if (c >= 0) cost = ", cost " + synth::FormatMoney(c, table->currency());
    }
    std::fprintf(stderr, "  %s: %llu requests, %llu cache hits, %llu retries, %llu repairs; %llu rows generated, %llu calls rejected; tokens %llu in / %llu out%s\n",
                 id.c_str(), static_cast<unsigned long long>(r.value("requests", uint64_t{0})),
                 static_cast<unsigned long long>(r.value("cache_hits", uint64_t{0})),
                 static_cast<unsigned long long>(r.value("retries", uint64_t{0})),
                 static_cast<unsigned long long>(r.value("repairs", uint64_t{0})),
                 static_cast<unsigned long long>(r.value("generated", uint64_t{0})),
                 static_cast<unsigned long long>(r.value("rejected", uint64_t{0})), static_cast<unsigned long long>(uin),
                 static_cast<unsigned long long>(uout), cost.c_str());
  }
  if (session.cache) std::fprintf(stderr, "  reply cache: %s\n", session.cache->Where().c_str());
}

}  // namespace winnow::cli
