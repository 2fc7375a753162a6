// Embedding math for dedup.semantic: pooling, normalisation, exact and LSH clustering, PCA map.
#include <gtest/gtest.h>

#include <cmath>

#include "dedup/embedding_index.h"
#include "dedup/minhash.h"

namespace winnow {
namespace {

// A unit vector near `base`: base + noise of the given size (seeded), normalised.
std::vector<float> Near(const std::vector<float>& base, double noise, uint64_t seed) {
  std::vector<float> v = base;
  for (float& x : v) x += static_cast<float>((static_cast<double>(SplitMix64(&seed) >> 11) / 9007199254740992.0 - 0.5) * noise);
  L2Normalize(v);
  return v;
}

std::vector<float> Random(size_t dim, uint64_t seed) { return Near(std::vector<float>(dim, 0.0f), 2.0, seed); }

TEST(EmbeddingIndex, MeanPoolAndNormalize) {
  const float hidden[] = {1, 2, 3, 4, 9, 9};
  const int64_t mask[] = {1, 1, 0};
  float out[2];
  MeanPool(hidden, mask, 3, 2, out);
  EXPECT_FLOAT_EQ(out[0], 2.0f);
  EXPECT_FLOAT_EQ(out[1], 3.0f);
  std::vector<float> v = {3, 4};
  EXPECT_DOUBLE_EQ(L2Normalize(v), 5.0);
  EXPECT_FLOAT_EQ(v[0], 0.6f);
  EXPECT_FLOAT_EQ(v[1], 0.8f);
  std::vector<float> zero = {0, 0};
  EXPECT_DOUBLE_EQ(L2Normalize(zero), 0.0);
  EXPECT_EQ(zero[0], 0.0f);
}

// Groups of near-identical vectors among random ones: both search modes find exactly the groups.
void CheckClusters(size_t exact_max) {
  const size_t dim = 64;
  EmbeddingIndexOptions o;
  o.threshold = 0.98;
  o.exact_max = exact_max;
  o.lsh_bits = 12;
  o.lsh_tables = 12;
  o.seed = 7;
  EmbeddingIndex index(dim, o);
  std::vector<int> group;  // expected group per doc (-1 = singleton)
  std::vector<std::vector<float>> centers;
  for (int g = 0; g < 20; ++g) centers.push_back(Random(dim, 1000 + g));
  uint64_t seed = 99;
  for (int i = 0; i < 400; ++i) {
    if (i % 4 == 0) {
      const int g = (i / 4) % 20;
      index.Add(Near(centers[static_cast<size_t>(g)], 0.02, seed++));
      group.push_back(g);
    } else {
      index.Add(Random(dim, seed++));
      group.push_back(-1);
    }
  }
  index.Build();
  EXPECT_EQ(index.exact(), 400 <= exact_max);
  for (uint32_t a = 0; a < 400; ++a) {
    for (uint32_t b = a + 1; b < 400; ++b) {
      const bool same = group[a] >= 0 && group[a] == group[b];
      EXPECT_EQ(index.Cluster(a) == index.Cluster(b), same) << a << " " << b;
    }
    // The cluster id is the first member.
    if (group[a] >= 0) EXPECT_LE(index.Cluster(a), a);
    if (group[a] < 0) EXPECT_EQ(index.Cluster(a), a);
  }
  if (!index.exact()) {
    EXPECT_LT(index.pairs_compared(), 400u * 399u / 2u / 4u);  // LSH compares far fewer pairs
  }
}

TEST(EmbeddingIndex, ExactSearchFindsTheGroups) { CheckClusters(100000); }
TEST(EmbeddingIndex, LshSearchFindsTheGroups) { CheckClusters(10); }

TEST(EmbeddingIndex, BestMatchIsTheMostSimilarEarlierRow) {
  EmbeddingIndexOptions o;
  o.threshold = 0.5;
  EmbeddingIndex index(2, o);
  index.Add(std::vector<float>{1, 0});
  index.Add(std::vector<float>{0.8f, 0.6f});
  index.Add(std::vector<float>{0.9f, 0.1f});
  index.Build();
  EXPECT_EQ(index.Best(0).doc, 0u);
  EXPECT_EQ(index.Best(2).doc, 0u);  // 0.994 with row 0 beats 0.78 with row 1
  EXPECT_NEAR(index.Best(2).cosine, 0.9939, 1e-3);
  EXPECT_EQ(index.Cluster(1), 0u);
}

TEST(EmbeddingIndex, HyperplaneKeysAreSeededAndLocal) {
  HyperplaneLsh a(32, 16, 4, 1), b(32, 16, 4, 1), c(32, 16, 4, 2);
  std::vector<float> v = Random(32, 5);
  uint64_t ka[4], kb[4], kc[4];
  a.Keys(v.data(), ka);
  b.Keys(v.data(), kb);
  c.Keys(v.data(), kc);
  for (int t = 0; t < 4; ++t) EXPECT_EQ(ka[t], kb[t]);
  int differ = 0;
  for (int t = 0; t < 4; ++t) differ += ka[t] != kc[t];
  EXPECT_GT(differ, 0);
  // A tiny perturbation keeps most bits of every table.
  std::vector<float> w = Near(v, 0.001, 3);
  uint64_t kw[4];
  a.Keys(w.data(), kw);
  int same_bits = 0;
  for (int t = 0; t < 4; ++t) same_bits += 64 - __builtin_popcountll(ka[t] ^ kw[t]);
  EXPECT_GE(same_bits, 4 * 64 - 4);
}

TEST(EmbeddingIndex, PcaSeparatesTwoBlobsAlongTheFirstAxis) {
  const size_t dim = 16, n = 60;
  std::vector<float> a = Random(dim, 1), b = Random(dim, 2);
  std::vector<float> data;
  for (size_t i = 0; i < n; ++i) {
    std::vector<float> v = Near(i < n / 2 ? a : b, 0.05, 100 + i);
    data.insert(data.end(), v.begin(), v.end());
  }
  std::vector<float> xy = Pca2D(data.data(), n, dim, 9);
  ASSERT_EQ(xy.size(), 2 * n);
  // Every point of blob A is on one side of 0 on x, every point of B on the other.
  const bool a_neg = xy[0] < 0;
  for (size_t i = 0; i < n; ++i) EXPECT_EQ(xy[2 * i] < 0, i < n / 2 ? a_neg : !a_neg) << i;
  // Deterministic.
  EXPECT_EQ(Pca2D(data.data(), n, dim, 9), xy);
}

}  // namespace
}  // namespace winnow
