// Tests of a run driven in slices from the studio (RunDriver) and of review overrides applied to
// its outputs: row conservation after review, rows moved between kept and rejected in input
// order, edits re-encoded, and the review recorded in report.json and the card.
#include <gtest/gtest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "io/memory_io.h"
#include "ui/review_apply.h"
#include "ui/run_driver.h"

namespace winnow::ui {
namespace {

double g_clock = 0;
double Now() { return g_clock += 0.0005; }

size_t CountLines(const ChunkedBytes& s) { return s.Count('\n'); }
size_t CountLines(const std::string& s) { return static_cast<size_t>(std::count(s.begin(), s.end(), '\n')); }

const RunOutput* Find(const std::vector<RunOutput>& v, const std::string& name) {
  for (const auto& o : v) {
    if (o.name == name) return &o;
  }
  return nullptr;
}

class ReviewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Rows 0..9, with row 5 an exact duplicate of row 2 (dedup.exact drops it).
    std::string text;
    for (int i = 0; i < 10; ++i) {
      int k = i == 5 ? 2 : i;
      text += "{\"instruction\":\"Question " + std::to_string(k) + "\",\"input\":\"\",\"output\":\"Answer " +
              std::to_string(k) + "\"}\n";
    }
    m_loader.Start(std::make_unique<MemorySource>("dir/rows.jsonl", text), ReadOptions{}, nullptr);
    while (m_loader.Pump(1.0, Now)) {
    }
    ASSERT_EQ(m_loader.state(), DatasetLoader::State::Done);
    Status st = m_run.Start(m_loader, R"({"version":1,"name":"t","seed":7,"steps":[{"type":"dedup.exact"}]})");
    ASSERT_TRUE(st.ok()) << st.error().message;
    int slices = 0;
    while (m_run.Step(0.001, Now)) ++slices;
    ASSERT_EQ(m_run.state(), RunDriver::State::Done) << m_run.error();
  }
  DatasetLoader m_loader;
  RunDriver m_run;
};

TEST_F(ReviewTest, RunDriverCollectsOutputsAndVerdicts) {
  ASSERT_NE(m_run.Find("kept.jsonl"), nullptr);
  EXPECT_EQ(CountLines(m_run.Find("kept.jsonl")->bytes), 9u);
  EXPECT_EQ(CountLines(m_run.Find("rejected.jsonl")->bytes), 1u);
  EXPECT_EQ(m_run.outputs().front().name, "kept.jsonl");
  EXPECT_TRUE(m_run.Dropped(5));
  EXPECT_FALSE(m_run.Dropped(2));
  EXPECT_NE(m_run.VerdictOf(5).find("exact_duplicate"), std::string::npos) << m_run.VerdictOf(5);
  EXPECT_EQ(m_run.report()["rows"]["kept"], 9);
}

TEST_F(ReviewTest, BadPipelineIsAnErrorNamingTheProblem) {
  RunDriver r;
  Status st = r.Start(m_loader, R"({"version":1,"name":"bad","steps":[{"type":"no.such.step"}]})");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "bad_config");
  EXPECT_NE(st.error().message.find("no.such.step"), std::string::npos) << st.error().message;
}

TEST_F(ReviewTest, OverridesMoveRowsAndAreRecorded) {
  std::map<size_t, ReviewOverride> ov;
  ov[5].verdict = 1;  // keep the duplicate the pipeline dropped
  ov[5].rating = 4;
  ov[0].verdict = 0;  // drop a kept row
  ov[0].note = "off topic";
  ov[3].edits[1] = "Answer three, edited";  // message 1 = the assistant's reply
  ov[3].rating = 5;
  auto r = ApplyReview(m_run.outputs(), m_loader, ov);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const std::string kept = Find(r.value(), "kept.jsonl")->bytes.ToString();
  const std::string rej = Find(r.value(), "rejected.jsonl")->bytes.ToString();
  EXPECT_EQ(CountLines(kept) + CountLines(rej), 10u) << "every row is still kept or rejected";
  EXPECT_EQ(CountLines(kept), 9u);
  // Kept rows stay in input order: 1, 2, 3 (edited), 4, 5 (the kept duplicate of 2), 6...
  EXPECT_EQ(kept.find("Question 0"), std::string::npos);
  size_t q2 = kept.find("Question 2"), q3 = kept.find("Answer three, edited"), q4 = kept.find("Question 4");
  ASSERT_NE(q3, std::string::npos);
  EXPECT_LT(q2, q3);
  EXPECT_LT(q3, q4);
  EXPECT_NE(kept.find("Question 2", q4), std::string::npos) << "row 5 (a copy of row 2) is back after row 4";
  EXPECT_NE(rej.find("\"step\":\"review\",\"reason\":\"reviewer_drop\",\"detail\":\"reviewer: off topic\""), std::string::npos) << rej;
  EXPECT_EQ(rej.find("exact_duplicate"), std::string::npos);
  nlohmann::json rep = nlohmann::json::parse(Find(r.value(), "report.json")->bytes.ToString(), nullptr, false);
  ASSERT_FALSE(rep.is_discarded());
  EXPECT_EQ(rep["review"]["rows_reviewed"], 3);
  EXPECT_EQ(rep["review"]["kept_against_pipeline"], 1);
  EXPECT_EQ(rep["review"]["dropped_against_pipeline"], 1);
  EXPECT_EQ(rep["review"]["edited"], 1);
  EXPECT_EQ(rep["review"]["ratings"]["5"], 1);
  EXPECT_EQ(rep["review"]["rows_after_review"]["kept"], 9);
  const std::string card = Find(r.value(), "README.md")->bytes.ToString();
  EXPECT_NE(card.find("## Human review"), std::string::npos);
  EXPECT_NE(card.find("mean 4.50 of 5"), std::string::npos) << card.substr(card.find("## Human review"));
}

