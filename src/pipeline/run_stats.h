// RunStats: statistics of a set of rows for report.json and the dataset card — formats, roles,
// turns, length histograms (characters, words), languages and quality scores read from the
// annotations of filter.language / filter.quality steps, near-duplicate cluster membership.
// Integer arithmetic only, so the JSON is byte-identical natively and in wasm.
#pragma once
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "pipeline/step.h"

namespace winnow {

class RunStats {
 public:
  // Annotation keys (step ids) to read languages and quality scores from.
  void SetLanguageSteps(std::vector<std::string> ids) { m_lang_ids = std::move(ids); }
  void SetQualitySteps(std::vector<std::string> ids) { m_quality_ids = std::move(ids); }
  void Add(const Row& row);
  uint64_t rows() const { return m_rows; }
  nlohmann::json ToJson() const;

 private:
  std::vector<std::string> m_lang_ids, m_quality_ids;
  uint64_t m_rows = 0;
  std::map<std::string, uint64_t> m_formats, m_roles, m_languages, m_kinds;
  std::vector<uint32_t> m_chars, m_words, m_turns;
  uint64_t m_quality_bins[10] = {};
  uint64_t m_quality_rows = 0;
};

// {"count","min","max","mean","p50","p90","p99","bins":[{"lo","hi","count"}...]} with power-of-two
// bins (the last bin's "hi" is null). Values are sorted in place.
nlohmann::json LengthHistogram(std::vector<uint32_t>& values);

// "12.3%" of part / whole with integer arithmetic ("0.0%" when whole is 0).
std::string Percent(uint64_t part, uint64_t whole);

}  // namespace winnow
