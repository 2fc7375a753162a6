// synth.reverse_instruction: for each input row's good text (a "text" row, or the assistant turns),
// the instruction that would elicit it; the pair becomes a new row. With "keep_source": false the
// input row is dropped (reason "reversed") so only the pairs remain.
#include "pipeline/example_view.h"
#include "pipeline/pipeline_config.h"
#include "pipeline/step_synth_common.h"

namespace winnow {
namespace {

using nlohmann::json;

class SynthReverseInstructionStep final : public SynthStep {
 public:
  std::string_view Type() const override { return "synth.reverse_instruction"; }

 protected:
  Templates DefaultTemplates() const override {
    return {"You write the instructions that training examples answer. You reply with the instruction only.",
            "Here is a text written by a helpful assistant:\n\n{{text}}\n\nWrite the user's instruction or question "
            "that this text would be the ideal response to. Reply with only the instruction.",
            {"text"}};
  }
  std::vector<std::string_view> RecipeKeys() const override { return {"keep_source", "format"}; }
  Status ConfigureRecipe(const json& p) override {
    Status st = GetParam(Type(), p, "keep_source", &m_keep_source);
    if (!st.ok()) return st;
    return ParseChatFormat(Type(), p, &m_format);
  }
  json RecipeParams() const override { return json{{"keep_source", m_keep_source}, {"format", FormatName(m_format)}}; }
  void StartBatch(std::span<Row*> rows, StepContext&) override {
    std::string text;
    for (Row* r : rows) {
      if (r->ex.has_text) text = r->ex.text;
      else ViewText(r->ex, TextView::Assistant, &text);
      if (text.empty()) continue;
      m_items.push_back({r, text, AddCall(Prompt({{"text", text}}), {})});
    }
  }
  bool Complete(StepContext&) override {
    for (const Item& it : m_items) {
      const synth::CallOutcome& o = Outcome(it.call);
      if (!o.ok) continue;
      std::string instr = o.text;
      while (!instr.empty() && (instr.back() == '\n' || instr.back() == ' ')) instr.pop_back();
      AddGenerated(MakeRow(ChatExample(m_format, instr, it.text), it.call));
      if (!m_keep_source) it.row->verdict = Verdict{VerdictKind::Drop, {}, "reversed", "replaced by a generated instruction / response pair"};
    }
    m_items.clear();
    return false;
  }

 private:
  struct Item {
    Row* row;
    std::string text;
    size_t call;
  };
  bool m_keep_source = true;
  Format m_format = Format::Alpaca;
  std::vector<Item> m_items;
};

}  // namespace
WINNOW_REGISTER_STEP(SynthReverseInstructionStep, "synth.reverse_instruction", "LLM: write the instruction that would elicit each input text");
}  // namespace winnow
