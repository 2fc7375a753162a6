// The labelled evaluation set (assets/pii_eval): every hand-written hard case must come out exactly
// right, and the generated set must keep precision and recall >= 0.97 for every type.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "pii/pii_eval.h"
#include "pii/pii_scanner.h"

namespace winnow::pii {
namespace {

std::string ReadAsset(const char* name) {
  std::ifstream f(std::string(WINNOW_SOURCE_DIR) + "/assets/pii_eval/" + name, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

EvalScore RunEval(const std::vector<EvalCase>& cases, std::vector<std::string>* errors) {
  EvalScore score;
  ScanOptions opt;
  for (const EvalCase& c : cases) {
    std::vector<PiiSpan> found;
    PiiScanner::Get().Find(c.text, opt, &found);
    ScoreCase(c, found, &score, errors);
  }
  return score;
}

TEST(PiiEvalSet, ParsesMarkup) {
  auto r = ParseEvalCases("# comment\nMail [[EMAIL:a@b.com]] now\\nok\n\nplain 42\n");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].text, "Mail a@b.com now\nok");
  ASSERT_EQ((*r)[0].gold.size(), 1u);
  EXPECT_EQ((*r)[0].gold[0].begin, 5u);
  EXPECT_EQ((*r)[0].gold[0].end, 12u);
  EXPECT_EQ((*r)[0].line, 2u);
  EXPECT_EQ((*r)[1].text, "plain 42");
  EXPECT_FALSE(ParseEvalCases("x [[NOPE:1]]\n").ok());
  EXPECT_FALSE(ParseEvalCases("x [[EMAIL:a@b.com\n").ok());
}

TEST(PiiEvalSet, ScoringCountsTpFpFn) {
  EvalCase c;
  c.text = "aaaa bbbb cccc";
  c.gold = {PiiSpan{0, 4, PiiType::Email, 0}, PiiSpan{5, 9, PiiType::Phone, 0}};
  std::vector<PiiSpan> found = {PiiSpan{0, 4, PiiType::Email, 90}, PiiSpan{10, 14, PiiType::Phone, 90}};
  EvalScore s;
  ScoreCase(c, found, &s);
  EXPECT_EQ(s.by_type[size_t(PiiType::Email)].tp, 1u);
  EXPECT_EQ(s.by_type[size_t(PiiType::Phone)].fp, 1u);
  EXPECT_EQ(s.by_type[size_t(PiiType::Phone)].fn, 1u);
  EXPECT_EQ(FormatRatio(2, 3), "0.667");
  EXPECT_EQ(FormatRatio(0, 0), "-");
}

TEST(PiiEvalSet, HardCasesAllCorrect) {
  std::string text = ReadAsset("hard_cases.txt");
  ASSERT_FALSE(text.empty()) << "assets/pii_eval/hard_cases.txt missing";
  auto cases = ParseEvalCases(text);
  ASSERT_TRUE(cases.ok()) << cases.error().message;
  std::vector<std::string> errors;
  EvalScore s = RunEval(*cases, &errors);
  std::string all;
  for (const std::string& e : errors) all += e + "\n";
  EXPECT_TRUE(errors.empty()) << all << FormatScoreTable(s);
  EXPECT_GT(s.total.tp, 50u);
}

TEST(PiiEvalSet, GeneratedSetPrecisionRecall) {
  std::string text = ReadAsset("generated.txt");
  ASSERT_FALSE(text.empty()) << "assets/pii_eval/generated.txt missing";
  auto cases = ParseEvalCases(text);
  ASSERT_TRUE(cases.ok()) << cases.error().message;
  std::vector<std::string> errors;
  EvalScore s = RunEval(*cases, &errors);
  std::string first;
  for (size_t i = 0; i < errors.size() && i < 40; ++i) first += errors[i] + "\n";
  std::printf("%s%s", FormatScoreTable(s).c_str(), first.c_str());  // the misses, for whoever tunes detectors
  for (size_t i = 0; i < kPiiTypeCount; ++i) {
    const TypeScore& t = s.by_type[i];
    if (t.tp + t.fn == 0) continue;
    EXPECT_GE(t.tp * 100, (t.tp + t.fp) * 97) << PiiTypeName(PiiType(i)) << " precision\n" << FormatScoreTable(s) << first;
    EXPECT_GE(t.tp * 100, (t.tp + t.fn) * 97) << PiiTypeName(PiiType(i)) << " recall\n" << FormatScoreTable(s) << first;
  }
  // Every type the generator knows appears in the set.
  int types_present = 0;
  for (const TypeScore& t : s.by_type) types_present += (t.tp + t.fn) > 0;
  EXPECT_EQ(types_present, int(kPiiTypeCount));
}

}  // namespace
}  // namespace winnow::pii
