// Code fences, HTML leftovers, mojibake and tool-call JSON, each with positive and negative cases.
#include <gtest/gtest.h>

#include "filters/markup_checks.h"

using namespace winnow;

TEST(MarkupChecks, CodeFences) {
  EXPECT_FALSE(HasUnbalancedCodeFence("no code"));
  EXPECT_FALSE(HasUnbalancedCodeFence("```python\nprint(1)\n```\ntext"));
  EXPECT_FALSE(HasUnbalancedCodeFence("~~~\na\n~~~\n````\n```\nstill code\n````"));
  EXPECT_TRUE(HasUnbalancedCodeFence("Here:\n```js\nconsole.log(1)\n"));
  EXPECT_TRUE(HasUnbalancedCodeFence("````\ncode\n```\n"));  // a shorter fence does not close
  EXPECT_TRUE(HasUnbalancedCodeFence("```\na\n```\n```\nb"));
  EXPECT_FALSE(HasUnbalancedCodeFence("inline ``` code ``` here"));  // not a fence line
}

TEST(MarkupChecks, RemoveFencedCode) {
  EXPECT_EQ(RemoveFencedCode("a\n```\n}\n}\n```\nb"), "a\nb");
  EXPECT_EQ(RemoveFencedCode("plain"), "plain");
}

TEST(MarkupChecks, HtmlLeftovers) {
  EXPECT_EQ(CountHtmlLeftovers("<p>Hello</p><br/>"), 3);
  EXPECT_EQ(CountHtmlLeftovers("Use <span class=\"x\">this</span> &nbsp; &amp; &#39;"), 5);
  EXPECT_EQ(CountHtmlLeftovers("if a < b and c > d"), 0);
  EXPECT_EQ(CountHtmlLeftovers("List<T> and Map<K, V>"), 0);
  EXPECT_EQ(CountHtmlLeftovers("AT&T and R&D; fish & chips"), 0);
  EXPECT_EQ(CountHtmlLeftovers("Write `<div>` inline, or:\n```html\n<div><p>x</p></div>\n```\n"), 0);
  EXPECT_EQ(CountHtmlLeftovers("`<b>` is fine but <b>this</b> is not"), 2);
}

TEST(MarkupChecks, Mojibake) {
  EXPECT_EQ(CountMojibake("cafÃ© and donâ€™t"), 2);
  EXPECT_EQ(CountMojibake("Ã¼ber"), 1);
  EXPECT_EQ(CountMojibake("bad \xEF\xBF\xBD byte"), 1);  // U+FFFD
  EXPECT_EQ(CountMojibake("café, don’t, über, naïve, São Paulo, Ærø"), 0);
  EXPECT_EQ(CountMojibake("Er sagte „groß“ und ging."), 0);
  EXPECT_EQ(CountMojibake("日本語のテキスト"), 0);
}

TEST(MarkupChecks, ToolJson) {
  std::vector<std::string_view> ok = {
      R"([{"type":"function","function":{"name":"f","arguments":"{\"x\":1}"}}])",
      R"([{"function":{"name":"g","arguments":{"y":2}}}])",
      R"({"name":"h","arguments":"{}"})"};
  EXPECT_EQ(CountInvalidToolJson(ok, R"([{"name":"f"}])"), 0);
  std::vector<std::string_view> bad_outer = {R"([{"function":{"name":"f")"};
  EXPECT_EQ(CountInvalidToolJson(bad_outer, ""), 1);
  std::vector<std::string_view> bad_args = {R"([{"function":{"name":"f","arguments":"{x:1}"}}])"};
  EXPECT_EQ(CountInvalidToolJson(bad_args, ""), 1);
  EXPECT_EQ(CountInvalidToolJson({}, "[{\"name\": }"), 1);
  EXPECT_EQ(CountInvalidToolJson({}, ""), 0);
}
