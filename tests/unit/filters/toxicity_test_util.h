// Helpers for the toxicity model tests: the labelled tweets of ../shared/data/toxicity, the held-out
// split of scripts/train_toxicity.py (recomputed, not stored), the reference fixture the script
// writes, and ROC-AUC / F1 computed the way the script computes them.
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace winnow::test {

struct LabeledTweet {
  int64_t id = 0;
  int label = 0;  // 0 hate, 1 offensive, 2 neither
  std::string text;
};

// RFC 4180 reader for labeled_data.csv (quoted fields with "" escapes and newlines). Returns false
// when the file cannot be read or a row does not have the 7 columns.
inline bool ReadLabeledTweets(const std::string& path, std::vector<LabeledTweet>* out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  std::ostringstream ss;
  ss << f.rdbuf();
  const std::string s = ss.str();
  std::vector<std::string> fields;
  std::string field;
  bool header = true;
  size_t i = 0;
  auto end_row = [&]() -> bool {
    fields.push_back(field);
    field.clear();
    if (header) {
      header = false;
    } else {
      if (fields.size() != 7) return false;
      out->push_back(LabeledTweet{std::stoll(fields[0]), std::stoi(fields[5]), fields[6]});
    }
    fields.clear();
    return true;
  };
  while (i < s.size()) {
    char c = s[i];
    if (c == '"' && field.empty()) {
      ++i;
      while (i < s.size()) {
        if (s[i] == '"') {
          if (i + 1 < s.size() && s[i + 1] == '"') {
            field.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field.push_back(s[i++]);
      }
      continue;
    }
    if (c == ',') {
      fields.push_back(field);
      field.clear();
      ++i;
      continue;
    }
    if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
    if (c == '\n' || c == '\r') {
      if (!end_row()) return false;
      ++i;
      continue;
    }
    field.push_back(c);
    ++i;
  }
  if (!field.empty() || !fields.empty()) return end_row();
  return true;
}

inline uint64_t SplitMix64(uint64_t x) {
  uint64_t z = x + 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// The held-out rows (indices into `rows`) in the script's order: per class, ordered by
// splitmix64(seed ^ id) then id, the first ceil(percent%) of the class.
inline std::vector<size_t> HeldOutSplit(const std::vector<LabeledTweet>& rows, uint64_t seed, int percent,
                                        int classes) {
  std::vector<size_t> held;
  for (int c = 0; c < classes; ++c) {
    std::vector<size_t> in_class;
    for (size_t i = 0; i < rows.size(); ++i) {
      if (rows[i].label == c) in_class.push_back(i);
    }
    std::sort(in_class.begin(), in_class.end(), [&](size_t a, size_t b) {
      uint64_t ka = SplitMix64(seed ^ static_cast<uint64_t>(rows[a].id));
      uint64_t kb = SplitMix64(seed ^ static_cast<uint64_t>(rows[b].id));
      if (ka != kb) return ka < kb;
      return rows[a].id < rows[b].id;
    });
    size_t k = (in_class.size() * static_cast<size_t>(percent) + 99) / 100;
    held.insert(held.end(), in_class.begin(), in_class.begin() + static_cast<std::ptrdiff_t>(k));
  }
  return held;
}

// One line of tests/unit/filters/data/toxicity_heldout_ref.tsv.
struct HeldOutRef {
  int64_t id = 0;
  size_t nnz = 0;
  uint64_t index_digest = 0;
  double value_sum = 0, value_dot = 0;
  double scores[3] = {0, 0, 0};
};

inline bool ReadHeldOutRef(const std::string& path, std::vector<HeldOutRef>* out) {
  std::ifstream f(path);
  if (!f) return false;
  std::string line;
  while (std::getline(f, line)) {
    if (line.empty() || line[0] == '#') continue;
    HeldOutRef r;
    long long id = 0;
    unsigned long long nnz = 0, digest = 0;
    if (std::sscanf(line.c_str(), "%lld\t%llu\t%llx\t%lf\t%lf\t%lf\t%lf\t%lf", &id, &nnz, &digest, &r.value_sum,
                    &r.value_dot, &r.scores[0], &r.scores[1], &r.scores[2]) != 8) {
      return false;
    }
    r.id = id;
    r.nnz = nnz;
    r.index_digest = digest;
    out->push_back(r);
  }
  return true;
}

// FNV-1a over the index values (as the script's index_digest).
inline uint64_t IndexDigest(const std::vector<int64_t>& indices) {
  uint64_t h = 0xCBF29CE484222325ull;
  for (int64_t k : indices) h = (h ^ static_cast<uint64_t>(k)) * 0x100000001B3ull;
  return h;
}

// ROC-AUC with ties counted half (Mann-Whitney U), as scripts/train_toxicity.py computes it.
inline double RocAuc(const std::vector<double>& scores, const std::vector<bool>& positive) {
  std::vector<size_t> order(scores.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] < scores[b]; });
  std::vector<double> ranks(scores.size());
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j + 1 < order.size() && scores[order[j + 1]] == scores[order[i]]) ++j;
    double r = (static_cast<double>(i) + static_cast<double>(j)) / 2.0 + 1.0;
    for (size_t t = i; t <= j; ++t) ranks[order[t]] = r;
    i = j + 1;
  }
  double n_pos = 0, rank_sum = 0;
  for (size_t i = 0; i < scores.size(); ++i) {
    if (positive[i]) {
      n_pos += 1;
      rank_sum += ranks[i];
    }
  }
  double n_neg = static_cast<double>(scores.size()) - n_pos;
  return (rank_sum - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg);
}

struct ClassF1 {
  double precision = 0, recall = 0, f1 = 0;
};

inline ClassF1 F1For(const std::vector<int>& pred, const std::vector<int>& gold, int c) {
  double tp = 0, fp = 0, fn = 0;
  for (size_t i = 0; i < pred.size(); ++i) {
    if (pred[i] == c && gold[i] == c) tp += 1;
    if (pred[i] == c && gold[i] != c) fp += 1;
    if (pred[i] != c && gold[i] == c) fn += 1;
  }
  ClassF1 m;
  m.precision = tp + fp > 0 ? tp / (tp + fp) : 0.0;
  m.recall = tp + fn > 0 ? tp / (tp + fn) : 0.0;
  m.f1 = m.precision + m.recall > 0 ? 2 * m.precision * m.recall / (m.precision + m.recall) : 0.0;
  return m;
}

}  // namespace winnow::test
