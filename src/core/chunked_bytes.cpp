#include "core/chunked_bytes.h"

#include <algorithm>

namespace winnow {

void ChunkedBytes::Append(std::string_view b) {
  m_size += b.size();
  while (!b.empty()) {
    if (m_parts.empty() || m_parts.back().size() == m_part_bytes) {
      m_parts.emplace_back();
      // After the first part the output is large: give each new part its full size at once.
      if (m_parts.size() > 1) m_parts.back().reserve(m_part_bytes);
    }
    std::string& last = m_parts.back();
    size_t take = std::min(b.size(), m_part_bytes - last.size());
    // The first part grows by doubling, but never past part_bytes: std::string's own growth (and
    // libstdc++'s reserve() on a non-empty string) would overshoot, so grow into a fresh string.
    if (last.size() + take > last.capacity()) {
      std::string grown;
      grown.reserve(std::min(m_part_bytes, std::max(2 * last.capacity(), last.size() + take)));
      grown.append(last);
      last.swap(grown);
    }
    last.append(b.data(), take);
    b.remove_prefix(take);
  }
}

std::vector<std::string_view> ChunkedBytes::Views() const {
  std::vector<std::string_view> v;
  v.reserve(m_parts.size());
  for (const std::string& p : m_parts) v.emplace_back(p);
  return v;
}

std::string ChunkedBytes::ToString() const {
  std::string s;
  s.reserve(m_size);
  for (const std::string& p : m_parts) s += p;
  return s;
}

size_t ChunkedBytes::Count(char c) const {
  size_t n = 0;
  for (const std::string& p : m_parts) n += static_cast<size_t>(std::count(p.begin(), p.end(), c));
  return n;
}

bool ChunkedBytes::Contains(std::string_view s) const {
  if (s.empty()) return true;
  // Each part with the last s.size() - 1 bytes of the bytes before it: a match across a boundary
  // is found in the joined window.
  std::string window;
  for (const std::string& p : m_parts) {
    window += p;
    if (window.find(s) != std::string::npos) return true;
    if (window.size() >= s.size()) window.erase(0, window.size() - (s.size() - 1));
  }
  return false;
}

bool ChunkedBytes::operator==(std::string_view s) const {
  if (s.size() != m_size) return false;
  size_t at = 0;
  for (const std::string& p : m_parts) {
    if (s.compare(at, p.size(), p) != 0) return false;
    at += p.size();
  }
  return true;
}

bool ChunkedBytes::operator==(const ChunkedBytes& o) const {
  if (o.m_size != m_size) return false;
  // Walk both part lists at once (their part sizes may differ).
  size_t i = 0, io = 0, pos = 0, pos_o = 0;
  while (i < m_parts.size() && io < o.m_parts.size()) {
    const std::string& a = m_parts[i];
    const std::string& b = o.m_parts[io];
    size_t n = std::min(a.size() - pos, b.size() - pos_o);
    if (a.compare(pos, n, b, pos_o, n) != 0) return false;
    pos += n;
    pos_o += n;
    if (pos == a.size()) ++i, pos = 0;
    if (pos_o == b.size()) ++io, pos_o = 0;
  }
  return true;
}

}  // namespace winnow
