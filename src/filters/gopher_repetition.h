// GopherRepetition: the repetition measures of the Gopher / MassiveText quality rules (Rae et al.
// 2021): duplicate lines and paragraphs, the most frequent 2..4-gram, characters inside repeated
// 5..10-grams. Words are compared ASCII-case-insensitively; lengths are in code points.
#pragma once
#include <array>
#include <string_view>

namespace winnow {

struct GopherRepetition {
  double dup_line_frac = 0;        // duplicate lines / lines
  double dup_para_frac = 0;        // duplicate paragraphs / paragraphs
  double dup_line_char_frac = 0;   // code points in duplicate lines / code points in all lines
  double dup_para_char_frac = 0;   // same for paragraphs
  std::array<double, 3> top_ngram_char_frac{};  // n = 2, 3, 4: word chars of the most repeated
                                                 // n-gram times its count / chars of the text
  std::array<double, 6> dup_ngram_char_frac{};  // n = 5..10: chars of words inside an n-gram seen
                                                 // earlier / chars of the text
  size_t words = 0;
};

GopherRepetition ComputeGopherRepetition(std::string_view text);

}  // namespace winnow
