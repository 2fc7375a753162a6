// RowSearch: substring or RE2 search over chosen fields of a Dataset, done a slice at a time so
// a search over 1M rows never stalls a frame. RE2 runs in linear time: a pasted pattern cannot hang.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/dataset.h"

namespace re2 {
class RE2;
}

namespace winnow::ui {

enum SearchField : uint32_t {
  kFieldSystem = 1, kFieldUser = 2, kFieldAssistant = 4, kFieldTool = 8, kFieldText = 16, kFieldMeta = 32,
  kFieldAll = 63,
};

struct SearchQuery {
  std::string text;
  bool regex = false;
  bool case_sensitive = false;
  uint32_t fields = kFieldAll;
  bool operator==(const SearchQuery&) const = default;
};

class RowSearch {
 public:
  RowSearch();
  ~RowSearch();
  // Starts a new search over `ds` (which must outlive the search). Returns false with *error for
  // a bad regex. An empty query text matches nothing and clears the search.
  bool Start(const Dataset& ds, const SearchQuery& q, std::string* error);
  // Scans up to `max_rows` rows; returns true while rows remain.
  bool Step(size_t max_rows);
  // Scans rows until about `budget_s` seconds have passed on `now` (the clock is read every few
  // rows, and at least that many are scanned); returns true while rows remain. Slicing never
  // changes the result: matches are found in row order whatever the slices.
  bool Step(double budget_s, const std::function<double()>& now);
  void Clear();
  bool Active() const { return m_ds != nullptr; }
  bool Done() const { return m_ds && m_next >= m_ds->size(); }
  size_t Scanned() const { return m_next; }
  const std::vector<uint32_t>& Matches() const { return m_matches; }
  const SearchQuery& query() const { return m_query; }
  // True when row i matches (used by tests and by the inspector's highlight).
  bool RowMatches(size_t i) const;

 private:
  bool TextMatches(std::string_view s) const;
  const Dataset* m_ds = nullptr;
  SearchQuery m_query;
  std::string m_folded;  // lower-cased needle for case-insensitive substring search
  std::unique_ptr<re2::RE2> m_re;
  size_t m_next = 0;
  std::vector<uint32_t> m_matches;
};

}  // namespace winnow::ui
