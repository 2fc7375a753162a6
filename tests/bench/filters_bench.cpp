// Throughput of the quality and language filters (QualityFilter, LanguageFilter) over real
// datasets, natively and in wasm (run by tests/bench/filters_bench.sh). Reading the files is not
// timed; each filter is timed over `--passes` passes of every row.
//   filters_bench [--passes N] file...
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "filters/language_filter.h"
#include "filters/quality_filter.h"
#include "io/reader.h"
#include "io/stdio_file.h"

using namespace winnow;

namespace {

size_t RowBytes(const Example& ex) {
  size_t n = ex.text.size();
  for (const auto* side : {&ex.messages, &ex.chosen, &ex.rejected}) {
    for (const Message& m : *side) n += m.content.size();
  }
  return n;
}

struct Times {
  double wall = 0, cpu = 0;
};

// Wall time and process CPU time (std::clock): on a shared, loaded machine the CPU figure is
// the one that says what the code costs.
template <class Fn>
Times TimeIt(Fn&& fn) {
  auto t0 = std::chrono::steady_clock::now();
  std::clock_t c0 = std::clock();
  fn();
  Times t;
  t.cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
  t.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return t;
}

void Print(const char* what, size_t rows, size_t bytes, Times t, uint64_t failed) {
  std::printf("%-16s %8zu rows  wall %7.3f s %8.0f rows/s %6.2f MB/s | cpu %7.3f s %8.0f rows/s %6.2f MB/s  (%llu failed)\n",
              what, rows, t.wall, rows / t.wall, bytes / t.wall / 1e6, t.cpu, rows / t.cpu, bytes / t.cpu / 1e6,
              static_cast<unsigned long long>(failed));
}

}  // namespace

int main(int argc, char** argv) {
  int passes = 5;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--passes") == 0 && i + 1 < argc) {
      passes = std::atoi(argv[++i]);
    } else {
      files.push_back(argv[i]);
    }
  }
  if (files.empty() || passes < 1) {
    std::fprintf(stderr, "usage: filters_bench [--passes N] file...\n");
    return 2;
  }
  std::vector<Example> rows;
  size_t bytes = 0;
  for (const std::string& f : files) {
    auto src = OpenStdioSource(f);
    if (!src.ok()) {
      std::fprintf(stderr, "%s\n", src.error().message.c_str());
      return 3;
    }
    auto reader = ExampleReader::Open(*src.value(), ReadOptions{});
    if (!reader.ok()) {
      std::fprintf(stderr, "%s: %s\n", f.c_str(), reader.error().message.c_str());
      return 3;
    }
    while (true) {
      Example ex;
      RowProblem p;
      auto n = reader.value()->Read(&ex, &p);
      if (!n.ok() || n.value() == ExampleReader::Next::End) break;
      if (n.value() == ExampleReader::Next::Row) {
        bytes += RowBytes(ex);
        rows.push_back(std::move(ex));
      }
    }
  }
  std::printf("%zu rows, %.2f MB of text from %zu files, %d passes\n", rows.size(), bytes / 1e6, files.size(), passes);

  QualityFilter quality;
  QualityOutcome qo;
  uint64_t q_failed = 0;
  Times tq = TimeIt([&] {
    for (int p = 0; p < passes; ++p) {
      for (const Example& ex : rows) {
        quality.Evaluate(ex, &qo);
        q_failed += qo.failed;
      }
    }
  });
  Print("filter.quality", rows.size() * passes, bytes * passes, tq, q_failed / passes);

  LanguageFilter language;
  if (!language.Configure({{"allowed", {"en"}}}).ok()) return 2;
  LanguageOutcome lo;
  uint64_t l_failed = 0;
  Times tl = TimeIt([&] {
    for (int p = 0; p < passes; ++p) {
      for (const Example& ex : rows) {
        language.Evaluate(ex, &lo);
        l_failed += lo.failed;
      }
    }
  });
  Print("filter.language", rows.size() * passes, bytes * passes, tl, l_failed / passes);
  return 0;
}
