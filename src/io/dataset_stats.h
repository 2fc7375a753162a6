// DatasetStats: what `winnow inspect` and the studio's overview show about a file: rows, problems
// by reason, fields, roles, turns, lengths and validation findings, with the first examples of each.
#pragma once
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/example.h"
#include "io/reader.h"
#include "io/validate.h"

namespace winnow {

// Streaming summary of a numeric distribution; exact quantiles from a bounded reservoir-free
// histogram of log-spaced buckets is overkill here: we keep every value (8 bytes a row).
class LengthStats {
 public:
  void Add(uint64_t v) { m_values.push_back(v); }
  // {"count","min","mean","p50","p95","max"}; deterministic (integer mean rounded to 0.1).
  nlohmann::ordered_json ToJson() const;
  size_t count() const { return m_values.size(); }

 private:
  mutable std::vector<uint64_t> m_values;
};

class DatasetStats {
 public:
  explicit DatasetStats(size_t max_examples = 3) : m_max_examples(max_examples) {}
  void AddRow(const Example& ex);
  void AddProblem(const RowProblem& p);
  // Machine-readable report (stable key order).
  nlohmann::ordered_json ToJson() const;
  uint64_t rows() const { return m_rows; }
  uint64_t problems() const { return m_problems; }
  uint64_t issue_rows() const { return m_issue_rows; }
  const std::map<std::string, uint64_t>& issue_counts() const { return m_issue_counts; }

 private:
  size_t m_max_examples;
  uint64_t m_rows = 0, m_problems = 0, m_issue_rows = 0, m_pref = 0, m_text = 0, m_tools = 0;
  std::map<std::string, uint64_t> m_fields, m_roles, m_problem_counts, m_issue_counts;
  std::map<uint32_t, uint64_t> m_turns;  // turn count (10 = "10+") -> rows; numeric order in ToJson
  std::map<std::string, std::vector<nlohmann::ordered_json>> m_problem_examples, m_issue_examples;
  LengthStats m_user_chars, m_assistant_chars, m_text_chars;
};

}  // namespace winnow
