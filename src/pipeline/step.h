// Step: one stage of a pipeline (DESIGN.md "Pipeline"). A step is a pure function over batches of
// rows: for each row a verdict (keep / drop with a reason code / flag), optional edits to the
// Example, and annotations; it also adds to its part of the report. Steps register themselves by
// type name ("pii.scrub") with WINNOW_REGISTER_STEP so the runner, the CLI and the studio find them.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/example.h"
#include "core/progress.h"
#include "core/result.h"

namespace winnow {

class ModelRunner;  // platform/model_runner.h
class HttpClient;   // platform/http_client.h

enum class VerdictKind : uint8_t { Keep, Drop, Flag };

struct Verdict {
  VerdictKind kind = VerdictKind::Keep;
  std::string step;    // step id that decided (for Drop / Flag)
  std::string reason;  // stable reason code, e.g. "near_duplicate", "pii_over_limit"
  std::string detail;  // human-readable, e.g. "Jaccard 0.91 with row 17 (line 18)"
};

// One example moving through the pipeline.
struct Row {
  Example ex;
  Verdict verdict;
  std::vector<Verdict> flags;          // Flag verdicts (row stays kept)
  nlohmann::json annotations;          // object keyed by step id; null until a step annotates
  // The row's JSONL source line, kept by the runner only with "row_bytes": "source" (empty otherwise).
  std::string source;
  bool dropped() const { return verdict.kind == VerdictKind::Drop; }
};

// What a step may use besides its rows.
struct StepContext {
  uint64_t seed = 0;                    // the pipeline's seed (derive per-step seeds from it)
  const CancelToken* cancel = nullptr;  // check between chunks; stop early when set
  ProgressSink progress;                // may be empty
  // Reads a reference file named in params (decontaminate); set by the front end. May be empty.
  std::function<Result<std::string>(const std::string& path)> read_file;
  // Set by the runner: this step's id in the pipeline (annotations are keyed by it; the runner
  // stamps it into Verdict::step of the rows the step drops or flags), and the display names of
  // the run's inputs, indexed by Origin::file (for details such as "line 18 of a.jsonl"; may be null).
  std::string step_id;
  const std::vector<std::string>* input_names = nullptr;
  // Platform services, set by the front end through RunOptions; either may be null (a step that
  // needs one fails in Prepare with a message saying so).
  ModelRunner* models = nullptr;
  HttpClient* http = nullptr;
};

class Step {
 public:
  virtual ~Step() = default;
  // Registered type name, e.g. "dedup.near".
  virtual std::string_view Type() const = 0;
  // Configures from the step's "params" object. Unknown keys and bad values are Errors
  // ("bad_config") whose message names the key and the allowed values / range.
  virtual Status Configure(const nlohmann::json& params) = 0;
  // The effective parameters, defaults filled in (for the report, the card and the studio).
  virtual nlohmann::json Params() const = 0;
  // Called once by the runner before the first batch, for work that can fail operationally
  // (e.g. decontaminate reading its reference files through ctx.read_file). An error ends the run
  // before any row is processed. Default: nothing to prepare.
  virtual Status Prepare(StepContext& ctx) { return Status::Ok(); }
  // Steps that must see every row before any verdict is final (e.g. split, dedup.near with a
  // "longest" keep policy) return true: the runner then buffers all rows that reach them.
  virtual bool NeedsAllRows() const { return false; }
  // Called by the runner for this step's own annotation of each row it holds in memory until a
  // NeedsAllRows step has seen every row (a 1M-row run holds them all): shrink it to what later
  // steps (score_from, cluster_from) and the report read. Annotations go into no output file, so
  // this changes no result. Default: keep it whole.
  virtual void CompactAnnotation(nlohmann::json* annotation) const {}
  // Processes rows in input order. Rows already dropped by earlier steps are not passed.
  // Deterministic: the same rows in the same order with the same seed give the same result.
  virtual void Process(std::span<Row*> rows, StepContext& ctx) = 0;
  // Called once after the last batch (for NeedsAllRows steps, `all` holds every row that reached
  // the step, in input order; otherwise it is empty).
  virtual void Finish(std::span<Row*> all, StepContext& ctx) {}
  // This step's part of report.json (counts, histograms, samples). Called after Finish.
  virtual nlohmann::json Report() const = 0;

  // Asynchronous work (a model running in the page's ONNX Runtime, HTTP requests): Process() or
  // Finish() may start work and return with it still running; the step then reports Busy(). The
  // runner holds those rows (and does nothing else in the run) until Busy() is false; on each later
  // PipelineRun::Step() slice it calls Poll() once and returns at once if the step is still busy.
  // Poll must not block in the browser; natively it may wait briefly (tens of milliseconds). Every
  // verdict, edit and annotation of the held rows is set before Busy() turns false. After a cancel the
  // runner stops calling the step; callbacks that may fire after the step is destroyed must not touch
  // it (hold its state weakly).
  virtual bool Busy() const { return false; }
  virtual void Poll(StepContext& ctx) {}

  // Steps that create rows (synth.*): once Process() or Finish() has completed (not Busy()), the
  // runner moves the rows the step generated out with this call and sends them through the following
  // steps as if read from an input named "synth:<step id>" (Origin::file indexes the run's names
  // after the inputs'). report.json counts them per step as "generated"; row conservation reads
  // read + generated == kept + rejected. Generated rows arrive with Keep verdicts.
  virtual void TakeGenerated(std::vector<Row>* out) {}
  // True for steps that may create rows (TakeGenerated). A pipeline with such a step after `split`
  // is refused at start: its rows would be assigned to no split.
  virtual bool GeneratesRows() const { return false; }
};

using StepFactory = std::function<std::unique_ptr<Step>()>;
struct StepInfo {
  std::string type;
  std::string summary;   // one line for --help and the studio
  StepFactory make;
};
std::vector<StepInfo>& StepRegistry();
const StepInfo* FindStep(std::string_view type);
struct StepRegistrar {
  StepRegistrar(std::string type, std::string summary, StepFactory make) {
    StepRegistry().push_back(StepInfo{std::move(type), std::move(summary), std::move(make)});
  }
};
// Registers a step type at static-initialization time. The pipeline library is linked whole
// (CMake target winnow_steps), so registrations in any src/pipeline/*.cpp are never dropped.
#define WINNOW_REGISTER_STEP(cls, type, summary) \
  static ::winnow::StepRegistrar g_register_##cls(type, summary, [] { return std::unique_ptr<::winnow::Step>(new cls()); })

}  // namespace winnow
