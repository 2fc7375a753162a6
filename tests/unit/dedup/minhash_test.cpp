#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "dedup/lsh_params.h"
#include "dedup/minhash.h"
#include "dedup/near_dedup_index.h"
#include "dedup/ngram_index.h"
#include "dedup/union_find.h"

using namespace winnow;

namespace {
std::string Words(uint64_t seed, int n, int vocab = 5000) {
  std::string s;
  uint64_t st = seed;
  for (int i = 0; i < n; ++i) {
    if (i) s.push_back(' ');
    s += "w" + std::to_string(SplitMix64(&st) % vocab);
  }
  return s;
}
}  // namespace

TEST(MinHash, WordShinglesAreSortedUniqueAndShortTextsGiveOne) {
  MinHashOptions o;
  o.ngram = 3;
  MinHasher h(o);
  std::vector<uint64_t> sh;
  h.Shingles("a b c d a b c", &sh);
  EXPECT_EQ(sh.size(), 4u);  // abc bcd cda dab; "a b c" repeats
  EXPECT_TRUE(std::is_sorted(sh.begin(), sh.end()));
  h.Shingles("only two", &sh);
  EXPECT_EQ(sh.size(), 1u);
  h.Shingles("   ", &sh);
  EXPECT_TRUE(sh.empty());
}

TEST(MinHash, CharShinglesCountCodePoints) {
  MinHashOptions o;
  o.kind = ShingleKind::Char;
  o.ngram = 2;
  MinHasher h(o);
  std::vector<uint64_t> sh;
  h.Shingles("\xC3\xA9t\xC3\xA9", &sh);  // "été": ét, té
  EXPECT_EQ(sh.size(), 2u);
}

TEST(MinHash, SignatureEstimatesJaccard) {
  MinHashOptions o;
  o.num_perm = 256;
  o.ngram = 1;
  MinHasher h(o);
  // A = 0..299, B = 100..399: |A∩B| = 200, |A∪B| = 400 -> 0.5
  std::string a, b;
  for (int i = 0; i < 300; ++i) a += "t" + std::to_string(i) + " ";
  for (int i = 100; i < 400; ++i) b += "t" + std::to_string(i) + " ";
  std::vector<uint64_t> sa, sb;
  h.Shingles(a, &sa);
  h.Shingles(b, &sb);
  EXPECT_DOUBLE_EQ(Jaccard(sa, sb), 0.5);
  std::vector<uint64_t> ga(256), gb(256);
  h.Signature(sa, ga.data());
  h.Signature(sb, gb.data());
  double est = SignatureSimilarity(ga.data(), gb.data(), 256);
  EXPECT_NEAR(est, 0.5, 0.1);
  EXPECT_DOUBLE_EQ(SignatureSimilarity(ga.data(), ga.data(), 256), 1.0);
}

TEST(LshParams, ChoiceBalancesFalsePositivesAndNegatives) {
  LshParams p = ChooseLshParams(0.8, 128);
  std::printf("threshold 0.8, 128 perms: %d bands x %d rows, FP area %.4f, FN area %.4f\n", p.bands, p.rows,
              p.false_positive, p.false_negative);
  EXPECT_LE(p.bands * p.rows, 128);
  EXPECT_GT(p.bands, 1);
  EXPECT_GT(p.rows, 1);
  // The S-curve rises through the threshold region.
  EXPECT_LT(CandidateProbability(0.5, p.bands, p.rows), 0.2);
  EXPECT_GT(CandidateProbability(0.95, p.bands, p.rows), 0.95);
  EXPECT_LT(p.false_positive + p.false_negative, 0.07);
  // It is the minimum: neighbours on the grid do no better.
  for (int db = -1; db <= 1; ++db) {
    for (int dr = -1; dr <= 1; ++dr) {
      int b = p.bands + db, r = p.rows + dr;
      if (b < 1 || r < 1 || b * r > 128) continue;
      double fp = 0, fn = 0;
      for (int i = 0; i < 400; ++i) {
        fp += CandidateProbability((i + 0.5) * 0.8 / 400, b, r) * 0.8 / 400;
        fn += (1 - CandidateProbability(0.8 + (i + 0.5) * 0.2 / 400, b, r)) * 0.2 / 400;
      }
      EXPECT_GE(fp + fn, p.false_positive + p.false_negative - 1e-12) << b << "x" << r;
    }
  }
  // A lower threshold needs fewer rows per band.
  LshParams q = ChooseLshParams(0.5, 128);
  EXPECT_LT(q.rows, p.rows);
  // Deterministic.
  LshParams p2 = ChooseLshParams(0.8, 128);
  EXPECT_EQ(p2.bands, p.bands);
  EXPECT_EQ(p2.rows, p.rows);
  EXPECT_EQ(p2.false_positive, p.false_positive);
}

TEST(UnionFind, RootIsSmallestIndex) {
  UnionFind uf;
  for (int i = 0; i < 6; ++i) uf.Add();
  EXPECT_TRUE(uf.Union(4, 5));
  EXPECT_TRUE(uf.Union(5, 2));
  EXPECT_FALSE(uf.Union(4, 2));
  EXPECT_EQ(uf.Find(5), 2u);
  EXPECT_TRUE(uf.Union(3, 1));
  EXPECT_TRUE(uf.Union(4, 3));
  EXPECT_EQ(uf.Find(2), 1u);
  EXPECT_EQ(uf.Find(0), 0u);
}

