// TextStats: one pass over UTF-8 text counting what the quality signals need (code points, words,
// letters, digits, symbols, CJK), plus the word / line / paragraph splitting they share.
// Needs no Unicode tables: character classes are coarse block ranges (see CharClassOf).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace winnow {

enum class CharClass : uint8_t {
  Space,    // ASCII whitespace, NBSP, the U+2000 spaces, ideographic space
  Letter,   // ASCII letters and, coarsely, every code point of a letter-bearing block
  Digit,    // ASCII digits and full-width digits
  Cjk,      // Han, kana, CJK compatibility (scripts written without spaces; one word per char)
  Symbol,   // everything else: punctuation, symbols, emoji, controls, U+FFFD
};
CharClass CharClassOf(char32_t cp);

struct TextStats {
  uint64_t code_points = 0;
  uint64_t letters = 0;    // Letter + Cjk
  uint64_t digits = 0;
  uint64_t symbols = 0;    // Symbol class (non-space, non-alphanumeric)
  uint64_t cjk = 0;
  uint64_t words = 0;      // see SplitWords
  uint64_t spaced_words = 0;        // words that are not single CJK characters
  uint64_t spaced_word_chars = 0;   // code points in those words
  uint64_t hash_and_ellipsis = 0;   // '#' characters plus "..." / U+2026 occurrences (Gopher)
};
TextStats ComputeTextStats(std::string_view text);

// Words: maximal runs of non-space code points; each CJK code point is a word of its own.
// Views into `text`.
void SplitWords(std::string_view text, std::vector<std::string_view>* out);
// Lines split on '\n' ('\r' before it dropped); blank lines (whitespace only) omitted; each line
// trimmed of surrounding ASCII whitespace.
void SplitLines(std::string_view text, std::vector<std::string_view>* out);
// Paragraphs: separated by one or more blank lines; trimmed; empty ones omitted.
void SplitParagraphs(std::string_view text, std::vector<std::string_view>* out);

// ASCII-lowercased copy with runs of whitespace collapsed to one space, trimmed, and typographic
// apostrophes / quotes (U+2018, U+2019, U+201C, U+201D) folded to ASCII. Used for phrase matching
// and equality tests that should ignore case and spacing.
std::string NormalizeForMatch(std::string_view text);

bool IsBlank(std::string_view text);

}  // namespace winnow
