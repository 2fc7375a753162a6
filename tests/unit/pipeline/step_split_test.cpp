// split's own near-duplicate groups (no dedup.near upstream), the leakage re-check of its pairs
// against the final assignment, per-split distributions, and the "near_duplicates" param errors.
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "pipeline/pipeline_run.h"
#include "test_rows.h"

using namespace winnow;
using winnow::testing::Chat;
using winnow::testing::RandomWords;

namespace {

struct Out {
  MemoryOutputs files;
  nlohmann::json report;
  std::map<std::string, std::string> split_of_user;  // user text -> split
};

std::unique_ptr<Out> RunSplit(const std::string& steps_json, std::vector<Example> rows, uint64_t seed = 3) {
  auto c = ParsePipeline(R"({"version":1,"name":"t","seed":)" + std::to_string(seed) + R"(,"steps":)" + steps_json + "}");
  EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().message);
  auto out = std::make_unique<Out>();
  if (!c.ok()) return out;
  auto s = RunPipeline(c.value(), MakeVectorSource(std::move(rows), "in.jsonl"), &out->files);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
  if (!s.ok()) return out;
  EXPECT_TRUE(s.value().conserved);
  out->report = nlohmann::json::parse(out->files.Text("report.json"));
  for (const char* name : {"train", "validation", "test"}) {
    const ChunkedBytes* f = out->files.Get(std::string(name) + ".jsonl");
    if (!f) continue;
    f->ForEachLine([&](std::string_view l) {
      out->split_of_user[nlohmann::json::parse(l)["messages"][0]["content"].get<std::string>()] = name;
    });
  }
  return out;
}

std::string ConfigError(const std::string& params) {
  auto c = ParsePipeline(R"({"version":1,"name":"t","steps":[{"type":"split","params":)" + params + "}]}");
  if (!c.ok()) return c.error().message;
  auto steps = InstantiateSteps(c.value());
  return steps.ok() ? std::string() : steps.error().message;
}

// 60 triples of near duplicates (Jaccard 0.95 to 0.99 on word 5-grams): a base of 200 words, the
// base with its 100th word replaced, and the base with a word appended. Users of triple t are
// users[t]. (At Jaccard 0.9 the 12 x 10 bands miss a pair with probability ~0.6%: a triple whose
// changed member was missed would not be one group, and the re-check, which reads the same
// candidates, would not see it either.)
std::vector<Example> Triples(std::vector<std::vector<std::string>>* users) {
  std::vector<Example> rows;
  for (int t = 0; t < 60; ++t) {
    std::string base = RandomWords(1000 + t, 200);
    std::string changed = base;
    size_t at = 0;
    for (int k = 0; k < 100; ++k) at = changed.find(' ', at) + 1;
    changed.replace(at, changed.find(' ', at) - at, "replaced");
    std::vector<std::string> triple = {base, changed, base + " appended"};
    users->push_back(triple);
    for (const std::string& u : triple) rows.push_back(Chat(u, "ok", rows.size() + 1));
  }
  // Interleave the triples' members so a triple's rows are far apart in the input.
  std::vector<Example> spread;
  for (int k = 0; k < 3; ++k) {
    for (int t = 0; t < 60; ++t) spread.push_back(rows[static_cast<size_t>(t * 3 + k)]);
  }
  for (size_t i = 0; i < spread.size(); ++i) {
    spread[i].origin.line = i + 1;
    spread[i].origin.index = i;
  }
  return spread;
}

}  // namespace

