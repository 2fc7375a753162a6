// StringArena: append-only storage of many strings in large chunks, addressed by 12-byte refs.
// Chunks never move, so string_views into them stay valid until the arena is cleared.
#pragma once
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace winnow {

struct StrRef {
  uint32_t chunk = 0;
  uint32_t offset = 0;
  uint32_t length = 0;
};

class StringArena {
 public:
  explicit StringArena(size_t chunk_bytes = 8u << 20) : m_chunk_bytes(chunk_bytes) {}
  // Copies s into the arena. Strings longer than the chunk size get a chunk of their own.
  StrRef Add(std::string_view s);
  std::string_view Get(StrRef r) const {
    if (r.length == 0) return {};
    return std::string_view(m_chunks[r.chunk].data.get() + r.offset, r.length);
  }
  size_t BytesReserved() const { return m_reserved; }
  void Clear();

 private:
  struct Chunk {
    std::unique_ptr<char[]> data;
    size_t size = 0;
    size_t used = 0;
  };
  std::vector<Chunk> m_chunks;
  size_t m_chunk_bytes;
  size_t m_reserved = 0;
};

}  // namespace winnow
