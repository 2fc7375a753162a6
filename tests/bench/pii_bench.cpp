// pii_bench: throughput of PII scrubbing with every detector, and precision / recall per entity
// type on the labelled eval set (assets/pii_eval). Run by tests/bench/pii_bench.sh, natively and
// as wasm under Node.
//   pii_bench --corpus FILE [--passes N] [--eval-dir DIR] [--dump-spans FILE]
// --dump-spans writes every corpus line's spans ("line begin end type confidence") to FILE, so a
// speed change can be checked to leave every detected span as it was (diff two dumps).
// The corpus is plain text, one record per line. Prints:
//   scrubber  MB/s of ScrubText (find + replace) over every line
//   step      MB/s of the pii.scrub step (default params) over rows with the line as user message
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "pii/pii_eval.h"
#include "pii/pii_scrubber.h"
#include "pipeline/step.h"

using namespace winnow;

namespace {

std::string Slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

double Seconds(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::string corpus_path, dump_path, eval_dir = std::string(WINNOW_SOURCE_DIR) + "/assets/pii_eval";
  int passes = 3;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--corpus") && i + 1 < argc) corpus_path = argv[++i];
    else if (!std::strcmp(argv[i], "--passes") && i + 1 < argc) passes = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--eval-dir") && i + 1 < argc) eval_dir = argv[++i];
    else if (!std::strcmp(argv[i], "--dump-spans") && i + 1 < argc) dump_path = argv[++i];
  }
  // ---- precision / recall: the hand-written files together (pii::kHardCaseFiles), then the generated set
  std::vector<std::vector<std::string>> groups;
  groups.emplace_back(std::begin(pii::kHardCaseFiles), std::end(pii::kHardCaseFiles));
  groups.push_back({"generated.txt"});
  for (const std::vector<std::string>& names : groups) {
    pii::EvalScore score;
    size_t n_cases = 0;
    std::string label;
    for (const std::string& name : names) {
      std::string text = Slurp(eval_dir + "/" + name);
      auto cases = pii::ParseEvalCases(text);
      if (!cases.ok() || cases->empty()) {
        std::printf("eval %s: cannot read (%s)\n", name.c_str(), cases.ok() ? "empty" : cases.error().message.c_str());
        continue;
      }
      pii::ScanOptions opt;
      for (const pii::EvalCase& c : *cases) {
        std::vector<pii::PiiSpan> found;
        pii::PiiScanner::Get().Find(c.text, opt, &found);
        pii::ScoreCase(c, found, &score);
      }
      n_cases += cases->size();
      label += (label.empty() ? "" : " + ") + name;
    }
    std::printf("== precision / recall on assets/pii_eval/%s (%zu cases)\n%s", label.c_str(), n_cases,
                pii::FormatScoreTable(score).c_str());
  }
  if (corpus_path.empty()) return 0;

  // ---- throughput
  std::string corpus = Slurp(corpus_path);
  std::vector<std::string_view> lines;
  for (size_t p = 0; p < corpus.size();) {
    size_t nl = corpus.find('\n', p);
    if (nl == std::string::npos) nl = corpus.size();
    lines.push_back(std::string_view(corpus).substr(p, nl - p));
    p = nl + 1;
  }
  double mb = double(corpus.size()) / 1e6;
  pii::ScrubOptions sopt;
  if (!dump_path.empty()) {
    std::ofstream dump(dump_path, std::ios::binary);
    std::vector<pii::PiiSpan> spans;
    for (size_t i = 0; i < lines.size(); ++i) {
      spans.clear();
      pii::PiiScanner::Get().Find(lines[i], sopt.scan, &spans);
      for (const pii::PiiSpan& s : spans) {
        dump << i << ' ' << s.begin << ' ' << s.end << ' ' << pii::PiiTypeName(s.type) << ' ' << int(s.confidence) << '\n';
      }
    }
  }
  (void)pii::PiiScanner::Get();  // compile patterns outside the timing
  size_t hits = 0;
  double best = 1e30, best_cpu = 1e30;
  for (int pass = 0; pass < passes; ++pass) {
    std::clock_t c0 = std::clock();
    auto t0 = std::chrono::steady_clock::now();
    std::vector<pii::PiiSpan> spans;
    std::string out;
    size_t h = 0;
    for (std::string_view l : lines) {
      spans.clear();
      pii::PiiScanner::Get().Find(l, sopt.scan, &spans);
      pii::ApplyOperator(l, spans, sopt, &out);
      h += spans.size();
    }
    auto t1 = std::chrono::steady_clock::now();
    std::clock_t c1 = std::clock();
    best = std::min(best, Seconds(t0, t1));
    best_cpu = std::min(best_cpu, double(c1 - c0) / CLOCKS_PER_SEC);
    hits = h;
  }
  std::printf("== throughput (%s build, %.1f MB, %zu lines, best of %d passes)\n", WINNOW_BUILD_KIND, mb, lines.size(),
              passes);
  // CPU time as well as wall time: on a shared, loaded machine the CPU figure is the comparable one.
  std::printf("scrubber  all detectors   %8.1f MB/s wall  %8.1f MB/s cpu   %zu hits\n", mb / best,
              mb / std::max(best_cpu, 1e-9), hits);

  const StepInfo* info = FindStep("pii.scrub");
  if (!info) {
    std::printf("step      pii.scrub not registered in this binary (link winnow_steps)\n");
    return 0;
  }
  std::vector<Row> rows(lines.size());
  double step_best = 1e30, step_best_cpu = 1e30;
  for (int pass = 0; pass < passes; ++pass) {
    for (size_t i = 0; i < lines.size(); ++i) {
      rows[i] = Row();
      rows[i].ex.messages = {Message{Role::User, std::string(lines[i])}};
      rows[i].ex.origin.line = i + 1;
    }
    auto step = info->make();
    Status st = step->Configure(nlohmann::json::object());
    if (!st.ok()) return 1;
    std::vector<Row*> ptrs;
    for (Row& r : rows) ptrs.push_back(&r);
    StepContext ctx;
    ctx.step_id = "pii";
    std::clock_t c0 = std::clock();
    auto t0 = std::chrono::steady_clock::now();
    for (size_t b = 0; b < ptrs.size(); b += 512) {
      size_t n = std::min<size_t>(512, ptrs.size() - b);
      step->Process(std::span<Row*>(ptrs.data() + b, n), ctx);
    }
    step->Finish({}, ctx);
    auto t1 = std::chrono::steady_clock::now();
    std::clock_t c1 = std::clock();
    step_best = std::min(step_best, Seconds(t0, t1));
    step_best_cpu = std::min(step_best_cpu, double(c1 - c0) / CLOCKS_PER_SEC);
    if (pass == passes - 1) {
      std::printf("step      pii.scrub       %8.1f MB/s wall  %8.1f MB/s cpu   %s hits, %s rows with PII\n", mb / step_best,
                  mb / std::max(step_best_cpu, 1e-9), step->Report()["hits"].dump().c_str(),
                  step->Report()["rows_with_pii"].dump().c_str());
    }
  }
  return 0;
}
