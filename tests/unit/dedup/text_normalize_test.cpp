#include <gtest/gtest.h>

#include "dedup/text_normalize.h"

using namespace winnow;

namespace {
std::string N(std::string_view s, NormalizeOptions o = {}) {
  std::string out;
  NormalizeText(s, o, &out);
  return out;
}
}  // namespace

TEST(TextNormalize, DefaultsFoldCaseWhitespaceAndCompatibilityForms) {
  EXPECT_EQ(N("  Hello\t\tWORLD \n"), "hello world");
  EXPECT_EQ(N("\xEF\xBC\xA8\xEF\xBD\x85llo"), "hello");             // fullwidth H, e
  EXPECT_EQ(N("a\xC2\xA0" "b\xE3\x80\x80" "c"), "a b c");           // NBSP, ideographic space
  EXPECT_EQ(N("\xEF\xAC\x81nd"), "find");                            // fi ligature
  EXPECT_EQ(N("x\xE2\x80\x8By"), "xy");                              // zero-width space removed
  EXPECT_EQ(N("wait\xE2\x80\xA6"), "wait...");                       // ellipsis
  EXPECT_EQ(N("\xC3\x84RGER \xD0\x9F\xD0\xA0\xD0\x98\xD0\x92\xD0\x95\xD0\xA2"), "\xC3\xA4rger \xD0\xBF\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82");
}

TEST(TextNormalize, OptionalPunctuationAndDigits) {
  NormalizeOptions o;
  o.punctuation = true;
  o.digits = true;
  // Punctuation goes first, so a dated "2024-01-02" becomes one digit run.
  EXPECT_EQ(N("Order #12345, shipped 2024-01-02!", o), "order 0 shipped 0");
  o.punctuation = false;
  EXPECT_EQ(N("Order #12345, shipped 2024-01-02!", o), "order #0, shipped 0-0-0!");
  NormalizeOptions raw;
  raw.nfkc = raw.lowercase = raw.whitespace = false;
  EXPECT_EQ(N("  A\xC2\xA0" "B  ", raw), "  A\xC2\xA0" "B  ");
}

TEST(TextNormalize, InvalidBytesPassThrough) {
  EXPECT_EQ(N("a\xFF" "B"), "a\xFF" "b");
}

TEST(TextNormalize, SimpleLowerCoversLatinGreekCyrillic) {
  EXPECT_EQ(SimpleLower(U'Z'), U'z');
  EXPECT_EQ(SimpleLower(U'\u00C9'), U'\u00E9');
  EXPECT_EQ(SimpleLower(U'\u00D7'), U'\u00D7');  // multiplication sign is not a letter
  EXPECT_EQ(SimpleLower(U'\u0141'), U'\u0142');  // Ł
  EXPECT_EQ(SimpleLower(U'\u03A3'), U'\u03C3');
  EXPECT_EQ(SimpleLower(U'\u0401'), U'\u0451');
  EXPECT_EQ(SimpleLower(U'\u4E2D'), U'\u4E2D');
}
