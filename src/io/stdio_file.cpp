#include "io/stdio_file.h"

#include <cerrno>
#include <cstring>

namespace winnow {

namespace {

class StdioSource final : public FileSource {
 public:
  StdioSource(std::string name, FILE* f, uint64_t size) : m_name(std::move(name)), m_f(f), m_size(size) {}
  ~StdioSource() override { std::fclose(m_f); }
  Result<size_t> Read(char* buf, size_t n) override {
    size_t k = std::fread(buf, 1, n, m_f);
    if (k < n && std::ferror(m_f)) {
      return Error{"io_error", "cannot read " + m_name + ": " + std::strerror(errno)};
    }
    m_consumed += k;
    return k;
  }
  const std::string& Name() const override { return m_name; }
  uint64_t SizeHint() const override { return m_size; }
  uint64_t Consumed() const override { return m_consumed; }

 private:
  std::string m_name;
  FILE* m_f;
  uint64_t m_size;
  uint64_t m_consumed = 0;
};

class StdioSink final : public FileSink {
 public:
  StdioSink(std::string name, FILE* f) : m_name(std::move(name)), m_f(f) {}
  ~StdioSink() override {
    if (m_f) std::fclose(m_f);
  }
  Status Write(std::string_view b) override {
    if (!m_f) return Error{"io_error", m_name + " is closed"};
    if (std::fwrite(b.data(), 1, b.size(), m_f) != b.size()) {
      return Error{"io_error", "cannot write " + m_name + ": " + std::strerror(errno)};
    }
    return Status::Ok();
  }
  Status Close() override {
    if (!m_f) return Status::Ok();
    int rc = std::fclose(m_f);
    m_f = nullptr;
    if (rc != 0) return Error{"io_error", "cannot close " + m_name + ": " + std::strerror(errno)};
    return Status::Ok();
  }
  const std::string& Name() const override { return m_name; }

 private:
  std::string m_name;
  FILE* m_f;
};

}  // namespace

Result<std::unique_ptr<FileSource>> OpenStdioSource(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return Error{"io_error", "cannot open " + path + ": " + std::strerror(errno)};
  uint64_t size = 0;
  if (std::fseek(f, 0, SEEK_END) == 0) {
    long s = std::ftell(f);
    if (s > 0) size = static_cast<uint64_t>(s);
    std::fseek(f, 0, SEEK_SET);
  }
  std::setvbuf(f, nullptr, _IOFBF, 1 << 16);
  return std::unique_ptr<FileSource>(new StdioSource(path, f, size));
}

Result<std::unique_ptr<FileSink>> OpenStdioSink(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return Error{"io_error", "cannot create " + path + ": " + std::strerror(errno)};
  std::setvbuf(f, nullptr, _IOFBF, 1 << 16);
  return std::unique_ptr<FileSink>(new StdioSink(path, f));
}

}  // namespace winnow
