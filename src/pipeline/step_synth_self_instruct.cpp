// synth.self_instruct: new tasks in the style of the input rows (the seed pool). Each request shows
// a few pool examples drawn with the pipeline seed and asks for several new tasks; a candidate whose
// instruction is too close to one in the pool (word-bigram Jaccard >= "max_similarity") is dropped,
// the rest join the pool, round after round until "count" tasks exist.
#include <algorithm>
#include <cctype>
#include <set>

#include "pipeline/example_view.h"
#include "pipeline/pipeline_config.h"
#include "pipeline/step_synth_common.h"
#include "synth/retry_policy.h"

namespace winnow {
namespace {

using nlohmann::json;

std::set<std::string> Bigrams(const std::string& s) {
  std::vector<std::string> words;
  std::string w;
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || u >= 0x80) {
      w.push_back(static_cast<char>(std::tolower(u)));
    } else if (!w.empty()) {
      words.push_back(std::move(w));
      w.clear();
    }
  }
  if (!w.empty()) words.push_back(std::move(w));
  std::set<std::string> out;
  if (words.size() == 1) out.insert(words[0]);
  for (size_t i = 0; i + 1 < words.size(); ++i) out.insert(words[i] + " " + words[i + 1]);
  return out;
}

double Jaccard(const std::set<std::string>& a, const std::set<std::string>& b) {
  if (a.empty() && b.empty()) return 1.0;
  size_t inter = 0;
  for (const std::string& x : a) inter += b.count(x);
  return static_cast<double>(inter) / static_cast<double>(a.size() + b.size() - inter);
}

class SynthSelfInstructStep final : public SynthStep {
 public:
  std::string_view Type() const override { return "synth.self_instruct"; }

 protected:
  Templates DefaultTemplates() const override {
    return {"You write training data for a helpful assistant. You reply with JSON only.",
            "Here are examples of tasks given to an AI assistant, with good responses:\n\n{{examples}}\n\n"
            "Write {{per_call}} new, different tasks of the same kind (varied in topic and wording, each "
            "answerable by text alone), each with a good response.\nReply with only a JSON array: "
            "[{\"instruction\": \"...\", \"output\": \"...\"}, ...]",
            {"examples", "per_call"}};
  }
  std::vector<std::string_view> RecipeKeys() const override {
    return {"count", "per_call", "examples_per_prompt", "max_similarity", "max_rounds", "format"};
  }
  Status ConfigureRecipe(const json& p) override {
    Status st = GetParam(Type(), p, "count", &m_count, 1, 1000000);
    if (!st.ok()) return st;
    if (!(st = GetParam(Type(), p, "per_call", &m_per_call, 1, 50)).ok()) return st;
    if (!(st = GetParam(Type(), p, "examples_per_prompt", &m_examples, 1, 20)).ok()) return st;
    if (!(st = GetParam(Type(), p, "max_similarity", &m_max_sim, 0.0, 1.0)).ok()) return st;
    if (!(st = GetParam(Type(), p, "max_rounds", &m_max_rounds, 1, 1000)).ok()) return st;
    return ParseChatFormat(Type(), p, &m_format);
  }
  json RecipeParams() const override {
    return json{{"count", m_count}, {"per_call", m_per_call}, {"examples_per_prompt", m_examples},
                {"max_similarity", m_max_sim}, {"max_rounds", m_max_rounds}, {"format", FormatName(m_format)}};
  }
  void StartBatch(std::span<Row*> rows, StepContext&) override {
    // Input rows are the seed pool (kept as they are).
    std::string instr, out;
    for (Row* r : rows) {
      ViewText(r->ex, TextView::Instruction, &instr);
      ViewText(r->ex, TextView::Assistant, &out);
      if (instr.empty() || out.empty()) continue;
      m_pool.push_back({instr, out, Bigrams(instr)});
      ++m_seeds;
    }
  }
  void StartFinish(StepContext& ctx) override {
    m_seed = Seed(ctx);
    StartRound();
  }
  bool Complete(StepContext&) override {
    if (m_round_calls.empty()) return false;
    m_round_ok = false;  // a round without one usable reply ends the recipe (no paying for failures)
    for (size_t call : m_round_calls) {
      const synth::CallOutcome& o = Outcome(call);
      if (!o.ok) continue;
      m_round_ok = true;
      for (const json& item : o.value) {
        if (m_made >= static_cast<uint64_t>(m_count)) break;
        std::string instr = item["instruction"].get<std::string>();
        std::string output = item["output"].get<std::string>();
        auto grams = Bigrams(instr);
        double best = 0;
        for (const PoolItem& p : m_pool) best = std::max(best, Jaccard(grams, p.grams));
        if (best >= m_max_sim) {
          ++m_near_duplicates;
          continue;
        }
        m_pool.push_back({instr, output, grams});
        ++m_made;
        AddGenerated(MakeRow(ChatExample(m_format, instr, output), call, json{{"round", m_round}}));
      }
    }
    m_round_calls.clear();
    return StartRound();
  }
  void RecipeReport(json* r) const override {
    (*r)["seed_rows"] = m_seeds;
    (*r)["rounds"] = m_round;
    (*r)["near_duplicates_dropped"] = m_near_duplicates;
  }

