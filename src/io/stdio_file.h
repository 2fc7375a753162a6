// Plain-file FileSource / FileSink on <cstdio> (portable C++: works natively and in wasm under
// Node with NODERAWFS). Compressed input is handled by OpenInput() in native/ (zlib).
#pragma once
#include <cstdio>
#include <memory>
#include <string>

#include "platform/file_io.h"

namespace winnow {

// Errors: "io_error" naming the path and strerror.
Result<std::unique_ptr<FileSource>> OpenStdioSource(const std::string& path);
Result<std::unique_ptr<FileSink>> OpenStdioSink(const std::string& path);

}  // namespace winnow
