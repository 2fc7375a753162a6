// Property: for random inputs and random pipelines of the engine's steps, every row ends in
// exactly one of kept / rejected, per-step counts chain, and the outputs hold exactly those rows.
#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "pipeline/pipeline_run.h"
#include "test_rows.h"

using namespace winnow;
using winnow::testing::Chat;
using winnow::testing::RandomWords;

namespace {
size_t CountLines(const ChunkedBytes* s) { return s ? s->Count('\n') : 0; }
}  // namespace

TEST(Conservation, RandomInputsAndPipelines) {
  const char* step_pool[] = {
      R"({"type":"validate"})",
      R"({"type":"normalize"})",
      R"({"type":"dedup.exact","params":{"view":"user"}})",
      R"({"type":"dedup.exact"})",
      R"({"type":"dedup.near","params":{"threshold":0.6}})",
      R"({"type":"dedup.near","params":{"threshold":0.7,"keep":"longest"}})",
      R"({"type":"dedup.near","params":{"threshold":0.7,"action":"flag","keep":"none"}})",
      R"({"type":"split","params":{"ratios":{"train":0.6,"validation":0.2,"test":0.2}}})",
  };
  const size_t pool = sizeof(step_pool) / sizeof(step_pool[0]);
  uint64_t rng = 2024;
  for (int trial = 0; trial < 40; ++trial) {
    size_t n_rows = SplitMix64(&rng) % 300;
    std::vector<Example> rows;
    std::vector<std::string> bases;
    for (size_t i = 0; i < n_rows; ++i) {
      uint64_t kind = SplitMix64(&rng) % 10;
      std::string user, reply = "reply " + std::to_string(SplitMix64(&rng) % 5);
      if (kind < 3 && !bases.empty()) {
        user = bases[SplitMix64(&rng) % bases.size()];  // exact copy
      } else if (kind < 5 && !bases.empty()) {
        user = bases[SplitMix64(&rng) % bases.size()] + " " + RandomWords(SplitMix64(&rng), 3, 50);  // near copy
      } else if (kind == 5) {
        user = "";  // empty turn
      } else {
        user = RandomWords(SplitMix64(&rng), 5 + SplitMix64(&rng) % 40, 200);
        bases.push_back(user);
      }
      if (kind == 6) reply = "  ";
      rows.push_back(Chat(user, reply, i + 1));
    }
    std::string steps = "[";
    size_t n_steps = SplitMix64(&rng) % 5;
    bool has_split = false;
    for (size_t k = 0; k < n_steps; ++k) {
      size_t pick = SplitMix64(&rng) % pool;
      if (pick == pool - 1) {
        if (has_split) continue;
        has_split = true;
      }
      if (steps.size() > 1) steps += ",";
      // Repeated types need distinct ids.
      std::string s = step_pool[pick];
      s.insert(1, "\"id\":\"s" + std::to_string(k) + "\",");
      steps += s;
    }
    steps += "]";
    auto c = ParsePipeline(R"({"version":1,"name":"prop","seed":)" + std::to_string(trial) + R"(,"steps":)" + steps + "}");
    ASSERT_TRUE(c.ok()) << c.error().message;
    MemoryOutputs out;
    RunOptions opts;
    opts.batch_rows = 1 + SplitMix64(&rng) % 64;
    auto s = RunPipeline(c.value(), MakeVectorSource(rows), &out, opts);
    ASSERT_TRUE(s.ok()) << steps << ": " << s.error().message;
    const RunSummary& sum = s.value();
    SCOPED_TRACE(steps);
    EXPECT_TRUE(sum.conserved);
    EXPECT_EQ(sum.rows_read, n_rows);
    EXPECT_EQ(sum.kept + sum.rejected, n_rows);
    EXPECT_EQ(CountLines(out.Get("kept.jsonl")), sum.kept);
    EXPECT_EQ(CountLines(out.Get("rejected.jsonl")), sum.rejected);
    uint64_t flow = n_rows, dropped = 0;
    for (const StepCounts& st : sum.steps) {
      EXPECT_EQ(st.in, flow);
      EXPECT_EQ(st.in, st.kept + st.dropped);
      flow = st.kept;
      dropped += st.dropped;
    }
    EXPECT_EQ(flow, sum.kept);
    EXPECT_EQ(dropped, sum.rejected);
    if (has_split) {
      size_t split_rows = CountLines(out.Get("train.jsonl")) + CountLines(out.Get("validation.jsonl")) +
                          CountLines(out.Get("test.jsonl"));
      EXPECT_EQ(split_rows, sum.kept);
    }
    // Every input line appears exactly once across kept + rejected (by origin line for rejected,
    // by count for kept).
    std::set<uint64_t> rejected_lines;
    std::istringstream in(out.Text("rejected.jsonl"));
    std::string l;
    while (std::getline(in, l)) {
      auto j = nlohmann::json::parse(l);
      EXPECT_TRUE(rejected_lines.insert(j["line"].get<uint64_t>()).second) << "line rejected twice: " << l;
    }
  }
}
