// MinHash signatures over word or character n-gram shingles (64-bit XXH3 shingle hashes; per
// signature position a seeded 32-bit multiply-add permutation of the hash's 32-bit fold, a loop
// compilers vectorize), and the exact Jaccard of shingle sets.
#pragma once
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace winnow {

enum class ShingleKind : uint8_t { Word, Char };

struct MinHashOptions {
  int num_perm = 128;   // signature length (number of hash functions), 8..1024
  int ngram = 5;        // shingle size in words (Word) or code points (Char)
  ShingleKind kind = ShingleKind::Word;
  uint64_t seed = 1;    // derives the permutations
};

class MinHasher {
 public:
  explicit MinHasher(const MinHashOptions& opts);
  const MinHashOptions& options() const { return m_opts; }
  // Sorted, de-duplicated hashes of the shingles of `text` (words are split on ASCII whitespace).
  // A text shorter than one n-gram yields one shingle of the whole text; an empty text none.
  void Shingles(std::string_view text, std::vector<uint64_t>* out) const;
  // Writes num_perm values into sig. With no shingles every value is UINT64_MAX.
  void Signature(std::span<const uint64_t> shingles, uint64_t* sig) const;
  // The first n values of the signature only (LSH uses bands × rows <= num_perm of them).
  void SignaturePrefix(std::span<const uint64_t> shingles, uint64_t* sig, int n) const;

 private:
  MinHashOptions m_opts;
  // Permutation p maps a shingle's 32-bit fold x to m_mul[p] * x + m_add[p] (mod 2^32, m_mul odd).
  std::vector<uint32_t> m_mul, m_add;
};

// |A ∩ B| / |A ∪ B| of two sorted, de-duplicated hash sets (1 when both are empty).
double Jaccard(std::span<const uint64_t> a, std::span<const uint64_t> b);
// Fraction of equal positions of two signatures of length n (the MinHash Jaccard estimate).
double SignatureSimilarity(const uint64_t* a, const uint64_t* b, int n);

// splitmix64 step: advances *state and returns the next value (deterministic PRNG used project-wide
// where a seeded stream is needed).
uint64_t SplitMix64(uint64_t* state);
// 64-bit finalizer (murmur3 fmix64): a bijective mixer.
inline uint64_t Mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

}  // namespace winnow
