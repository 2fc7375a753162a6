// dedup.near benchmark: (1) throughput and memory of the near-duplicate index on N generated short
// documents (default 1M; ~10% planted near copies, ~5% exact copies), one core; (2) precision and
// recall of LSH (+ exact-Jaccard verification) against the exact Jaccard of generated pairs whose
// similarity is known by construction; (3) the dedup.near step itself (defaults of the preset's
// step: view, normalization, clusters and keep policy in Finish, the report) on the same documents
// as rows, so what the index does not count (views, per-row bookkeeping, clustering) is measured
// too. Prints; asserts nothing (tests/bench/README: numbers are read).
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
#include "pipeline/step.h"

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

// The generated stream of Throughput(): about 10% near copies (one word edited) and 5% exact copies
// of earlier documents. Calls `add` once per document, in batches of `batch` (timing is the caller's).
template <class F>
void Generate(size_t n, size_t batch_size, uint64_t* planted, F&& on_batch) {
  uint64_t s = 12345;
  std::vector<std::string> batch, recent;
  for (size_t done = 0; done < n; done += batch_size) {
    batch.clear();
    for (size_t i = 0; i < batch_size && done + i < n; ++i) {
      uint64_t kind = SplitMix64(&s) % 100;
      if (kind < 10 && !recent.empty()) {
        batch.push_back(Edit(recent[SplitMix64(&s) % recent.size()], &s, 1));
        ++*planted;
      } else if (kind < 15 && !recent.empty()) {
        batch.push_back(recent[SplitMix64(&s) % recent.size()]);
        ++*planted;
      } else {
        batch.push_back(RandomDoc(&s, 20 + static_cast<int>(SplitMix64(&s) % 30)));
        if (recent.size() < 50000) recent.push_back(batch.back());
        else recent[SplitMix64(&s) % recent.size()] = batch.back();
      }
    }
    on_batch(batch);
  }
}

void Throughput(size_t n, const NearDedupOptions& opts) {
  NearDedupIndex index(opts);
  NormalizeOptions norm;
  norm.punctuation = true;
  std::string normed;
  double secs = 0, cpu = 0;
  uint64_t bytes = 0, matched = 0, planted = 0;
  Generate(n, 10000, &planted, [&](const std::vector<std::string>& batch) {
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
  });
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

// The dedup.near step with its default params over the same documents as one-message rows: Process
// in batches of 512 (as the runner hands them over), then Finish over all rows and Report().
void StepThroughput(size_t n) {
  const StepInfo* info = FindStep("dedup.near");
  if (!info) {
    std::printf("step dedup.near: not registered in this binary\n");
    return;
  }
  std::vector<Row> rows;
  rows.reserve(n);
  uint64_t planted = 0, bytes = 0;
  Generate(n, 10000, &planted, [&](const std::vector<std::string>& batch) {
    for (const std::string& d : batch) {
      Row r;
      r.ex.messages.push_back(Message{Role::User, d});
      r.ex.origin.line = rows.size() + 1;
      r.ex.origin.index = rows.size();
      bytes += d.size();
      rows.push_back(std::move(r));
    }
  });
  std::vector<Row*> ptrs;
  ptrs.reserve(n);
  for (Row& r : rows) ptrs.push_back(&r);
  auto step = info->make();
  if (!step->Configure(nlohmann::json::object()).ok()) return;
  StepContext ctx;
  ctx.step_id = "near";
  ctx.seed = 42;
  std::vector<std::string> names = {"bench.jsonl"};
  ctx.input_names = &names;
  auto t0 = Clock::now();
  std::clock_t c0 = std::clock();
  if (!step->Prepare(ctx).ok()) return;
  for (size_t b = 0; b < n; b += 512) step->Process(std::span<Row*>(ptrs.data() + b, std::min<size_t>(512, n - b)), ctx);
  auto t1 = Clock::now();
  step->Finish(std::span<Row*>(ptrs.data(), n), ctx);
  while (step->Busy()) step->Poll(ctx);
  auto t2 = Clock::now();
  nlohmann::json report = step->Report();
  auto t3 = Clock::now();
  double cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
  auto sec = [](Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); };
  size_t dropped = 0;
  for (const Row& r : rows) dropped += r.dropped();
  std::printf("step dedup.near (defaults: view %s, threshold %s, keep %s): %zu rows (%.1f MB)\n",
              report["view"].get<std::string>().c_str(), report["lsh"]["threshold"].dump().c_str(),
              report["keep"].get<std::string>().c_str(), n, bytes / 1e6);
  std::printf("  %.0f rows/s wall, %.0f rows/s cpu  (Process %.2f s, Finish %.2f s, Report %.2f s)\n", n / sec(t0, t3),
              n / std::max(cpu, 1e-9), sec(t0, t1), sec(t1, t2), sec(t2, t3));
  std::printf("  dropped as near duplicates: %zu (planted copies: %llu), %s clusters\n", dropped,
              static_cast<unsigned long long>(planted), report.value("clusters", nlohmann::json(0)).dump().c_str());
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
  size_t step_docs = 0;  // 0: the same as --docs
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--docs") == 0) n = static_cast<size_t>(std::strtoull(argv[i + 1], nullptr, 10));
    if (std::strcmp(argv[i], "--step-docs") == 0) step_docs = static_cast<size_t>(std::strtoull(argv[i + 1], nullptr, 10));
  }
  std::printf("dedup_bench (%s)\n", WINNOW_BUILD_KIND);
  MakeVocab(20000);
  NearDedupOptions opts;  // defaults of dedup.near: 128 perms, word 5-grams, threshold 0.8, verify
  Throughput(n, opts);
  PrecisionRecall(true, 0.8);
  PrecisionRecall(false, 0.8);
  StepThroughput(step_docs ? step_docs : n);
  return 0;
}
