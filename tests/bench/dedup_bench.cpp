// dedup.near benchmark: (1) throughput and memory of the near-duplicate index on N generated short
// documents (default 1M; ~10% planted near copies, ~5% exact copies), one core; (2) precision and
// recall of LSH (+ exact-Jaccard verification) against the exact Jaccard of generated pairs whose
// similarity is known by construction. Prints; asserts nothing (tests/bench/README: numbers are read).
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "dedup/minhash.h"
#include "dedup/near_dedup_index.h"
#include "dedup/text_normalize.h"

using namespace winnow;
using Clock = std::chrono::steady_clock;

namespace {

std::vector<std::string> g_vocab;

void MakeVocab(size_t n) {
  uint64_t s = 99;
  for (size_t i = 0; i < n; ++i) {
    int len = 2 + static_cast<int>(SplitMix64(&s) % 8);
    std::string w;
    for (int k = 0; k < len; ++k) w.push_back(static_cast<char>('a' + SplitMix64(&s) % 26));
    g_vocab.push_back(w);
  }
}

std::string RandomDoc(uint64_t* s, int words) {
  std::string d;
  for (int i = 0; i < words; ++i) {
    if (i) d.push_back(' ');
    const std::string& w = g_vocab[SplitMix64(s) % g_vocab.size()];
    if (i == 0) {
      d.push_back(static_cast<char>(w[0] - 32));  // capitalised, so normalization has work to do
      d.append(w, 1, std::string::npos);
    } else {
      d += w;
    }
  }
  d.push_back('.');
  return d;
}

// Replaces `edits` random words of doc with other words.
std::string Edit(const std::string& doc, uint64_t* s, int edits) {
  std::vector<std::string> w;
  size_t i = 0;
  while (i < doc.size()) {
    size_t j = doc.find(' ', i);
    if (j == std::string::npos) j = doc.size();
    w.push_back(doc.substr(i, j - i));
    i = j + 1;
  }
  for (int e = 0; e < edits && !w.empty(); ++e) w[SplitMix64(s) % w.size()] = g_vocab[SplitMix64(s) % g_vocab.size()];
  std::string out;
  for (size_t k = 0; k < w.size(); ++k) {
    if (k) out.push_back(' ');
    out += w[k];
  }
  return out;
}

void Throughput(size_t n, const NearDedupOptions& opts) {
  NearDedupIndex index(opts);
  NormalizeOptions norm;
  norm.punctuation = true;
  uint64_t s = 12345;
  std::vector<std::string> batch, recent;
  std::string normed;
  double secs = 0, cpu = 0;
  uint64_t bytes = 0, matched = 0, planted = 0;
  const size_t kBatch = 10000;
  for (size_t done = 0; done < n; done += kBatch) {
    batch.clear();
    for (size_t i = 0; i < kBatch && done + i < n; ++i) {
      uint64_t kind = SplitMix64(&s) % 100;
      if (kind < 10 && !recent.empty()) {
        batch.push_back(Edit(recent[SplitMix64(&s) % recent.size()], &s, 1));
        ++planted;
      } else if (kind < 15 && !recent.empty()) {
        batch.push_back(recent[SplitMix64(&s) % recent.size()]);
        ++planted;
      } else {
        batch.push_back(RandomDoc(&s, 20 + static_cast<int>(SplitMix64(&s) % 30)));
        if (recent.size() < 50000) recent.push_back(batch.back());
        else recent[SplitMix64(&s) % recent.size()] = batch.back();
      }
    }
    auto t0 = Clock::now();
    std::clock_t c0 = std::clock();
    for (const std::string& d : batch) {
      NormalizeText(d, norm, &normed);
      NearMatch m;
      uint32_t id = index.Add(normed, &m);
      matched += m.doc != id;
      bytes += d.size();
    }
    secs += std::chrono::duration<double>(Clock::now() - t0).count();
    cpu += static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
  }
  std::printf("throughput: %zu docs (%.1f MB, mean %.0f bytes), %d perms, %d bands x %d rows, verify %s\n", n, bytes / 1e6,
              static_cast<double>(bytes) / n, opts.minhash.num_perm, index.lsh().bands, index.lsh().rows,
              opts.verify ? "exact" : "off");
  // CPU time beside wall time: on a shared, loaded machine the CPU figure is the comparable one.
  std::printf("  %.0f docs/s wall, %.0f docs/s cpu  (%.1f MB/s wall)  %.2f s on one core\n", n / secs,
              n / std::max(cpu, 1e-9), bytes / 1e6 / secs, secs);
  std::printf("  index memory %.1f MB (%.0f bytes/doc); rows matched as near duplicates: %llu (planted copies: %llu)\n",
              index.MemoryBytes() / 1e6, static_cast<double>(index.MemoryBytes()) / n,
              static_cast<unsigned long long>(matched), static_cast<unsigned long long>(planted));
}

void PrecisionRecall(bool verify, double threshold) {
  NearDedupOptions o;
  o.threshold = threshold;
  o.verify = verify;
  NearDedupIndex index(o);
  MinHasher hasher(o.minhash);
  uint64_t s = 777;
  const int kPairs = 20000;
  int tp = 0, fp = 0, fn = 0, tn = 0;
  int bucket_true[10] = {}, bucket_found[10] = {};
  std::vector<uint64_t> sa, sb;
  for (int p = 0; p < kPairs; ++p) {
    // 60-word documents; the number of edited words spreads the true Jaccard over 0..1.
    std::string a = RandomDoc(&s, 60);
    int edits = static_cast<int>(SplitMix64(&s) % 16);
    std::string b = Edit(a, &s, edits);
    hasher.Shingles(a, &sa);
    hasher.Shingles(b, &sb);
    double j = Jaccard(sa, sb);
    NearMatch m;
    uint32_t ia = index.Add(a, &m);
    uint32_t ib = index.Add(b, &m);
    bool found = m.doc == ia && ib != ia;
    bool truth = j >= threshold;
    tp += truth && found;
    fp += !truth && found;
    fn += truth && !found;
    tn += !truth && !found;
    int bk = j >= 1.0 ? 9 : static_cast<int>(j * 10);
    ++bucket_true[bk];
    bucket_found[bk] += found;
  }
  double precision = tp + fp ? static_cast<double>(tp) / (tp + fp) : 1.0;
  double recall = tp + fn ? static_cast<double>(tp) / (tp + fn) : 1.0;
  std::printf("precision/recall vs exact Jaccard >= %.2f on %d generated pairs (word 5-grams, verify %s):\n", threshold,
              kPairs, verify ? "exact" : "off");
  std::printf("  precision %.4f  recall %.4f  (tp %d, fp %d, fn %d, tn %d)\n", precision, recall, tp, fp, fn, tn);
  std::printf("  found / pairs by true Jaccard:");
  for (int b = 0; b < 10; ++b) {
    if (bucket_true[b]) std::printf("  %.1f-%.1f: %d/%d", b / 10.0, (b + 1) / 10.0, bucket_found[b], bucket_true[b]);
  }
  std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
  size_t n = 1000000;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--docs") == 0) n = static_cast<size_t>(std::strtoull(argv[i + 1], nullptr, 10));
  }
  std::printf("dedup_bench (%s)\n", WINNOW_BUILD_KIND);
  MakeVocab(20000);
  NearDedupOptions opts;  // defaults of dedup.near: 128 perms, word 5-grams, threshold 0.8, verify
  Throughput(n, opts);
  PrecisionRecall(true, 0.8);
  PrecisionRecall(false, 0.8);
  return 0;
}
