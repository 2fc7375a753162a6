#include "filters/gopher_repetition.h"

#include <algorithm>
#include <cstdint>
#include <string>
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

// Extends the hash of an n-gram by one word (n-gram hashes are built up from n = 1).
uint64_t Extend(uint64_t h, uint64_t word) { return (h ^ word) * 0x100000001B3ull + (h >> 29) + 0x9E3779B97F4A7C15ull; }

// Open-addressing table of n-gram hashes -> (count, first position), reused across n: a hash
// map would allocate a node per n-gram, and these texts have hundreds to thousands of them.
class GramTable {
 public:
  void Reset(size_t items) {
    size_t cap = 16;
    while (cap < items * 2) cap <<= 1;
    m_keys.assign(cap, 0);
    m_used.assign(cap, 0);
    m_count.assign(cap, 0);
    m_first.assign(cap, 0);
    m_mask = cap - 1;
  }
  // Adds one occurrence; returns its slot.
  size_t Add(uint64_t key, uint32_t pos) {
    size_t i = static_cast<size_t>(key ^ (key >> 31)) & m_mask;
    while (m_used[i] && m_keys[i] != key) i = (i + 1) & m_mask;
    if (!m_used[i]) {
      m_used[i] = 1;
      m_keys[i] = key;
      m_first[i] = pos;
    }
    ++m_count[i];
    return i;
  }
  uint32_t Count(size_t slot) const { return m_count[slot]; }
  uint32_t First(size_t slot) const { return m_first[slot]; }

 private:
  std::vector<uint64_t> m_keys;
  std::vector<uint8_t> m_used;
  std::vector<uint32_t> m_count, m_first;
  size_t m_mask = 0;
};

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

  // gram[i] holds the hash of the n-gram starting at word i, extended by one word per round.
  std::vector<uint64_t> gram(wh.size());
  for (size_t i = 0; i < wh.size(); ++i) gram[i] = Extend(0, wh[i]);
  std::vector<uint64_t> gram_chars(wlen);  // code points of the n-gram at i
  std::vector<uint8_t> covered(wh.size());
  GramTable table;
  for (size_t n = 2; n <= 10 && n <= wh.size(); ++n) {
    const size_t count = wh.size() - n + 1;
    for (size_t i = 0; i < count; ++i) {
      gram[i] = Extend(gram[i], wh[i + n - 1]);
      gram_chars[i] += wlen[i + n - 1];
    }
    table.Reset(count);
    if (n <= 4) {
      // Most repeated n-gram: the largest count x length among n-grams seen at least twice
      // (independent of the order of the table).
      uint64_t best = 0;
      for (size_t i = 0; i < count; ++i) {
        size_t slot = table.Add(gram[i], static_cast<uint32_t>(i));
        uint64_t c = table.Count(slot);
        if (c >= 2) best = std::max<uint64_t>(best, c * gram_chars[table.First(slot)]);
      }
      // Overlapping occurrences ("a a a") can count a word twice: cap at 1.
      r.top_ngram_char_frac[n - 2] = std::min(1.0, static_cast<double>(best) / denom);
    } else {
      // Words covered by an n-gram that already occurred earlier in the text.
      std::fill(covered.begin(), covered.end(), 0);
      for (size_t i = 0; i < count; ++i) {
        size_t slot = table.Add(gram[i], static_cast<uint32_t>(i));
        if (table.Count(slot) >= 2) {
          for (size_t k = 0; k < n; ++k) covered[i + k] = 1;
        }
      }
      uint64_t dup_chars = 0;
      for (size_t i = 0; i < wh.size(); ++i) dup_chars += covered[i] ? wlen[i] : 0;
      r.dup_ngram_char_frac[n - 5] = static_cast<double>(dup_chars) / denom;
    }
  }
  return r;
}

}  // namespace winnow
