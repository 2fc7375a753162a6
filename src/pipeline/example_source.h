// ExampleSource: where a pipeline run's rows come from — files read with ExampleReader (the CLI),
// an in-memory Dataset (the studio) or a vector of Examples (tests). Read problems are rows too:
// the runner rejects them with step "read".
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/dataset.h"
#include "core/example.h"
#include "core/result.h"
#include "io/reader.h"
#include "platform/file_io.h"

namespace winnow {

// One input as the report describes it.
struct InputInfo {
  std::string name;                  // display name (file base name, or the Dataset's name)
  Format format = Format::Unknown;   // detected or forced
  FileKind kind = FileKind::Auto;
  uint64_t rows = 0;                 // examples read
  uint64_t problems = 0;             // rows rejected at read time
};

class ExampleSource {
 public:
  virtual ~ExampleSource() = default;
  // Next row or problem, or End. Errors are operational (io_error, bad_input, unknown_format) and
  // end the run.
  virtual Result<ExampleReader::Next> Read(Example* ex, RowProblem* problem) = 0;
  // Display names indexed by Origin::file (valid for the source's lifetime; grows as files open).
  virtual const std::vector<std::string>& Names() const = 0;
  virtual const std::vector<InputInfo>& Inputs() const = 0;
  // Progress: done / total in Unit() ("bytes" or "rows"); total 0 when unknown.
  virtual uint64_t Done() const = 0;
  virtual uint64_t Total() const = 0;
  virtual const char* Unit() const = 0;
  // The source line of the row the last Read() returned when that row is one JSONL line (without
  // its line end); empty for other kinds and for sources without files. Valid until the next Read().
  virtual std::string_view LastJsonlLine() const { return {}; }
  // Decodes a JSONL line of input `file` (Origin::file) as its reader did; empty when the source
  // cannot (not a JSONL file, no files). Valid for the source's lifetime.
  virtual SourceRowDecoder LineDecoder(uint32_t file) const { return {}; }
};

// Reads the given paths one after the other with ExampleReader. `open` opens a path (the platform's
// OpenInputFile, or a test's in-memory opener). Display names are the paths' base names.
using FileOpener = std::function<Result<std::unique_ptr<FileSource>>(const std::string& path)>;
std::unique_ptr<ExampleSource> MakeFileListSource(std::vector<std::string> paths, FileOpener open,
                                                  ReadOptions opts = {});

// Rows of a Dataset (not owned; must outlive the source), in order, named `name`.
std::unique_ptr<ExampleSource> MakeDatasetSource(const Dataset& data, std::string name);

// Owned Examples (tests), named `name`; Origin::file is forced to 0.
std::unique_ptr<ExampleSource> MakeVectorSource(std::vector<Example> rows, std::string name = "input");

// "dir/a.jsonl" -> "a.jsonl" (both separators).
std::string BaseName(const std::string& path);

}  // namespace winnow