TEST(SplitNearDuplicates, OwnGroupsKeepEveryTripleInOneSplit) {
  std::vector<std::vector<std::string>> users;
  auto o = RunSplit(R"([{"type":"split","params":{"ratios":{"train":0.6,"validation":0.2,"test":0.2}}}])", Triples(&users));
  const nlohmann::json& rep = o->report["steps"][0]["report"];
  EXPECT_EQ(rep["near_duplicate_groups"]["source"], "split");
  EXPECT_EQ(rep["near_duplicate_groups"]["groups"], 60);
  EXPECT_EQ(rep["near_duplicate_groups"]["rows"], 180);
  EXPECT_EQ(rep["units"], 60);
  ASSERT_EQ(o->split_of_user.size(), 180u);
  std::map<std::string, int> triples_in;
  for (const auto& triple : users) {
    const std::string& s = o->split_of_user[triple[0]];
    EXPECT_EQ(o->split_of_user[triple[1]], s) << triple[1];
    EXPECT_EQ(o->split_of_user[triple[2]], s) << triple[2];
    ++triples_in[s];
  }
  EXPECT_EQ(triples_in.size(), 3u);  // the triples did spread over the three splits
  const nlohmann::json& leak = rep["leakage"];
  EXPECT_EQ(leak["groups_from"], "split");
  EXPECT_EQ(leak["clusters_across_splits"], 0);
  EXPECT_EQ(leak["near_duplicates"]["checked"], true);
  EXPECT_GE(leak["near_duplicates"]["pairs"].get<int>(), 120);  // at least two confirmed pairs per triple
  EXPECT_EQ(leak["near_duplicates"]["clusters"], 60);
  EXPECT_EQ(leak["near_duplicates"]["pairs_across_splits"], 0);
  EXPECT_EQ(leak["near_duplicates"]["clusters_across_splits"], 0);
  EXPECT_TRUE(leak["near_duplicates"]["samples"].empty());
  // The card says where the groups came from and what the re-check found.
  ASSERT_NE(o->files.Get("README.md"), nullptr);
  const std::string card_text = o->files.Text("README.md");
  const std::string* card = &card_text;
  EXPECT_NE(card->find("near-duplicate clusters spanning two splits: 0"), std::string::npos);
  EXPECT_NE(card->find("found by the split itself"), std::string::npos) << *card;
}

TEST(SplitNearDuplicates, WithoutGroupingTheLeakageCheckSeesTheSpread) {
  std::vector<std::vector<std::string>> users;
  auto o = RunSplit(R"([{"type":"split","params":{"group_near_duplicates":false}}])", Triples(&users));
  const nlohmann::json& rep = o->report["steps"][0]["report"];
  EXPECT_EQ(rep["units"], 180);
  EXPECT_EQ(rep["near_duplicate_groups"]["kept_together"], false);
  const nlohmann::json& leak = rep["leakage"];
  EXPECT_GT(leak["clusters_across_splits"].get<int>(), 0);
  EXPECT_GT(leak["near_duplicates"]["pairs_across_splits"].get<int>(), 0);
  EXPECT_EQ(leak["near_duplicates"]["clusters_across_splits"], leak["clusters_across_splits"]);
  ASSERT_FALSE(leak["near_duplicates"]["samples"].empty());
  const nlohmann::json& sample = leak["near_duplicates"]["samples"][0];
  EXPECT_NE(sample["a_split"], sample["b_split"]);
  EXPECT_GE(sample["jaccard"].get<double>(), 0.8);
  // Counted by hand from the outputs: the triples that did straddle.
  int straddling = 0;
  for (const auto& triple : users) {
    const std::string& s = o->split_of_user[triple[0]];
    straddling += (o->split_of_user[triple[1]] != s || o->split_of_user[triple[2]] != s) ? 1 : 0;
  }
  EXPECT_EQ(leak["clusters_across_splits"].get<int>(), straddling);
  ASSERT_NE(o->files.Get("README.md"), nullptr);
  const std::string card_text = o->files.Text("README.md");
  const std::string* card = &card_text;
  EXPECT_NE(card->find("near-duplicate clusters spanning two splits: " + std::to_string(straddling)), std::string::npos)
      << *card;
}

TEST(SplitNearDuplicates, OffMeansNoGroupsAndSaysSo) {
  std::vector<std::vector<std::string>> users;
  auto o = RunSplit(R"([{"type":"split","params":{"near_duplicates":false}}])", Triples(&users));
  const nlohmann::json& rep = o->report["steps"][0]["report"];
  EXPECT_EQ(rep["units"], 180);
  EXPECT_EQ(rep["near_duplicate_groups"]["source"], "none");
  EXPECT_EQ(rep["leakage"]["near_duplicates"]["checked"], false);
  EXPECT_EQ(o->report["pipeline"]["steps"][0]["params"]["near_duplicates"], false);
}

