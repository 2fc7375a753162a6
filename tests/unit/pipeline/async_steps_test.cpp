// The runner with asynchronous steps (Step::Busy / Poll) and steps that generate rows
// (Step::TakeGenerated): rows are held while a step is busy, nothing else happens meanwhile, and
// row conservation holds as read + generated == kept + rejected, whatever the batch size and the
// position of the barrier.
#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "pipeline/pipeline_run.h"
#include "test_rows.h"

using namespace winnow;
using nlohmann::json;
using winnow::testing::Chat;
using winnow::testing::RandomWords;

namespace {

// Drops rows whose user turn contains "bad", but only after `polls` calls to Poll: until then the
// rows it was given are held and Busy() is true. Counts the Poll calls it received.
class AsyncDropStep final : public Step {
 public:
  std::string_view Type() const override { return "test.async_drop"; }
  Status Configure(const json& p) override {
    m_polls = p.value("polls", 2);
    m_busy_finish = p.value("busy_finish", false);
    return Status::Ok();
  }
  json Params() const override { return json{{"polls", m_polls}, {"busy_finish", m_busy_finish}}; }
  void Process(std::span<Row*> rows, StepContext&) override {
    m_held.assign(rows.begin(), rows.end());
    m_left = m_polls;
    if (m_left == 0) Decide();
  }
  void Finish(std::span<Row*>, StepContext&) override {
    if (m_busy_finish) m_left = m_polls;
  }
  bool Busy() const override { return m_left > 0; }
  void Poll(StepContext&) override {
    ++m_poll_calls;
    if (m_left > 0 && --m_left == 0) Decide();
  }
  json Report() const override { return json{{"polls", m_poll_calls}}; }

 private:
  void Decide() {
    for (Row* r : m_held) {
      if (r->ex.messages[0].content.find("bad") != std::string::npos) {
        r->verdict = Verdict{VerdictKind::Drop, "", "bad_word", "contains bad"};
      }
    }
    m_held.clear();
  }
  int m_polls = 2;
  bool m_busy_finish = false;
  int m_left = 0;
  uint64_t m_poll_calls = 0;
  std::vector<Row*> m_held;
};

// For each row it sees, generates `per_row` new rows ("copy of line N gen k"; every third row it
// makes contains "bad"); in Finish generates `at_end` rows. Optionally a barrier step.
class GenerateStep final : public Step {
 public:
  std::string_view Type() const override { return "test.generate"; }
  Status Configure(const json& p) override {
    m_per_row = p.value("per_row", 1);
    m_at_end = p.value("at_end", 0);
    m_all = p.value("all_rows", false);
    return Status::Ok();
  }
  json Params() const override { return json{{"per_row", m_per_row}, {"at_end", m_at_end}, {"all_rows", m_all}}; }
  bool NeedsAllRows() const override { return m_all; }
  void Process(std::span<Row*> rows, StepContext&) override {
    for (Row* r : rows) {
      for (int k = 0; k < m_per_row; ++k) {
        Make("copy of line " + std::to_string(r->ex.origin.line) + " gen " + std::to_string(k));
      }
    }
  }
  void Finish(std::span<Row*>, StepContext&) override {
    for (int k = 0; k < m_at_end; ++k) Make("final row " + std::to_string(k));
  }
  void TakeGenerated(std::vector<Row>* out) override {
    for (Row& r : m_made) out->push_back(std::move(r));
    m_made.clear();
  }
  bool GeneratesRows() const override { return true; }
  json Report() const override { return json{{"made", m_count}}; }

 private:
  void Make(std::string user) {
    ++m_count;
    if (m_count % 3 == 0) user += " bad";
    Row r;
    r.ex = Chat(user, "generated reply " + std::to_string(m_count), m_count);
    m_made.push_back(std::move(r));
  }
  int m_per_row = 1, m_at_end = 0;
  bool m_all = false;
  uint64_t m_count = 0;
  std::vector<Row> m_made;
};

WINNOW_REGISTER_STEP(AsyncDropStep, "test.async_drop", "test: drops rows containing 'bad' after a few polls");
WINNOW_REGISTER_STEP(GenerateStep, "test.generate", "test: generates rows");

size_t CountLines(const ChunkedBytes* s) { return s ? s->Count('\n') : 0; }

PipelineConfig Parse(const std::string& steps, int seed = 1) {
  auto c = ParsePipeline(R"({"version":1,"name":"async","seed":)" + std::to_string(seed) + R"(,"steps":)" + steps + "}");
  EXPECT_TRUE(c.ok()) << c.error().message;
  return c.ok() ? c.value() : PipelineConfig{};
}

std::vector<Example> Rows(size_t n, uint64_t seed) {
  std::vector<Example> rows;
  for (size_t i = 0; i < n; ++i) {
    std::string user = RandomWords(seed + i, 8, 400);
    if (i % 5 == 0) user += " bad";
    rows.push_back(Chat(user, "reply " + std::to_string(i), i + 1));
  }
  return rows;
}

}  // namespace

