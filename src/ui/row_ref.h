// Row references as the step reports write them ("file:line", RowRef in src/pipeline/step_util.cpp)
// and the rows of the loaded Dataset they name. Pure C++ (no ImGui): used by the Report view's
// duplicates section and the embedding map, unit-tested in tests/unit/ui/duplicate_pairs_test.cpp.
#pragma once
#include <cstdint>
#include <string>
#include <unordered_map>

namespace winnow {
class Dataset;
}

namespace winnow::ui {

// Line number of a "file:line" reference: the digits after the last colon (0 when there are none,
// or anything else follows the colon). File names may hold colons ("C:/data/x.jsonl:3").
uint64_t RowRefLine(const std::string& ref);

// Dataset rows by the number a reference carries. RowRef writes Origin::line, the 1-based line where
// the row starts (a JSONL line; the line of a JSON array element's opening brace, so a pretty-printed
// array gives 2, 7, 12...; a CSV record's first line), or Origin::index + 1 when the reader knew no
// line. The index is built on first use and again when the Dataset is another one or its size
// changed (a load still growing it). Not thread-safe; the file part of a reference is not compared
// (the studio holds one input file).
class RowLineIndex {
 public:
  // The 0-based row whose origin has this line, or -1 (0, or no such row).
  int64_t Find(const Dataset& ds, uint64_t line);
  // Find(ds, RowRefLine(ref)).
  int64_t FindRef(const Dataset& ds, const std::string& ref) { return Find(ds, RowRefLine(ref)); }

 private:
  std::unordered_map<uint64_t, size_t> m_rows;  // line -> first row that starts there
  const Dataset* m_for = nullptr;
  size_t m_count = 0;
};

}  // namespace winnow::ui
