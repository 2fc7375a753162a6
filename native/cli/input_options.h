// Options shared by every verb that reads a dataset: --from, --map, --field, --repair-utf8, --kind.
#pragma once
#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "io/reader.h"

namespace winnow::cli {

struct InputOptions {
  std::string from, map, kind;
  std::vector<std::string> fields;
  bool repair_utf8 = false;
  ColumnMapping mapping;  // storage for --map
};

void AddInputOptions(CLI::App* sub, InputOptions* o);

// An opened input: the source and a reader over it.
struct OpenedInput {
  std::unique_ptr<FileSource> source;
  std::unique_ptr<ExampleReader> reader;
};

// Opens path with the options; on failure prints "winnow: <message>" to stderr and returns the
// exit code to use (kExitIo for unreadable input, kExitUsage for bad options or unknown format).
int OpenInput(const std::string& path, InputOptions& o, uint32_t file_index, OpenedInput* out);

// Default rejects path for an output path: "out.jsonl" -> "out.rejected.jsonl".
std::string DefaultRejectsPath(const std::string& out_path);
// True when a and b name the same existing file (so an output never overwrites an input).
bool SameFile(const std::string& a, const std::string& b);

}  // namespace winnow::cli
