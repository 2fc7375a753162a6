// "file:line" references and the line -> row index (see row_ref.h).
#include "ui/row_ref.h"

#include "core/dataset.h"

namespace winnow::ui {

uint64_t RowRefLine(const std::string& ref) {
  const size_t colon = ref.rfind(':');
  if (colon == std::string::npos || colon + 1 >= ref.size()) return 0;
  uint64_t v = 0;
  for (size_t i = colon + 1; i < ref.size(); ++i) {
    if (ref[i] < '0' || ref[i] > '9') return 0;
    v = v * 10 + static_cast<uint64_t>(ref[i] - '0');
  }
  return v;
}

int64_t RowLineIndex::Find(const Dataset& ds, uint64_t line) {
  if (line == 0) return -1;
  if (m_for != &ds || m_count != ds.size()) {
    m_rows.clear();
    m_rows.reserve(ds.size());
    for (size_t i = 0; i < ds.size(); ++i) {
      const Origin& o = ds.OriginOf(i);
      m_rows.emplace(o.line > 0 ? o.line : o.index + 1, i);
    }
    m_for = &ds;
    m_count = ds.size();
  }
  auto it = m_rows.find(line);
  return it == m_rows.end() ? -1 : static_cast<int64_t>(it->second);
}

}  // namespace winnow::ui
