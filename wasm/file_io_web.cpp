// Web FileSource for paths: used by the wasm test suites under Node (NODERAWFS). In the page, files
// arrive from JS as chunks (see wasm/studio) and compressed input is inflated by the browser first.
#include "io/stdio_file.h"
#include "platform/file_io.h"

namespace winnow {

Result<std::unique_ptr<FileSource>> OpenInputFile(const std::string& path) {
  if (path.size() >= 3 && path.compare(path.size() - 3, 3, ".gz") == 0) {
    return Error{"unsupported", path + ": gzip input is decompressed by the browser "
                                       "(DecompressionStream) before it reaches the web core"};
  }
  return OpenStdioSource(path);
}

Result<std::unique_ptr<FileSink>> OpenOutputFile(const std::string& path) { return OpenStdioSink(path); }

}  // namespace winnow
