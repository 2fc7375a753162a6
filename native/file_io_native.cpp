// Native FileSource for paths: plain files through stdio, .gz through zlib's gzFile.
#include <zlib.h>

#include <cerrno>
#include <cstring>

#include "io/stdio_file.h"
#include "platform/file_io.h"

namespace winnow {

namespace {

class GzSource final : public FileSource {
 public:
  GzSource(std::string name, gzFile f, uint64_t size) : m_name(std::move(name)), m_f(f), m_size(size) {}
  ~GzSource() override { gzclose(m_f); }
  Result<size_t> Read(char* buf, size_t n) override {
    size_t total = 0;
    while (total < n) {
      unsigned chunk = static_cast<unsigned>(std::min<size_t>(n - total, 1u << 30));
      int k = gzread(m_f, buf + total, chunk);
      if (k < 0) {
        int errnum = 0;
        const char* msg = gzerror(m_f, &errnum);
        return Error{"decompress_error", "cannot decompress " + m_name + ": " + (msg ? msg : "?")};
      }
      if (k == 0) {
        int errnum = 0;
        const char* msg = gzerror(m_f, &errnum);
        if (errnum != Z_OK && errnum != Z_BUF_ERROR) {
          return Error{"decompress_error", "cannot decompress " + m_name + ": " + (msg ? msg : "?")};
        }
        if (errnum == Z_BUF_ERROR) {
          return Error{"decompress_error", m_name + " is truncated (unexpected end of gzip stream)"};
        }
        break;
      }
      total += static_cast<size_t>(k);
    }
    return total;
  }
  const std::string& Name() const override { return m_name; }
  uint64_t SizeHint() const override { return m_size; }
  uint64_t Consumed() const override { return static_cast<uint64_t>(gzoffset(m_f)); }

 private:
  std::string m_name;
  gzFile m_f;
  uint64_t m_size;
};

bool EndsWith(const std::string& s, const char* suf) {
  size_t n = std::strlen(suf);
  return s.size() >= n && s.compare(s.size() - n, n, suf) == 0;
}

}  // namespace

Result<std::unique_ptr<FileSource>> OpenInputFile(const std::string& path) {
  if (EndsWith(path, ".gz")) {
    auto probe = OpenStdioSource(path);  // for a clear error on missing files, and the size
    if (!probe.ok()) return probe.error();
    uint64_t size = probe.value()->SizeHint();
    probe.value().reset();
    gzFile f = gzopen(path.c_str(), "rb");
    if (!f) return Error{"io_error", "cannot open " + path + ": " + std::strerror(errno)};
    gzbuffer(f, 1 << 17);
    return std::unique_ptr<FileSource>(new GzSource(path, f, size));
  }
  return OpenStdioSource(path);
}

Result<std::unique_ptr<FileSink>> OpenOutputFile(const std::string& path) { return OpenStdioSink(path); }

}  // namespace winnow
