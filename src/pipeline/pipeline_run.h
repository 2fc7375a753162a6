// PipelineRun: executes a pipeline over an ExampleSource and writes its outputs (run_outputs.h):
//   kept.jsonl      rows that every step kept, in input order, each in its source format: re-encoded
//                   ("row_bytes": "canonical", the default) or, with "source", a JSONL row's own
//                   source line with only the string values a step changed replaced (the patch is
//                   read back and must give the row; when it does not, and for JSON-array / CSV
//                   rows and rows a step created, the row is re-encoded; report.json "row_bytes"
//                   counts both)
//   rejected.jsonl  one object per rejected row: rows dropped while streaming in input order (per
//                   batch), then those dropped by buffered stages, stage by stage, in input order:
//                   {"step","reason","detail","file","line","index","offset", then "raw" (the
//                   source bytes, for rows that could not be read: step "read") or "row" (the
//                   example in its source format as it stood when rejected: edits of earlier
//                   steps such as pii.scrub are applied, so no scrubbed value reappears here)}
//   annotations.jsonl  what the steps said about each row, which kept.jsonl (the training data, in
//                   its source format) cannot carry: one object per row, written as the row is
//                   written to kept or rejected (so in that order), for the rows the pipeline's
//                   "annotations" names: "flagged" (default) rows a step flagged, "all" every row
//                   that was read as an example, "none" no file. {"file","line","index","offset",
//                   "verdict": "kept" | "dropped" (then "step","reason"), "flags": [{"step","reason",
//                   "detail"}], "annotations": {step id: that step's annotation, in pipeline order}}.
//                   Verdicts are the pipeline's (before any review in the studio). Rows held for a
//                   buffering step (split, dedup.near) keep compact annotations (Step::
//                   CompactAnnotation) unless "all" is chosen or they were flagged before it.
//   report.json     counts per step and reason, row conservation, statistics (run_report.h)
//   README.md       the dataset card (dataset_card.h)
//   <split>.jsonl   with a split step: train.jsonl / validation.jsonl / test.jsonl
// Rows stream through in batches; they are buffered only from the first step whose NeedsAllRows()
// is true. Work is sliced: Step(budget) does a bounded amount and returns, so the studio can drive
// a run across frames; Cancel() is thread-safe. Not thread-safe otherwise.
// Asynchronous steps (Step::Busy(), a model in the page, HTTP) hold the run: while one has work in
// flight, Step() polls it and returns at once. Rows that steps generate (synth.*) go on through the
// following steps and are counted: read + generated == kept + rejected.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/progress.h"
#include "core/result.h"
#include "pipeline/example_source.h"
#include "pipeline/pipeline_config.h"
#include "pipeline/run_outputs.h"
#include "pipeline/step.h"

namespace winnow {

struct RunOptions {
  size_t batch_rows = 512;  // rows per batch handed to a step
  // Reads reference files named in step params (decontaminate). May be empty.
  std::function<Result<std::string>(const std::string& path)> read_file;
  bool write_card = true;   // README.md
  // Platform services handed to the steps (StepContext::models / ::http); may be null.
  ModelRunner* models = nullptr;
  HttpClient* http = nullptr;
};

struct RunProgress {
  std::string stage;        // "read", a step id, "write", "report", "done"
  uint64_t done = 0, total = 0;
  std::string unit;         // "bytes" or "rows"
  uint64_t rows_read = 0, kept = 0, rejected = 0;
  bool waiting = false;     // an asynchronous step (model, HTTP) has work in flight
};

// Counts of one step, as report.json lists them.
struct StepCounts {
  uint64_t in = 0, kept = 0, dropped = 0, flagged = 0;
  uint64_t generated = 0;  // rows the step created (synth.*); they go on to the following steps
  std::map<std::string, uint64_t> reasons;       // drop reason -> rows
  std::map<std::string, uint64_t> flag_reasons;  // flag reason -> rows
};

struct RunSummary {
  uint64_t rows_read = 0;     // examples + read problems
  uint64_t read_problems = 0;
  uint64_t generated = 0;     // rows created by steps (synth.*)
  uint64_t kept = 0;
  uint64_t rejected = 0;      // read problems + step drops + rows that could not be written
  bool conserved = false;     // rows_read + generated == kept + rejected and the per-step counts add up
  std::vector<StepCounts> steps;
  nlohmann::json report;      // the content of report.json
};

class PipelineRun {
 public:
  // Instantiates and configures the steps and opens kept.jsonl and rejected.jsonl.
  // Errors: bad_config (pipeline or step params), io_error (an output cannot be opened).
  static Result<std::unique_ptr<PipelineRun>> Start(const PipelineConfig& config,
                                                     std::unique_ptr<ExampleSource> input,
                                                     RunOutputs* outputs, RunOptions opts = {});
  ~PipelineRun();
  // Does about `budget` rows of work (at least one batch); returns true while work remains.
  // When it returns false the run is over: see status() and Summary().
  bool Step(uint64_t budget);
  RunProgress Progress() const;
  void Cancel() { m_cancel.Cancel(); }
  // ok, or the error that ended the run (io_error, bad_input, cancelled, conservation_error).
  const Status& status() const { return m_status; }
  const RunSummary& Summary() const { return m_summary; }
  const std::vector<std::unique_ptr<winnow::Step>>& steps() const { return m_steps; }

 private:
  PipelineRun() = default;
  struct Impl;
  std::unique_ptr<Impl> m_impl;
  std::vector<std::unique_ptr<winnow::Step>> m_steps;
  CancelToken m_cancel;
  Status m_status;
  RunSummary m_summary;
};

// Runs to completion. `progress` (may be empty) is called between slices; `cancel` may be null.
// Errors as PipelineRun::Start and status(); on success returns the summary.
Result<RunSummary> RunPipeline(const PipelineConfig& config, std::unique_ptr<ExampleSource> input,
                               RunOutputs* outputs, RunOptions opts = {}, const ProgressSink& progress = {},
                               const CancelToken* cancel = nullptr);

}  // namespace winnow
