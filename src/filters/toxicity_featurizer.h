// ToxicityFeaturizer: the hashed word / character n-gram features of Winnow's shipped toxicity
// model (assets/models/toxicity/). Mirrors scripts/train_toxicity.py byte for byte: the same text
// gives the same sorted bucket indices and the same float values (tests/unit/filters).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace winnow {

// The featurizer's parameters, as written by the training script into featurizer.json.
struct ToxicityFeaturizerParams {
  int version = 1;
  uint32_t buckets = 1u << 18;
  int char_n_min = 3;
  int char_n_max = 5;
  int max_repeat = 3;
  std::vector<std::string> labels{"hate", "offensive", "neither"};
};

// Parses featurizer.json. Errors: "bad_model" when the JSON is malformed, names another hash or a
// featurizer version this code does not implement, or has out-of-range values.
Result<ToxicityFeaturizerParams> ParseToxicityFeaturizerParams(std::string_view json_text);

// Sparse features of one text: indices strictly ascending, values the L2-normalised log1p counts.
struct SparseFeatures {
  std::vector<int64_t> indices;
  std::vector<float> values;
};

class ToxicityFeaturizer {
 public:
  explicit ToxicityFeaturizer(ToxicityFeaturizerParams params = {}) : m_params(std::move(params)) {}
  const ToxicityFeaturizerParams& params() const { return m_params; }

  // Words of a text: ASCII-lowercased runs of word bytes (ASCII letters, digits, '_', every byte
  // >= 0x80); a URL becomes "<url>", an @mention "<user>"; an apostrophe between word bytes is
  // dropped; runs of one letter longer than max_repeat are cut to max_repeat. Bytes, not code
  // points: invalid UTF-8 is featurized like any other bytes, never an error.
  std::vector<std::string> Tokenize(std::string_view text) const;

  // Word unigrams, word bigrams and char n-grams of each word, hashed with FNV-1a 64 into buckets.
  // Thread-safe (const, no shared state); `out` is overwritten (its capacity is reused).
  void Featurize(std::string_view text, SparseFeatures* out) const;
  SparseFeatures Featurize(std::string_view text) const {
    SparseFeatures f;
    Featurize(text, &f);
    return f;
  }

 private:
  ToxicityFeaturizerParams m_params;
};

uint64_t Fnv1a64(std::string_view bytes);

}  // namespace winnow