TEST(AsyncSteps, BusyStepHoldsTheRunUntilDone) {
  PipelineConfig c = Parse(R"([{"id":"a","type":"test.async_drop","params":{"polls":3}}])");
  MemoryOutputs out;
  RunOptions opts;
  opts.batch_rows = 10;
  auto run = PipelineRun::Start(c, MakeVectorSource(Rows(25, 7)), &out, opts);
  ASSERT_TRUE(run.ok()) << run.error().message;
  PipelineRun& r = *run.value();
  // First slice: reads a batch and hands it to the step, which goes on asynchronously.
  EXPECT_TRUE(r.Step(1000));
  RunProgress p = r.Progress();
  EXPECT_TRUE(p.waiting);
  EXPECT_EQ(p.stage, "a");
  EXPECT_EQ(p.rows_read, 10u);
  // While busy, slices poll and return without reading more input.
  EXPECT_TRUE(r.Step(1000));
  EXPECT_TRUE(r.Step(1000));
  EXPECT_EQ(r.Progress().rows_read, 10u);
  EXPECT_EQ(r.Progress().kept + r.Progress().rejected, 0u);
  // Third poll completes the first batch; the run continues with the next one.
  size_t slices = 3;
  while (r.Step(1000)) ++slices;
  ASSERT_TRUE(r.status().ok()) << r.status().error().message;
  const RunSummary& s = r.Summary();
  EXPECT_TRUE(s.conserved);
  EXPECT_EQ(s.rows_read, 25u);
  EXPECT_EQ(s.rejected, 5u);  // rows 0, 5, 10, 15, 20
  EXPECT_EQ(s.kept, 20u);
  // Three batches, three polls each.
  EXPECT_EQ(s.report["steps"][0]["report"]["polls"], 9);
  EXPECT_GE(slices, 9u);
}

TEST(AsyncSteps, CancelWhileBusyEndsTheRun) {
  PipelineConfig c = Parse(R"([{"id":"a","type":"test.async_drop","params":{"polls":1000}}])");
  MemoryOutputs out;
  auto run = PipelineRun::Start(c, MakeVectorSource(Rows(5, 1)), &out, {});
  ASSERT_TRUE(run.ok());
  PipelineRun& r = *run.value();
  EXPECT_TRUE(r.Step(100));
  EXPECT_TRUE(r.Progress().waiting);
  r.Cancel();
  EXPECT_FALSE(r.Step(100));
  EXPECT_EQ(r.status().error().code, "cancelled");
}

TEST(AsyncSteps, GeneratedRowsGoThroughTheFollowingStepsAndAreCounted) {
  PipelineConfig c = Parse(R"([{"id":"g","type":"test.generate","params":{"per_row":2,"at_end":4}},
                                {"id":"a","type":"test.async_drop","params":{"polls":1}}])");
  MemoryOutputs out;
  RunOptions opts;
  opts.batch_rows = 4;
  auto s = RunPipeline(c, MakeVectorSource(Rows(10, 3)), &out, opts);
  ASSERT_TRUE(s.ok()) << s.error().message;
  const RunSummary& sum = s.value();
  EXPECT_TRUE(sum.conserved);
  EXPECT_EQ(sum.rows_read, 10u);
  EXPECT_EQ(sum.generated, 24u);  // 2 per row + 4 at the end
  EXPECT_EQ(sum.steps[0].generated, 24u);
  EXPECT_EQ(sum.steps[1].in, 34u);
  EXPECT_EQ(sum.kept + sum.rejected, 34u);
  EXPECT_EQ(sum.report["rows"]["generated"], 24);
  EXPECT_EQ(sum.report["conservation"]["ok"], true);
  // Generated rows that were dropped name their generator as the file.
  std::istringstream in(out.Text("rejected.jsonl"));
  std::string line;
  size_t from_generator = 0;
  while (std::getline(in, line)) {
    json j = json::parse(line);
    if (j["file"] == "synth:g") ++from_generator;
    EXPECT_EQ(j["step"], "a");
  }
  EXPECT_EQ(from_generator, 8u);  // every third of 24
  // The rows generated in Finish were processed by the step after the generator: the first of them
  // (the 21st row made, so it contains "bad") was dropped by it, the second kept.
  EXPECT_NE(out.Text("rejected.jsonl").find("final row 0 bad"), std::string::npos);
  EXPECT_NE(out.Text("kept.jsonl").find("final row 1"), std::string::npos);
}

