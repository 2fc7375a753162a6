// Synchronous wrappers over ModelRunner's callback API, and model-source parsing.
#include "platform/model_runner.h"

#include <optional>
#include <utility>

namespace winnow {
namespace {

Error NotSynchronous(const ModelRunner& runner) {
  return Error{"unsupported", "this model runtime is asynchronous (" + runner.Describe() +
                                  "); synchronous model calls are for native front ends"};
}

}  // namespace

Result<ModelHandle> LoadModelSync(ModelRunner& runner, std::string model_bytes) {
  if (!runner.IsSynchronous()) return NotSynchronous(runner);
  std::optional<Result<ModelHandle>> out;
  runner.Load(std::move(model_bytes), [&out](Result<ModelHandle> r) { out.emplace(std::move(r)); });
  if (!out) return Error{"model_run_error", "model runtime did not answer the load request"};
  return std::move(*out);
}

Result<std::vector<Tensor>> RunModelSync(ModelRunner& runner, ModelHandle model, std::vector<Tensor> inputs,
                                         std::vector<std::string> output_names) {
  if (!runner.IsSynchronous()) return NotSynchronous(runner);
  std::optional<Result<std::vector<Tensor>>> out;
  runner.Run(model, std::move(inputs), std::move(output_names),
             [&out](Result<std::vector<Tensor>> r) { out.emplace(std::move(r)); });
  if (!out) return Error{"model_run_error", "model runtime did not answer the run request"};
  return std::move(*out);
}

Result<std::string> ReadAssetSync(ModelRunner& runner, std::string name) {
  if (!runner.IsSynchronous()) return NotSynchronous(runner);
  std::optional<Result<std::string>> out;
  runner.ReadAsset(std::move(name), [&out](Result<std::string> r) { out.emplace(std::move(r)); });
  if (!out) return Error{"io_error", "model runtime did not answer the asset request"};
  return std::move(*out);
}

ModelSource ParseModelSource(std::string_view spec) {
  constexpr std::string_view kAsset = "asset:";
  if (spec.substr(0, kAsset.size()) == kAsset) return ModelSource{true, std::string(spec.substr(kAsset.size()))};
  return ModelSource{false, std::string(spec)};
}

std::string_view TensorTypeName(TensorType type) {
  switch (type) {
    case TensorType::Float32: return "float32";
    case TensorType::Int64: return "int64";
  }
  return "unknown";
}

}  // namespace winnow
