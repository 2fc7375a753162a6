// NgramIndex: word n-gram hashes of reference documents (a benchmark's test split) for
// decontamination. A reference shorter than n words is indexed whole, so a short benchmark
// question that appears verbatim (after normalization) inside an example is still found.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace winnow {

class NgramIndex {
 public:
  explicit NgramIndex(int n = 13) : m_n(n < 1 ? 1 : n) {}
  int n() const { return m_n; }
  // Adds one reference document (already normalized); ref is the caller's id for it.
  void Add(std::string_view text, uint32_t ref);
  struct Hit {
    bool found = false;
    uint32_t ref = 0;        // the reference of the first matching n-gram, in text order
    uint32_t matches = 0;    // n-grams of the text found in the index
    uint32_t total = 0;      // n-grams of the text
  };
  Hit Query(std::string_view text) const;
  size_t size() const { return m_grams.size(); }

 private:
  // Word hashes of text (split on ASCII whitespace).
  static void Words(std::string_view text, std::vector<uint64_t>* out);
  static uint64_t Combine(const uint64_t* w, size_t len);
  int m_n;
  // Only lookups (never iterated), so the container's order cannot reach any output.
  std::unordered_map<uint64_t, uint32_t> m_grams;  // gram hash -> first reference
  std::vector<int> m_short_lengths;                // distinct word counts (< n) of short references
};

}  // namespace winnow
