// Hashed n-gram featurizer of the shipped toxicity model; see scripts/train_toxicity.py, which this
// mirrors (any change here needs the same change there and a retrained model).
#include "filters/toxicity_featurizer.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

namespace winnow {
namespace {

constexpr uint64_t kFnvOffset = 0xCBF29CE484222325ull;
constexpr uint64_t kFnvPrime = 0x100000001B3ull;
constexpr int kFeaturizerVersion = 1;

struct Fnv {
  uint64_t h = kFnvOffset;
  void Byte(unsigned char b) { h = (h ^ b) * kFnvPrime; }
  void Bytes(std::string_view s) {
    for (char c : s) Byte(static_cast<unsigned char>(c));
  }
};

bool IsWordByte(unsigned char b) {
  return (b >= '0' && b <= '9') || (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || b == '_' || b >= 0x80;
}

bool IsSpace(unsigned char b) { return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\v' || b == '\f'; }

// `prefix` is lower case ASCII.
bool StartsWithCi(std::string_view text, size_t pos, std::string_view prefix) {
  if (pos + prefix.size() > text.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    unsigned char b = static_cast<unsigned char>(text[pos + i]);
    if (b >= 'A' && b <= 'Z') b = static_cast<unsigned char>(b + 32);
    if (b != static_cast<unsigned char>(prefix[i])) return false;
  }
  return true;
}

}  // namespace

uint64_t Fnv1a64(std::string_view bytes) {
  Fnv f;
  f.Bytes(bytes);
  return f.h;
}

Result<ToxicityFeaturizerParams> ParseToxicityFeaturizerParams(std::string_view json_text) {
  auto j = nlohmann::json::parse(json_text.begin(), json_text.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Error{"bad_model", "featurizer JSON does not parse as an object"};
  ToxicityFeaturizerParams p;
  auto int_field = [&](const char* key, int lo, int64_t hi, int64_t* out) -> Status {
    auto it = j.find(key);
    if (it == j.end() || !it->is_number_integer()) {
      return Error{"bad_model", std::string("featurizer JSON: \"") + key + "\" missing or not an integer"};
    }
    int64_t v = it->get<int64_t>();
    if (v < lo || v > hi) {
      return Error{"bad_model", std::string("featurizer JSON: \"") + key + "\" out of range"};
    }
    *out = v;
    return Status::Ok();
  };
  int64_t version = 0, buckets = 0, max_repeat = 0;
  if (auto s = int_field("featurizer_version", 1, 1000, &version); !s) return s.error();
  if (version != kFeaturizerVersion) {
    return Error{"bad_model", "featurizer version " + std::to_string(version) + " is not implemented (this build has " +
                                  std::to_string(kFeaturizerVersion) + ")"};
  }
  if (auto s = int_field("buckets", 1, int64_t{1} << 30, &buckets); !s) return s.error();
  if (auto s = int_field("max_repeat", 1, 1000, &max_repeat); !s) return s.error();
  auto hash = j.find("hash");
  if (hash == j.end() || !hash->is_string() || hash->get<std::string>() != "fnv1a64") {
    return Error{"bad_model", "featurizer JSON: \"hash\" must be \"fnv1a64\""};
  }
  auto ng = j.find("char_ngram");
  if (ng == j.end() || !ng->is_array() || ng->size() != 2 || !(*ng)[0].is_number_integer() ||
      !(*ng)[1].is_number_integer()) {
    return Error{"bad_model", "featurizer JSON: \"char_ngram\" must be [min, max]"};
  }
  int64_t lo = (*ng)[0].get<int64_t>(), hi = (*ng)[1].get<int64_t>();
  if (lo < 1 || hi < lo || hi > 32) return Error{"bad_model", "featurizer JSON: \"char_ngram\" out of range"};
  auto labels = j.find("labels");
  if (labels == j.end() || !labels->is_array() || labels->empty()) {
    return Error{"bad_model", "featurizer JSON: \"labels\" must be a non-empty array of names"};
  }
  p.labels.clear();
  for (const auto& l : *labels) {
    if (!l.is_string()) return Error{"bad_model", "featurizer JSON: \"labels\" must hold strings"};
    p.labels.push_back(l.get<std::string>());
  }
  p.version = static_cast<int>(version);
  p.buckets = static_cast<uint32_t>(buckets);
  p.max_repeat = static_cast<int>(max_repeat);
  p.char_n_min = static_cast<int>(lo);
  p.char_n_max = static_cast<int>(hi);
  return p;
}

std::vector<std::string> ToxicityFeaturizer::Tokenize(std::string_view text) const {
  std::vector<std::string> words;
  const size_t n = text.size();
  auto at = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  size_t i = 0;
  while (i < n) {
    unsigned char b = at(i);
    bool at_start = i == 0 || !IsWordByte(at(i - 1));
    if (at_start && (StartsWithCi(text, i, "http://") || StartsWithCi(text, i, "https://") ||
                     StartsWithCi(text, i, "www."))) {
      while (i < n && !IsSpace(at(i))) ++i;
      words.emplace_back("<url>");
      continue;
    }
    if (b == '@' && i + 1 < n && IsWordByte(at(i + 1))) {
      ++i;
      while (i < n && IsWordByte(at(i))) ++i;
      words.emplace_back("<user>");
      continue;
    }
    if (!IsWordByte(b)) {
      ++i;
      continue;
    }
    std::string word;
    int run_byte = -1, run_len = 0;
    while (i < n) {
      b = at(i);
      if (b == '\'' && !word.empty() && i + 1 < n && IsWordByte(at(i + 1))) {
        ++i;
        continue;
      }
      if (!IsWordByte(b)) break;
      if (b >= 'A' && b <= 'Z') b = static_cast<unsigned char>(b + 32);
      if (b == run_byte) {
        ++run_len;
      } else {
        run_byte = b;
        run_len = 1;
      }
      if (!(run_len > m_params.max_repeat && b >= 'a' && b <= 'z')) word.push_back(static_cast<char>(b));
      ++i;
    }
    words.push_back(std::move(word));
  }
  return words;
}

void ToxicityFeaturizer::Featurize(std::string_view text, SparseFeatures* out) const {
  const std::vector<std::string> words = Tokenize(text);
  std::vector<uint32_t> keys;
  keys.reserve(words.size() * 16);
  const uint64_t buckets = m_params.buckets;
  for (const auto& w : words) {
    Fnv f;
    f.Byte('w');
    f.Bytes(w);
    keys.push_back(static_cast<uint32_t>(f.h % buckets));
  }
  for (size_t k = 0; k + 1 < words.size(); ++k) {
    Fnv f;
    f.Byte('b');
    f.Bytes(words[k]);
    f.Byte(' ');
    f.Bytes(words[k + 1]);
    keys.push_back(static_cast<uint32_t>(f.h % buckets));
  }
  std::string padded;
  for (const auto& w : words) {
    if (!w.empty() && w[0] == '<') continue;  // <url>, <user>: no character n-grams
    padded.assign("<");
    padded += w;
    padded += '>';
    for (int len = m_params.char_n_min; len <= m_params.char_n_max; ++len) {
      const size_t ln = static_cast<size_t>(len);
      for (size_t s = 0; s + ln <= padded.size(); ++s) {
        Fnv f;
        f.Byte('c');
        f.Bytes(std::string_view(padded).substr(s, ln));
        keys.push_back(static_cast<uint32_t>(f.h % buckets));
      }
    }
  }
  std::sort(keys.begin(), keys.end());
  out->indices.clear();
  out->values.clear();
  std::vector<double> raw;
  raw.reserve(keys.size());
  for (size_t k = 0; k < keys.size();) {
    size_t e = k;
    while (e < keys.size() && keys[e] == keys[k]) ++e;
    out->indices.push_back(keys[k]);
    raw.push_back(std::log1p(static_cast<double>(e - k)));
    k = e;
  }
  // Sum of squares in ascending bucket order, as the script does, so the rounding is the same.
  double ss = 0.0;
  for (double v : raw) ss += v * v;
  const double norm = ss > 0 ? std::sqrt(ss) : 1.0;
  out->values.reserve(raw.size());
  for (double v : raw) out->values.push_back(static_cast<float>(v / norm));
}

}  // namespace winnow
