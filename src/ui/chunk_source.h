// ChunkQueueSource: a FileSource fed by pushed chunks (the page's JS reads a File, or its
// DecompressionStream, in slices and pushes them). Bounded: the producer pauses above HighWater().
#pragma once
#include <cstdint>
#include <deque>
#include <string>

#include "platform/file_io.h"

namespace winnow::ui {

class ChunkQueueSource final : public FileSource {
 public:
  explicit ChunkQueueSource(std::string name, uint64_t size_hint = 0)
      : m_name(std::move(name)), m_size_hint(size_hint) {}
  // Producer side (any order of Push; then exactly one of Finish / Fail).
  void Push(const char* data, size_t n);
  // Zero-copy push: BeginChunk returns n writable bytes that the producer fills in place (the page
  // writes a File slice straight into the wasm heap), then CommitChunk(k) queues the first k of
  // them. One chunk is staged at a time; a new BeginChunk discards an uncommitted one.
  char* BeginChunk(size_t n);
  void CommitChunk(size_t k);
  void Finish() { m_ended = true; }
  void Fail(std::string message) { m_error = std::move(message); m_ended = true; }
  // Raw bytes read from the underlying file (compressed bytes for .gz): progress only.
  void SetRawConsumed(uint64_t n) { m_raw_consumed = n; }

  // Consumer side. Read() returns 0 only at the real end: callers must check Readable() first
  // so that an empty queue is never mistaken for the end of the file.
  Result<size_t> Read(char* buf, size_t n) override;
  const std::string& Name() const override { return m_name; }
  uint64_t SizeHint() const override { return m_size_hint; }
  uint64_t Consumed() const override { return m_raw_consumed ? m_raw_consumed : m_delivered; }

  size_t Buffered() const { return m_buffered; }
  bool Ended() const { return m_ended; }
  // True when a reader may run without hitting a not-yet-arrived byte: enough is buffered
  // (min_bytes, larger than any single row the reader must see whole) or the producer finished.
  bool Readable(size_t min_bytes) const { return m_ended || m_buffered >= min_bytes; }
  uint64_t Delivered() const { return m_delivered; }

 private:
  std::string m_name;
  uint64_t m_size_hint;
  std::deque<std::string> m_chunks;
  std::string m_staged;
  size_t m_front_pos = 0;
  size_t m_buffered = 0;
  uint64_t m_delivered = 0;
  uint64_t m_raw_consumed = 0;
  bool m_ended = false;
  std::string m_error;
};

}  // namespace winnow::ui
