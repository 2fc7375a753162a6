// synth.preference: preference pairs — for each prompt (from "prompts" and / or the input rows'
// first user turn) a chosen answer and a rejected one, written as preference rows.
#include "pipeline/example_view.h"
#include "pipeline/pipeline_config.h"
#include "pipeline/step_synth_common.h"

namespace winnow {
namespace {

using nlohmann::json;

class SynthPreferenceStep final : public SynthStep {
 public:
  std::string_view Type() const override { return "synth.preference"; }

 protected:
  Templates DefaultTemplates() const override {
    return {"You write preference data for training assistants. You reply with JSON only.",
            "User request:\n{{prompt}}\n\nWrite two replies to this request. \"chosen\": an excellent reply, correct, "
            "helpful and well written. \"rejected\": a plausible but worse reply ({{rejected_style}}).\n"
            "Reply with only a JSON object: {\"chosen\": \"...\", \"rejected\": \"...\"}",
            {"prompt", "rejected_style"}};
  }
  std::vector<std::string_view> RecipeKeys() const override { return {"prompts", "rejected_style", "from_input"}; }
  Status ConfigureRecipe(const json& p) override {
    Status st = GetParam(Type(), p, "prompts", &m_prompts);
    if (!st.ok()) return st;
    if (!(st = GetParam(Type(), p, "rejected_style", &m_style)).ok()) return st;
    return GetParam(Type(), p, "from_input", &m_from_input);
  }
  json RecipeParams() const override {
    return json{{"prompts", m_prompts}, {"rejected_style", m_style}, {"from_input", m_from_input}};
  }
  void StartBatch(std::span<Row*> rows, StepContext&) override {
    if (!m_from_input) return;
    std::string instr;
    for (Row* r : rows) {
      ViewText(r->ex, TextView::Instruction, &instr);
      if (!instr.empty()) Add(instr);
    }
  }
  void StartFinish(StepContext&) override {
    for (const std::string& p : m_prompts) Add(p);
  }
  bool Complete(StepContext&) override {
    for (const auto& [prompt, call] : m_items) {
      const synth::CallOutcome& o = Outcome(call);
      if (!o.ok) continue;
      Example ex;
      ex.source_format = Format::Preference;
      ex.pref = PrefForm::String;
      ex.messages.push_back(Message{Role::User, prompt, {}, {}, {}, {}});
      ex.chosen.push_back(Message{Role::Assistant, o.value["chosen"].get<std::string>(), {}, {}, {}, {}});
      ex.rejected.push_back(Message{Role::Assistant, o.value["rejected"].get<std::string>(), {}, {}, {}, {}});
      AddGenerated(MakeRow(std::move(ex), call));
    }
    m_items.clear();
    return false;
  }

 private:
  void Add(const std::string& prompt) {
    m_items.push_back({prompt, AddCall(Prompt({{"prompt", prompt}, {"rejected_style", m_style}}),
                                       synth::JsonShape{{{"chosen", "string"}, {"rejected", "string"}}})});
  }
  std::vector<std::string> m_prompts;
  std::string m_style = "subtly wrong, vague or unhelpful, the way a weaker assistant answers";
  bool m_from_input = true;
  std::vector<std::pair<std::string, size_t>> m_items;
};

}  // namespace
WINNOW_REGISTER_STEP(SynthPreferenceStep, "synth.preference", "LLM: preference pairs (a chosen and a rejected reply) for prompts");
}  // namespace winnow
