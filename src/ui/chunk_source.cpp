#include "ui/chunk_source.h"

#include <algorithm>
#include <cstring>

namespace winnow::ui {

void ChunkQueueSource::Push(const char* data, size_t n) {
  if (n == 0) return;
  m_chunks.emplace_back(data, n);
  m_buffered += n;
}

char* ChunkQueueSource::BeginChunk(size_t n) {
  // resize_and_overwrite is not in LLVM 14's libc++: resize() zero-fills, which is cheap beside the parse.
  m_staged.clear();
  m_staged.resize(n);
  return m_staged.data();
}

void ChunkQueueSource::CommitChunk(size_t k) {
  if (k > m_staged.size()) k = m_staged.size();
  m_staged.resize(k);
  if (k == 0) return;
  m_buffered += k;
  m_chunks.push_back(std::move(m_staged));
  m_staged = std::string();
}

Result<size_t> ChunkQueueSource::Read(char* buf, size_t n) {
  size_t out = 0;
  while (out < n && !m_chunks.empty()) {
    std::string& front = m_chunks.front();
    size_t k = std::min(n - out, front.size() - m_front_pos);
    std::memcpy(buf + out, front.data() + m_front_pos, k);
    out += k;
    m_front_pos += k;
    if (m_front_pos == front.size()) {
      m_chunks.pop_front();  // release each chunk as soon as it is consumed: no whole-file copy
      m_front_pos = 0;
    }
  }
  m_buffered -= out;
  m_delivered += out;
  if (out == 0 && !m_error.empty()) return Error{"io_error", "cannot read " + m_name + ": " + m_error};
  return out;
}

}  // namespace winnow::ui