TEST(AsyncSteps, ConservationOverRandomPipelines) {
  const char* pool[] = {
      R"({"type":"test.async_drop","params":{"polls":1}})",
      R"({"type":"test.async_drop","params":{"polls":0}})",
      R"({"type":"test.async_drop","params":{"polls":2,"busy_finish":true}})",
      R"({"type":"test.generate","params":{"per_row":1,"at_end":3}})",
      R"({"type":"test.generate","params":{"per_row":0,"at_end":5,"all_rows":true}})",
      R"({"type":"dedup.exact"})",
      R"({"type":"dedup.near","params":{"threshold":0.7,"keep":"longest"}})",
      R"({"type":"split","params":{"ratios":{"train":0.5,"validation":0.5}}})",
  };
  const size_t n_pool = sizeof(pool) / sizeof(pool[0]);
  uint64_t rng = 99;
  int ran = 0, refused = 0;
  for (int trial = 0; trial < 60; ++trial) {
    size_t n_rows = SplitMix64(&rng) % 60;
    std::string steps = "[";
    size_t n_steps = 1 + SplitMix64(&rng) % 4;
    bool has_split = false, generates_after_split = false;
    for (size_t k = 0; k < n_steps; ++k) {
      size_t pick = SplitMix64(&rng) % n_pool;
      if (pick == n_pool - 1) {
        if (has_split) continue;
        has_split = true;
      }
      if (has_split && (pick == 3 || pick == 4)) generates_after_split = true;
      if (steps.size() > 1) steps += ",";
      std::string s = pool[pick];
      s.insert(1, "\"id\":\"s" + std::to_string(k) + "\",");
      steps += s;
    }
    steps += "]";
    SCOPED_TRACE(steps);
    PipelineConfig c = Parse(steps, trial);
    MemoryOutputs out;
    RunOptions opts;
    opts.batch_rows = 1 + SplitMix64(&rng) % 16;
    auto s = RunPipeline(c, MakeVectorSource(Rows(n_rows, trial * 100)), &out, opts);
    if (generates_after_split) {
      // Refused before any row is read: generated rows would belong to no split.
      ASSERT_FALSE(s.ok());
      EXPECT_EQ(s.error().code, "bad_config");
      EXPECT_NE(s.error().message.find("move it before the split"), std::string::npos) << s.error().message;
      ++refused;
      continue;
    }
    ASSERT_TRUE(s.ok()) << s.error().message;
    ++ran;
    const RunSummary& sum = s.value();
    EXPECT_TRUE(sum.conserved) << sum.report["conservation"].dump();
    EXPECT_EQ(sum.rows_read, n_rows);
    EXPECT_EQ(sum.kept + sum.rejected, n_rows + sum.generated);
    EXPECT_EQ(CountLines(out.Get("kept.jsonl")), sum.kept);
    EXPECT_EQ(CountLines(out.Get("rejected.jsonl")), sum.rejected);
    uint64_t flow = n_rows, generated = 0;
    for (const StepCounts& st : sum.steps) {
      EXPECT_EQ(st.in, flow);
      flow = st.kept + st.generated;
      generated += st.generated;
    }
    EXPECT_EQ(generated, sum.generated);
    EXPECT_EQ(flow, sum.kept);
    if (has_split) {
      EXPECT_EQ(CountLines(out.Get("train.jsonl")) + CountLines(out.Get("validation.jsonl")), sum.kept);
    }
  }
  // Both kinds of pipeline were drawn.
  EXPECT_GT(ran, 20);
  EXPECT_GT(refused, 0);
}
