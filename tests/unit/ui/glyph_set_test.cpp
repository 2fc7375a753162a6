// GlyphSet: which characters of the data the base font lacks, and the ranges the atlas gets.
#include "ui/glyph_set.h"

#include <gtest/gtest.h>

namespace winnow::ui {
namespace {

TEST(GlyphSet, BaseScriptsAreNotExtra) {
  GlyphSet g;
  EXPECT_FALSE(g.Note("plain ASCII, café, Ελληνικά, кириллица, “quotes” → ✓"));
  EXPECT_EQ(g.size(), 0u);
  EXPECT_FALSE(g.dirty());
  EXPECT_TRUE(GlyphSet::InBase(U'é'));
  EXPECT_TRUE(GlyphSet::InBase(0xFFFD));
  EXPECT_FALSE(GlyphSet::InBase(U'你'));
}

TEST(GlyphSet, CollectsCjkOnceEachInOrder) {
  GlyphSet g;
  EXPECT_TRUE(g.Note("你好，世界 hello 你好"));  // 你 好 ， 世 界: five distinct, the comma is fullwidth
  EXPECT_EQ(g.size(), 5u);
  EXPECT_TRUE(g.Contains(U'你'));
  EXPECT_TRUE(g.Contains(U'，'));
  EXPECT_FALSE(g.Contains(U'h'));
  EXPECT_TRUE(g.TakeDirty());
  EXPECT_FALSE(g.TakeDirty());
  EXPECT_FALSE(g.Note("世界"));  // nothing new: not dirty again
  EXPECT_FALSE(g.dirty());
  EXPECT_TRUE(g.Note("こんにちは"));  // hiragana
  EXPECT_TRUE(g.Contains(U'こ'));
}

TEST(GlyphSet, RangesMergeRunsAndEndWithZero) {
  GlyphSet g;
  g.Note("\u4E00\u4E01\u4E02 \u4E10 \u3042");
  std::vector<uint16_t> r = g.Ranges();
  ASSERT_EQ(r.size(), 7u);
  EXPECT_EQ(r[0], 0x3042);
  EXPECT_EQ(r[1], 0x3042);
  EXPECT_EQ(r[2], 0x4E00);
  EXPECT_EQ(r[3], 0x4E02);
  EXPECT_EQ(r[4], 0x4E10);
  EXPECT_EQ(r[5], 0x4E10);
  EXPECT_EQ(r[6], 0);
  EXPECT_EQ(GlyphSet().Ranges(), std::vector<uint16_t>{0});
}

TEST(GlyphSet, AboveBmpAndInvalidBytesAreSkipped) {
  GlyphSet g;
  // An emoji (U+1F600) cannot be a 16-bit ImWchar; a lone continuation byte and a truncated
  // sequence are invalid UTF-8 and skipped without reading past the end.
  EXPECT_FALSE(g.Note("\xF0\x9F\x98\x80 \x80 \xE4\xBD"));
  EXPECT_EQ(g.size(), 0u);
}

TEST(GlyphSet, StopsAtItsCapAndCountsTheRest) {
  GlyphSet g(3);
  g.Note("\u4E00\u4E01\u4E02\u4E03\u4E04");
  EXPECT_EQ(g.size(), 3u);
  EXPECT_EQ(g.dropped(), 2u);
  EXPECT_TRUE(g.Contains(0x4E02));
  EXPECT_FALSE(g.Contains(0x4E03));
}

TEST(GlyphSet, WideCharactersTakeTwoColumns) {
  EXPECT_EQ(CharColumns(U'a'), 1);
  EXPECT_EQ(CharColumns(U'é'), 1);
  EXPECT_EQ(CharColumns(U'я'), 1);
  EXPECT_EQ(CharColumns(U'你'), 2);
  EXPECT_EQ(CharColumns(U'こ'), 2);
  EXPECT_EQ(CharColumns(U'한'), 2);
  EXPECT_EQ(CharColumns(U'，'), 2);  // fullwidth comma
}

}  // namespace
}  // namespace winnow::ui
