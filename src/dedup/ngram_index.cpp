#include "dedup/ngram_index.h"

#include <algorithm>

#include "core/hash.h"
#include "dedup/minhash.h"

namespace winnow {

void NgramIndex::Words(std::string_view text, std::vector<uint64_t>* out) {
  out->clear();
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; };
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && space(text[i])) ++i;
    size_t b = i;
    while (i < text.size() && !space(text[i])) ++i;
    if (i > b) out->push_back(Hash64(text.substr(b, i - b), 0xDEC0));
  }
}

uint64_t NgramIndex::Combine(const uint64_t* w, size_t len) {
  uint64_t h = 0x452821E638D01377ULL ^ len;
  for (size_t j = 0; j < len; ++j) h = Mix64(h * 0x100000001B3ULL + w[j]);
  return h;
}

void NgramIndex::Add(std::string_view text, uint32_t ref) {
  std::vector<uint64_t> w;
  Words(text, &w);
  if (w.empty()) return;
  const size_t n = static_cast<size_t>(m_n);
  if (w.size() < n) {
    int len = static_cast<int>(w.size());
    if (std::find(m_short_lengths.begin(), m_short_lengths.end(), len) == m_short_lengths.end()) {
      m_short_lengths.push_back(len);
      std::sort(m_short_lengths.begin(), m_short_lengths.end());
    }
    m_grams.emplace(Combine(w.data(), w.size()), ref);
    return;
  }
  for (size_t k = 0; k + n <= w.size(); ++k) m_grams.emplace(Combine(w.data() + k, n), ref);
}

NgramIndex::Hit NgramIndex::Query(std::string_view text) const {
  Hit hit;
  if (m_grams.empty()) return hit;
  std::vector<uint64_t> w;
  Words(text, &w);
  const size_t n = static_cast<size_t>(m_n);
  auto probe = [&](size_t len) {
    for (size_t k = 0; k + len <= w.size(); ++k) {
      ++hit.total;
      auto it = m_grams.find(Combine(w.data() + k, len));
      if (it == m_grams.end()) continue;
      if (!hit.found) {
        hit.found = true;
        hit.ref = it->second;
      }
      ++hit.matches;
    }
  };
  probe(n);
  // Short references: only when no full n-gram matched (the common case is a clean example).
  if (!hit.found) {
    for (int len : m_short_lengths) probe(static_cast<size_t>(len));
  }
  return hit;
}

}  // namespace winnow
