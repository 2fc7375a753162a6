#include "ui/run_driver.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <new>
#include <mutex>
#include <system_error>
#include <thread>

#include "pipeline/pipeline_run.h"
#include "ui/loaded_source.h"

namespace winnow::ui {

namespace {

constexpr const char* kOutOfMemory =
    "The run ran out of memory: the rows it holds and its outputs did not fit (a browser tab has at most 4 GB). "
    "Run this pipeline in the desktop studio or with winnow run, or on fewer rows.";
}  // namespace

struct RunDriver::Impl {
  MemoryOutputs outputs;
  std::unique_ptr<PipelineRun> run;
  const DatasetLoader* loaded = nullptr;
  // Verdicts of rejected rows by Origin::index, from rejected.jsonl (filled when the run is done).
  std::map<uint64_t, std::string> rejected;
  // Flags of rows by Origin::index ("step: reason: detail"), from annotations.jsonl.
  std::map<uint64_t, std::vector<std::string>> flags;
  // Outputs in display order and report.json, collected when the run ended successfully.
  std::vector<RunOutput> collected;
  nlohmann::json report;

  // ---- worker thread (Start with use_thread) ----
  std::thread worker;
  std::atomic<bool> worker_done{false};
  std::atomic<double> worker_seconds{-1};  // the worker's run time, set when it ends
  std::atomic<bool> out_of_memory{false};  // the run threw std::bad_alloc (a full wasm heap)
  bool used_thread = false;  // the run works (or worked) on the worker
  mutable std::mutex mu;
  RunProgress progress;  // the worker's latest run->Progress(), read by the UI thread under mu

