#include "core/string_arena.h"

#include <cstring>

namespace winnow {

StrRef StringArena::Add(std::string_view s) {
  if (s.empty()) return {};
  if (m_chunks.empty() || m_chunks.back().size - m_chunks.back().used < s.size()) {
    // A string larger than a chunk gets a chunk of exactly its size; the next small string then
    // opens a fresh chunk. Refs stay stable because chunks are only ever appended.
    size_t size = s.size() > m_chunk_bytes ? s.size() : m_chunk_bytes;
    m_chunks.push_back(Chunk{std::make_unique<char[]>(size), size, 0});
    m_reserved += size;
  }
  Chunk& c = m_chunks.back();
  std::memcpy(c.data.get() + c.used, s.data(), s.size());
  StrRef r{static_cast<uint32_t>(m_chunks.size() - 1), static_cast<uint32_t>(c.used),
           static_cast<uint32_t>(s.size())};
  c.used += s.size();
  return r;
}

void StringArena::Clear() {
  m_chunks.clear();
  m_reserved = 0;
}

}  // namespace winnow