TEST(NearDedupIndex, FindsEditedCopiesAndNotUnrelatedTexts) {
  NearDedupOptions o;
  o.threshold = 0.7;
  NearDedupIndex idx(o);
  std::string base = Words(1, 200);
  NearMatch m;
  EXPECT_EQ(idx.Add(base, &m), 0u);
  EXPECT_EQ(m.doc, 0u);
  // Unrelated text: no match.
  EXPECT_EQ(idx.Add(Words(2, 200), &m), 1u);
  EXPECT_EQ(m.doc, 1u);
  // Change one word in 200 (5-gram shingles: ~5 of ~196 differ each side).
  std::string edited = base;
  edited.replace(edited.find(' ') + 1, 0, "inserted ");
  EXPECT_EQ(idx.Add(edited, &m), 2u);
  EXPECT_EQ(m.doc, 0u);
  EXPECT_GT(m.jaccard, 0.9);
  EXPECT_EQ(idx.Cluster(2), 0u);
  EXPECT_EQ(idx.Cluster(1), 1u);
  EXPECT_NEAR(idx.DocJaccard(0, 2), m.jaccard, 1e-12);
}

TEST(NearDedupIndex, PrecisionAndRecallOnPairsOfKnownSimilarity) {
  // Pairs built with a known Jaccard: a shares k of its unigram shingles with b.
  NearDedupOptions o;
  o.minhash.ngram = 1;
  o.threshold = 0.8;
  LshParams l = ChooseLshParams(o.threshold, o.minhash.num_perm);
  o.bands = l.bands;
  o.rows = l.rows;
  int tp = 0, fp = 0, fn = 0, tn = 0;
  for (int pair = 0; pair < 200; ++pair) {
    NearDedupIndex idx(o);
    double target = (pair % 20) / 20.0 + 0.025;  // 0.025 .. 0.975
    int total = 200;
    int shared = static_cast<int>(std::lround(target * total));
    std::string a, b;
    for (int i = 0; i < total; ++i) a += "p" + std::to_string(pair) + "x" + std::to_string(i) + " ";
    for (int i = 0; i < shared; ++i) b += "p" + std::to_string(pair) + "x" + std::to_string(i) + " ";
    for (int i = shared; i < total; ++i) b += "q" + std::to_string(pair) + "y" + std::to_string(i) + " ";
    NearMatch m;
    idx.Add(a, &m);
    idx.Add(b, &m);
    double j = static_cast<double>(shared) / (2 * total - shared);
    bool truth = j >= o.threshold;
    bool found = m.doc == 0;
    tp += truth && found;
    fp += !truth && found;
    fn += truth && !found;
    tn += !truth && !found;
  }
  // With exact verification there are no false positives; recall is high near and above 0.8.
  EXPECT_EQ(fp, 0);
  EXPECT_GT(tp, 0);
  EXPECT_LE(fn, tp / 5);
  EXPECT_GT(tn, 0);
}

TEST(NgramIndex, FindsLongAndShortReferences) {
  NgramIndex idx(5);
  idx.Add("the quick brown fox jumps over the lazy dog", 7);
  idx.Add("what is two plus two", 9);  // exactly 5 words
  idx.Add("name three colors", 11);    // shorter than n: indexed whole
  NgramIndex::Hit h = idx.Query("so the quick brown fox jumps high");
  EXPECT_TRUE(h.found);
  EXPECT_EQ(h.ref, 7u);
  EXPECT_EQ(h.matches, 1u);
  h = idx.Query("please name three colors you like");
  EXPECT_TRUE(h.found);
  EXPECT_EQ(h.ref, 11u);
  h = idx.Query("what is two plus three");
  EXPECT_FALSE(h.found);
  EXPECT_FALSE(idx.Query("").found);
}

// A verifying index chooses bands x rows for recall: candidates are checked by exact Jaccard, so
// false positives cost time only. Pairs just above the threshold are then found far more often.
TEST(LshParams, VerifyingIndexWeightsFalseNegatives) {
  NearDedupOptions o;
  o.threshold = 0.8;
  NearDedupIndex verified(o);
  o.verify = false;
  NearDedupIndex estimated(o);
  LshParams balanced = ChooseLshParams(0.8, 128);
  EXPECT_EQ(estimated.lsh().bands, balanced.bands);
  EXPECT_EQ(estimated.lsh().rows, balanced.rows);
  const LshParams& v = verified.lsh();
  EXPECT_LE(v.bands * v.rows, 128);
  EXPECT_LT(v.false_negative, balanced.false_negative);
  EXPECT_GT(CandidateProbability(0.84, v.bands, v.rows), 0.85);
  EXPECT_LT(CandidateProbability(0.84, balanced.bands, balanced.rows), 0.65);
  EXPECT_LT(CandidateProbability(0.5, v.bands, v.rows), 0.02);
}
