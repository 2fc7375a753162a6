// Slice bench: how long one PipelineRun::Step() slice takes, stage by stage, when a pipeline runs
// the way the studio's frame-sliced RunDriver drives it (256 rows per Step call). A slice longer
// than a frame (16 ms) freezes the page's UI for that long; this finds which stage does it.
//   slice_bench PIPELINE.json INPUT [--rows-per-step N] [--top K]
// Prints per stage (as Progress() names it before -> after the slice): slices, total CPU time,
// median / p99 / max slice in CPU ms (process CPU time: on a shared machine wall time mostly
// measures the other processes), the longest slice's wall time, the longest slice that started in
// the write stage (kept rows and split files written from the held rows, then the report) and
// the peak memory (natively the process's peak RSS, in wasm the heap's size). Asserts nothing.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>
#ifdef __EMSCRIPTEN__
#include <emscripten/heap.h>
#else
#include <sys/resource.h>
#endif

#include "pipeline/pipeline_run.h"

using namespace winnow;

namespace {

double Pct(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = std::min(v.size() - 1, static_cast<size_t>(p / 100.0 * static_cast<double>(v.size())));
  return v[i];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: slice_bench PIPELINE.json INPUT [--rows-per-step N]\n");
    return 2;
  }
  uint64_t per_step = 256;
  for (int i = 3; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--rows-per-step") per_step = std::stoull(argv[i + 1]);
  }
  std::ifstream f(argv[1]);
  std::stringstream ss;
  ss << f.rdbuf();
  auto config = ParsePipeline(ss.str());
  if (!config.ok()) {
    std::fprintf(stderr, "%s\n", config.error().message.c_str());
    return 2;
  }
  std::string input = argv[2];
  ReadOptions ro;
  ro.kind = FileKindFromPath(input);
  auto source = MakeFileListSource({input}, [](const std::string& p) { return OpenInputFile(p); }, ro);
  MemoryOutputs outputs;
  using clock = std::chrono::steady_clock;
  auto t_start = clock::now();
  auto run = PipelineRun::Start(config.value(), std::move(source), &outputs);
  if (!run.ok()) {
    std::fprintf(stderr, "%s\n", run.error().message.c_str());
    return 2;
  }
  double start_ms = std::chrono::duration<double, std::milli>(clock::now() - t_start).count();
  std::map<std::string, std::vector<double>> by_stage;  // stage at the slice's start
  std::vector<std::string> order;
  std::string worst_stage;
  double worst = 0;
  bool more = true;
  double worst_wall = 0;
  double worst_write = 0;  // longest slice that started in the write stage
  while (more) {
    std::string stage = run.value()->Progress().stage;
    auto t0 = clock::now();
    std::clock_t c0 = std::clock();
    more = run.value()->Step(per_step);
    double ms = 1000.0 * static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
    double wall = std::chrono::duration<double, std::milli>(clock::now() - t0).count();
    std::string after = more ? run.value()->Progress().stage : "end";
    if (after != stage) stage += " -> " + after;
    if (!by_stage.count(stage)) order.push_back(stage);
    by_stage[stage].push_back(ms);
    if (stage.rfind("write", 0) == 0) worst_write = std::max(worst_write, ms);
    if (ms > worst) {
      worst = ms;
      worst_wall = wall;
      worst_stage = stage;
    }
  }
  double total_ms = std::chrono::duration<double, std::milli>(clock::now() - t_start).count();
  const Status& st = run.value()->status();
  std::printf("slice_bench (%s): %s over %s, %llu rows per Step: %s in %.2f s wall (Start %.1f ms)\n", WINNOW_BUILD_KIND,
              config.value().name.c_str(), input.c_str(), static_cast<unsigned long long>(per_step),
              st.ok() ? "ok" : st.error().message.c_str(), total_ms / 1000, start_ms);
  std::printf("  %-34s %8s %10s %9s %9s %9s\n", "stage (CPU ms)", "slices", "total", "median", "p99", "max");
  for (const std::string& s : order) {
    const std::vector<double>& v = by_stage[s];
    double sum = 0;
    for (double x : v) sum += x;
    std::printf("  %-34s %8zu %10.0f %9.2f %9.2f %9.1f\n", s.c_str(), v.size(), sum, Pct(v, 50), Pct(v, 99),
                *std::max_element(v.begin(), v.end()));
  }
  std::printf("  longest slice: %.1f ms CPU (%.1f ms wall), stage %s (a frame is 16 ms)\n", worst, worst_wall,
              worst_stage.c_str());
  if (by_stage.count("write")) {
    std::printf("  longest write-stage slice: %.1f ms CPU\n", worst_write);
  } else {
    std::printf("  no write stage: rows were written as they streamed, within the read slices above\n");
  }
#ifdef __EMSCRIPTEN__
  // The wasm memory only grows: its size now is its peak.
  std::printf("  peak wasm heap: %.0f MB\n", static_cast<double>(emscripten_get_heap_size()) / (1024.0 * 1024.0));
#else
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  std::printf("  peak RSS: %.0f MB\n", static_cast<double>(ru.ru_maxrss) / 1024.0);
#endif
  return st.ok() ? 0 : 1;
}
