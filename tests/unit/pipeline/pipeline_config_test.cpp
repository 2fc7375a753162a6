#include <gtest/gtest.h>

#include "pipeline/pipeline_config.h"

using namespace winnow;

namespace {
std::string ErrorOf(std::string_view text) {
  auto r = ParsePipeline(text);
  if (r.ok()) {
    auto steps = InstantiateSteps(r.value());
    if (steps.ok()) return "";
    return steps.error().message;
  }
  EXPECT_EQ(r.error().code, "bad_config");
  return r.error().message;
}
}  // namespace

TEST(PipelineConfig, ParsesAndFillsIds) {
  auto r = ParsePipeline(R"({"version":1,"name":"t","seed":7,"steps":[
      {"type":"dedup.exact"},{"type":"dedup.exact","params":{"view":"user"}},{"type":"split","id":"s"}]})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const PipelineConfig& c = r.value();
  EXPECT_EQ(c.seed, 7u);
  ASSERT_EQ(c.steps.size(), 3u);
  EXPECT_EQ(c.steps[0].id, "dedup.exact");
  EXPECT_EQ(c.steps[1].id, "dedup.exact#2");
  EXPECT_EQ(c.steps[2].id, "s");
  auto steps = InstantiateSteps(c);
  ASSERT_TRUE(steps.ok()) << steps.error().message;
  nlohmann::json doc = PipelineToJson(c, &steps.value());
  EXPECT_EQ(doc["steps"][1]["params"]["view"], "user");
  EXPECT_EQ(doc["steps"][0]["params"]["view"], "example");  // default filled in
  // The document form parses back to the same pipeline.
  auto again = PipelineFromJson(doc);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again.value().steps[1].id, "dedup.exact#2");
}

TEST(PipelineConfig, ErrorsNameTheKeyAndAllowedValues) {
  EXPECT_NE(ErrorOf("{not json").find("not valid JSON"), std::string::npos);
  std::string e = ErrorOf(R"({"version":1,"name":"t","steps":[],"sed":1})");
  EXPECT_NE(e.find("\"sed\""), std::string::npos) << e;
  EXPECT_NE(e.find("seed"), std::string::npos) << e;
  e = ErrorOf(R"({"version":2,"name":"t","steps":[]})");
  EXPECT_NE(e.find("\"version\" must be 1"), std::string::npos) << e;
  e = ErrorOf(R"({"version":1,"steps":[]})");
  EXPECT_NE(e.find("\"name\""), std::string::npos) << e;
  e = ErrorOf(R"({"version":1,"name":"t","steps":[{"type":"dedup.fuzzy"}]})");
  EXPECT_NE(e.find("dedup.fuzzy"), std::string::npos) << e;
  EXPECT_NE(e.find("dedup.near"), std::string::npos) << e;  // the registered types are listed
  e = ErrorOf(R"({"version":1,"name":"t","steps":[{"type":"split","params":{"ratio":1}}]})");
  EXPECT_NE(e.find("steps[0] (split)"), std::string::npos) << e;
  EXPECT_NE(e.find("\"ratio\""), std::string::npos) << e;
  EXPECT_NE(e.find("ratios"), std::string::npos) << e;
  e = ErrorOf(R"({"version":1,"name":"t","steps":[{"type":"dedup.near","params":{"keep":"best"}}]})");
  EXPECT_NE(e.find("first, longest, highest_score, none"), std::string::npos) << e;
  e = ErrorOf(R"({"version":1,"name":"t","steps":[{"type":"dedup.near","params":{"threshold":1.5}}]})");
  EXPECT_NE(e.find("\"threshold\""), std::string::npos) << e;
  EXPECT_NE(e.find("[0.05, 1]"), std::string::npos) << e;
  e = ErrorOf(R"({"version":1,"name":"t","steps":[{"type":"split","params":{"ratios":{"train":0.5,"test":0.2}}}]})");
  EXPECT_NE(e.find("add up to 1"), std::string::npos) << e;
  e = ErrorOf(R"({"version":1,"name":"t","steps":[{"type":"split","params":{"method":"stratified"}}]})");
  EXPECT_NE(e.find("\"field\""), std::string::npos) << e;
  e = ErrorOf(R"({"version":1,"name":"t","steps":[{"type":"split","id":"a"},{"type":"validate","id":"a"}]})");
  EXPECT_NE(e.find("duplicate step id"), std::string::npos) << e;
  e = ErrorOf(R"({"version":1,"name":"t","steps":[{"type":"decontaminate"}]})");
  EXPECT_NE(e.find("\"references\""), std::string::npos) << e;
  e = ErrorOf(R"({"version":1,"name":"t","steps":[{"type":"validate","params":{"checks":["empty","typo"]}}]})");
  EXPECT_NE(e.find("\"typo\""), std::string::npos) << e;
  EXPECT_EQ(ErrorOf(R"({"version":1,"name":"t","steps":[{"type":"validate"}]})"), "");
  e = ErrorOf(R"({"version":1,"name":"t","annotations":"some","steps":[]})");
  EXPECT_NE(e.find("\"annotations\" must be one of \"flagged\", \"all\", \"none\", got \"some\""), std::string::npos) << e;
  e = ErrorOf(R"({"version":1,"name":"t","annotations":true,"steps":[]})");
  EXPECT_NE(e.find("got true"), std::string::npos) << e;
}

