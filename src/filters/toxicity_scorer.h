// ToxicityScorer: texts -> per-class probabilities with the shipped toxicity model (or a model of the
// same kind): featurizer JSON + ONNX model loaded through the platform's ModelRunner, texts featurized
// here (toxicity_featurizer.h) and run in batches. Works with synchronous (native) and callback-later
// (browser) runners: work queues until loaded, one batch in flight; the owner polls Busy().
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "filters/toxicity_featurizer.h"
#include "platform/model_runner.h"

namespace winnow {

struct ToxicityScorerConfig {
  std::string model = "asset:toxicity/model.onnx";             // path or "asset:<name>"
  std::string featurizer = "asset:toxicity/featurizer.json";   // path or "asset:<name>"
  size_t batch_size = 256;                                       // texts per model run
};

class ToxicityScorer {
 public:
  // Reads a path (a local file natively, a file the user chose in the studio); may be empty.
  using ReadFile = std::function<Result<std::string>(const std::string& path)>;
  // Scores of a submitted job: texts × labels, row-major; empty when the job failed (see error()).
  using Done = std::function<void(std::vector<float> scores)>;

  ToxicityScorer();
  ~ToxicityScorer();
  ToxicityScorer(const ToxicityScorer&) = delete;
  ToxicityScorer& operator=(const ToxicityScorer&) = delete;

  // Checks the runtime and starts loading the featurizer and the model. Errors (returned at once
  // when they are known synchronously, else in error()): "model_runtime_missing" (runner null or
  // without ONNX Runtime), "io_error", "bad_model" (featurizer JSON, model bytes, or a model whose
  // inputs are not indices/values or whose output is not [N, labels]).
  Status Start(const ToxicityScorerConfig& config, ModelRunner* runner, ReadFile read_file);
  // Queues texts; `done` runs once with all their scores (in order), or with none on failure.
  void Submit(std::vector<std::string> texts, Done done);
  bool Busy() const;
  const std::string& error() const;
  // Valid once loaded (labels from the featurizer JSON).
  const std::vector<std::string>& labels() const;
  const std::string& runtime() const;
  uint64_t texts_done() const;
  uint64_t features_done() const;  // non-zero features fed to the model

  struct State;  // shared with the runner's callbacks, which hold it weakly

 private:
  std::shared_ptr<State> m_state;
};

}  // namespace winnow
