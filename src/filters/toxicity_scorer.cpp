// Batching, featurizing and ModelRunner plumbing for the toxicity model (see toxicity_scorer.h).
#include "filters/toxicity_scorer.h"

#include <algorithm>
#include <deque>
#include <utility>

namespace winnow {

struct ToxicityScorer::State {
  struct Job {
    std::vector<std::string> texts;
    Done done;
    std::vector<float> scores;
    size_t next = 0;
  };
  ModelRunner* runner = nullptr;
  ToxicityScorerConfig config;
  std::unique_ptr<ToxicityFeaturizer> featurizer;
  std::vector<std::string> labels;
  ModelHandle handle = 0;
  int loads_pending = 0;
  bool in_flight = false, pumping = false;
  std::string error, runtime;
  std::deque<Job> jobs;
  uint64_t texts_done = 0, features_done = 0;

  ~State() {
    if (runner && handle) runner->Release(handle);
  }
  bool Ready() const { return loads_pending == 0 && handle != 0 && featurizer != nullptr; }
  void Fail(std::string msg) {
    if (error.empty()) error = std::move(msg);
    std::deque<Job> failed;
    failed.swap(jobs);
    for (auto& j : failed) {
      if (j.done) j.done({});
    }
  }
};

namespace {

using StatePtr = std::shared_ptr<ToxicityScorer::State>;

void Pump(const StatePtr& st) {
  if (st->pumping) return;
  st->pumping = true;
  while (st->Ready() && !st->in_flight && !st->jobs.empty() && st->error.empty()) {
    auto& job = st->jobs.front();
    if (job.next >= job.texts.size()) {
      auto done = std::move(job.done);
      auto scores = std::move(job.scores);
      st->jobs.pop_front();
      if (done) done(std::move(scores));
      continue;
    }
    if (job.next == 0) job.scores.assign(job.texts.size() * st->labels.size(), 0.0f);
    const size_t first = job.next;
    const size_t n = std::min(job.texts.size() - first, st->config.batch_size);
    // Pad every row to the batch's widest: index 0 with value 0 adds nothing to the logits.
    std::vector<SparseFeatures> feats(n);
    size_t width = 1;
    for (size_t i = 0; i < n; ++i) {
      st->featurizer->Featurize(job.texts[first + i], &feats[i]);
      width = std::max(width, feats[i].indices.size());
      st->features_done += feats[i].indices.size();
    }
    Tensor idx, val;
    idx.name = "indices";
    idx.type = TensorType::Int64;
    idx.shape = {static_cast<int64_t>(n), static_cast<int64_t>(width)};
    idx.i64.assign(n * width, 0);
    val.name = "values";
    val.type = TensorType::Float32;
    val.shape = idx.shape;
    val.f32.assign(n * width, 0.0f);
    for (size_t i = 0; i < n; ++i) {
      std::copy(feats[i].indices.begin(), feats[i].indices.end(), idx.i64.begin() + static_cast<std::ptrdiff_t>(i * width));
      std::copy(feats[i].values.begin(), feats[i].values.end(), val.f32.begin() + static_cast<std::ptrdiff_t>(i * width));
    }
    std::vector<Tensor> inputs;
    inputs.push_back(std::move(idx));
    inputs.push_back(std::move(val));
    job.next = first + n;
    st->in_flight = true;
    std::weak_ptr<ToxicityScorer::State> weak = st;
    st->runner->Run(st->handle, std::move(inputs), {"scores"}, [weak, first, n](Result<std::vector<Tensor>> r) {
      auto s = weak.lock();
      if (!s) return;  // the owner is gone (cancelled run)
      s->in_flight = false;
      if (!r.ok()) {
        s->Fail(r.error().message);
        return;
      }
      const size_t k = s->labels.size();
      if (r.value().empty() || r.value()[0].type != TensorType::Float32 || r.value()[0].f32.size() != n * k) {
        s->Fail("the toxicity model returned scores of an unexpected shape (want [" + std::to_string(n) + ", " +
                std::to_string(k) + "])");
        return;
      }
      if (!s->jobs.empty()) {
        auto& j = s->jobs.front();
        std::copy(r.value()[0].f32.begin(), r.value()[0].f32.end(), j.scores.begin() + static_cast<std::ptrdiff_t>(first * k));
        s->texts_done += n;
      }
      Pump(s);
    });
  }
  st->pumping = false;
}

void FetchBytes(const std::string& spec, ModelRunner* runner, const ToxicityScorer::ReadFile& read_file,
                BytesCallback done) {
  ModelSource src = ParseModelSource(spec);
  if (src.is_asset) {
    runner->ReadAsset(src.name, std::move(done));
    return;
  }
  if (!read_file) {
    done(Error{"io_error", "cannot read " + src.name + ": this front end gives steps no file access"});
    return;
  }
  done(read_file(src.name));
}

void OnModelLoaded(const StatePtr& s, Result<ModelHandle> h) {
  --s->loads_pending;
  if (!h.ok()) {
    s->Fail(s->config.model + ": " + h.error().message);
    return;
  }
  s->handle = h.value();
  auto info = s->runner->Info(s->handle);
  if (!info.ok()) {
    s->Fail(info.error().message);
    return;
  }
  bool has_idx = false, has_val = false, has_scores = false;
  for (const TensorInfo& in : info.value().inputs) {
    has_idx = has_idx || (in.name == "indices" && in.type == TensorType::Int64 && in.type_supported);
    has_val = has_val || (in.name == "values" && in.type == TensorType::Float32 && in.type_supported);
  }
  for (const TensorInfo& out : info.value().outputs) has_scores = has_scores || out.name == "scores";
  if (!has_idx || !has_val || info.value().inputs.size() != 2 || !has_scores) {
    s->Fail(s->config.model + ": not a hashed-feature toxicity model (inputs \"indices\" int64 and \"values\" float, "
                              "output \"scores\"; see scripts/train_toxicity.py)");
    return;
  }
  Pump(s);
}

}  // namespace

ToxicityScorer::ToxicityScorer() : m_state(std::make_shared<State>()) {}
ToxicityScorer::~ToxicityScorer() = default;

Status ToxicityScorer::Start(const ToxicityScorerConfig& config, ModelRunner* runner, ReadFile read_file) {
  auto s = m_state;
  s->config = config;
  if (s->config.batch_size == 0) s->config.batch_size = 1;
  if (!runner) {
    return Error{"model_runtime_missing",
                 "the toxicity model needs ONNX Runtime, which the studio and the native CLI provide; this front end "
                 "has none"};
  }
  s->runner = runner;
  s->runtime = runner->Describe();
  if (Status av = runner->Available(); !av.ok()) return av;
  s->loads_pending = 2;
  std::weak_ptr<State> weak = s;
  FetchBytes(config.featurizer, runner, read_file, [weak](Result<std::string> text) {
    auto st = weak.lock();
    if (!st) return;
    --st->loads_pending;
    if (!text.ok()) {
      st->Fail(st->config.featurizer + ": " + text.error().message);
      return;
    }
    auto params = ParseToxicityFeaturizerParams(text.value());
    if (!params.ok()) {
      st->Fail(st->config.featurizer + ": " + params.error().message);
      return;
    }
    st->labels = params.value().labels;
    st->featurizer = std::make_unique<ToxicityFeaturizer>(std::move(params.value()));
    Pump(st);
  });
  if (!s->error.empty()) return Error{"bad_model", s->error};
  FetchBytes(config.model, runner, read_file, [weak](Result<std::string> bytes) {
    auto st = weak.lock();
    if (!st) return;
    if (!bytes.ok()) {
      --st->loads_pending;
      st->Fail(st->config.model + ": " + bytes.error().message);
      return;
    }
    std::weak_ptr<State> w2 = st;
    st->runner->Load(std::move(bytes.value()), [w2](Result<ModelHandle> h) {
      auto st2 = w2.lock();
      if (!st2) return;
      OnModelLoaded(st2, std::move(h));
    });
  });
  if (!s->error.empty()) return Error{"bad_model", s->error};
  return Status::Ok();
}

void ToxicityScorer::Submit(std::vector<std::string> texts, Done done) {
  if (!m_state->error.empty()) {
    if (done) done({});
    return;
  }
  State::Job job;
  job.texts = std::move(texts);
  job.done = std::move(done);
  // Labels are known once the featurizer JSON is read: Pump sizes the scores when the job starts.
  m_state->jobs.push_back(std::move(job));
  Pump(m_state);
}

bool ToxicityScorer::Busy() const {
  return m_state->error.empty() && (m_state->loads_pending > 0 || m_state->in_flight || !m_state->jobs.empty());
}
const std::string& ToxicityScorer::error() const { return m_state->error; }
const std::vector<std::string>& ToxicityScorer::labels() const { return m_state->labels; }
const std::string& ToxicityScorer::runtime() const { return m_state->runtime; }
uint64_t ToxicityScorer::texts_done() const { return m_state->texts_done; }
uint64_t ToxicityScorer::features_done() const { return m_state->features_done; }

}  // namespace winnow
