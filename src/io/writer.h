// Writers: Examples out as JSONL, a JSON array or CSV, in any target format, byte-stable
// (same Example -> same bytes, natively and in wasm). Canonical JSON: format fields first in a
// fixed order, then the source's other fields (meta) in their original order, values verbatim;
// strings escaped minimally (", \, control characters), non-ASCII written as UTF-8. A JSONL row can
// instead keep its source bytes with only changed values patched: io/source_patch.h.
#pragma once
#include <memory>
#include <string>

#include "core/example.h"
#include "io/reader.h"
#include "platform/file_io.h"

namespace winnow {

// Appends ex as one JSON object (no newline) in format `to`. Returns false and sets *why when the
// row cannot be expressed in `to` without losing something (e.g. a preference pair to messages,
// tool turns to alpaca); nothing is appended then.
bool EncodeExample(const Example& ex, Format to, std::string* out, std::string* why);

// Appends a rejected-row record as one JSON object (no newline):
// {"reason":..,"detail":..,"file":..,"line":..,"index":..,"offset":..,"step":..,"raw":..}
void EncodeProblem(const RowProblem& p, std::string_view file, std::string_view step, std::string* out);

// Appends s as a JSON string literal (with quotes), canonical escaping.
void AppendJsonString(std::string_view s, std::string* out);

class ExampleWriter {
 public:
  virtual ~ExampleWriter() = default;
  // kind: Jsonl, JsonArray, Csv or Tsv (Auto = Jsonl).
  static std::unique_ptr<ExampleWriter> Create(FileSink& sink, FileKind kind, Format to);
  // Returns false with *why when the row cannot be written in the target format (see EncodeExample);
  // I/O errors are returned as an Error status through *io (io_error).
  virtual bool Write(const Example& ex, std::string* why, Status* io) = 0;
  virtual Status Finish() = 0;  // closes the array / flushes; does not close the sink
};

}  // namespace winnow
