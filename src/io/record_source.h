// RecordSource: splits a byte stream into records (one JSON object text each) with their origin:
// JSONL lines, JSON-array elements (streamed, never the whole file at once), CSV/TSV records
// (RFC 4180, turned into a JSON object of header -> string). Internal to src/io.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/example.h"
#include "core/result.h"
#include "io/reader.h"
#include "platform/file_io.h"

namespace winnow {

struct Record {
  // JSON text of the record. Followed in memory by at least kRecordPadding readable bytes.
  std::string_view json;
  // The record's source bytes (for JSON kinds the same as json, for CSV the CSV record).
  std::string_view raw;
  Origin origin;
  bool unterminated = false;  // last line of a JSONL file without a final newline
  // Set when the record could not even be delimited (CSV quoting, broken array structure).
  std::string problem_reason, problem_detail;
};

inline constexpr size_t kRecordPadding = 64;

class RecordSource {
 public:
  virtual ~RecordSource() = default;
  // Returns true with *r filled, false at end of input; Errors are I/O failures. The views in *r
  // stay valid until the next call.
  virtual Result<bool> Next(Record* r) = 0;
  virtual uint64_t BytesRead() const = 0;
};

// kind must be resolved (not Auto). The source must outlive the RecordSource.
std::unique_ptr<RecordSource> MakeRecordSource(FileSource& src, FileKind kind, uint32_t file_index,
                                               std::string initial_bytes);

// Reads up to `n` bytes from the start of src (for kind detection); the bytes are handed back to
// MakeRecordSource as initial_bytes so nothing is read twice.
Result<std::string> ReadPrefix(FileSource& src, size_t n);

}  // namespace winnow
