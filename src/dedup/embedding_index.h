// Embedding helpers for dedup.semantic: mean pooling over an attention mask, L2 normalisation, and
// an index that groups near-identical embeddings (cosine >= threshold) into clusters — exact
// all-pairs search up to a configurable size, random-hyperplane LSH beyond it — plus a 2-D PCA
// projection for the studio's map. Deterministic: seeded, no floating-point formatting.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace winnow {

// out[d] = mean over positions s with mask[s] != 0 of hidden[s * dim + d] (zeros if the mask is empty).
void MeanPool(const float* hidden, const int64_t* mask, size_t seq, size_t dim, float* out);
// Scales v to unit length (left as is when its norm is 0). Returns the norm before scaling.
double L2Normalize(std::span<float> v);
// Dot product accumulated in double, in index order (the same result natively and in wasm).
double Dot(const float* a, const float* b, size_t dim);

struct EmbeddingIndexOptions {
  double threshold = 0.95;     // cosine similarity at or above which two rows are duplicates
  size_t exact_max = 20000;    // up to this many rows: compare all pairs; beyond: LSH candidates
  int lsh_bits = 16;           // hyperplanes per table (bucket key bits)
  int lsh_tables = 8;          // independent tables; a pair is a candidate if it shares any bucket
  size_t max_candidates = 256; // per row, candidates verified with the exact cosine (LSH mode)
  uint64_t seed = 0;
};

struct EmbeddingMatch {
  uint32_t doc = 0;     // the most similar earlier row at or above threshold (itself when none)
  double cosine = 0;
};

class EmbeddingIndex {
 public:
  explicit EmbeddingIndex(size_t dim, EmbeddingIndexOptions opts = {});
  size_t dim() const { return m_dim; }
  size_t size() const { return m_count; }
  // Appends one embedding (normalised here); returns its doc id (0, 1, ...).
  uint32_t Add(std::span<const float> v);
  const float* Vector(uint32_t doc) const { return m_data.data() + static_cast<size_t>(doc) * m_dim; }

  // Finds the duplicate pairs among all added rows and builds clusters (union-find; a cluster's id
  // is its first row). Call once after the last Add.
  void Build();
  bool exact() const { return m_exact; }
  uint32_t Cluster(uint32_t doc) const { return m_root[doc]; }
  const EmbeddingMatch& Best(uint32_t doc) const { return m_best[doc]; }
  uint64_t pairs_compared() const { return m_pairs_compared; }
  uint64_t pairs_matched() const { return m_pairs_matched; }

 private:
  void Link(uint32_t a, uint32_t b, double cos);  // a < b
  size_t m_dim;
  EmbeddingIndexOptions m_opts;
  size_t m_count = 0;
  std::vector<float> m_data;
  std::vector<uint32_t> m_parent, m_root;
  std::vector<EmbeddingMatch> m_best;
  bool m_exact = true;
  uint64_t m_pairs_compared = 0, m_pairs_matched = 0;
};

// Hyperplane signatures: for each of `tables` tables, `bits` signs of dot(v, r) with r drawn from a
// seeded generator with components in {-1, +1}. Returned as tables × uint64 keys (table index mixed in).
class HyperplaneLsh {
 public:
  HyperplaneLsh(size_t dim, int bits, int tables, uint64_t seed);
  void Keys(const float* v, uint64_t* out) const;  // `tables` keys
  int tables() const { return m_tables; }

 private:
  size_t m_dim;
  int m_bits, m_tables;
  std::vector<int8_t> m_planes;  // tables * bits * dim
};

// Projects n points of dimension dim (row-major) onto their first two principal components
// (mean-centred; power iteration from a seeded start vector, deflation for the second). Returns
// 2n floats (x0, y0, x1, y1, ...). Signs are fixed so the largest-|coordinate| point is positive.
std::vector<float> Pca2D(const float* data, size_t n, size_t dim, uint64_t seed, int iterations = 50);

}  // namespace winnow
