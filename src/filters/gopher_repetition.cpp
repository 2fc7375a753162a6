#include "filters/gopher_repetition.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/hash.h"
#include "filters/text_stats.h"

namespace winnow {

namespace {

uint64_t CodePoints(std::string_view s) {
  uint64_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

uint64_t HashLowerAscii(std::string_view s, std::string* scratch) {
  scratch->assign(s);
  for (char& c : *scratch) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return Hash64(*scratch);
}

// Fraction of elements (and of their code points) that repeat an earlier element.
void DuplicateFractions(const std::vector<std::string_view>& parts, double* frac, double* char_frac) {
  *frac = 0;
  *char_frac = 0;
  if (parts.empty()) return;
  std::unordered_set<std::string_view> seen;
  uint64_t dup = 0, dup_chars = 0, chars = 0;
  for (std::string_view p : parts) {
    uint64_t n = CodePoints(p);
    chars += n;
    if (!seen.insert(p).second) {
      ++dup;
      dup_chars += n;
    }
  }
  *frac = static_cast<double>(dup) / static_cast<double>(parts.size());
  *char_frac = chars ? static_cast<double>(dup_chars) / static_cast<double>(chars) : 0;
}

uint64_t NgramHash(const std::vector<uint64_t>& wh, size_t at, size_t n) {
  uint64_t h = 0x9E3779B97F4A7C15ull;
  for (size_t k = 0; k < n; ++k) h = (h ^ wh[at + k]) * 0x100000001B3ull + (h >> 29);
  return h;
}

}  // namespace

GopherRepetition ComputeGopherRepetition(std::string_view text) {
  GopherRepetition r;
  std::vector<std::string_view> parts;
  SplitLines(text, &parts);
  DuplicateFractions(parts, &r.dup_line_frac, &r.dup_line_char_frac);
  SplitParagraphs(text, &parts);
  DuplicateFractions(parts, &r.dup_para_frac, &r.dup_para_char_frac);

  SplitWords(text, &parts);
  r.words = parts.size();
  std::vector<uint64_t> wh(parts.size()), wlen(parts.size());
  uint64_t total = 0;
  std::string scratch;
  for (size_t i = 0; i < parts.size(); ++i) {
    wh[i] = HashLowerAscii(parts[i], &scratch);
    wlen[i] = CodePoints(parts[i]);
    total += wlen[i];
  }
  if (total == 0) return r;
  // As in the usual implementations of the rules, fractions are of the whole text's characters
  // (spaces and punctuation included), not only of the words'.
  const double denom = static_cast<double>(CodePoints(text));

  // Most repeated n-gram, n = 2..4: the largest count x length among n-grams seen at least twice
  // (independent of map iteration order).
  std::unordered_map<uint64_t, std::pair<uint32_t, uint64_t>> counts;  // hash -> (count, chars)
  for (size_t n = 2; n <= 4; ++n) {
    counts.clear();
    uint64_t best = 0;
    for (size_t i = 0; i + n <= wh.size(); ++i) {
      uint64_t chars = 0;
      for (size_t k = 0; k < n; ++k) chars += wlen[i + k];
      auto& c = counts[NgramHash(wh, i, n)];
      c.first += 1;
      c.second = chars;
      if (c.first >= 2 && c.first * chars > best) best = c.first * chars;
    }
    // Overlapping occurrences ("a a a") can count a word twice: cap at 1.
    r.top_ngram_char_frac[n - 2] = std::min(1.0, static_cast<double>(best) / denom);
  }

  // Words covered by an n-gram that already occurred, n = 5..10.
  std::unordered_set<uint64_t> seen;
  std::vector<uint8_t> covered(wh.size());
  for (size_t n = 5; n <= 10; ++n) {
    seen.clear();
    std::fill(covered.begin(), covered.end(), 0);
    for (size_t i = 0; i + n <= wh.size(); ++i) {
      if (!seen.insert(NgramHash(wh, i, n)).second) {
        for (size_t k = 0; k < n; ++k) covered[i + k] = 1;
      }
    }
    uint64_t dup_chars = 0;
    for (size_t i = 0; i < wh.size(); ++i) dup_chars += covered[i] ? wlen[i] : 0;
    r.dup_ngram_char_frac[n - 5] = static_cast<double>(dup_chars) / denom;
  }
  return r;
}

}  // namespace winnow
