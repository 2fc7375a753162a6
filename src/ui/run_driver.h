// RunDriver: runs the pipeline over the loaded Dataset through the pipeline runner in src/pipeline,
// a slice at a time on the UI thread (the page's main thread must never block) or on a worker
// thread where the front end has threads, collecting the outputs in memory.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/chunked_bytes.h"
#include "core/dataset.h"
#include "core/result.h"
#include "io/reader.h"
#include "ui/dataset_loader.h"

namespace winnow {
class PipelineRun;
class ModelRunner;  // platform/model_runner.h
class HttpClient;   // platform/http_client.h
}

namespace winnow::ui {

struct RunOutput {
  std::string name;   // "kept.jsonl", "rejected.jsonl", "report.json", "README.md", "train.jsonl", ...
  ChunkedBytes bytes;  // in 8 MB parts: read them in order (Parts(), ForEachLine()), never as one string
  size_t lines = 0;    // '\n' count, counted once when the run ends (the Export view shows it)
};

class RunDriver {
 public:
  enum class State { Idle, Running, Done, Failed, Cancelled };
  RunDriver();
  ~RunDriver();
  // Starts a run of `pipeline_json` over the loader's rows plus the rows it could not read
  // (rejected with step "read"), replayed in file order. The loader must outlive the run.
  // read_file reads reference files named in params (may be empty); models and http are the
  // platform services of model and LLM steps (may be null).
  // use_thread: the run works on a worker thread (std::thread) while Step() only checks whether it
  // has ended; a frame then never waits for a long stage. Only for pipelines whose steps call no
  // platform service from their work (models, HTTP: those run where the front end lives) and do
  // not need RefreshStepReports() while running. The caller must not modify the loader's Dataset
  // until the run ends (reads are fine); Reset() and the destructor cancel the worker and wait for
  // its current slice. Without threads (a wasm build without pthreads) the run is frame-sliced.
  // Errors: bad_config (the message names the key and the allowed values), io_error.
  Status Start(const DatasetLoader& loaded, const std::string& pipeline_json,
               std::function<Result<std::string>(const std::string&)> read_file = {}, ModelRunner* models = nullptr,
               HttpClient* http = nullptr, bool use_thread = false);
  // True when the current (or last) run works on a worker thread.
  bool Threaded() const;
  // Frame-sliced: works for about budget_s seconds. Threaded: notices the end. Returns true while
  // the run goes on.
  bool Step(double budget_s, const std::function<double()>& now);
  void Cancel();
  void Reset();

  State state() const { return m_state; }
  bool Running() const { return m_state == State::Running; }
  double Fraction() const;        // 0..1
  std::string Stage() const;      // what runs now ("dedup.near: signatures")
  double Elapsed() const { return m_elapsed; }
  const std::string& error() const { return m_error; }
  const std::vector<RunOutput>& outputs() const { return m_outputs; }
  const RunOutput* Find(std::string_view name) const;
  // report.json parsed (null before the run finished).
  const nlohmann::json& report() const { return m_report; }
  // Each step's own report (Step::Report(), an array by step index) as of the last
  // RefreshStepReports() while running and, with KeepStepReports(true), as the run ended (done,
  // failed or cancelled: the synthesis panel shows how many calls had finished before a cancel).
  // Only for pipelines whose steps report mid-run (synth.*): other steps expect Finish() first.
  void RefreshStepReports();
  void KeepStepReports(bool on) { m_keep_step_reports = on; }
  const nlohmann::json& step_reports() const { return m_step_reports; }
  // Verdict of dataset row i after a finished run: "" kept, else "step: reason".
  std::string VerdictOf(size_t i) const;
  bool Dropped(size_t i) const;
  // Flags of dataset row i after a finished run, one "step: reason: detail" each, from
  // annotations.jsonl (empty when the row has none or the pipeline's "annotations" is "none").
  const std::vector<std::string>& FlagsOf(size_t i) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
  State m_state = State::Idle;
  std::string m_error;
  std::vector<RunOutput> m_outputs;
  nlohmann::json m_report;
  nlohmann::json m_step_reports = nlohmann::json::array();
  bool m_keep_step_reports = false;
  double m_started = 0, m_elapsed = 0;
};

}  // namespace winnow::ui