 private:
  struct PoolItem {
    std::string instruction, output;
    std::set<std::string> grams;
  };
  // Starts the next round; false when done (enough tasks, no seeds, or the round limit).
  bool StartRound() {
    if (m_pool.empty() || m_made >= static_cast<uint64_t>(m_count) || m_round >= m_max_rounds ||
        (m_round >= 1 && (dry_run() || !m_round_ok)))
      return false;
    ++m_round;
    uint64_t need = static_cast<uint64_t>(m_count) - m_made;
    uint64_t calls = (need + static_cast<uint64_t>(m_per_call) - 1) / static_cast<uint64_t>(m_per_call);
    for (uint64_t c = 0; c < calls; ++c) {
      std::string ex;
      size_t n = std::min<size_t>(static_cast<size_t>(m_examples), m_pool.size());
      std::vector<size_t> picked;
      uint64_t r = synth::SplitMix64(m_seed ^ (static_cast<uint64_t>(m_round) << 32) ^ c);
      while (picked.size() < n) {
        r = synth::SplitMix64(r);
        size_t k = static_cast<size_t>(r % m_pool.size());
        if (std::find(picked.begin(), picked.end(), k) == picked.end()) picked.push_back(k);
      }
      for (size_t i = 0; i < picked.size(); ++i) {
        const PoolItem& p = m_pool[picked[i]];
        ex += "Task " + std::to_string(i + 1) + ": " + p.instruction + "\nResponse " + std::to_string(i + 1) + ": " + p.output + "\n\n";
      }
      while (!ex.empty() && ex.back() == '\n') ex.pop_back();
      synth::TemplateVars v{{"examples", ex}, {"per_call", std::to_string(m_per_call)}};
      m_round_calls.push_back(AddCall(Prompt(v), synth::JsonShape{{{"instruction", "string"}, {"output", "string"}}, true, 1}));
    }
    return true;
  }
  int64_t m_count = 20, m_per_call = 5, m_examples = 3, m_max_rounds = 10;
  double m_max_sim = 0.7;
  Format m_format = Format::Alpaca;
  std::vector<PoolItem> m_pool;
  std::vector<size_t> m_round_calls;
  uint64_t m_seed = 0, m_made = 0, m_seeds = 0, m_near_duplicates = 0;
  int64_t m_round = 0;
  bool m_round_ok = true;
};

}  // namespace
WINNOW_REGISTER_STEP(SynthSelfInstructStep, "synth.self_instruct", "LLM: new tasks from the input rows as seeds, near-duplicates of the pool filtered");
}  // namespace winnow
