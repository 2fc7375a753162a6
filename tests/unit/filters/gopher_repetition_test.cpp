// Gopher repetition measures on hand-made texts with known answers.
#include <gtest/gtest.h>

#include "filters/gopher_repetition.h"

using namespace winnow;

TEST(GopherRepetition, DuplicateLines) {
  GopherRepetition r = ComputeGopherRepetition("buy now\nbuy now\nbuy now\nthanks for reading");
  EXPECT_DOUBLE_EQ(r.dup_line_frac, 0.5);                   // 2 of 4 lines repeat an earlier one
  EXPECT_DOUBLE_EQ(r.dup_line_char_frac, 14.0 / 39.0);      // 7+7 of 7+7+7+18 chars
  EXPECT_DOUBLE_EQ(r.dup_para_frac, 0.0);                   // one paragraph
}

TEST(GopherRepetition, DuplicateParagraphs) {
  GopherRepetition r = ComputeGopherRepetition("alpha beta\n\ngamma\n\nalpha beta\n\nalpha beta");
  EXPECT_DOUBLE_EQ(r.dup_para_frac, 0.5);
  EXPECT_DOUBLE_EQ(r.dup_para_char_frac, 20.0 / 35.0);
}

TEST(GopherRepetition, TopNgram) {
  // "the cat" occurs 3 times with 6 word characters each; the text has 39 characters.
  GopherRepetition r = ComputeGopherRepetition("the cat sat on the cat mat with the cat");
  EXPECT_DOUBLE_EQ(r.top_ngram_char_frac[0], 18.0 / 39.0);
  EXPECT_DOUBLE_EQ(r.top_ngram_char_frac[1], 0.0);  // no 3-gram repeats
  EXPECT_EQ(r.words, 10u);
}

TEST(GopherRepetition, CaseInsensitiveWords) {
  GopherRepetition r = ComputeGopherRepetition("The Cat and the cat");
  EXPECT_GT(r.top_ngram_char_frac[0], 0.0);
}

TEST(GopherRepetition, DuplicateFiveGrams) {
  std::string s = "one two three four five six seven eight nine ten";
  GopherRepetition once = ComputeGopherRepetition(s);
  for (double f : once.dup_ngram_char_frac) EXPECT_EQ(f, 0.0);
  GopherRepetition twice = ComputeGopherRepetition(s + " " + s);
  // Every word of the second copy (39 word characters) is inside a repeated 5..10-gram; the
  // text has 2 * 48 + 1 characters.
  for (double f : twice.dup_ngram_char_frac) EXPECT_DOUBLE_EQ(f, 39.0 / 97.0);
}

TEST(GopherRepetition, EmptyText) {
  GopherRepetition r = ComputeGopherRepetition("");
  EXPECT_EQ(r.words, 0u);
  EXPECT_EQ(r.dup_line_frac, 0.0);
  EXPECT_EQ(r.top_ngram_char_frac[0], 0.0);
}
