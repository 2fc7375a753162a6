// PiiEval: the labelled evaluation set format (assets/pii_eval/*.txt: one case per line, entities
// marked "[[TYPE:value]]", "\n" for a newline, "\\" for a backslash, '#' comments) and per-type
// precision / recall scoring of PiiScanner output against it. Used by tests/unit/pii and
// tests/bench/pii_bench.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "pii/pii_scanner.h"

namespace winnow::pii {

// The hand-written case files in assets/pii_eval (one group of entity types each, plus the
// negatives-only file), in the order the tests, the golden spans and the bench read them. The
// generated set is "generated.txt".
inline constexpr const char* kHardCaseFiles[] = {
    "hard_cases.txt",          "hard_cases_contact.txt",  "hard_cases_financial.txt", "hard_cases_network.txt",
    "hard_cases_secrets.txt",  "hard_cases_national.txt", "hard_cases_negatives.txt"};

struct EvalCase {
  std::string text;            // markup removed
  std::vector<PiiSpan> gold;   // labelled spans in text (confidence unused)
  uint32_t line = 0;           // 1-based line in the source file
};

// Errors: bad_input (unterminated "[[", unknown TYPE) with the line number in the message.
Result<std::vector<EvalCase>> ParseEvalCases(std::string_view file_text);

struct TypeScore {
  uint64_t tp = 0, fp = 0, fn = 0;
  uint64_t inexact = 0;  // true positives whose boundaries differ from the label
};

struct EvalScore {
  std::array<TypeScore, kPiiTypeCount> by_type{};
  TypeScore total;
};

// A found span is a true positive when it overlaps an unmatched gold span of the same type;
// every other found span is a false positive and every unmatched gold span a false negative.
// Appends a one-line description of each error to *errors when given.
void ScoreCase(const EvalCase& c, const std::vector<PiiSpan>& found, EvalScore* score,
               std::vector<std::string>* errors = nullptr);

// "0.987" from a ratio, computed in integers (identical native and wasm); "-" when den is 0.
std::string FormatRatio(uint64_t num, uint64_t den);
// A fixed-width table: type, gold, found, tp, fp, fn, precision, recall (types with no gold and
// no hits are left out), then a TOTAL row.
std::string FormatScoreTable(const EvalScore& score);

}  // namespace winnow::pii
