// ExampleReader: streams Examples out of a FileSource: JSONL, JSON array (streamed element by
// element), CSV / TSV (RFC 4180). Sniffs the dataset format from the first rows unless forced,
// applies an optional LLaMA-Factory column mapping, and reports every problem with its origin
// (file, line, byte offset) instead of failing: the problem row goes to the rejected output.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/example.h"
#include "core/result.h"
#include "io/column_mapping.h"
#include "io/source_patch.h"
#include "platform/file_io.h"

namespace winnow {

enum class FileKind : uint8_t { Auto, Jsonl, JsonArray, Csv, Tsv };
std::string_view FileKindName(FileKind k);
// From a path's extension (".jsonl", ".json", ".csv", ".tsv", with optional ".gz"); Auto when unknown.
FileKind FileKindFromPath(std::string_view path);

struct ReadOptions {
  Format format = Format::Unknown;   // Unknown = sniff from the first rows
  FileKind kind = FileKind::Auto;    // Auto = from the name, else from the first non-blank byte
  bool repair_utf8 = false;          // repair invalid UTF-8 (U+FFFD) instead of rejecting the row
  const ColumnMapping* mapping = nullptr;  // LLaMA-Factory dataset_info.json entry, optional
  uint32_t file_index = 0;           // stored in Origin::file
  size_t sniff_rows = 64;            // rows looked at to sniff the format
  // Field renames, canonical name -> source field (e.g. {"text", "tweet"}, {"instruction", "question"}).
  // Canonical names: instruction, input, output, system, history, messages, prompt, chosen, rejected,
  // label, text, tools.
  std::vector<std::pair<std::string, std::string>> fields;
};

bool IsKnownFieldName(std::string_view canonical);

// A row that could not be turned into an Example. reason is a stable code:
//   parse_error, invalid_utf8, duplicate_key, not_an_object, unknown_format, missing_field,
//   wrong_type, bad_role, csv_error, truncated
struct RowProblem {
  std::string reason;
  std::string detail;   // human-readable, names the field / byte
  Origin origin;
  std::string raw;      // the row's source bytes (for CSV, the record's bytes)
};

class ExampleReader {
 public:
  enum class Next { Row, Problem, End };
  virtual ~ExampleReader() = default;
  // Errors: io_error (unreadable), bad_input (the file is not JSONL/JSON/CSV at all, e.g. binary),
  // unknown_format (no known dataset format in the first rows and none forced).
  static Result<std::unique_ptr<ExampleReader>> Open(FileSource& src, const ReadOptions& opts);
  // Fills *ex (Next::Row) or *problem (Next::Problem). I/O failures are Errors (io_error,
  // decompress_error); everything wrong *in the data* is a Problem and reading goes on.
  virtual Result<Next> Read(Example* ex, RowProblem* problem) = 0;
  virtual Format format() const = 0;
  virtual FileKind kind() const = 0;
  virtual uint64_t BytesRead() const = 0;  // decompressed bytes consumed so far
  // How the format was chosen, e.g. "sniffed: sharegpt with chosen/rejected (preference pairs)".
  virtual std::string_view SchemaNote() const = 0;
  // The source bytes of the row the last Read() returned (a JSONL line without its line end, a JSON
  // array element, a CSV record); valid until the next Read().
  virtual std::string_view LastRaw() const = 0;
  // Decodes one JSONL line the way this reader decodes its rows (same schema and options), for
  // patching source rows (io/source_patch.h). Owns its own state: it may outlive the reader.
  virtual SourceRowDecoder LineDecoder() const = 0;
};

}  // namespace winnow
