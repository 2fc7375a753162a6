// FileSource / FileSink: byte streams the core reads and writes through. Implementations live in
// native/ (stdio + zlib for .gz), wasm/ (a File fed in chunks from JS) and src/io/memory_io.h.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

namespace winnow {

class FileSource {
 public:
  virtual ~FileSource() = default;
  // Reads up to n bytes into buf; returns the count (0 at end of input) or an Error
  // ("io_error" with the path and the OS's reason, "decompress_error" for a corrupt .gz).
  virtual Result<size_t> Read(char* buf, size_t n) = 0;
  // Name shown in messages and origins (the path, or the browser File's name).
  virtual const std::string& Name() const = 0;
  // Total size in bytes when known (compressed size for .gz), else 0. For progress only.
  virtual uint64_t SizeHint() const { return 0; }
  // Bytes consumed from the underlying file so far (compressed bytes for .gz). For progress only.
  virtual uint64_t Consumed() const { return 0; }
};

class FileSink {
 public:
  virtual ~FileSink() = default;
  // Errors: "io_error" (disk full, permission) with the path.
  virtual Status Write(std::string_view bytes) = 0;
  virtual Status Close() = 0;
  virtual const std::string& Name() const = 0;
};

}  // namespace winnow

namespace winnow {
// Opens an input file by path, decompressing by extension where the platform can (.gz natively;
// in the page compressed files are inflated by the browser before they reach the core).
// Implemented once per platform: native/file_io_native.cpp, wasm/file_io_web.cpp.
// Errors: "io_error" (missing / unreadable, naming the path), "unsupported" (compression unknown here).
Result<std::unique_ptr<FileSource>> OpenInputFile(const std::string& path);
Result<std::unique_ptr<FileSink>> OpenOutputFile(const std::string& path);
}  // namespace winnow
