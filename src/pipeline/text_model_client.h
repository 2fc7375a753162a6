// TextModelClient: what score.model and dedup.semantic share — a user's (or shipped) ONNX model plus
// its tokenizer, loaded through the platform's ModelRunner, fed batches of texts as BERT-style
// tensors (input_ids / attention_mask / token_type_ids, padded to the batch's longest row). Works
// with synchronous (native) and callback-later (browser) runners: jobs queue until the model is
// loaded and run one batch at a time; the owning step reports Busy() while Busy() here.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/result.h"
#include "pipeline/step.h"
#include "platform/model_runner.h"
#include "template/tokenizer.h"

namespace winnow {

// A tokenizer from a file's text: a Hugging Face tokenizer.json, a vocab.txt (one WordPiece token per
// line, id = line number) or a JSON list of tokens. Errors: "bad_config".
Result<Tokenizer> TokenizerFromModelFile(const std::string& path, const std::string& text);

// Token ids of a batch of texts, [CLS] ids [SEP] (when the tokenizer has them and add_special),
// truncated to max_length, padded with pad_id.
struct EncodedBatch {
  size_t rows = 0, seq = 0;
  std::vector<int64_t> ids, mask;  // rows × seq
};
struct SpecialIds {
  bool has_cls_sep = false;
  int64_t cls = 0, sep = 0, pad = 0;
};
SpecialIds FindSpecialIds(const Tokenizer& tok);
EncodedBatch EncodeBatch(const Tokenizer& tok, const SpecialIds& special, const std::vector<std::string>& texts,
                         size_t max_length, bool add_special);

struct TextModelConfig {
  std::string model;              // path or "asset:<name>" (platform/model_runner.h ModelSource)
  std::string tokenizer;          // path or "asset:<name>"
  std::string output;             // output name; empty = the model's first output
  int64_t max_length = 128;       // tokens per text, specials included
  int64_t batch_size = 32;        // texts per model run
  bool add_special = true;
  // Reads "model", "tokenizer", "output", "max_length", "batch_size", "add_special" from params.
  Status Parse(std::string_view step_type, const nlohmann::json& params);
  void ToJson(nlohmann::json* out) const;
};

class TextModelClient {
 public:
  // For each finished batch: the texts' index range [first, first + batch.rows), the requested
  // output tensor and the batch's ids/mask (for pooling).
  using BatchDone = std::function<void(size_t first, const Tensor& output, const EncodedBatch& batch)>;

  TextModelClient();
  ~TextModelClient();
  // Checks the runtime and starts loading the tokenizer and the model (synchronously natively).
  // Errors: "model_runtime_missing" (no runner: the wasm CLI, or no ONNX Runtime), "io_error",
  // "bad_config" (tokenizer), "bad_model" (when the load fails synchronously).
  Status Start(const TextModelConfig& config, StepContext& ctx);
  // Queues texts; on_batch runs per batch, in order, then on_all once all of them are done.
  void Submit(std::vector<std::string> texts, BatchDone on_batch, std::function<void()> on_all);
  bool Busy() const;
  // Set when loading or a run failed (asynchronously): the message; the failed jobs' callbacks did not run.
  const std::string& error() const;
  const std::string& runtime() const;  // ModelRunner::Describe() at Start
  uint64_t texts_done() const;
  uint64_t tokens_done() const;        // non-padding tokens fed to the model
  uint64_t truncated() const;          // texts cut to max_length

 struct State;  // shared with the runner's callbacks, which hold it weakly

 private:
  std::shared_ptr<State> m_state;
};

// Turns a [batch, seq, hidden] output into mean-pooled rows (attention mask), or passes a
// [batch, hidden] output through. Returns false when the shape fits neither.
bool PoolEmbeddings(const Tensor& output, const EncodedBatch& batch, std::vector<float>* rows, size_t* dim,
                    bool cls_pooling = false);

}  // namespace winnow