// "annotations" reads back as written; the default is left out of the document, so pipelines
// saved before the key existed give the same report.json.
TEST(PipelineConfig, AnnotationsRoundTripAndTheDefaultIsNotWritten) {
  auto d = ParsePipeline(R"({"version":1,"name":"t","steps":[]})");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.value().annotations, AnnotationsOutput::Flagged);
  EXPECT_FALSE(PipelineToJson(d.value()).contains("annotations"));
  for (const char* v : {"all", "none", "flagged"}) {
    auto p = ParsePipeline(std::string(R"({"version":1,"name":"t","annotations":")") + v + R"(","steps":[]})");
    ASSERT_TRUE(p.ok()) << v;
    EXPECT_EQ(AnnotationsOutputName(p.value().annotations), v);
    nlohmann::json doc = PipelineToJson(p.value());
    EXPECT_EQ(doc.contains("annotations"), std::string(v) != "flagged") << doc.dump();
    auto again = PipelineFromJson(doc);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again.value().annotations, p.value().annotations);
  }
}

// "row_bytes": "canonical" (default, not written) or "source"; anything else names the allowed values.
TEST(PipelineConfig, RowBytesRoundTripAndErrors) {
  auto d = ParsePipeline(R"({"version":1,"name":"t","steps":[]})");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.value().row_bytes, RowBytes::Canonical);
  EXPECT_FALSE(PipelineToJson(d.value()).contains("row_bytes"));
  auto s = ParsePipeline(R"({"version":1,"name":"t","row_bytes":"source","steps":[]})");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.value().row_bytes, RowBytes::Source);
  nlohmann::json doc = PipelineToJson(s.value());
  EXPECT_EQ(doc["row_bytes"], "source");
  ASSERT_TRUE(PipelineFromJson(doc).ok());
  EXPECT_EQ(PipelineFromJson(doc).value().row_bytes, RowBytes::Source);
  auto bad = ParsePipeline(R"({"version":1,"name":"t","row_bytes":"raw","steps":[]})");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("\"row_bytes\" must be one of \"canonical\", \"source\", got \"raw\""),
            std::string::npos)
      << bad.error().message;
}

TEST(PipelineConfig, PresetsParseAndConfigure) {
  for (const char* name : {"sft-default", "privacy-strict"}) {
    std::string path = std::string(WINNOW_SOURCE_DIR) + "/assets/presets/" + name + ".json";
    FILE* f = std::fopen(path.c_str(), "rb");
    ASSERT_NE(f, nullptr) << path;
    std::string text;
    char buf[4096];
    size_t k;
    while ((k = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, k);
    std::fclose(f);
    auto c = ParsePipeline(text);
    ASSERT_TRUE(c.ok()) << name << ": " << c.error().message;
    EXPECT_EQ(c.value().name, name);
    auto steps = InstantiateSteps(c.value());
    EXPECT_TRUE(steps.ok()) << name << ": " << steps.error().message;
  }
}
