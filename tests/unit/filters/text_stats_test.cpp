// TextStats, word / line / paragraph splitting and match normalization.
#include <gtest/gtest.h>

#include "filters/text_stats.h"

using namespace winnow;

TEST(TextStats, CountsWordsLettersDigitsSymbols) {
  TextStats st = ComputeTextStats("Hello, world 42!");
  EXPECT_EQ(st.code_points, 16u);
  EXPECT_EQ(st.words, 3u);
  EXPECT_EQ(st.letters, 10u);
  EXPECT_EQ(st.digits, 2u);
  EXPECT_EQ(st.symbols, 2u);  // ',' and '!'
  EXPECT_EQ(st.cjk, 0u);
}

TEST(TextStats, CjkCharactersAreWordsOfTheirOwn) {
  TextStats st = ComputeTextStats("我爱北京 ok");
  EXPECT_EQ(st.cjk, 4u);
  EXPECT_EQ(st.words, 5u);
  EXPECT_EQ(st.spaced_words, 1u);
  EXPECT_EQ(st.spaced_word_chars, 2u);
}

TEST(TextStats, NonAsciiLettersAndSpaces) {
  EXPECT_EQ(CharClassOf(U'é'), CharClass::Letter);
  EXPECT_EQ(CharClassOf(U'Ж'), CharClass::Letter);
  EXPECT_EQ(CharClassOf(U'ب'), CharClass::Letter);
  EXPECT_EQ(CharClassOf(0x00A0), CharClass::Space);
  EXPECT_EQ(CharClassOf(0x3000), CharClass::Space);
  EXPECT_EQ(CharClassOf(U'—'), CharClass::Symbol);
  EXPECT_EQ(CharClassOf(0x1F600), CharClass::Symbol);  // emoji
  EXPECT_EQ(CharClassOf(U'٣'), CharClass::Digit);
  EXPECT_EQ(CharClassOf(U'ア'), CharClass::Cjk);
  EXPECT_EQ(CharClassOf(U'한'), CharClass::Letter);  // Korean is written with spaces
}

TEST(TextStats, HashesAndEllipses) {
  EXPECT_EQ(ComputeTextStats("# Title ... and more… #tag").hash_and_ellipsis, 4u);
  EXPECT_EQ(ComputeTextStats("a.b.c").hash_and_ellipsis, 0u);
}

TEST(TextStats, SplitLinesAndParagraphs) {
  std::vector<std::string_view> v;
  SplitLines("  one \r\n\ntwo\n   \nthree", &v);
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0], "one");
  EXPECT_EQ(v[1], "two");
  EXPECT_EQ(v[2], "three");
  SplitParagraphs("a\nb\n\n\nc\n \nd", &v);
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0], "a\nb");
  EXPECT_EQ(v[1], "c");
  EXPECT_EQ(v[2], "d");
  SplitWords("x  y\tz", &v);
  EXPECT_EQ(v.size(), 3u);
}

TEST(TextStats, NormalizeForMatch) {
  EXPECT_EQ(NormalizeForMatch("  I\u2019m   SORRY,\n\tBut "), "i'm sorry, but");
  EXPECT_EQ(NormalizeForMatch("\u201CQuoted\u201D \u00C9t\u00E9"), "\"quoted\" \u00C9t\u00E9");  // non-ASCII kept as is
  EXPECT_TRUE(IsBlank(" \n\t\u00A0\u3000"));
  EXPECT_FALSE(IsBlank(" . "));
}
