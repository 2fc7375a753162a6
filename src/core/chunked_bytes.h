// ChunkedBytes: a byte string stored as a list of bounded parts (8 MB by default). Appending never
// reallocates or copies what is already written, and a large output (a 1 GB kept.jsonl in the
// studio) never needs one contiguous block of its size, nor twice its size while it grows.
// Readers take the parts one after another (Parts(), Views(), ForEachLine()); a line may straddle
// two parts. Not thread-safe: one writer, or readers once writing has ended.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace winnow {

class ChunkedBytes {
 public:
  static constexpr size_t kDefaultPartBytes = 8u << 20;
  // part_bytes: the size of every part but the last (at least 1).
  explicit ChunkedBytes(size_t part_bytes = kDefaultPartBytes) : m_part_bytes(part_bytes ? part_bytes : 1) {}
  ChunkedBytes(const ChunkedBytes&) = default;
  ChunkedBytes& operator=(const ChunkedBytes&) = default;
  // Moves the parts (no byte is copied); the source is left empty.
  ChunkedBytes(ChunkedBytes&& o) noexcept : m_parts(std::move(o.m_parts)), m_part_bytes(o.m_part_bytes), m_size(o.m_size) {
    o.Clear();
  }
  ChunkedBytes& operator=(ChunkedBytes&& o) noexcept {
    if (this != &o) {
      m_parts = std::move(o.m_parts);
      m_part_bytes = o.m_part_bytes;
      m_size = o.m_size;
      o.Clear();
    }
    return *this;
  }
  // A copy of s (small documents, tests).
  static ChunkedBytes From(std::string_view s, size_t part_bytes = kDefaultPartBytes) {
    ChunkedBytes c(part_bytes);
    c.Append(s);
    return c;
  }

  // Appends b, filling the last part up to part_bytes before starting the next one.
  void Append(std::string_view b);
  void Clear() { m_parts.clear(); m_size = 0; }

  size_t size() const { return m_size; }
  bool empty() const { return m_size == 0; }
  size_t PartBytes() const { return m_part_bytes; }
  // The address of the first part (nullptr when empty): tells one stored output from another.
  const void* Address() const { return m_parts.empty() ? nullptr : m_parts.front().data(); }
  // The parts, in order: the bytes are their concatenation. Every part but the last holds exactly
  // PartBytes() bytes; no part is empty.
  const std::vector<std::string>& Parts() const { return m_parts; }
  // The parts as views (valid until the next Append or Clear).
  std::vector<std::string_view> Views() const;
  // One contiguous copy of the whole: only for outputs known to be small (report.json, the card)
  // and tests.
  std::string ToString() const;
  // How many bytes equal c ('\n': the number of lines of a JSONL output).
  size_t Count(char c) const;
  // True when the bytes contain s (which may straddle parts).
  bool Contains(std::string_view s) const;
  // Calls fn(std::string_view line) for each line, without its '\n', in order; a last line without
  // '\n' is passed too. A line that straddles parts is joined in a scratch string (the view is valid
  // for the call only).
  template <class Fn>
  void ForEachLine(Fn&& fn) const;

  // Same bytes, whatever the part sizes.
  bool operator==(const ChunkedBytes& o) const;
  bool operator==(std::string_view s) const;
  bool operator!=(const ChunkedBytes& o) const { return !(*this == o); }
  bool operator!=(std::string_view s) const { return !(*this == s); }

 private:
  std::vector<std::string> m_parts;
  size_t m_part_bytes;
  size_t m_size = 0;
};

template <class Fn>
void ChunkedBytes::ForEachLine(Fn&& fn) const {
  std::string carry;  // the start of a line that began in an earlier part
  for (const std::string& part : m_parts) {
    size_t start = 0;
    while (start < part.size()) {
      size_t nl = part.find('\n', start);
      if (nl == std::string::npos) {
        carry.append(part, start, std::string::npos);
        break;
      }
      if (carry.empty()) {
        fn(std::string_view(part.data() + start, nl - start));
      } else {
        carry.append(part, start, nl - start);
        fn(std::string_view(carry));
        carry.clear();
      }
      start = nl + 1;
    }
  }
  if (!carry.empty()) fn(std::string_view(carry));
}

}  // namespace winnow
