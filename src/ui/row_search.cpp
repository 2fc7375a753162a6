#include "ui/row_search.h"

#include <re2/re2.h>

#include <algorithm>

namespace winnow::ui {

namespace {
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// ASCII case-insensitive find (non-ASCII bytes compare exactly, which keeps UTF-8 intact).
bool ContainsFolded(std::string_view hay, std::string_view folded_needle) {
  if (folded_needle.empty()) return false;
  if (hay.size() < folded_needle.size()) return false;
  char first = folded_needle[0];
  size_t last = hay.size() - folded_needle.size();
  for (size_t i = 0; i <= last; ++i) {
    if (Lower(hay[i]) != first) continue;
    size_t k = 1;
    while (k < folded_needle.size() && Lower(hay[i + k]) == folded_needle[k]) ++k;
    if (k == folded_needle.size()) return true;
  }
  return false;
}

uint32_t FieldOf(Role r) {
  switch (r) {
    case Role::System: return kFieldSystem;
    case Role::User: return kFieldUser;
    case Role::Assistant: return kFieldAssistant;
    case Role::Tool: return kFieldTool;
  }
  return kFieldUser;
}
}  // namespace

RowSearch::RowSearch() = default;
RowSearch::~RowSearch() = default;

void RowSearch::Clear() {
  m_ds = nullptr;
  m_re.reset();
  m_matches.clear();
  m_next = 0;
}

bool RowSearch::Start(const Dataset& ds, const SearchQuery& q, std::string* error) {
  Clear();
  m_query = q;
  if (q.text.empty()) return true;
  if (q.regex) {
    RE2::Options opts;
    opts.set_case_sensitive(q.case_sensitive);
    opts.set_log_errors(false);
    auto re = std::make_unique<RE2>(q.text, opts);
    if (!re->ok()) {
      if (error) *error = "bad regular expression: " + re->error();
      return false;
    }
    m_re = std::move(re);
  } else {
    m_folded = q.text;
    if (!q.case_sensitive) std::transform(m_folded.begin(), m_folded.end(), m_folded.begin(), Lower);
  }
  m_ds = &ds;
  return true;
}

bool RowSearch::TextMatches(std::string_view s) const {
  if (s.empty()) return false;
  if (m_re) return RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), *m_re);
  if (m_query.case_sensitive) return s.find(m_query.text) != std::string_view::npos;
  return ContainsFolded(s, m_folded);
}

bool RowSearch::RowMatches(size_t i) const {
  if (!m_ds || i >= m_ds->size()) return false;
  uint32_t f = m_query.fields;
  for (size_t m = 0, n = m_ds->MessageCount(i); m < n; ++m) {
    if ((f & FieldOf(m_ds->MessageRole(i, m))) && TextMatches(m_ds->MessageContent(i, m))) return true;
  }
  if ((f & kFieldText) && TextMatches(m_ds->Text(i))) return true;
  if ((f & kFieldMeta) && TextMatches(m_ds->Meta(i))) return true;
  return false;
}

bool RowSearch::Step(size_t max_rows) {
  if (!m_ds) return false;
  size_t end = std::min(m_ds->size(), m_next + max_rows);
  for (; m_next < end; ++m_next) {
    if (RowMatches(m_next)) m_matches.push_back(static_cast<uint32_t>(m_next));
  }
  return m_next < m_ds->size();
}

bool RowSearch::Step(double budget_s, const std::function<double()>& now) {
  if (!m_ds) return false;
  // 32 rows between clock reads: a regex over 32 long chat rows stays far below a millisecond.
  constexpr size_t kRowsPerCheck = 32;
  double t0 = now();
  while (Step(kRowsPerCheck)) {
    if (now() - t0 >= budget_s) return true;
  }
  return false;
}

}  // namespace winnow::ui