// With a split, the split files follow the review too: a dropped row leaves its split, an edited
// row changes there, a row kept against the pipeline joins train; every kept row is in one split.
TEST_F(ReviewTest, SplitFilesFollowTheReview) {
  RunDriver run;
  Status st = run.Start(m_loader, R"({"version":1,"name":"t","seed":7,"steps":[{"type":"dedup.exact"},
      {"type":"split","params":{"ratios":{"train":0.5,"validation":0.25,"test":0.25}}}]})");
  ASSERT_TRUE(st.ok()) << st.error().message;
  while (run.Step(0.001, Now)) {
  }
  ASSERT_EQ(run.state(), RunDriver::State::Done) << run.error();
  // Drop a row of validation or test (so the train change below is only the joined row).
  size_t dropped_row = 0;
  std::string dropped_split;
  for (const char* n : {"validation.jsonl", "test.jsonl"}) {
    const std::string b = run.Find(n)->bytes.ToString();
    for (size_t i = 0; i < 10 && dropped_split.empty(); ++i) {
      if (i != 5 && i != 2 && b.find("\"Question " + std::to_string(i) + "\"") != std::string::npos) {
        dropped_row = i;
        dropped_split = n;
      }
    }
  }
  ASSERT_FALSE(dropped_split.empty());
  std::map<size_t, ReviewOverride> ov;
  ov[dropped_row].verdict = 0;
  ov[5].verdict = 1;  // the duplicate of row 2, dropped by the pipeline
  auto r = ApplyReview(run.outputs(), m_loader, ov);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const std::string kept = Find(r.value(), "kept.jsonl")->bytes.ToString();
  size_t in_splits = 0;
  for (const char* n : {"train.jsonl", "validation.jsonl", "test.jsonl"}) {
    const std::string b = Find(r.value(), n)->bytes.ToString();
    in_splits += CountLines(b);
    EXPECT_EQ(b.find("\"Question " + std::to_string(dropped_row) + "\""), std::string::npos) << n;
  }
  EXPECT_EQ(in_splits, CountLines(kept)) << "every kept row is in exactly one split";
  const std::string train = Find(r.value(), "train.jsonl")->bytes.ToString();
  const std::string train_before = run.Find("train.jsonl")->bytes.ToString();
  EXPECT_EQ(train.substr(0, train_before.size()), train_before) << "train keeps its rows, in order";
  EXPECT_NE(train.find("Question 2", train_before.size()), std::string::npos) << "row 5 (a copy of row 2) joined train";
  EXPECT_EQ(CountLines(train), CountLines(train_before) + 1) << "the row kept against the pipeline joined train";
  EXPECT_NE(Find(r.value(), "README.md")->bytes.ToString().find("The split files follow the review"), std::string::npos);
}

TEST_F(ReviewTest, NoOverridesLeaveOutputsUnchanged) {
  auto r = ApplyReview(m_run.outputs(), m_loader, {});
  ASSERT_TRUE(r.ok());
  for (const RunOutput& o : m_run.outputs()) {
    if (o.name == "report.json") continue;  // gains an empty "review" section
    EXPECT_EQ(Find(r.value(), o.name)->bytes, o.bytes) << o.name;
  }
}

}  // namespace
}  // namespace winnow::ui
