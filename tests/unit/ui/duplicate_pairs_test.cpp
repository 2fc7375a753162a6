// The Report view's duplicates section, data side (ui/duplicate_pairs.h, ui/row_ref.h): the pairs
// read from dedup.exact's "samples" and dedup.near / dedup.semantic's "largest_clusters", and the
// dataset rows their "file:line" references resolve to, for hand-written reports and for a real run
// over a pretty-printed JSON array (whose rows start on lines 2, 7, 12...).
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "core/dataset.h"
#include "io/memory_io.h"
#include "ui/dataset_loader.h"
#include "ui/duplicate_pairs.h"
#include "ui/row_ref.h"
#include "ui/run_driver.h"

namespace winnow::ui {
namespace {

using json = nlohmann::json;

TEST(RowRef, RowRefLineReadsTheNumberAfterTheLastColon) {
  EXPECT_EQ(RowRefLine("chats.jsonl:17"), 17u);
  EXPECT_EQ(RowRefLine("C:/data/x.jsonl:3"), 3u);
  EXPECT_EQ(RowRefLine("chats.jsonl"), 0u);
  EXPECT_EQ(RowRefLine("x:"), 0u);
  EXPECT_EQ(RowRefLine("x:1a"), 0u);
}

TEST(RowRef, LineIndexUsesTheOriginLineElseIndexPlusOne) {
  Dataset ds;
  Example ex;
  ex.messages = {Message{Role::User, "q"}};
  for (uint64_t i = 0; i < 4; ++i) {
    ex.origin.index = i;
    ex.origin.line = i < 3 ? 2 + 5 * i : 0;  // rows 0..2 start on lines 2, 7, 12; row 3 has no line
    ds.Append(ex);
  }
  RowLineIndex idx;
  EXPECT_EQ(idx.FindRef(ds, "a.json:2"), 0);
  EXPECT_EQ(idx.FindRef(ds, "a.json:12"), 2);
  EXPECT_EQ(idx.FindRef(ds, "a.json:4"), 3);   // index 3 + 1
  EXPECT_EQ(idx.FindRef(ds, "a.json:3"), -1);
  EXPECT_EQ(idx.FindRef(ds, "a.json"), -1);
  // A grown dataset is indexed again.
  ex.origin.index = 4;
  ex.origin.line = 30;
  ds.Append(ex);
  EXPECT_EQ(idx.Find(ds, 30), 4);
}

TEST(DuplicatePairs, ReadsExactSamplesAndNearClusters) {
  const json report = {
      {"steps",
       json::array({
           {{"id", "validate"}, {"type", "validate"}, {"report", {{"samples", json::array({{{"kept", "x:1"}, {"duplicate", "x:2"}}})}}}},
           {{"id", "dedup.exact"},
            {"type", "dedup.exact"},
            {"report",
             {{"clusters", 2},
              {"duplicates", 3},
              {"samples", json::array({{{"kept", "f.json:1992"}, {"duplicate", "f.json:2542"}},
                                       {{"kept", "f.json:7"}, {"duplicate", "f.json:12"}},
                                       {{"kept", "f.json:1992"}, {"duplicate", "f.json:3000"}},
                                       {{"kept", 5}, {"duplicate", "f.json:9"}}})}}}},
           {{"id", "near"},
            {"type", "dedup.near"},
            {"report",
             {{"clusters", 1},
              {"lsh", {{"bands", 12}, {"rows", 10}}},
              {"largest_clusters",
               json::array({{{"size", 4},
                             {"first", "f.json:22"},
                             {"pairs", json::array({{{"a", "f.json:22"}, {"b", "f.json:27"}, {"jaccard", 0.8571}},
                                                    {{"a", "f.json:27"}, {"b", "f.json:32"}, {"jaccard", 0.9}},
                                                    {{"a", "f.json:22"}}})}},
                            {{"size", 2}, {"first", "f.json:40"}, {"pairs", json::array()}}})}}}},
           {{"id", "sem"},
            {"type", "dedup.semantic"},
            {"report",
             {{"largest_clusters",
               json::array({{{"size", 2}, {"first", "f.json:50"},
                             {"pairs", json::array({{{"a", "f.json:50"}, {"b", "f.json:55"}, {"cosine", 0.97}}})}}})}}}},
       })}};
  const std::vector<DuplicateCluster> cl = DuplicateClustersFromReport(report);
  ASSERT_EQ(cl.size(), 4u);
  EXPECT_EQ(DuplicatePairCount(cl), 6u);
  // dedup.exact: grouped by the kept row, in sample order; the malformed sample is skipped.
  EXPECT_EQ(cl[0].step_id, "dedup.exact");
  EXPECT_EQ(cl[0].size, 0u);
  EXPECT_EQ(cl[0].first, "f.json:1992");
  ASSERT_EQ(cl[0].pairs.size(), 2u);
  EXPECT_EQ(cl[0].pairs[0].a, "f.json:1992");
  EXPECT_EQ(cl[0].pairs[0].b, "f.json:2542");
  EXPECT_EQ(cl[0].pairs[1].b, "f.json:3000");
  EXPECT_EQ(cl[0].pairs[0].measure, "");
  EXPECT_EQ(cl[1].first, "f.json:7");
  ASSERT_EQ(cl[1].pairs.size(), 1u);
  EXPECT_EQ(cl[1].pairs[0].b, "f.json:12");
  // dedup.near: the cluster's size and its pairs with their Jaccard; a pair without "b" and a
  // cluster without pairs are skipped.
  EXPECT_EQ(cl[2].step_id, "near");
  EXPECT_EQ(cl[2].step_type, "dedup.near");
  EXPECT_EQ(cl[2].size, 4u);
  EXPECT_EQ(cl[2].first, "f.json:22");
  ASSERT_EQ(cl[2].pairs.size(), 2u);
  EXPECT_EQ(cl[2].pairs[0].a, "f.json:22");
  EXPECT_EQ(cl[2].pairs[0].b, "f.json:27");
  EXPECT_EQ(cl[2].pairs[0].measure, "jaccard");
  EXPECT_DOUBLE_EQ(cl[2].pairs[0].similarity, 0.8571);
  EXPECT_DOUBLE_EQ(cl[2].pairs[1].similarity, 0.9);
  // dedup.semantic: the same shape with "cosine".
  EXPECT_EQ(cl[3].pairs[0].measure, "cosine");
  EXPECT_DOUBLE_EQ(cl[3].pairs[0].similarity, 0.97);

  EXPECT_TRUE(DuplicateClustersFromReport(json::object()).empty());
  EXPECT_TRUE(DuplicateClustersFromReport(json{{"steps", 3}}).empty());
}

// A real run: dedup.exact and dedup.near over a pretty-printed JSON array of alpaca rows, where
// row 3 copies row 1 and row 7 is row 5 with one word changed. The pairs the report names must
// resolve to exactly those rows of the loaded Dataset.
double g_clock = 0;
double Now() { return g_clock += 0.001; }

std::string Sentence(int k) {
  std::string s;
  for (int w = 0; w < 40; ++w) s += "word" + std::to_string(k * 100 + w) + " ";
  return s;
}

TEST(DuplicatePairs, ResolveToTheRowsOfARunOverAJsonArray) {
  json rows = json::array();
  for (int i = 0; i < 10; ++i) {
    json r = {{"instruction", "Question " + std::to_string(i) + ": " + Sentence(i)}, {"input", ""}, {"output", Sentence(i + 50)}};
    if (i == 3) r = rows[1];
    if (i == 7) {
      r = rows[5];
      r["output"] = Sentence(55) + "changed";
    }
    rows.push_back(r);
  }
  const std::string text = rows.dump(2);
  DatasetLoader l;
  l.Start(std::make_unique<MemorySource>("rows.json", text), ReadOptions{}, nullptr);
  while (l.Pump(0.05, Now)) {
  }
  ASSERT_EQ(l.state(), DatasetLoader::State::Done) << l.error();
  const Dataset& ds = l.dataset();
  ASSERT_EQ(ds.size(), 10u);
  EXPECT_EQ(ds.OriginOf(1).line, 7u);  // "[" on line 1, each row 5 lines: 2, 7, 12...

  RunDriver run;
  const std::string pipeline = R"({"version": 1, "name": "t", "steps": [
      {"type": "dedup.exact", "params": {"view": "example"}},
      {"type": "dedup.near", "params": {"view": "example", "threshold": 0.8}}]})";
  const Status started = run.Start(l, pipeline);
  ASSERT_TRUE(started.ok()) << started.error().message;
  for (int i = 0; i < 100000 && run.Step(0.01, Now); ++i) {
    std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
  ASSERT_EQ(run.state(), RunDriver::State::Done) << run.error();

  const std::vector<DuplicateCluster> cl = DuplicateClustersFromReport(run.report());
  ASSERT_EQ(cl.size(), 2u) << run.report()["steps"].dump(2);
  RowLineIndex idx;
  EXPECT_EQ(cl[0].step_type, "dedup.exact");
  ASSERT_EQ(cl[0].pairs.size(), 1u);
  EXPECT_EQ(cl[0].pairs[0].a, "rows.json:7");
  EXPECT_EQ(idx.FindRef(ds, cl[0].pairs[0].a), 1);
  EXPECT_EQ(idx.FindRef(ds, cl[0].pairs[0].b), 3);
  EXPECT_EQ(cl[1].step_type, "dedup.near");
  EXPECT_EQ(cl[1].size, 2u);
  ASSERT_EQ(cl[1].pairs.size(), 1u);
  EXPECT_EQ(idx.FindRef(ds, cl[1].pairs[0].a), 5);
  EXPECT_EQ(idx.FindRef(ds, cl[1].pairs[0].b), 7);
  EXPECT_EQ(cl[1].pairs[0].measure, "jaccard");
  EXPECT_GE(cl[1].pairs[0].similarity, 0.8);
  EXPECT_LT(cl[1].pairs[0].similarity, 1.0);
}

}  // namespace
}  // namespace winnow::ui
