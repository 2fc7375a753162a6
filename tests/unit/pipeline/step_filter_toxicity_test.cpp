// filter.toxicity without a model runtime (runs natively and in wasm): configuration errors, the
// clear failure when the model is asked for but no ONNX Runtime is there, and the bad-word-lists-only
// mode ("model": "none") in a pipeline. The model path itself: toxicity_model_test.cpp.
#include <gtest/gtest.h>

#include "filters/bad_words.h"
#include "pipeline/pipeline_config.h"
#include "pipeline/pipeline_run.h"
#include "pipeline/run_outputs.h"
#include "pipeline/step.h"

namespace winnow {
namespace {

std::unique_ptr<Step> Make() {
  const StepInfo* info = FindStep("filter.toxicity");
  return info ? info->make() : nullptr;
}

Example Text(const std::string& t, uint64_t line) {
  Example ex;
  ex.has_text = true;
  ex.text = t;
  ex.source_format = Format::Text;
  ex.origin.line = line;
  ex.origin.index = line - 1;
  return ex;
}

TEST(FilterToxicityStep, ConfigErrorsNameTheKey) {
  auto s = Make();
  ASSERT_NE(s, nullptr) << "filter.toxicity is not registered";
  EXPECT_EQ(s->Configure({{"colour", 1}}).error().code, "bad_config");
  EXPECT_NE(s->Configure({{"field", "everything"}}).error().message.find("field"), std::string::npos);
  EXPECT_NE(s->Configure({{"thresholds", {{"hate", 2.0}}}}).error().message.find("hate"), std::string::npos);
  EXPECT_NE(s->Configure({{"roles", {"narrator"}}}).error().message.find("narrator"), std::string::npos);
  EXPECT_FALSE(s->Configure({{"model", "none"}, {"bad_words", false}}).ok());
  EXPECT_FALSE(s->Configure({{"action", "delete"}}).ok());
  auto fresh = Make();
  ASSERT_TRUE(fresh->Configure(nlohmann::json::object()).ok());
  auto p = fresh->Params();
  EXPECT_EQ(p["model"], "asset:toxicity/model.onnx");
  EXPECT_EQ(p["field"], "each_turn");
  EXPECT_EQ(p["thresholds"]["hate"], 0.5);
  EXPECT_EQ(p["action"], "drop");
}

TEST(FilterToxicityStep, ModelWithoutRuntimeFailsInPrepareWithAMessage) {
  auto s = Make();
  ASSERT_TRUE(s->Configure(nlohmann::json::object()).ok());
  StepContext ctx;  // no ModelRunner: the wasm CLI, or a front end without ONNX Runtime
  Status st = s->Prepare(ctx);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "model_runtime_missing");
  EXPECT_NE(st.error().message.find("\"model\": \"none\""), std::string::npos) << st.error().message;
}

TEST(FilterToxicityStep, BadWordListsOnlyInAPipeline) {
  if (NaughtyWordsLists().empty()) {
    GTEST_SKIP() << "no naughty-words lists embedded in this build (node_modules/naughty-words missing at configure)";
  }
  std::vector<Example> rows = {
      Text("A quiet afternoon in Scunthorpe; a classic match in Essex.", 1),
      Text("what a bastard", 2),
      Text("du bist ein Arschloch und ein Bastard", 3),
      Text("", 4),
  };
  nlohmann::json step = {{"id", "tox"}, {"type", "filter.toxicity"},
                         {"params", {{"model", "none"}, {"bad_words", {{"languages", {"en", "de"}}, {"max_hits", 1}}}}}};
  auto c = ParsePipeline(nlohmann::json{{"version", 1}, {"name", "t"}, {"seed", 1}, {"steps", {step}}}.dump());
  ASSERT_TRUE(c.ok()) << c.error().message;
  MemoryOutputs out;
  auto r = RunPipeline(c.value(), MakeVectorSource(rows), &out, RunOptions{});
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& counts = r.value().steps[0];
  EXPECT_EQ(counts.dropped, 1u);  // row 3: two hits > max_hits 1
  EXPECT_EQ(counts.reasons.at("bad_words"), 1u);
  EXPECT_TRUE(r.value().conserved);
  const auto& rep = r.value().report["steps"][0]["report"];
  EXPECT_EQ(rep["bad_words"]["rows_with_hits"], 2);
  EXPECT_EQ(rep["bad_words"]["hits"], 3);
  EXPECT_FALSE(rep.contains("rows_scored"));
  ASSERT_EQ(rep["samples"].size(), 1u);
  const std::string ex = rep["samples"][0]["excerpt"];
  EXPECT_EQ(ex, "du bist ein A******** und ein B******");
  ASSERT_NE(out.Get("rejected.jsonl"), nullptr);
  EXPECT_NE(out.Text("rejected.jsonl").find("\"bad_words\""), std::string::npos);
}

}  // namespace
}  // namespace winnow
