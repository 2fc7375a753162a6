// Word-level diff of two texts (longest common subsequence over whitespace-separated tokens),
// for the side-by-side view of near-duplicate rows.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace winnow::ui {

struct DiffToken {
  std::string_view text;  // a word with its trailing whitespace, viewing the input
  bool common = false;    // also present, in order, in the other text
};

struct WordDiff {
  std::vector<DiffToken> left, right;
  size_t common_words = 0;
};

// Texts longer than max_words words are compared on their first max_words words only (the LCS
// table is quadratic); the remainder is marked as not common.
WordDiff DiffWords(std::string_view a, std::string_view b, size_t max_words = 2000);

}  // namespace winnow::ui