  RunProgress Progress() const {
    if (worker.joinable()) {
      std::lock_guard<std::mutex> lock(mu);
      return progress;
    }
    return run ? run->Progress() : RunProgress{};
  }
  // Moves the outputs out of the run (no copy of a large kept.jsonl) in a fixed, readable order:
  // data first, then report and card; indexes rejected.jsonl's verdicts by row.
  void Collect();
  ~Impl() {
    if (worker.joinable()) {
      // A new file or a new run while this one works: stop it at its next slice. The wait is one
      // slice at most, and the worker never calls into the page, so it cannot wait for this thread.
      run->Cancel();
      worker.join();
    }
  }
};

void RunDriver::Impl::Collect() {
  std::vector<std::string> names = outputs.Names();
  auto rank = [](const std::string& n) {
    if (n == "kept.jsonl") return 0;
    if (n == "rejected.jsonl") return 1;
    if (n == "train.jsonl") return 2;
    if (n == "validation.jsonl") return 3;
    if (n == "test.jsonl") return 4;
    if (n == "report.json") return 6;
    if (n == "README.md") return 7;
    return 5;
  };
  std::stable_sort(names.begin(), names.end(), [&](const std::string& a, const std::string& b) { return rank(a) < rank(b); });
  for (const std::string& n : names) {
    RunOutput o{n, outputs.Take(n)};
    o.lines = o.bytes.Count('\n');
    collected.push_back(std::move(o));
  }
  report = run->Summary().report;
  for (const RunOutput& o : collected) {
    if (o.name == "annotations.jsonl") {
      o.bytes.ForEachLine([&](std::string_view line) {
        // Only lines with flags are parsed: with "annotations": "all" most lines have none.
        if (line.find("\"flags\":[]") != std::string_view::npos) return;
        nlohmann::json j = nlohmann::json::parse(line.begin(), line.end(), nullptr, false);
        if (j.is_discarded() || !j.is_object() || !j.contains("index") || !j["index"].is_number_unsigned() ||
            !j.contains("flags") || !j["flags"].is_array() || j.value("file", "").rfind("synth:", 0) == 0) {
          return;
        }
        std::vector<std::string>& f = flags[j["index"].get<uint64_t>()];
        for (const nlohmann::json& x : j["flags"]) {
          if (!x.is_object()) continue;
          std::string d = x.value("detail", "");
          f.push_back(x.value("step", "") + ": " + x.value("reason", "") + (d.empty() ? "" : ": " + d));
        }
      });
    } else if (o.name == "rejected.jsonl") {
      o.bytes.ForEachLine([&](std::string_view line) {
        nlohmann::json j = nlohmann::json::parse(line.begin(), line.end(), nullptr, false);
        if (!j.is_discarded() && j.is_object() && j.contains("index") && j["index"].is_number_unsigned() &&
            j.value("step", "") != "read") {
          rejected[j["index"].get<uint64_t>()] = j.value("step", "") + ": " + j.value("reason", "");
        }
      });
    }
  }
}

RunDriver::RunDriver() = default;
RunDriver::~RunDriver() = default;

void RunDriver::Reset() {
  m_impl.reset();
  m_state = State::Idle;
  m_error.clear();
  m_outputs.clear();
  m_report = nullptr;
  m_step_reports = nlohmann::json::array();
  m_elapsed = 0;
}

Status RunDriver::Start(const DatasetLoader& loaded, const std::string& pipeline_json,
                        std::function<Result<std::string>(const std::string&)> read_file, ModelRunner* models,
                        HttpClient* http, bool use_thread) {
  Reset();
  auto config = ParsePipeline(pipeline_json);
  if (!config.ok()) return config.error();
  m_impl = std::make_unique<Impl>();
  m_impl->loaded = &loaded;
  RunOptions opts;
  opts.read_file = std::move(read_file);
  opts.models = models;
  opts.http = http;
  auto run = PipelineRun::Start(config.value(), MakeLoadedSource(loaded), &m_impl->outputs, opts);
  if (!run.ok()) {
    m_impl.reset();
    return run.error();
  }
  m_impl->run = std::move(run.value());
  m_state = State::Running;
  m_started = -1;
  if (use_thread) {
    Impl* im = m_impl.get();
    im->progress = im->run->Progress();
    try {
      im->worker = std::thread([im] {
        auto t0 = std::chrono::steady_clock::now();
        // A full heap (a browser tab has at most 4 GB) throws from deep in the steps; it ends this
        // run with a message instead of terminating the page. Nothing else in the core throws.
        try {
          while (im->run->Step(2048)) {
            std::lock_guard<std::mutex> lock(im->mu);
            im->progress = im->run->Progress();
          }
          if (im->run->status().ok()) im->Collect();
        } catch (const std::bad_alloc&) {
          im->out_of_memory.store(true);
        }
        im->worker_seconds.store(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        {
          std::lock_guard<std::mutex> lock(im->mu);
          im->progress = im->run->Progress();
        }
        im->worker_done.store(true, std::memory_order_release);
      });
      im->used_thread = true;
    } catch (const std::system_error&) {
      // No threads after all (a wasm build without pthreads): the run is sliced across frames.
    }
  }
  return Status::Ok();
}

bool RunDriver::Threaded() const { return m_impl && m_impl->used_thread; }

void RunDriver::Cancel() {
  if (m_state == State::Running && m_impl && m_impl->run) m_impl->run->Cancel();
}

bool RunDriver::Step(double budget_s, const std::function<double()>& now) {
  if (m_state != State::Running) return false;
  double t0 = now();
  if (m_started < 0) m_started = t0;
  if (m_impl->worker.joinable()) {
    // The worker runs the pipeline; this thread only notices when it has finished.
    m_elapsed = now() - m_started;
    if (!m_impl->worker_done.load(std::memory_order_acquire)) return true;
    m_impl->worker.join();
    // The first Step() may come after a short run has already ended: the worker's own clock.
    m_elapsed = m_impl->worker_seconds.load();
  } else {
    try {
      bool more = true;
      // Small row budgets, repeated until the time budget is spent: the frame stays short.
      while (more && now() - t0 < budget_s) more = m_impl->run->Step(256);
      m_elapsed = now() - m_started;
      if (more) return true;
      if (m_impl->run->status().ok()) m_impl->Collect();
    } catch (const std::bad_alloc&) {
      m_impl->out_of_memory.store(true);
    }
  }
  if (m_impl->out_of_memory.load()) {
    m_error = kOutOfMemory;
    m_state = State::Failed;
    m_impl.reset();  // frees the held rows and the partial outputs
    return false;
  }
  if (m_keep_step_reports) RefreshStepReports();
  const Status& st = m_impl->run->status();
  if (!st.ok()) {
    m_error = st.error().message;
    m_state = st.error().code == "cancelled" ? State::Cancelled : State::Failed;
    // Destroying the steps aborts what is still in flight (HTTP requests of a cancelled synth step).
    m_impl->run.reset();
    return false;
  }
  m_outputs = std::move(m_impl->collected);
  m_report = std::move(m_impl->report);
  m_impl->run.reset();  // frees buffered rows and steps; the outputs were moved out above
  m_state = State::Done;
  return false;
}

void RunDriver::RefreshStepReports() {
  // Step reports are read on this thread: not while a worker runs the steps.
  if (!m_impl || !m_impl->run || (m_impl->worker.joinable() && !m_impl->worker_done.load())) return;
  nlohmann::json reports = nlohmann::json::array();
  for (const auto& step : m_impl->run->steps()) reports.push_back(step->Report());
  m_step_reports = std::move(reports);
}

double RunDriver::Fraction() const {
  if (m_state == State::Done) return 1.0;
  if (!m_impl || !m_impl->run) return 0.0;
  RunProgress p = m_impl->Progress();
  uint64_t total = m_impl->loaded ? m_impl->loaded->TotalRows() : 0;
  if (total == 0) return 0.0;
  // Rows read through the pipeline measure progress; steps that need all rows finish at the end.
  double f = static_cast<double>(p.rows_read) / static_cast<double>(total);
  return std::min(f, 0.99);
}

std::string RunDriver::Stage() const {
  if (!m_impl || !m_impl->run) return "";
  RunProgress p = m_impl->Progress();
  return "Running " + p.stage + "  \xC2\xB7  " + GroupedCount(p.rows_read) + " rows read, " + GroupedCount(p.kept) +
         " kept, " + GroupedCount(p.rejected) + " rejected";
}

const RunOutput* RunDriver::Find(std::string_view name) const {
  for (const RunOutput& o : m_outputs) {
    if (o.name == name) return &o;
  }
  return nullptr;
}

std::string RunDriver::VerdictOf(size_t i) const {
  if (m_state != State::Done || !m_impl || !m_impl->loaded) return "";
  const Dataset& ds = m_impl->loaded->dataset();
  if (i >= ds.size()) return "";
  auto it = m_impl->rejected.find(ds.OriginOf(i).index);
  return it == m_impl->rejected.end() ? "" : it->second;
}

bool RunDriver::Dropped(size_t i) const { return !VerdictOf(i).empty(); }

const std::vector<std::string>& RunDriver::FlagsOf(size_t i) const {
  static const std::vector<std::string> kNone;
  if (m_state != State::Done || !m_impl || !m_impl->loaded) return kNone;
  const Dataset& ds = m_impl->loaded->dataset();
  if (i >= ds.size()) return kNone;
  auto it = m_impl->flags.find(ds.OriginOf(i).index);
  return it == m_impl->flags.end() ? kNone : it->second;
}

}  // namespace winnow::ui
