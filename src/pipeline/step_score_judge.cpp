// score.judge: LLM-as-judge. Each row is scored 1-5 against a rubric; the score and the judge's
// reason are annotations; with "min_score" rows below it are dropped (or flagged). A row the judge
// could not score keeps its verdict and gets the flag "judge_failed".
#include "pipeline/example_view.h"
#include "pipeline/pipeline_config.h"
#include "pipeline/step_synth_common.h"

namespace winnow {
namespace {

using nlohmann::json;

class ScoreJudgeStep final : public SynthStep {
 public:
  std::string_view Type() const override { return "score.judge"; }

 protected:
  Templates DefaultTemplates() const override {
    return {"You are a strict, fair judge of training data for AI assistants. You reply with JSON only.",
            "Rate the following example from 1 (useless) to 5 (excellent) by this rubric:\n{{rubric}}\n\n"
            "Example:\n{{example}}\n\nReply with only a JSON object: {\"score\": <integer 1-5>, \"reason\": \"<one sentence>\"}",
            {"rubric", "example"}};
  }
  std::vector<std::string_view> RecipeKeys() const override { return {"rubric", "min_score", "action"}; }
  Status ConfigureRecipe(const json& p) override {
    Status st = GetParam(Type(), p, "rubric", &m_rubric);
    if (!st.ok()) return st;
    if (!(st = GetParam(Type(), p, "min_score", &m_min_score, 0, 5)).ok()) return st;
    return GetParam(Type(), p, "action", &m_action, {"drop", "flag"});
  }
  json RecipeParams() const override { return json{{"rubric", m_rubric}, {"min_score", m_min_score}, {"action", m_action}}; }
  void StartBatch(std::span<Row*> rows, StepContext& ctx) override {
    m_step_id = ctx.step_id;
    std::string text;
    for (Row* r : rows) {
      ViewText(r->ex, TextView::Example, &text);
      m_items.push_back({r, AddCall(Prompt({{"rubric", m_rubric}, {"example", text}}),
                                    synth::JsonShape{{{"score", "integer"}, {"reason", "string"}}})});
    }
  }
  bool Complete(StepContext&) override {
    for (const auto& [row, call] : m_items) {
      const synth::CallOutcome& o = Outcome(call);
      if (!o.ok || o.value["score"].get<double>() < 1 || o.value["score"].get<double>() > 5) {
        if (o.reason == "dry_run") continue;
        std::string why = o.ok ? "score out of range 1-5: " + o.value["score"].dump() : o.reason + ": " + o.detail;
        row->flags.push_back(Verdict{VerdictKind::Flag, {}, "judge_failed", why});
        ++m_failed;
        continue;
      }
      int64_t score = static_cast<int64_t>(o.value["score"].get<double>());
      ++m_histogram[std::to_string(score)];
      row->annotations[m_step_id] = json{{"score", score}, {"reason", o.value["reason"]}};
      if (score < m_min_score) {
        Verdict v{m_action == "drop" ? VerdictKind::Drop : VerdictKind::Flag, {}, "judge_low_score",
                  "judge score " + std::to_string(score) + " < " + std::to_string(m_min_score) + ": " + o.value["reason"].get<std::string>()};
        if (m_action == "drop") row->verdict = v;
        else row->flags.push_back(v);
      }
    }
    m_items.clear();
    return false;
  }
  void RecipeReport(json* r) const override {
    (*r)["scores"] = m_histogram;
    (*r)["judge_failed"] = m_failed;
  }

 private:
  std::string m_rubric = "Is the request clear? Is the response correct, complete, helpful and well written?";
  int64_t m_min_score = 0;
  std::string m_action = "drop";
  std::string m_step_id;
  std::vector<std::pair<Row*, size_t>> m_items;
  std::map<std::string, uint64_t> m_histogram;
  uint64_t m_failed = 0;
};

}  // namespace
WINNOW_REGISTER_STEP(ScoreJudgeStep, "score.judge", "LLM-as-judge: a 1-5 score with a rubric, as an annotation and a filter");
}  // namespace winnow
