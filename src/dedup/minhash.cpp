#include "dedup/minhash.h"

#include <algorithm>
#include <limits>

#include "core/hash.h"

namespace winnow {

uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

MinHasher::MinHasher(const MinHashOptions& opts) : m_opts(opts) {
  uint64_t s = opts.seed;
  m_mul.resize(static_cast<size_t>(opts.num_perm));
  m_add.resize(static_cast<size_t>(opts.num_perm));
  for (size_t p = 0; p < m_mul.size(); ++p) {
    m_mul[p] = static_cast<uint32_t>(SplitMix64(&s) >> 32) | 1;
    m_add[p] = static_cast<uint32_t>(SplitMix64(&s) >> 32);
  }
}

namespace {
bool IsAsciiSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }
}  // namespace

void MinHasher::Shingles(std::string_view text, std::vector<uint64_t>* out) const {
  out->clear();
  const size_t n = static_cast<size_t>(std::max(1, m_opts.ngram));
  if (m_opts.kind == ShingleKind::Word) {
    // Hash each word once, then combine n consecutive word hashes.
    thread_local std::vector<uint64_t> words;
    words.clear();
    size_t i = 0;
    while (i < text.size()) {
      while (i < text.size() && IsAsciiSpace(text[i])) ++i;
      size_t b = i;
      while (i < text.size() && !IsAsciiSpace(text[i])) ++i;
      if (i > b) words.push_back(Hash64(text.substr(b, i - b), 0x5EED));
    }
    if (words.empty()) return;
    size_t count = words.size() >= n ? words.size() - n + 1 : 1;
    size_t len = std::min(n, words.size());
    out->reserve(count);
    for (size_t k = 0; k < count; ++k) {
      uint64_t h = 0x243F6A8885A308D3ULL;
      for (size_t j = 0; j < len; ++j) h = Mix64(h * 0x100000001B3ULL + words[k + j]);
      out->push_back(h);
    }
  } else {
    // Character n-grams over code points (UTF-8 lead bytes mark code point starts).
    thread_local std::vector<uint32_t> starts;
    starts.clear();
    for (size_t i = 0; i < text.size(); ++i) {
      if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) starts.push_back(static_cast<uint32_t>(i));
    }
    if (starts.empty()) return;
    starts.push_back(static_cast<uint32_t>(text.size()));
    size_t cps = starts.size() - 1;
    size_t count = cps >= n ? cps - n + 1 : 1;
    size_t len = std::min(n, cps);
    out->reserve(count);
    for (size_t k = 0; k < count; ++k) {
      out->push_back(Hash64(text.substr(starts[k], starts[k + len] - starts[k]), 0x5EED));
    }
  }
  std::sort(out->begin(), out->end());
  out->erase(std::unique(out->begin(), out->end()), out->end());
}

void MinHasher::Signature(std::span<const uint64_t> shingles, uint64_t* sig) const {
  SignaturePrefix(shingles, sig, static_cast<int>(m_mul.size()));
}

void MinHasher::SignaturePrefix(std::span<const uint64_t> shingles, uint64_t* sig, int n) const {
  // Permutation p maps a shingle's 32-bit fold x to mul[p] * x + add[p] (mod 2^32; mul odd, so a
  // bijection): one 32-bit multiply-add and min per (shingle, permutation), the hot loop of
  // near-dedup, which compilers vectorize (SSE2 / wasm: 4 lanes; 64-bit lanes have no vector
  // multiply there). Shingle hashes are already uniform (XXH3 / Mix64), which this family needs.
  if (shingles.empty()) {
    std::fill(sig, sig + n, std::numeric_limits<uint64_t>::max());
    return;
  }
  thread_local std::vector<uint32_t> acc;
  acc.assign(static_cast<size_t>(n), std::numeric_limits<uint32_t>::max());
  uint32_t* a = acc.data();
  const uint32_t* mul = m_mul.data();
  const uint32_t* add = m_add.data();
  for (uint64_t s : shingles) {
    const uint32_t x = static_cast<uint32_t>(s >> 32) ^ static_cast<uint32_t>(s);
    for (int p = 0; p < n; ++p) {
      uint32_t v = mul[p] * x + add[p];
      a[p] = v < a[p] ? v : a[p];
    }
  }
  for (int p = 0; p < n; ++p) sig[p] = a[p];
}

double Jaccard(std::span<const uint64_t> a, std::span<const uint64_t> b) {
  if (a.empty() && b.empty()) return 1.0;
  size_t i = 0, j = 0, inter = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++inter;
      ++i;
      ++j;
    }
  }
  size_t uni = a.size() + b.size() - inter;
  return static_cast<double>(inter) / static_cast<double>(uni);
}

double SignatureSimilarity(const uint64_t* a, const uint64_t* b, int n) {
  int eq = 0;
  for (int i = 0; i < n; ++i) eq += a[i] == b[i];
  return n > 0 ? static_cast<double>(eq) / n : 0.0;
}

}  // namespace winnow
