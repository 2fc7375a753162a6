#include "ui/run_driver.h"

#include <algorithm>

#include "pipeline/pipeline_run.h"
#include "ui/loaded_source.h"

namespace winnow::ui {

struct RunDriver::Impl {
  MemoryOutputs outputs;
  std::unique_ptr<PipelineRun> run;
  const DatasetLoader* loaded = nullptr;
  // Verdicts of rejected rows by Origin::index, from rejected.jsonl (filled when the run is done).
  std::map<uint64_t, std::string> rejected;
};

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
                        HttpClient* http) {
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
  return Status::Ok();
}

void RunDriver::Cancel() {
  if (m_state == State::Running && m_impl && m_impl->run) m_impl->run->Cancel();
}

bool RunDriver::Step(double budget_s, const std::function<double()>& now) {
  if (m_state != State::Running) return false;
  double t0 = now();
  if (m_started < 0) m_started = t0;
  bool more = true;
  // Small row budgets, repeated until the time budget is spent: the frame stays short.
  while (more && now() - t0 < budget_s) more = m_impl->run->Step(256);
  m_elapsed = now() - m_started;
  if (more) return true;
  if (m_keep_step_reports) RefreshStepReports();
  const Status& st = m_impl->run->status();
  if (!st.ok()) {
    m_error = st.error().message;
    m_state = st.error().code == "cancelled" ? State::Cancelled : State::Failed;
    // Destroying the steps aborts what is still in flight (HTTP requests of a cancelled synth step).
    m_impl->run.reset();
    return false;
  }
  // Collect outputs in a fixed, readable order: data first, then report and card.
  std::vector<std::string> names = m_impl->outputs.Names();
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
  for (const std::string& n : names) m_outputs.push_back(RunOutput{n, *m_impl->outputs.Get(n)});
  m_report = m_impl->run->Summary().report;
  if (const RunOutput* rej = Find("rejected.jsonl")) {
    size_t start = 0;
    const std::string& b = rej->bytes;
    while (start < b.size()) {
      size_t nl = b.find('\n', start);
      if (nl == std::string::npos) nl = b.size();
      nlohmann::json j = nlohmann::json::parse(b.begin() + static_cast<std::ptrdiff_t>(start),
                                               b.begin() + static_cast<std::ptrdiff_t>(nl), nullptr, false);
      if (!j.is_discarded() && j.is_object() && j.contains("index") && j["index"].is_number_unsigned() &&
          j.value("step", "") != "read") {
        m_impl->rejected[j["index"].get<uint64_t>()] = j.value("step", "") + ": " + j.value("reason", "");
      }
      start = nl + 1;
    }
  }
  m_impl->run.reset();  // frees buffered rows and steps; the outputs are copied above
  m_state = State::Done;
  return false;
}

void RunDriver::RefreshStepReports() {
  if (!m_impl || !m_impl->run) return;
  nlohmann::json reports = nlohmann::json::array();
  for (const auto& step : m_impl->run->steps()) reports.push_back(step->Report());
  m_step_reports = std::move(reports);
}

double RunDriver::Fraction() const {
  if (m_state == State::Done) return 1.0;
  if (!m_impl || !m_impl->run) return 0.0;
  RunProgress p = m_impl->run->Progress();
  uint64_t total = m_impl->loaded ? m_impl->loaded->TotalRows() : 0;
  if (total == 0) return 0.0;
  // Rows read through the pipeline measure progress; steps that need all rows finish at the end.
  double f = static_cast<double>(p.rows_read) / static_cast<double>(total);
  return std::min(f, 0.99);
}

std::string RunDriver::Stage() const {
  if (!m_impl || !m_impl->run) return "";
  RunProgress p = m_impl->run->Progress();
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

}  // namespace winnow::ui
