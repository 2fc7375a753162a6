// Every span (type, offsets, confidence) the scanner finds on the eval set, plus pseudonymized and
// masked text of the hard cases, compared with a committed golden file. The native and the wasm
// build check the same file, so they must agree byte for byte. WINNOW_REGENERATE=1 rewrites it
// (review the diff before committing).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "pii/pii_eval.h"
#include "pii/pii_scrubber.h"

namespace winnow::pii {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

TEST(PiiSpansGolden, EvalSetSpansAndOperators) {
  std::string dir = std::string(WINNOW_SOURCE_DIR) + "/assets/pii_eval/";
  std::string got;
  std::vector<std::string> names(std::begin(kHardCaseFiles), std::end(kHardCaseFiles));
  names.push_back("generated.txt");
  for (const std::string& name : names) {
    auto cases = ParseEvalCases(ReadFile(dir + name));
    ASSERT_TRUE(cases.ok() && !cases->empty()) << name;
    ScrubOptions pseudo, mask;
    pseudo.op = PiiOperator::Pseudonym;
    pseudo.pseudonym_key = DerivePseudonymKey("golden-key");
    mask.op = PiiOperator::Mask;
    mask.mask_keep_last = 2;
    bool hard = name != "generated.txt";
    for (const EvalCase& c : *cases) {
      std::vector<PiiSpan> spans;
      PiiScanner::Get().Find(c.text, ScanOptions(), &spans);
      got += name + ":" + std::to_string(c.line);
      for (const PiiSpan& s : spans) {
        got += " " + std::string(PiiTypeName(s.type)) + "@" + std::to_string(s.begin) + "-" + std::to_string(s.end) +
               "/" + std::to_string(s.confidence);
      }
      got += "\n";
      if (hard && !spans.empty()) {
        std::string out;
        ApplyOperator(c.text, spans, pseudo, &out);
        got += "  pseudonym: " + out + "\n";
        ApplyOperator(c.text, spans, mask, &out);
        got += "  mask: " + out + "\n";
      }
    }
  }
  std::string path = std::string(WINNOW_SOURCE_DIR) + "/tests/unit/pii/data/eval_spans.golden";
  if (std::getenv("WINNOW_REGENERATE")) {
    std::ofstream(path, std::ios::binary) << got;
    GTEST_SKIP() << "regenerated " << path;
  }
  std::string want = ReadFile(path);
  ASSERT_FALSE(want.empty()) << path << " missing; run with WINNOW_REGENERATE=1 and review";
  if (got != want) {
    // Point at the first differing line rather than dumping 100 KB.
    size_t i = 0;
    while (i < got.size() && i < want.size() && got[i] == want[i]) ++i;
    size_t ls = want.rfind('\n', i == 0 ? 0 : i - 1);
    ls = ls == std::string::npos ? 0 : ls + 1;
    FAIL() << "differs from " << path << " (" << WINNOW_BUILD_KIND << ") at line starting:\n  want: "
           << want.substr(ls, want.find('\n', ls) - ls) << "\n  got:  " << got.substr(ls, got.find('\n', ls) - ls);
  }
}

}  // namespace
}  // namespace winnow::pii
