// `winnow dedup IN [IN...] -o OUTDIR`: exact and / or near-duplicate removal (dedup.exact, dedup.near).
#include <cstdio>

#include "command.h"
#include "pipeline_cli.h"

namespace winnow::cli {
namespace {

struct DedupArgs {
  PipelineInputArgs in;
  std::string mode = "both", view = "example", keep = "first", params, exact_params, normalize;
  double threshold = 0.8;
  int64_t seed = 0;
};

// --normalize "nfkc,lowercase" -> {"nfkc": true, "lowercase": true, every other kind false};
// "none" turns every kind off. False with a message on an unknown name.
bool ParseNormalizeList(const std::string& list, nlohmann::json* out) {
  static const char* kKinds[] = {"nfkc", "lowercase", "whitespace", "punctuation", "digits"};
  *out = nlohmann::json::object();
  for (const char* k : kKinds) (*out)[k] = false;
  if (list == "none") return true;
  for (size_t p = 0; p <= list.size();) {
    size_t comma = list.find(',', p);
    if (comma == std::string::npos) comma = list.size();
    std::string name = list.substr(p, comma - p);
    if (!out->contains(name)) {
      std::fprintf(stderr, "winnow dedup: --normalize has unknown kind \"%s\"; allowed: nfkc, lowercase, whitespace, "
                   "punctuation, digits (comma-separated), or none\n", name.c_str());
      return false;
    }
    (*out)[name] = true;
    p = comma + 1;
  }
  return true;
}

int RunDedup(DedupArgs& a) {
  PipelineConfig c;
  c.name = "dedup";
  c.seed = static_cast<uint64_t>(a.seed);
  nlohmann::json norm;
  if (!a.normalize.empty() && !ParseNormalizeList(a.normalize, &norm)) return kExitUsage;
  if (a.mode == "exact" || a.mode == "both") {
    nlohmann::json p = nlohmann::json::object();
    if (!a.exact_params.empty() && !ParseParamsArg(a.exact_params, &p)) return kExitUsage;
    if (!p.contains("view")) p["view"] = a.view;
    if (!norm.is_null() && !p.contains("normalize")) p["normalize"] = norm;
    c.steps.push_back(StepSpec{"dedup.exact", "dedup.exact", p});
  }
  if (a.mode == "near" || a.mode == "both") {
    nlohmann::json p = nlohmann::json::object();
    if (!a.params.empty() && !ParseParamsArg(a.params, &p)) return kExitUsage;
    if (!p.contains("view")) p["view"] = a.view;
    if (!norm.is_null() && !p.contains("normalize")) p["normalize"] = norm;
    if (!p.contains("threshold")) p["threshold"] = a.threshold;
    if (!p.contains("keep")) p["keep"] = a.keep;
    c.steps.push_back(StepSpec{"dedup.near", "dedup.near", p});
  }
  return RunPipelineCli(c, a.in);
}

RegisterCommand reg(32, [](CLI::App& app) {
  auto a = std::make_shared<DedupArgs>();
  CLI::App* sub = app.add_subcommand("dedup", "Remove exact and near duplicates (MinHash LSH)");
  AddPipelineInputOptions(sub, &a->in);
  sub->add_option("--mode", a->mode, "exact, near or both")->check(CLI::IsMember({"exact", "near", "both"}));
  sub->add_option("--view", a->view, "What to compare: example, user, instruction, assistant")
      ->check(CLI::IsMember({"example", "user", "instruction", "assistant"}));
  sub->add_option("--threshold", a->threshold, "Near-duplicate Jaccard threshold")->check(CLI::Range(0.05, 1.0));
  sub->add_option("--keep", a->keep, "Which member of a near-duplicate cluster to keep: first, longest, highest_score, none")
      ->check(CLI::IsMember({"first", "longest", "highest_score", "none"}));
  sub->add_option("--normalize", a->normalize,
                  "Text normalization before comparing, for both steps: a comma list of nfkc, lowercase, whitespace, "
                  "punctuation, digits (the others off), or none [exact: nfkc,lowercase,whitespace; near: also punctuation]");
  sub->add_option("--params", a->params, "More dedup.near parameters as JSON (num_perm, ngram, shingle, verify, ...)");
  sub->add_option("--exact-params", a->exact_params, "More dedup.exact parameters as JSON (normalize, action)");
  sub->add_option("--seed", a->seed, "Seed of the MinHash permutations");
  sub->callback([a] { SetExitCode(RunDedup(*a)); });
});

}  // namespace
}  // namespace winnow::cli
