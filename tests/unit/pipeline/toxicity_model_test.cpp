// The shipped toxicity model through Winnow's own scorer (C++ featurizer + the platform's ONNX
// Runtime): scores equal the training script's on the held-out fixture rows (1e-6), the held-out
// metrics recorded in assets/models/toxicity/featurizer.json are reproduced, and filter.toxicity
// drops / flags / annotates in a pipeline. Needs the native ONNX Runtime (and ../shared/data for the
// held-out tests); skips with a message otherwise.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "../filters/toxicity_test_util.h"
#include "filters/toxicity_scorer.h"
#include "io/memory_io.h"
#include "pipeline/pipeline_config.h"
#include "pipeline/pipeline_run.h"
#include "pipeline/run_outputs.h"
#include "platform/model_runner.h"

namespace winnow {
namespace {

std::string ReadText(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string RuntimeSkip(ModelRunner** runner) {
  *runner = BlockingModelRunner();
  if (!*runner) {
    return std::string("no blocking model runtime in this build (") + WINNOW_BUILD_KIND +
           "): the toxicity model runs in the studio page; the browser e2e covers it";
  }
  if (Status av = (*runner)->Available(); !av.ok()) return "ONNX Runtime unavailable: " + av.error().message;
  return "";
}

// Scores `texts` synchronously with the shipped model: texts × 3, or empty with *err set.
std::vector<float> ScoreAll(ModelRunner* runner, std::vector<std::string> texts, std::string* err,
                            size_t batch_size = 256) {
  ToxicityScorer scorer;
  ToxicityScorerConfig cfg;
  cfg.batch_size = batch_size;
  Status st = scorer.Start(cfg, runner, nullptr);
  if (!st.ok()) {
    *err = st.error().message;
    return {};
  }
  std::vector<float> out;
  bool called = false;
  scorer.Submit(std::move(texts), [&](std::vector<float> s) {
    out = std::move(s);
    called = true;
  });
  if (!called) *err = "scorer did not finish synchronously";
  if (!scorer.error().empty()) *err = scorer.error();
  EXPECT_FALSE(scorer.Busy());
  return out;
}

struct HeldOut {
  std::vector<test::LabeledTweet> tweets;
  std::string skip;
};
HeldOut LoadTweets() {
  HeldOut h;
  const std::string csv = std::string(WINNOW_SHARED_DATA) + "/toxicity/labeled_data.csv";
  if (!test::ReadLabeledTweets(csv, &h.tweets)) {
    h.skip = "shared dataset not found at " + csv + " (../shared/data); skipping the held-out checks";
  }
  return h;
}

TEST(ToxicityModel, ScoresEqualTrainingScriptOnHeldOutRows) {
  ModelRunner* runner = nullptr;
  if (std::string why = RuntimeSkip(&runner); !why.empty()) GTEST_SKIP() << why;
  HeldOut h = LoadTweets();
  if (!h.skip.empty()) GTEST_SKIP() << h.skip;
  std::vector<test::HeldOutRef> refs;
  ASSERT_TRUE(test::ReadHeldOutRef(std::string(WINNOW_SOURCE_DIR) + "/tests/unit/filters/data/toxicity_heldout_ref.tsv",
                                   &refs));
  std::map<int64_t, const test::LabeledTweet*> by_id;
  for (const auto& t : h.tweets) by_id[t.id] = &t;
  std::vector<std::string> texts;
  for (const auto& r : refs) {
    ASSERT_TRUE(by_id.count(r.id)) << r.id;
    texts.push_back(by_id[r.id]->text);
  }
  std::string err;
  // An odd batch size: rows padded to different widths must not change any score.
  std::vector<float> s = ScoreAll(runner, texts, &err, 37);
  ASSERT_EQ(s.size(), refs.size() * 3) << err;
  double worst = 0;
  for (size_t i = 0; i < refs.size(); ++i) {
    for (int c = 0; c < 3; ++c) {
      const double d = std::fabs(double(s[i * 3 + c]) - refs[i].scores[c]);
      worst = std::max(worst, d);
      EXPECT_LE(d, 1e-6) << "row " << refs[i].id << " class " << c;
    }
  }
  std::printf("[ toxicity ] %zu held-out rows: largest |C++/ORT - Python| score difference %.3g\n", refs.size(), worst);
}

TEST(ToxicityModel, HeldOutMetricsReproducedByWinnowsScorer) {
  ModelRunner* runner = nullptr;
  if (std::string why = RuntimeSkip(&runner); !why.empty()) GTEST_SKIP() << why;
  HeldOut h = LoadTweets();
  if (!h.skip.empty()) GTEST_SKIP() << h.skip;
  auto card = nlohmann::json::parse(ReadText(std::string(WINNOW_SOURCE_DIR) + "/assets/models/toxicity/featurizer.json"),
                                    nullptr, false);
  ASSERT_FALSE(card.is_discarded());
  const auto& split = card["training"]["split"];
  const auto held = test::HeldOutSplit(h.tweets, split["seed"].get<uint64_t>(), split["heldout_percent"].get<int>(), 3);
  ASSERT_EQ(held.size(), card["training"]["heldout_rows"].get<size_t>());
  std::vector<std::string> texts;
  std::vector<int> gold;
  for (size_t i : held) {
    texts.push_back(h.tweets[i].text);
    gold.push_back(h.tweets[i].label);
  }
  std::string err;
  std::vector<float> s = ScoreAll(runner, texts, &err);
  ASSERT_EQ(s.size(), texts.size() * 3) << err;
  std::vector<int> pred(texts.size());
  size_t correct = 0;
  for (size_t i = 0; i < texts.size(); ++i) {
    int best = 0;
    for (int c = 1; c < 3; ++c) {
      if (s[i * 3 + c] > s[i * 3 + best]) best = c;
    }
    pred[i] = best;
    correct += best == gold[i];
  }
  const std::vector<std::string> labels = card["labels"].get<std::vector<std::string>>();
  for (int c = 0; c < 3; ++c) {
    std::vector<double> sc(texts.size());
    std::vector<bool> pos(texts.size());
    for (size_t i = 0; i < texts.size(); ++i) {
      sc[i] = s[i * 3 + c];
      pos[i] = gold[i] == c;
    }
    const double auc = test::RocAuc(sc, pos);
    const test::ClassF1 f1 = test::F1For(pred, gold, c);
    const auto& want = card["heldout"]["per_class"][labels[c]];
    std::printf("[ toxicity ] %-9s ROC-AUC %.6f (card %.6f)  F1 %.6f (card %.6f)\n", labels[c].c_str(), auc,
                want["roc_auc"].get<double>(), f1.f1, want["f1"].get<double>());
    EXPECT_NEAR(auc, want["roc_auc"].get<double>(), 1e-4) << labels[c];
    EXPECT_NEAR(f1.f1, want["f1"].get<double>(), 1e-4) << labels[c];
    EXPECT_NEAR(f1.precision, want["precision"].get<double>(), 1e-4) << labels[c];
    EXPECT_NEAR(f1.recall, want["recall"].get<double>(), 1e-4) << labels[c];
  }
  EXPECT_NEAR(double(correct) / double(texts.size()), card["heldout"]["accuracy"].get<double>(), 1e-4);
}

// --- filter.toxicity in a pipeline ----------------------------------------------------------------

Example Chat(const std::string& user, const std::string& assistant, uint64_t line) {
  Example ex;
  ex.messages.push_back(Message{Role::User, user});
  ex.messages.push_back(Message{Role::Assistant, assistant});
  ex.source_format = Format::Messages;
  ex.origin.line = line;
  ex.origin.index = line - 1;
  return ex;
}

Result<RunSummary> RunToxicity(ModelRunner* runner, const std::vector<Example>& rows, nlohmann::json params,
                               MemoryOutputs* out) {
  nlohmann::json step = {{"id", "tox"}, {"type", "filter.toxicity"}, {"params", std::move(params)}};
  auto c = ParsePipeline(nlohmann::json{{"version", 1}, {"name", "t"}, {"seed", 1}, {"steps", {step}}}.dump());
  if (!c.ok()) return c.error();
  RunOptions opts;
  opts.models = runner;
  opts.batch_rows = 2;  // several batches: the step's per-batch jobs must keep rows in order
  return RunPipeline(c.value(), MakeVectorSource(rows), out, opts);
}

TEST(ToxicityModel, FilterStepDropsAndAnnotates) {
  ModelRunner* runner = nullptr;
  if (std::string why = RuntimeSkip(&runner); !why.empty()) GTEST_SKIP() << why;
  std::vector<std::string> replies = {
      "Here is a recipe for lemon cake: mix flour, sugar, eggs and butter, then bake for forty minutes.",
      "shut up you stupid bitch, nobody cares what you think",
      "The train to Scunthorpe leaves at nine; the classic route passes Essex.",
      "To reverse a list in Python, call reversed() or use slicing with a step of -1.",
  };
  std::vector<Example> rows;
  for (size_t i = 0; i < replies.size(); ++i) rows.push_back(Chat("Please answer.", replies[i], i + 1));
  // What the scorer says for each reply alone decides which rows the step must drop.
  std::string err;
  std::vector<float> s = ScoreAll(runner, replies, &err);
  ASSERT_EQ(s.size(), replies.size() * 3) << err;
  EXPECT_GT(s[1 * 3 + 1], 0.5) << "the insult should score offensive";
  EXPECT_LT(s[0 * 3 + 1] + s[0 * 3 + 0], 0.5) << "the recipe should score neither";

  MemoryOutputs out;
  auto r = RunToxicity(runner, rows, {{"field", "assistant"}, {"thresholds", {{"hate", 0.5}, {"offensive", 0.5}}}}, &out);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& counts = r.value().steps[0];
  size_t expect_drops = 0;
  for (size_t i = 0; i < replies.size(); ++i) expect_drops += (s[i * 3] >= 0.5 || s[i * 3 + 1] >= 0.5);
  EXPECT_EQ(counts.dropped, expect_drops);
  EXPECT_GE(counts.dropped, 1u);
  EXPECT_TRUE(r.value().conserved);
  const auto& rep = r.value().report["steps"][0]["report"];
  EXPECT_EQ(rep["rows_scored"], replies.size());
  EXPECT_EQ(rep["bad_words"]["rows_with_hits"], 1) << rep.dump();  // "bitch"; not Scunthorpe / classic / Essex
  ASSERT_FALSE(rep["samples"].empty());
  const std::string excerpt = rep["samples"][0]["excerpt"].get<std::string>();
  EXPECT_NE(excerpt.find("b****"), std::string::npos) << excerpt;
  EXPECT_EQ(excerpt.find("bitch"), std::string::npos) << excerpt;
  // The rejected rows name the step's reason; the kept file holds the rest.
  ASSERT_NE(out.Get("rejected.jsonl"), nullptr);
  ASSERT_NE(out.Get("kept.jsonl"), nullptr);
  const std::string& rejected = out.Text("rejected.jsonl");
  EXPECT_NE(rejected.find("toxic_offensive"), std::string::npos) << rejected;
  size_t kept_lines = 0;
  for (char ch : out.Text("kept.jsonl")) kept_lines += ch == '\n';
  EXPECT_EQ(kept_lines, replies.size() - expect_drops);

  // Flag instead of drop, bad words over a limit as a second verdict source, model scores annotated.
  MemoryOutputs out2;
  auto r2 = RunToxicity(runner, rows, {{"field", "each_turn"}, {"action", "flag"}, {"thresholds", {{"hate", nullptr}, {"offensive", nullptr}}},
                                       {"bad_words", {{"languages", {"en"}}, {"max_hits", 0}}}}, &out2);
  ASSERT_TRUE(r2.ok()) << r2.error().message;
  EXPECT_EQ(r2.value().steps[0].dropped, 0u);
  EXPECT_EQ(r2.value().steps[0].flagged, 1u);
  EXPECT_EQ(r2.value().steps[0].flag_reasons.at("bad_words"), 1u);
}

TEST(ToxicityModel, UserModelPathAndBadModelErrors) {
  ModelRunner* runner = nullptr;
  if (std::string why = RuntimeSkip(&runner); !why.empty()) GTEST_SKIP() << why;
  const std::string dir = std::string(WINNOW_SOURCE_DIR) + "/assets/models/toxicity";
  ToxicityScorer ok;
  ToxicityScorerConfig cfg;
  cfg.model = dir + "/model.onnx";
  cfg.featurizer = dir + "/featurizer.json";
  auto read = [](const std::string& p) -> Result<std::string> {
    std::ifstream f(p, std::ios::binary);
    if (!f) return Error{"io_error", "no such file: " + p};
    return ReadText(p);
  };
  ASSERT_TRUE(ok.Start(cfg, runner, read).ok()) << ok.error();
  std::vector<float> got;
  ok.Submit({"hello there", ""}, [&](std::vector<float> s) { got = std::move(s); });
  ASSERT_EQ(got.size(), 6u) << ok.error();
  EXPECT_NEAR(got[0] + got[1] + got[2], 1.0, 1e-5);
  EXPECT_EQ(ok.labels(), (std::vector<std::string>{"hate", "offensive", "neither"}));

  ToxicityScorer missing;
  cfg.model = dir + "/no_such_model.onnx";
  Status st = missing.Start(cfg, runner, read);
  EXPECT_FALSE(st.ok() && missing.error().empty());
  EXPECT_NE((st.ok() ? missing.error() : st.error().message).find("no_such_model.onnx"), std::string::npos);

  ToxicityScorer bad;
  cfg.model = dir + "/featurizer.json";  // not an ONNX model
  Status st2 = bad.Start(cfg, runner, read);
  EXPECT_FALSE(st2.ok() && bad.error().empty());
}

}  // namespace
}  // namespace winnow
