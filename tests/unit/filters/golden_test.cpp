// Golden tests of the quality and language filters: hand-written cases under golden/<step>/<case>/
// (input.jsonl, params.json -> expected.jsonl, expected_report.json) and the shared real datasets
// (../shared/data -> golden/shared/*.tsv, one line per row with a hash of its full annotation).
// The same expected files are checked natively and in wasm, which is what makes the two builds
// byte-identical. Regenerate (natively) with WINNOW_REGENERATE_GOLDEN=1, then review the diff.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/hash.h"
#include "filters/language_filter.h"
#include "filters/quality_filter.h"
#include "filters_test_util.h"

using namespace winnow;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string kGolden = std::string(WINNOW_SOURCE_DIR) + "/tests/unit/filters/golden";

bool Regenerate() {
  const char* v = std::getenv("WINNOW_REGENERATE_GOLDEN");
  return v && *v && std::string(v) != "0";
}

// Compares `actual` with the file at path (or rewrites the file when regenerating). On a
// mismatch reports the first differing line.
void CheckGolden(const std::string& path, const std::string& actual) {
  if (Regenerate()) {
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  std::string expected;
  ASSERT_TRUE(test::ReadFileBytes(path, &expected)) << "missing golden file " << path
                                                    << " (regenerate natively with WINNOW_REGENERATE_GOLDEN=1)";
  if (expected == actual) return;
  size_t line = 1, i = 0;
  while (i < expected.size() && i < actual.size() && expected[i] == actual[i]) line += expected[i++] == '\n';
  auto line_at = [](const std::string& s, size_t pos) {
    size_t b = s.rfind('\n', pos == 0 ? 0 : pos - 1);
    b = (b == std::string::npos || pos == 0) ? 0 : b + 1;
    size_t e = s.find('\n', pos);
    return s.substr(b, (e == std::string::npos ? s.size() : e) - b);
  };
  ADD_FAILURE() << path << " differs at line " << line << "\n  expected: " << line_at(expected, i)
                << "\n  actual:   " << line_at(actual, i);
}

struct Outcome {
  bool failed;
  std::string reason, detail;
  json annotation;
};

std::string RowLine(const Example& ex, const Outcome& o, bool flag_only) {
  json j = {{"line", ex.origin.line},
            {"verdict", o.failed ? (flag_only ? "flag" : "drop") : "keep"},
            {"reason", o.reason},
            {"detail", o.detail},
            {"annotation", o.annotation}};
  return j.dump() + "\n";
}

void RunCase(const std::string& step, const std::string& dir) {
  SCOPED_TRACE(dir);
  std::string input, params_text;
  ASSERT_TRUE(test::ReadFileBytes(dir + "/input.jsonl", &input));
  ASSERT_TRUE(test::ReadFileBytes(dir + "/params.json", &params_text));
  json params = json::parse(params_text, nullptr, false);
  ASSERT_FALSE(params.is_discarded());
  std::vector<Example> rows = test::ReadExamples("input.jsonl", input);
  ASSERT_FALSE(rows.empty());
  std::string out;
  json report;
  if (step == "filter_quality") {
    QualityFilter f;
    ASSERT_TRUE(f.Configure(params).ok());
    for (const Example& ex : rows) {
      QualityOutcome q;
      f.Evaluate(ex, &q);
      out += RowLine(ex, Outcome{q.failed, q.reason, q.detail, q.annotation}, f.FlagOnly());
    }
    report = json{{"params", f.Params()}, {"report", f.Report()}};
  } else {
    LanguageFilter f;
    ASSERT_TRUE(f.Configure(params).ok());
    for (const Example& ex : rows) {
      LanguageOutcome l;
      f.Evaluate(ex, &l);
      out += RowLine(ex, Outcome{l.failed, l.reason, l.detail, l.annotation}, f.FlagOnly());
    }
    report = json{{"params", f.Params()}, {"report", f.Report()}};
  }
  CheckGolden(dir + "/expected.jsonl", out);
  CheckGolden(dir + "/expected_report.json", report.dump(1) + "\n");
}

void RunAll(const std::string& step) {
  std::vector<std::string> dirs;
  for (const auto& e : fs::directory_iterator(kGolden + "/" + step)) {
    if (e.is_directory()) dirs.push_back(e.path().string());
  }
  std::sort(dirs.begin(), dirs.end());
  ASSERT_GE(dirs.size(), 2u);
  for (const std::string& d : dirs) RunCase(step, d);
}

}  // namespace

TEST(FiltersGolden, QualityCases) { RunAll("filter_quality"); }
TEST(FiltersGolden, LanguageCases) { RunAll("filter_language"); }

// The shared real datasets: every row's verdict, score and a hash of its annotation bytes.
TEST(FiltersGolden, SharedData) {
  const std::string data = WINNOW_SHARED_DATA;
  if (!fs::exists(data + "/llamafactory/alpaca_en_demo.json")) {
    GTEST_SKIP() << "shared data not found at " << data << " (../shared/data); skipping the real-data golden test";
  }
  const char* files[] = {
      "llamafactory/alpaca_en_demo.json", "llamafactory/alpaca_zh_demo.json", "llamafactory/glaive_toolcall_en_demo.json",
      "llamafactory/dpo_en_demo.json",    "llamafactory/c4_demo.jsonl",       "fastchat/dummy_conversation.json",
  };
  for (const char* rel : files) {
    SCOPED_TRACE(rel);
    std::string bytes;
    ASSERT_TRUE(test::ReadFileBytes(data + "/" + rel, &bytes));
    std::vector<Example> rows = test::ReadExamples(rel, bytes);
    ASSERT_GT(rows.size(), 10u);
    QualityFilter q;
    LanguageFilter l;
    ASSERT_TRUE(l.Configure({{"allowed", {"en"}}}).ok());
    std::string qa, la;
    char hex[17] = {0};
    for (const Example& ex : rows) {
      QualityOutcome qo;
      q.Evaluate(ex, &qo);
      HexU64(Hash64(qo.annotation.dump()), hex);
      qa += std::to_string(ex.origin.index) + "\t" + (qo.failed ? qo.reason : "keep") + "\t" +
            qo.annotation["score"].dump() + "\t" + hex + "\n";
      LanguageOutcome lo;
      l.Evaluate(ex, &lo);
      HexU64(Hash64(lo.annotation.dump()), hex);
      std::string langs;
      for (auto& [field, a] : lo.annotation.items()) langs += field + "=" + a["lang"].get<std::string>() + " ";
      la += std::to_string(ex.origin.index) + "\t" + (lo.failed ? lo.reason : "keep") + "\t" + langs + "\t" + hex + "\n";
    }
    std::string base = kGolden + "/shared/" + fs::path(rel).stem().string();
    CheckGolden(base + ".quality.tsv", qa);
    CheckGolden(base + ".quality_report.json", q.Report().dump(1) + "\n");
    CheckGolden(base + ".language.tsv", la);
    CheckGolden(base + ".language_report.json", l.Report().dump(1) + "\n");
  }
}
