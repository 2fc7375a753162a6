// Helpers shared by the filters tests: building Examples by hand and reading real files through
// the io readers.
#pragma once
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/example.h"
#include "io/memory_io.h"
#include "io/reader.h"

namespace winnow::test {

inline Example Chat(std::string user, std::string assistant) {
  Example ex;
  ex.messages.push_back(Message{Role::User, std::move(user)});
  ex.messages.push_back(Message{Role::Assistant, std::move(assistant)});
  return ex;
}

inline Example TextRow(std::string text) {
  Example ex;
  ex.has_text = true;
  ex.text = std::move(text);
  return ex;
}

inline bool ReadFileBytes(const std::string& path, std::string* out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  std::ostringstream ss;
  ss << f.rdbuf();
  *out = ss.str();
  return true;
}

// Reads every row of a file (problems are skipped; the caller checks the count if it matters).
inline std::vector<Example> ReadExamples(const std::string& name, const std::string& bytes) {
  std::vector<Example> rows;
  MemorySource src(name, bytes);
  auto r = ExampleReader::Open(src, ReadOptions{});
  if (!r.ok()) return rows;
  while (true) {
    Example ex;
    RowProblem p;
    auto n = r.value()->Read(&ex, &p);
    if (!n.ok() || n.value() == ExampleReader::Next::End) break;
    if (n.value() == ExampleReader::Next::Row) rows.push_back(std::move(ex));
  }
  return rows;
}

}  // namespace winnow::test
