// synth.qa: question / answer pairs for a list of topics, with a mix of difficulties and question
// types (what / how / why / compare) drawn deterministically from the pipeline seed.
#include "pipeline/pipeline_config.h"
#include "pipeline/step_synth_common.h"
#include "synth/retry_policy.h"

namespace winnow {
namespace {

using nlohmann::json;

const char* TypeHint(const std::string& t) {
  if (t == "what") return "asks what something is or means";
  if (t == "how") return "asks how to do something or how something works";
  if (t == "why") return "asks for the reasons behind something";
  return "asks to compare two related things";
}

class SynthQaStep final : public SynthStep {
 public:
  std::string_view Type() const override { return "synth.qa"; }

 protected:
  Templates DefaultTemplates() const override {
    return {"You write training data for a helpful assistant. You reply with JSON only.",
            "Write question {{number}} of {{count}} about the topic \"{{topic}}\": a {{difficulty}} question that "
            "{{type_hint}} (a \"{{question_type}}\" question), as a real user would ask it, and a correct, "
            "complete answer.\nReply with only a JSON object: {\"question\": \"...\", \"answer\": \"...\"}",
            {"topic", "difficulty", "question_type", "type_hint", "number", "count"}};
  }
  std::vector<std::string_view> RecipeKeys() const override {
    return {"topics", "per_topic", "difficulty", "question_types", "format"};
  }
  Status ConfigureRecipe(const json& p) override {
    Status st = GetParam(Type(), p, "topics", &m_topics);
    if (!st.ok()) return st;
    if (m_topics.empty()) return Error{"bad_config", "synth.qa: \"topics\" must list at least one topic"};
    if (!(st = GetParam(Type(), p, "per_topic", &m_per_topic, 1, 100000)).ok()) return st;
    if (!(st = ParseWeights(Type(), p, "difficulty", {"easy", "medium", "hard"}, &m_difficulty)).ok()) return st;
    if (!(st = ParseWeights(Type(), p, "question_types", {"what", "how", "why", "compare"}, &m_types)).ok()) return st;
    return ParseChatFormat(Type(), p, &m_format);
  }
  json RecipeParams() const override {
    return json{{"topics", m_topics}, {"per_topic", m_per_topic}, {"difficulty", m_difficulty},
                {"question_types", m_types}, {"format", FormatName(m_format)}};
  }
  void StartFinish(StepContext& ctx) override {
    uint64_t seed = Seed(ctx);
    uint64_t g = 0;
    for (const std::string& topic : m_topics) {
      for (int64_t k = 0; k < m_per_topic; ++k, ++g) {
        Item it;
        it.topic = topic;
        it.difficulty = PickWeighted(m_difficulty, synth::SplitMix64(seed ^ (g * 2 + 1)));
        it.type = PickWeighted(m_types, synth::SplitMix64(seed ^ (g * 2 + 2)));
        synth::TemplateVars v{{"topic", topic}, {"difficulty", it.difficulty}, {"question_type", it.type},
                              {"type_hint", TypeHint(it.type)}, {"number", std::to_string(k + 1)},
                              {"count", std::to_string(m_per_topic)}};
        it.call = AddCall(Prompt(v), synth::JsonShape{{{"question", "string"}, {"answer", "string"}}});
        m_items.push_back(std::move(it));
      }
    }
  }
  bool Complete(StepContext&) override {
    for (const Item& it : m_items) {
      const synth::CallOutcome& o = Outcome(it.call);
      if (!o.ok) continue;
      Example ex = ChatExample(m_format, o.value["question"].get<std::string>(), o.value["answer"].get<std::string>());
      AddGenerated(MakeRow(std::move(ex), it.call, json{{"topic", it.topic}, {"difficulty", it.difficulty}, {"question_type", it.type}}));
    }
    m_items.clear();
    return false;
  }

 private:
  struct Item {
    std::string topic, difficulty, type;
    size_t call = 0;
  };
  std::vector<std::string> m_topics;
  int64_t m_per_topic = 5;
  std::map<std::string, double> m_difficulty{{"easy", 1}, {"medium", 1}, {"hard", 1}};
  std::map<std::string, double> m_types{{"what", 1}, {"how", 1}, {"why", 1}, {"compare", 1}};
  Format m_format = Format::Messages;
  std::vector<Item> m_items;
};

}  // namespace
WINNOW_REGISTER_STEP(SynthQaStep, "synth.qa", "LLM: question / answer pairs for a list of topics (difficulty and question-type mix)");
}  // namespace winnow
