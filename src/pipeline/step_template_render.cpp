// template.render: renders each example with a chat template and writes the result into the
// row, for trainers that take pre-rendered text: field "text" (configurable) holds the rendered
// string and "assistant_spans" the assistant output as [start, end) offsets in Unicode code
// points (Python string indices; from {% generation %} blocks when the template has them,
// otherwise each assistant message located in order). Rows the template rejects are dropped
// (or flagged) with the template's message.
#include "pipeline/pipeline_config.h"
#include "pipeline/step.h"
#include "pipeline/step_util.h"
#include "template/chat_template.h"

namespace winnow {

namespace {

class TemplateRenderStep final : public Step {
 public:
  std::string_view Type() const override { return "template.render"; }

  Status Configure(const nlohmann::json& p) override {
    Status st = CheckParamKeys(Type(), p, {"template", "template_file", "template_source", "template_name", "field",
                                           "spans_field", "on_error", "add_generation_prompt"});
    if (!st.ok()) return st;
    if (!(st = GetParam(Type(), p, "template", &m_builtin)).ok()) return st;
    if (!(st = GetParam(Type(), p, "template_file", &m_template_file)).ok()) return st;
    if (!(st = GetParam(Type(), p, "template_source", &m_template_source)).ok()) return st;
    if (!(st = GetParam(Type(), p, "template_name", &m_template_name)).ok()) return st;
    if (!(st = GetParam(Type(), p, "field", &m_field)).ok()) return st;
    if (!(st = GetParam(Type(), p, "spans_field", &m_spans_field)).ok()) return st;
    if (!(st = GetParam(Type(), p, "on_error", &m_on_error, {"drop", "flag"})).ok()) return st;
    if (!(st = GetParam(Type(), p, "add_generation_prompt", &m_agp)).ok()) return st;
    if (m_field.empty()) return Error{"bad_config", "template.render: \"field\" must not be empty"};
    int sources = !m_builtin.empty() + !m_template_file.empty() + !m_template_source.empty();
    if (sources != 1) {
      return Error{"bad_config", "template.render: give exactly one of \"template\" (a built-in), \"template_file\" or \"template_source\""};
    }
    if (!m_builtin.empty()) {
      auto t = BuiltinChatTemplate(m_builtin);
      if (!t.ok()) return Error{"bad_config", "template.render: " + t.error().message};
      m_template = std::move(t.value());
    } else if (!m_template_source.empty()) {
      auto t = MakeChatTemplate("template_source", m_template_source);
      if (!t.ok()) return Error{"bad_config", "template.render: " + t.error().message};
      m_template = std::move(t.value());
    }
    return Status::Ok();
  }

  nlohmann::json Params() const override {
    nlohmann::json j{{"field", m_field}, {"spans_field", m_spans_field}, {"on_error", m_on_error}, {"add_generation_prompt", m_agp}};
    if (!m_builtin.empty()) j["template"] = m_builtin;
    if (!m_template_file.empty()) j["template_file"] = m_template_file;
    if (!m_template_source.empty()) j["template_source"] = m_template_source;
    if (!m_template_name.empty()) j["template_name"] = m_template_name;
    return j;
  }

  Status Prepare(StepContext& ctx) override {
    if (m_template_file.empty()) return Status::Ok();
    if (!ctx.read_file) return Error{"unsupported", "template.render: this front end cannot read files"};
    auto text = ctx.read_file(m_template_file);
    if (!text.ok()) return Error{text.error().code, "template.render: cannot read " + m_template_file + ": " + text.error().message};
    auto t = ChatTemplateFromText(m_template_file, text.value(), m_template_name);
    if (!t.ok()) return Error{"bad_config", "template.render: " + t.error().message};
    m_template = std::move(t.value());
    return Status::Ok();
  }

  void Process(std::span<Row*> rows, StepContext& ctx) override {
    RenderExampleOptions opt;
    opt.add_generation_prompt = m_agp;
    for (Row* r : rows) {
      if (ctx.cancel && ctx.cancel->Cancelled()) return;
      auto rendered = RenderExample(m_template, r->ex, opt);
      if (!rendered.ok()) {
        ++m_errors;
        Verdict v{m_on_error == "drop" ? VerdictKind::Drop : VerdictKind::Flag, "",
                  rendered.error().code == "template_raise" ? "template_raise" : "template_error",
                  "template " + m_template.name + ": " + rendered.error().message};
        if (m_on_error == "drop") r->verdict = v;
        else r->flags.push_back(v);
        continue;
      }
      const RenderedExample& re = rendered.value();
      nlohmann::ordered_json meta = r->ex.meta.empty() ? nlohmann::ordered_json::object()
                                                       : nlohmann::ordered_json::parse(r->ex.meta, nullptr, false);
      if (meta.is_discarded() || !meta.is_object()) meta = nlohmann::ordered_json::object();
      meta[m_field] = re.text;
      if (!m_spans_field.empty()) {
        nlohmann::ordered_json spans = nlohmann::ordered_json::array();
        for (const auto& s : re.assistant) spans.push_back({CodePointOffset(re.text, s.begin), CodePointOffset(re.text, s.end)});
        meta[m_spans_field] = spans;
      }
      r->ex.meta = meta.dump();
      ++m_rendered;
      if (re.assistant_from_generation) ++m_from_generation;
      m_missing_assistant += re.assistant_messages_missing;
    }
  }

  nlohmann::json Report() const override {
    return nlohmann::json{{"template", m_template.name}, {"rendered", m_rendered}, {"errors", m_errors},
                          {"spans_from_generation_blocks", m_from_generation},
                          {"assistant_messages_not_located", m_missing_assistant}};
  }

 private:
  std::string m_builtin, m_template_file, m_template_source, m_template_name;
  std::string m_field = "text", m_spans_field = "assistant_spans", m_on_error = "drop";
  bool m_agp = false;
  ChatTemplate m_template;
  uint64_t m_rendered = 0, m_errors = 0, m_from_generation = 0, m_missing_assistant = 0;
};

}  // namespace

WINNOW_REGISTER_STEP(TemplateRenderStep, "template.render",
                     "Render each example with a chat template into a text field plus assistant spans, for trainers that take pre-rendered text");

}  // namespace winnow
