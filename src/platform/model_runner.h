// ModelRunner: the platform's ONNX Runtime, as the core sees it. Load a model from bytes, list its
// inputs/outputs, run a batch of named tensors. Implemented by native/model_runner_native.cpp (the
// libonnxruntime.so.1 of the onnxruntime-node npm package, dlopen'ed) and wasm/model_runner_web.cpp
// (onnxruntime-web in the page, promise-based: callbacks arrive on a later frame).
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace winnow {

// Element types the core exchanges with models. More can be added; runners reject the others with
// "bad_model" when a model's input needs one, and convert outputs of other types where lossless.
enum class TensorType : uint8_t { Float32, Int64 };

// A dense row-major tensor. Exactly one of f32 / i64 holds the data, per `type`.
struct Tensor {
  std::string name;             // input or output name in the model
  TensorType type = TensorType::Float32;
  std::vector<int64_t> shape;   // e.g. {batch, seq_len}
  std::vector<float> f32;
  std::vector<int64_t> i64;
  size_t ElementCount() const {
    size_t n = 1;
    for (int64_t d : shape) n *= static_cast<size_t>(d < 0 ? 0 : d);
    return n;
  }
};

struct TensorInfo {
  std::string name;
  TensorType type = TensorType::Float32;
  bool type_supported = true;    // false: the model uses an element type the core does not exchange
  std::vector<int64_t> shape;    // -1 for a dynamic dimension; may be empty when the runtime does not say
};

struct ModelInfo {
  std::vector<TensorInfo> inputs;   // in the model's order
  std::vector<TensorInfo> outputs;  // in the model's order
};

using ModelHandle = uint32_t;  // 0 is never a valid handle

// Callbacks: natively they run before the call returns (IsSynchronous() true); in the page they run
// later, from the browser's event loop between frames. A step that may be destroyed before a
// callback fires must hold its state weakly (see Step::Busy in pipeline/step.h).
using LoadCallback = std::function<void(Result<ModelHandle>)>;
using RunCallback = std::function<void(Result<std::vector<Tensor>>)>;
using BytesCallback = std::function<void(Result<std::string>)>;

// Error codes:
//   "model_runtime_missing": no ONNX Runtime on this machine / in this page (message says where it
//                            was looked for and how to install it);
//   "bad_model":             the bytes are not a model the runtime accepts (message has its reason);
//   "model_run_error":       the runtime failed running a batch (wrong input names/shapes...);
//   "io_error":              an asset could not be read / fetched.
class ModelRunner {
 public:
  virtual ~ModelRunner() = default;

  // "onnxruntime 1.20.1 (native, /path/libonnxruntime.so.1)" or the reason it is unavailable.
  virtual std::string Describe() const = 0;
  // Ok when a runtime is loaded; otherwise "model_runtime_missing" with the reason. Cheap; steps
  // call it in Prepare so a pipeline without a runtime fails before any row is processed.
  virtual Status Available() const = 0;
  // True when every callback below runs before the call that takes it returns (native).
  virtual bool IsSynchronous() const = 0;

  // Creates a session from the bytes of an .onnx file.
  virtual void Load(std::string model_bytes, LoadCallback done) = 0;
  // Inputs / outputs of a loaded model (valid once Load's callback got the handle).
  virtual Result<ModelInfo> Info(ModelHandle model) const = 0;
  // Runs one batch: `inputs` named as in Info().inputs (all of them); `output_names` empty = all
  // outputs in the model's order. The callback gets the outputs in the requested order.
  virtual void Run(ModelHandle model, std::vector<Tensor> inputs, std::vector<std::string> output_names,
                   RunCallback done) = 0;
  // Frees a session. Safe with a handle already released or never issued.
  virtual void Release(ModelHandle model) = 0;

  // Reads a file shipped with Winnow under assets/models/ (e.g. "toxicity.onnx",
  // "toxicity.json"): natively from the asset folder (WINNOW_ASSET_DIR env var, next to the
  // executable, or the source tree), in the page fetched from the page's own origin (models/<name>).
  virtual void ReadAsset(std::string name, BytesCallback done) = 0;
};

// Synchronous conveniences for native front ends, tools and tests: they need IsSynchronous() and
// return Error "unsupported" otherwise (in the page, use the callbacks and Step::Busy/Poll).
Result<ModelHandle> LoadModelSync(ModelRunner& runner, std::string model_bytes);
Result<std::vector<Tensor>> RunModelSync(ModelRunner& runner, ModelHandle model, std::vector<Tensor> inputs,
                                         std::vector<std::string> output_names = {});
Result<std::string> ReadAssetSync(ModelRunner& runner, std::string name);

// Where a step's model comes from: the "model" parameter of score.model / dedup.semantic is either
// a path (read through StepContext::read_file: a local file natively, a file the user chose in the
// studio) or "asset:<name>" for a file shipped under assets/models/ (read with ReadAsset).
struct ModelSource {
  bool is_asset = false;
  std::string name;  // the path, or the asset's file name
};
ModelSource ParseModelSource(std::string_view spec);

std::string_view TensorTypeName(TensorType type);  // "float32", "int64"

// The runner for front ends that run a pipeline to completion without returning to an event loop
// (the CLIs): natively the dlopen'ed ONNX Runtime (native/model_runner_native.cpp); null in the wasm
// CLI under Node, where model steps then fail in Prepare with a message (wasm/model_runner_web.cpp).
ModelRunner* BlockingModelRunner();

}  // namespace winnow