TEST(SplitNearDuplicates, UpstreamClustersStillWinAndAreReChecked) {
  std::vector<std::vector<std::string>> users;
  auto o = RunSplit(R"([{"type":"dedup.near","params":{"action":"flag"}},{"type":"split"}])", Triples(&users));
  const nlohmann::json& rep = o->report["steps"][1]["report"];
  EXPECT_EQ(rep["near_duplicate_groups"]["source"], "dedup.near");
  EXPECT_EQ(rep["leakage"]["groups_from"], "dedup.near");
  EXPECT_EQ(rep["units"], 60);
  EXPECT_EQ(rep["leakage"]["clusters_across_splits"], 0);
  EXPECT_EQ(rep["leakage"]["near_duplicates"]["pairs_across_splits"], 0);
  EXPECT_EQ(rep["leakage"]["near_duplicates"]["clusters"], 60);
}

TEST(SplitNearDuplicates, ParamErrorsNameTheKey) {
  std::string e = ConfigError(R"({"near_duplicates":"yes"})");
  EXPECT_NE(e.find("\"near_duplicates\" must be an object"), std::string::npos) << e;
  e = ConfigError(R"({"near_duplicates":{"treshold":0.8}})");
  EXPECT_NE(e.find("treshold"), std::string::npos) << e;
  EXPECT_NE(e.find("threshold"), std::string::npos) << e;
  e = ConfigError(R"({"near_duplicates":{"threshold":2}})");
  EXPECT_NE(e.find("split \"near_duplicates\": \"threshold\" must be a number in [0.05, 1]"), std::string::npos) << e;
  e = ConfigError(R"({"near_duplicates":{"view":"reply"}})");
  EXPECT_NE(e.find("\"view\" must be one of: example"), std::string::npos) << e;
  EXPECT_EQ(ConfigError(R"({"near_duplicates":{"threshold":0.9,"view":"user","shingle":"char","ngram":4}})"), "");
  EXPECT_EQ(ConfigError(R"({"near_duplicates":true})"), "");
}

TEST(SplitDistributions, LengthsStrataAndTimePerSplit) {
  std::vector<Example> rows;
  for (int i = 0; i < 200; ++i) {
    std::string meta = R"({"category":")" + std::string(i % 4 == 0 ? "math" : "chat") + R"(","created":")" +
                       (i < 100 ? "2023-" : "2024-") + std::to_string(10 + i % 50) + R"("})";
    rows.push_back(Chat("q" + std::to_string(i) + std::string(static_cast<size_t>(i % 7), 'x'), "a", i + 1, meta));
  }
  auto st = RunSplit(R"([{"type":"split","params":{"method":"stratified","field":"category"}}])", rows);
  const nlohmann::json& d = st->report["steps"][0]["report"]["distributions"];
  EXPECT_EQ(d["train"]["rows"], 160);
  EXPECT_EQ(d["train"]["share"], 0.8);
  EXPECT_EQ(d["train"]["strata"]["math"], 0.25);
  EXPECT_EQ(d["test"]["strata"]["chat"], 0.75);
  for (const char* s : {"train", "validation", "test"}) {
    const nlohmann::json& c = d[s]["chars"];
    EXPECT_EQ(c["count"], d[s]["rows"]) << s;
    EXPECT_LE(c["min"].get<int>(), c["p10"].get<int>()) << s;
    EXPECT_LE(c["p25"].get<int>(), c["p50"].get<int>()) << s;
    EXPECT_LE(c["p75"].get<int>(), c["p90"].get<int>()) << s;
    EXPECT_LE(c["p99"].get<int>(), c["max"].get<int>()) << s;
    // The same median as the runner's per-split statistics.
    EXPECT_EQ(c["p50"], st->report["splits"][s]["chars"]["p50"]) << s;
  }
  auto tm = RunSplit(R"([{"type":"split","params":{"method":"time","field":"created"}}])", rows);
  const nlohmann::json& rep = tm->report["steps"][0]["report"];
  for (const char* s : {"train", "validation", "test"}) {
    EXPECT_EQ(rep["distributions"][s]["time"]["min"], rep["time_ranges"][s]["from"]) << s;
    EXPECT_EQ(rep["distributions"][s]["time"]["max"], rep["time_ranges"][s]["to"]) << s;
  }
  EXPECT_LT(rep["distributions"]["train"]["time"]["max"].get<std::string>(),
            rep["distributions"]["test"]["time"]["min"].get<std::string>());
}
