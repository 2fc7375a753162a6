// synth.conversation: multi-turn user / assistant conversations for a list of scenarios, N user
// turns each, written in ShareGPT or messages form.
#include "pipeline/pipeline_config.h"
#include "pipeline/step_synth_common.h"

namespace winnow {
namespace {

using nlohmann::json;

class SynthConversationStep final : public SynthStep {
 public:
  std::string_view Type() const override { return "synth.conversation"; }

 protected:
  Templates DefaultTemplates() const override {
    return {"You write training data for a helpful assistant. You reply with JSON only.",
            "Write conversation {{number}} of {{count}} for this scenario: {{scenario}}\n"
            "A user talks with an AI assistant. The conversation has exactly {{turns}} user turns, each followed by "
            "the assistant's reply ({{messages}} messages in all), starting with the user. The assistant is accurate "
            "and helpful.\nReply with only a JSON array of objects: [{\"role\": \"user\", \"content\": \"...\"}, "
            "{\"role\": \"assistant\", \"content\": \"...\"}, ...]",
            {"scenario", "turns", "messages", "number", "count"}};
  }
  std::vector<std::string_view> RecipeKeys() const override { return {"scenarios", "per_scenario", "turns", "format"}; }
  Status ConfigureRecipe(const json& p) override {
    Status st = GetParam(Type(), p, "scenarios", &m_scenarios);
    if (!st.ok()) return st;
    if (m_scenarios.empty()) return Error{"bad_config", "synth.conversation: \"scenarios\" must list at least one scenario"};
    if (!(st = GetParam(Type(), p, "per_scenario", &m_per_scenario, 1, 100000)).ok()) return st;
    if (!(st = GetParam(Type(), p, "turns", &m_turns, 1, 50)).ok()) return st;
    return ParseChatFormat(Type(), p, &m_format, false);
  }
  json RecipeParams() const override {
    return json{{"scenarios", m_scenarios}, {"per_scenario", m_per_scenario}, {"turns", m_turns}, {"format", FormatName(m_format)}};
  }
  void StartFinish(StepContext&) override {
    synth::JsonShape shape{{{"role", "string"}, {"content", "string"}}, true, static_cast<size_t>(m_turns * 2)};
    for (const std::string& sc : m_scenarios) {
      for (int64_t k = 0; k < m_per_scenario; ++k) {
        synth::TemplateVars v{{"scenario", sc}, {"turns", std::to_string(m_turns)}, {"messages", std::to_string(m_turns * 2)},
                              {"number", std::to_string(k + 1)}, {"count", std::to_string(m_per_scenario)}};
        m_items.push_back({sc, AddCall(Prompt(v), shape)});
      }
    }
  }
  bool Complete(StepContext&) override {
    for (const auto& [scenario, call] : m_items) {
      const synth::CallOutcome& o = Outcome(call);
      if (!o.ok) continue;
      Example ex;
      ex.source_format = m_format;
      bool good = true;
      for (size_t i = 0; i < static_cast<size_t>(m_turns * 2); ++i) {
        const json& t = o.value[i];
        std::string want = i % 2 == 0 ? "user" : "assistant";
        if (t["role"].get<std::string>() != want) good = false;
        ex.messages.push_back(Message{i % 2 == 0 ? Role::User : Role::Assistant, t["content"].get<std::string>(), {}, {}, {}, {}});
      }
      if (!good) {
        ++m_bad_turns;  // roles out of order: the conversation is not used
        continue;
      }
      AddGenerated(MakeRow(std::move(ex), call, json{{"scenario", scenario}}));
    }
    m_items.clear();
    return false;
  }
  void RecipeReport(json* r) const override { (*r)["roles_out_of_order"] = m_bad_turns; }

 private:
  std::vector<std::string> m_scenarios;
  int64_t m_per_scenario = 1, m_turns = 3;
  Format m_format = Format::ShareGPT;
  std::vector<std::pair<std::string, size_t>> m_items;
  uint64_t m_bad_turns = 0;
};

}  // namespace
WINNOW_REGISTER_STEP(SynthConversationStep, "synth.conversation", "LLM: multi-turn conversations for scenarios (ShareGPT or messages)");
}  // namespace winnow
