// The labelled evaluation set (assets/pii_eval): every hand-written hard case must come out exactly
// right except the known misses written into the case files ("#! known: <error> -- <why>" on the
// line before the case; each must still happen, so a fix has to remove its marker), and the
// generated set must keep precision and recall >= 0.97 for every type.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <set>
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
  auto esc = ParseEvalCases("json \\\\n and\\nnext\n");
  ASSERT_TRUE(esc.ok());
  EXPECT_EQ((*esc)[0].text, "json \\n and\nnext");
  auto br = ParseEvalCases("at [[[IPV6:::1]]]:5432\n");
  ASSERT_TRUE(br.ok());
  EXPECT_EQ((*br)[0].text, "at [::1]:5432");
  ASSERT_EQ((*br)[0].gold.size(), 1u);
  EXPECT_EQ((*br)[0].gold[0].begin, 4u);
  EXPECT_EQ((*br)[0].gold[0].end, 7u);
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

// The "#! known: " markers of a case file: the error text (what ScoreCase writes after "line N: ",
// up to " -- ") expected on the next line that is not a comment, keyed by that line's number.
std::map<uint32_t, std::multiset<std::string>> KnownMisses(const std::string& file_text) {
  std::map<uint32_t, std::multiset<std::string>> known;
  std::vector<std::string> pending;
  uint32_t line_no = 0;
  for (size_t pos = 0; pos <= file_text.size();) {
    size_t nl = file_text.find('\n', pos);
    if (nl == std::string::npos) nl = file_text.size();
    std::string line = file_text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind("#! known: ", 0) == 0) {
      std::string what = line.substr(10);
      size_t why = what.find(" -- ");
      pending.push_back(what.substr(0, why));
    } else if (!line.empty() && line[0] != '#') {
      for (std::string& p : pending) known[line_no].insert(std::move(p));
      pending.clear();
    }
  }
  return known;
}

TEST(PiiEvalSet, KnownMissMarkers) {
  auto k = KnownMisses("# x\n#! known: missed PHONE '1' -- why\n# more\ncase one\nother\n#! known: false positive X 'y'\nlast");
  ASSERT_EQ(k.size(), 2u);
  EXPECT_EQ(k[4], std::multiset<std::string>{"missed PHONE '1'"});
  EXPECT_EQ(k[7], std::multiset<std::string>{"false positive X 'y'"});
}

TEST(PiiEvalSet, HardCasesCorrectExceptKnownMisses) {
  EvalScore all;
  uint64_t cases_read = 0, known_total = 0;
  std::string unexpected, fixed;
  for (const char* name : kHardCaseFiles) {
    std::string text = ReadAsset(name);
    ASSERT_FALSE(text.empty()) << "assets/pii_eval/" << name << " missing";
    auto cases = ParseEvalCases(text);
    ASSERT_TRUE(cases.ok()) << name << ": " << cases.error().message;
    cases_read += cases->size();
    auto known = KnownMisses(text);
    for (const auto& [line, whats] : known) known_total += whats.size();
    ScanOptions opt;
    for (const EvalCase& c : *cases) {
      std::vector<PiiSpan> found;
      PiiScanner::Get().Find(c.text, opt, &found);
      std::vector<std::string> errors;
      ScoreCase(c, found, &all, &errors);
      std::multiset<std::string> want = known.count(c.line) ? known[c.line] : std::multiset<std::string>{};
      std::multiset<std::string> got;
      std::string prefix = "line " + std::to_string(c.line) + ": ";
      for (const std::string& e : errors) got.insert(e.substr(prefix.size()));
      for (const std::string& e : got) {
        if (!want.count(e)) unexpected += std::string(name) + " " + prefix + e + "\n";
      }
      for (const std::string& w : want) {
        if (!got.count(w)) fixed += std::string(name) + " " + prefix + w + "\n";
      }
    }
  }
  EXPECT_TRUE(unexpected.empty()) << "errors not marked as known:\n" << unexpected << FormatScoreTable(all);
  EXPECT_TRUE(fixed.empty()) << "known misses that no longer happen (remove their marker and README entry):\n" << fixed;
  EXPECT_EQ(all.total.fn + all.total.fp + all.total.inexact, known_total) << FormatScoreTable(all);
  EXPECT_GT(cases_read, 400u);
  EXPECT_GT(all.total.tp, 250u);
  // Every type has hand-written positives.
  for (size_t i = 0; i < kPiiTypeCount; ++i) {
    EXPECT_GE(all.by_type[i].tp + all.by_type[i].fn, 5u) << PiiTypeName(PiiType(i));
  }
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
