// In-memory FileSource / FileSinks (tests, the browser's already-loaded buffers, small documents;
// ChunkedSink for outputs of any size).
#pragma once
#include <algorithm>
#include <cstring>
#include <string>

#include "core/chunked_bytes.h"
#include "platform/file_io.h"

namespace winnow {

class MemorySource final : public FileSource {
 public:
  MemorySource(std::string name, std::string data) : m_name(std::move(name)), m_data(std::move(data)) {}
  Result<size_t> Read(char* buf, size_t n) override {
    size_t k = std::min(n, m_data.size() - m_pos);
    std::memcpy(buf, m_data.data() + m_pos, k);
    m_pos += k;
    return k;
  }
  const std::string& Name() const override { return m_name; }
  uint64_t SizeHint() const override { return m_data.size(); }
  uint64_t Consumed() const override { return m_pos; }

 private:
  std::string m_name, m_data;
  size_t m_pos = 0;
};

class MemorySink final : public FileSink {
 public:
  explicit MemorySink(std::string name = "memory") : m_name(std::move(name)) {}
  Status Write(std::string_view b) override {
    m_data.append(b);
    return Status::Ok();
  }
  Status Close() override { return Status::Ok(); }
  const std::string& Name() const override { return m_name; }
  const std::string& data() const { return m_data; }
  std::string& data() { return m_data; }

 private:
  std::string m_name, m_data;
};

// A sink into ChunkedBytes: a large output grows part by part, never reallocated (MemoryOutputs).
class ChunkedSink final : public FileSink {
 public:
  explicit ChunkedSink(std::string name = "memory", size_t part_bytes = ChunkedBytes::kDefaultPartBytes)
      : m_name(std::move(name)), m_data(part_bytes) {}
  Status Write(std::string_view b) override {
    m_data.Append(b);
    return Status::Ok();
  }
  Status Close() override { return Status::Ok(); }
  const std::string& Name() const override { return m_name; }
  const ChunkedBytes& data() const { return m_data; }
  ChunkedBytes& data() { return m_data; }

 private:
  std::string m_name;
  ChunkedBytes m_data;
};

}  // namespace winnow
