#include "io/dataset_stats.h"

#include <algorithm>

namespace winnow {

nlohmann::ordered_json LengthStats::ToJson() const {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  j["count"] = m_values.size();
  if (m_values.empty()) return j;
  std::sort(m_values.begin(), m_values.end());
  uint64_t sum = 0;
  for (uint64_t v : m_values) sum += v;
  auto q = [&](double p) { return m_values[static_cast<size_t>(p * static_cast<double>(m_values.size() - 1))]; };
  j["min"] = m_values.front();
  // Mean in tenths, computed in integers so native and wasm agree to the byte.
  uint64_t tenths = (sum * 10 + m_values.size() / 2) / m_values.size();
  j["mean"] = std::to_string(tenths / 10) + "." + std::to_string(tenths % 10);
  j["p50"] = q(0.5);
  j["p95"] = q(0.95);
  j["max"] = m_values.back();
  return j;
}

namespace {
nlohmann::ordered_json Where(const Origin& o) {
  nlohmann::ordered_json j;
  j["line"] = o.line;
  j["index"] = o.index;
  j["offset"] = o.offset;
  return j;
}
}  // namespace

void DatasetStats::AddRow(const Example& ex) {
  ++m_rows;
  if (!ex.meta.empty()) {
    auto m = nlohmann::ordered_json::parse(ex.meta, nullptr, false);
    if (m.is_object()) {
      for (auto it = m.begin(); it != m.end(); ++it) ++m_fields[it.key()];
    }
  }
  if (ex.pref != PrefForm::None) ++m_pref;
  if (ex.has_text) {
    ++m_text;
    m_text_chars.Add(ex.text.size());
  }
  if (!ex.tools.empty()) ++m_tools;
  size_t turns = 0;
  for (const Message& m : ex.messages) {
    ++m_roles[std::string(RoleName(m.role))];
    if (m.role != Role::System) ++turns;
    if (m.role == Role::User) m_user_chars.Add(m.content.size());
    if (m.role == Role::Assistant) m_assistant_chars.Add(m.content.size());
    if (!m.tool_calls.empty()) ++m_roles["tool_call"];
  }
  for (const auto* side : {&ex.chosen, &ex.rejected}) {
    for (const Message& m : *side) {
      if (m.role == Role::Assistant) m_assistant_chars.Add(m.content.size());
    }
  }
  if (!ex.has_text || !ex.messages.empty()) {
    ++m_turns[std::min<uint32_t>(static_cast<uint32_t>(turns), 10)];
  }
  std::vector<ValidationIssue> issues;
  ValidateExample(ex, &issues);
  if (!issues.empty()) ++m_issue_rows;
  for (const auto& is : issues) {
    ++m_issue_counts[is.code];
    auto& ex_list = m_issue_examples[is.code];
    if (ex_list.size() < m_max_examples) {
      nlohmann::ordered_json e = Where(ex.origin);
      e["detail"] = is.detail;
      ex_list.push_back(std::move(e));
    }
  }
}

void DatasetStats::AddProblem(const RowProblem& p) {
  ++m_problems;
  ++m_problem_counts[p.reason];
  auto& list = m_problem_examples[p.reason];
  if (list.size() < m_max_examples) {
    nlohmann::ordered_json e = Where(p.origin);
    e["detail"] = p.detail;
    list.push_back(std::move(e));
  }
}

nlohmann::ordered_json DatasetStats::ToJson() const {
  nlohmann::ordered_json j;
  j["rows"] = m_rows;
  j["rejected_rows"] = m_problems;
  j["preference_rows"] = m_pref;
  j["text_rows"] = m_text;
  j["rows_with_tools"] = m_tools;
  j["other_fields"] = m_fields;
  j["roles"] = m_roles;
  nlohmann::ordered_json turns = nlohmann::ordered_json::object();
  for (const auto& [n, rows] : m_turns) turns[n >= 10 ? "10+" : std::to_string(n)] = rows;
  j["turns"] = turns;
  nlohmann::ordered_json len;
  len["user_chars"] = m_user_chars.ToJson();
  len["assistant_chars"] = m_assistant_chars.ToJson();
  if (m_text_chars.count()) len["text_chars"] = m_text_chars.ToJson();
  j["lengths"] = len;
  nlohmann::ordered_json probs = nlohmann::ordered_json::object();
  for (const auto& [reason, n] : m_problem_counts) {
    probs[reason]["count"] = n;
    probs[reason]["examples"] = m_problem_examples.at(reason);
  }
  j["problems"] = probs;
  nlohmann::ordered_json issues = nlohmann::ordered_json::object();
  for (const char* code : kValidationCodes) {
    auto it = m_issue_counts.find(code);
    if (it == m_issue_counts.end()) continue;
    issues[code]["count"] = it->second;
    issues[code]["examples"] = m_issue_examples.at(code);
  }
  j["rows_with_issues"] = m_issue_rows;
  j["issues"] = issues;
  return j;
}

}  // namespace winnow
