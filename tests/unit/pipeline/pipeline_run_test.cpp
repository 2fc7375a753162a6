#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>

#include "pipeline/pipeline_run.h"
#include "test_rows.h"

using namespace winnow;
using winnow::testing::Chat;
using winnow::testing::RandomWords;

namespace {

PipelineConfig Parse(const std::string& text) {
  auto r = ParsePipeline(text);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? r.value() : PipelineConfig{};
}

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string l;
  while (std::getline(in, l)) out.push_back(l);
  return out;
}

std::vector<Example> SampleRows() {
  std::vector<Example> rows;
  rows.push_back(Chat("What is the capital of France?", "Paris.", 1));
  rows.push_back(Chat("what is the capital of   FRANCE?", "Paris.", 2));  // exact dup after normalization
  rows.push_back(Chat("Tell me a joke", "", 3));                           // empty reply -> validate
  std::string long_text = RandomWords(11, 120);
  rows.push_back(Chat("Summarize: " + long_text, "Done.", 4));
  rows.push_back(Chat("Summarize: " + long_text + " extra", "Done.", 5));  // near dup of line 4
  rows.push_back(Chat("How do I sort a list in Python?", "Use sorted().", 6));
  return rows;
}

const char* kPipeline = R"({"version":1,"name":"t","seed":3,"steps":[
  {"type":"validate"},{"type":"normalize"},{"type":"dedup.exact"},
  {"type":"dedup.near","params":{"threshold":0.7}}]})";

}  // namespace

TEST(PipelineRun, KeepsRejectsAndConservesRows) {
  MemoryOutputs out;
  auto s = RunPipeline(Parse(kPipeline), MakeVectorSource(SampleRows(), "sample.jsonl"), &out);
  ASSERT_TRUE(s.ok()) << s.error().message;
  const RunSummary& sum = s.value();
  EXPECT_EQ(sum.rows_read, 6u);
  EXPECT_EQ(sum.kept, 3u);
  EXPECT_EQ(sum.rejected, 3u);
  EXPECT_TRUE(sum.conserved);
  ASSERT_EQ(sum.steps.size(), 4u);
  EXPECT_EQ(sum.steps[0].in, 6u);
  EXPECT_EQ(sum.steps[0].dropped, 1u);
  EXPECT_EQ(sum.steps[0].reasons.at("empty_turn"), 1u);
  EXPECT_EQ(sum.steps[2].reasons.at("exact_duplicate"), 1u);
  EXPECT_EQ(sum.steps[3].in, 4u);
  EXPECT_EQ(sum.steps[3].reasons.at("near_duplicate"), 1u);
  EXPECT_EQ(Lines(*out.Get("kept.jsonl")).size(), 3u);
  std::vector<std::string> rej = Lines(*out.Get("rejected.jsonl"));
  ASSERT_EQ(rej.size(), 3u);
  // Rejected rows carry the step id, reason, detail and origin, then the row itself. Within a
  // batch of streaming steps they are written in input order.
  std::map<int, nlohmann::json> by_line;
  for (const std::string& l : rej) {
    nlohmann::json j = nlohmann::json::parse(l);
    by_line[j["line"].get<int>()] = j;
  }
  ASSERT_EQ(by_line.size(), 3u);
  nlohmann::json r0 = by_line[3];
  EXPECT_EQ(r0["step"], "validate");
  EXPECT_EQ(r0["reason"], "empty_turn");
  EXPECT_EQ(r0["file"], "sample.jsonl");
  EXPECT_TRUE(r0["row"].is_object());
  EXPECT_EQ(r0["row"]["messages"][0]["content"], "Tell me a joke");
  nlohmann::json r1 = by_line[2];
  EXPECT_EQ(r1["step"], "dedup.exact");
  EXPECT_NE(r1["detail"].get<std::string>().find("line 1 of sample.jsonl"), std::string::npos) << r1.dump();
  nlohmann::json r2 = by_line[5];
  EXPECT_EQ(r2["reason"], "near_duplicate");
  EXPECT_NE(r2["detail"].get<std::string>().find("line 4 of sample.jsonl"), std::string::npos) << r2.dump();
  // The first key is "step", as in read problems (io/writer.h EncodeProblem).
  EXPECT_EQ(rej[0].rfind("{\"step\":", 0), 0u);
  // report.json and the card exist and agree with the summary.
  nlohmann::json rep = nlohmann::json::parse(*out.Get("report.json"));
  EXPECT_EQ(rep["rows"]["kept"], 3);
  EXPECT_EQ(rep["conservation"]["ok"], true);
  EXPECT_EQ(rep["steps"][3]["report"]["clusters"], 1);
  EXPECT_EQ(rep["kept"]["rows"], 3);
  const std::string& card = *out.Get("README.md");
  EXPECT_EQ(card.rfind("---\nconfigs:\n", 0), 0u);
  EXPECT_NE(card.find("size_categories:\n- n<1K"), std::string::npos);
  EXPECT_NE(card.find("\"name\": \"t\""), std::string::npos);
}

