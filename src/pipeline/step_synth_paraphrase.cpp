// synth.paraphrase: variants of each input row's instruction (its first user turn): a paraphrase or
// a back-translation through a chosen language keep the row's answer; an easier or harder variant
// comes with a new answer. Variants are new rows; the input rows are kept as they are.
#include "pipeline/example_view.h"
#include "pipeline/pipeline_config.h"
#include "pipeline/step_synth_common.h"

namespace winnow {
namespace {

using nlohmann::json;

class SynthParaphraseStep final : public SynthStep {
 public:
  std::string_view Type() const override { return "synth.paraphrase"; }

 protected:
  Templates DefaultTemplates() const override {
    return {"You rewrite text exactly as asked and reply with the result only.",
            "{{task}}\n\nText:\n{{text}}\n\n{{reply_format}}",
            {"task", "text", "reply_format", "language"}};
  }
  std::vector<std::string_view> RecipeKeys() const override { return {"mode", "language", "source_language", "format"}; }
  Status ConfigureRecipe(const json& p) override {
    Status st = GetParam(Type(), p, "mode", &m_mode, {"paraphrase", "easier", "harder", "back_translate"});
    if (!st.ok()) return st;
    if (!(st = GetParam(Type(), p, "language", &m_language)).ok()) return st;
    if (!(st = GetParam(Type(), p, "source_language", &m_source_language)).ok()) return st;
    if (m_language.empty() || m_source_language.empty())
      return Error{"bad_config", "synth.paraphrase: \"language\" and \"source_language\" must not be empty"};
    return ParseChatFormat(Type(), p, &m_format);
  }
  json RecipeParams() const override {
    return json{{"mode", m_mode}, {"language", m_language}, {"source_language", m_source_language}, {"format", FormatName(m_format)}};
  }
  void StartBatch(std::span<Row*> rows, StepContext&) override {
    std::string instr, answer;
    for (Row* r : rows) {
      ViewText(r->ex, TextView::Instruction, &instr);
      ViewText(r->ex, TextView::Assistant, &answer);
      if (instr.empty()) continue;
      Item it;
      it.instruction = instr;
      it.answer = answer;
      if (m_mode == "paraphrase") {
        it.call = AddCall(Prompt(Vars("Paraphrase the text below: keep its meaning and every detail, change the wording.", instr)), {});
      } else if (m_mode == "back_translate") {
        it.call = AddCall(Prompt(Vars("Translate the text below into " + m_language + ".", instr)), {});
      } else {
        std::string task = "Rewrite the question or task below as a clearly " + m_mode +
                           " variant on the same subject, and write a correct, complete answer to the new version.";
        it.call = AddCall(Prompt(Vars(task, instr, "Reply with only a JSON object: {\"question\": \"...\", \"answer\": \"...\"}")),
                          synth::JsonShape{{{"question", "string"}, {"answer", "string"}}});
      }
      m_items.push_back(std::move(it));
    }
  }
  bool Complete(StepContext&) override {
    if (m_mode == "back_translate" && !m_second_leg) {
      // Second leg: back from the pivot language.
      m_second_leg = true;
      bool any = false;
      for (Item& it : m_items) {
        const synth::CallOutcome& o = Outcome(it.call);
        if (!o.ok) continue;
        it.pivot = o.text;
        it.back_call = AddCall(Prompt(Vars("Translate the text below into " + m_source_language + ".", o.text)), {});
        any = true;
      }
      if (any) return true;
    }
    for (const Item& it : m_items) {
      size_t call = m_mode == "back_translate" ? it.back_call : it.call;
      if (call == SIZE_MAX) continue;
      const synth::CallOutcome& o = Outcome(call);
      if (!o.ok) continue;
      json extra{{"mode", m_mode}, {"source_instruction", it.instruction}};
      if (m_mode == "back_translate") extra["pivot_language"] = m_language;
      if (m_mode == "easier" || m_mode == "harder") {
        AddGenerated(MakeRow(ChatExample(m_format, o.value["question"].get<std::string>(), o.value["answer"].get<std::string>()), call, extra));
      } else if (!it.answer.empty()) {
        std::string text = o.text;
        while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
        AddGenerated(MakeRow(ChatExample(m_format, text, it.answer), call, extra));
      }
    }
    m_items.clear();
    m_second_leg = false;
    return false;
  }

 private:
  struct Item {
    std::string instruction, answer, pivot;
    size_t call = SIZE_MAX, back_call = SIZE_MAX;
  };
  synth::TemplateVars Vars(std::string task, std::string text, std::string reply = "Reply with only the rewritten text.") const {
    return {{"task", std::move(task)}, {"text", std::move(text)}, {"reply_format", std::move(reply)}, {"language", m_language}};
  }
  std::string m_mode = "paraphrase", m_language = "French", m_source_language = "English";
  Format m_format = Format::Messages;
  std::vector<Item> m_items;
  bool m_second_leg = false;
};

}  // namespace
WINNOW_REGISTER_STEP(SynthParaphraseStep, "synth.paraphrase", "LLM: paraphrases, easier / harder variants or back-translations of the input instructions");
}  // namespace winnow