TEST(PipelineRun, SlicedStepsGiveTheSameBytesAsOneRun) {
  MemoryOutputs a, b;
  ASSERT_TRUE(RunPipeline(Parse(kPipeline), MakeVectorSource(SampleRows(), "s.jsonl"), &a).ok());
  RunOptions opts;
  opts.batch_rows = 1;
  auto run = PipelineRun::Start(Parse(kPipeline), MakeVectorSource(SampleRows(), "s.jsonl"), &b, opts);
  ASSERT_TRUE(run.ok());
  int slices = 0;
  std::vector<std::string> stages;
  while (run.value()->Step(1)) {
    ++slices;
    stages.push_back(run.value()->Progress().stage);
  }
  EXPECT_TRUE(run.value()->status().ok());
  EXPECT_GT(slices, 5);
  EXPECT_EQ(run.value()->Progress().stage, "done");
  for (const std::string& name : a.Names()) {
    ASSERT_NE(b.Get(name), nullptr) << name;
    EXPECT_EQ(*a.Get(name), *b.Get(name)) << name;
  }
}

TEST(PipelineRun, BuffersFromTheFirstStepThatNeedsAllRows) {
  // keep "longest" needs every row: the longer near-duplicate (line 5) is kept, line 4 dropped;
  // of lines 1 and 2 (equal once normalized) line 2 is longer (extra spaces), so line 1 goes.
  const char* p = R"({"version":1,"name":"t","steps":[{"type":"dedup.near","params":{"threshold":0.7,"keep":"longest"}},
                     {"type":"validate"}]})";
  MemoryOutputs out;
  auto s = RunPipeline(Parse(p), MakeVectorSource(SampleRows(), "s.jsonl"), &out);
  ASSERT_TRUE(s.ok()) << s.error().message;
  std::vector<std::string> rej = Lines(*out.Get("rejected.jsonl"));
  ASSERT_GE(rej.size(), 2u);
  std::set<int> near;
  for (const std::string& l : rej) {
    nlohmann::json j = nlohmann::json::parse(l);
    if (j["reason"] == "near_duplicate") near.insert(j["line"].get<int>());
  }
  EXPECT_EQ(near, (std::set<int>{1, 4}));
  EXPECT_TRUE(s.value().conserved);
  // Kept rows stay in input order.
  std::vector<std::string> kept = Lines(*out.Get("kept.jsonl"));
  ASSERT_EQ(kept.size(), s.value().kept);
}

TEST(PipelineRun, CancelStopsTheRun) {
  std::vector<Example> rows;
  for (int i = 0; i < 5000; ++i) rows.push_back(Chat(RandomWords(i, 30), "ok", i + 1));
  MemoryOutputs out;
  RunOptions opts;
  opts.batch_rows = 100;
  auto run = PipelineRun::Start(Parse(kPipeline), MakeVectorSource(std::move(rows)), &out, opts);
  ASSERT_TRUE(run.ok());
  ASSERT_TRUE(run.value()->Step(100));
  run.value()->Cancel();
  EXPECT_FALSE(run.value()->Step(100));
  EXPECT_EQ(run.value()->status().error().code, "cancelled");
  EXPECT_EQ(out.Get("report.json"), nullptr);
}

TEST(PipelineRun, StepPrepareErrorsStopTheStart) {
  const char* p = R"({"version":1,"name":"t","steps":[{"type":"decontaminate","params":{"references":["missing.jsonl"]}}]})";
  MemoryOutputs out;
  RunOptions opts;
  opts.read_file = [](const std::string& path) -> Result<std::string> { return Error{"io_error", "no such file: " + path}; };
  auto run = PipelineRun::Start(Parse(p), MakeVectorSource(SampleRows()), &out, opts);
  ASSERT_FALSE(run.ok());
  EXPECT_NE(run.error().message.find("missing.jsonl"), std::string::npos) << run.error().message;
  EXPECT_NE(run.error().message.find("steps[0]"), std::string::npos) << run.error().message;
}

TEST(PipelineRun, DatasetSourceMatchesVectorSource) {
  Dataset d;
  for (const Example& ex : SampleRows()) d.Append(ex);
  MemoryOutputs a, b;
  ASSERT_TRUE(RunPipeline(Parse(kPipeline), MakeDatasetSource(d, "s.jsonl"), &a).ok());
  ASSERT_TRUE(RunPipeline(Parse(kPipeline), MakeVectorSource(SampleRows(), "s.jsonl"), &b).ok());
  EXPECT_EQ(*a.Get("kept.jsonl"), *b.Get("kept.jsonl"));
  EXPECT_EQ(*a.Get("report.json"), *b.Get("report.json"));
}
