// The sft-default preset over every dataset in ../shared/data (skipped with a message when the
// folder is absent): each run finishes, conserves rows, keeps something and writes a card.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "core/utf8.h"
#include "io/stdio_file.h"
#include "pipeline/pipeline_run.h"

using namespace winnow;

namespace {

bool ReadAll(const std::string& path, std::string* out) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return false;
  char buf[1 << 16];
  size_t k;
  while ((k = std::fread(buf, 1, sizeof buf, f)) > 0) out->append(buf, k);
  std::fclose(f);
  return true;
}

struct DataCase {
  const char* path;
  std::vector<std::pair<std::string, std::string>> fields;  // for sources without a known format
  Format format = Format::Unknown;
};

}  // namespace

TEST(SharedData, SftDefaultOnEveryDataset) {
  const std::string root = WINNOW_SHARED_DATA;
  if (!std::filesystem::exists(root + "/README.md")) {
    GTEST_SKIP() << "shared datasets not found at " << root << " (../shared/data); skipping the sft-default runs";
  }
  std::string text;
  ASSERT_TRUE(ReadAll(std::string(WINNOW_SOURCE_DIR) + "/assets/presets/sft-default.json", &text));
  auto config = ParsePipeline(text);
  ASSERT_TRUE(config.ok()) << config.error().message;
  const std::vector<DataCase> cases = {
      {"llamafactory/alpaca_en_demo.json", {}},
      {"llamafactory/alpaca_zh_demo.json", {}},
      {"llamafactory/identity.json", {}},
      {"llamafactory/dpo_en_demo.json", {}},
      {"llamafactory/glaive_toolcall_en_demo.json", {}},
      {"llamafactory/kto_en_demo.json", {}},
      {"llamafactory/v1_sft_demo.jsonl", {}},
      {"llamafactory/c4_demo.jsonl", {}},
      {"fastchat/dummy_conversation.json", {}},
      // fastchat/mt_bench_question.jsonl holds benchmark questions (a list of turns, no replies):
      // it is a decontamination reference, used below, not training data.
      {"oasst/en_100_tree.jsonl", {}},
      {"gsm8k/train.jsonl", {{"instruction", "question"}, {"output", "answer"}}},
      {"gsm8k/test.jsonl", {{"instruction", "question"}, {"output", "answer"}}},
      {"toxicity/labeled_data.csv", {{"text", "tweet"}}, Format::Text},
  };
  for (const DataCase& c : cases) {
    SCOPED_TRACE(c.path);
    std::string path = root + "/" + c.path;
    if (!std::filesystem::exists(path)) {
      ADD_FAILURE() << "missing " << path;
      continue;
    }
    ReadOptions ro;
    ro.fields = c.fields;
    ro.format = c.format;
    MemoryOutputs out;
    RunOptions opts;
    auto s = RunPipeline(config.value(), MakeFileListSource({path}, [](const std::string& p) { return OpenStdioSource(p); }, ro),
                         &out, opts);
    ASSERT_TRUE(s.ok()) << s.error().message;
    EXPECT_TRUE(s.value().conserved);
    EXPECT_GT(s.value().kept, 0u);
    EXPECT_EQ(s.value().kept + s.value().rejected, s.value().rows_read);
    // Every output holds valid UTF-8 (the sources do): an edit that cut a row's bytes in the wrong
    // place, as a stale alpaca split once did, shows here first.
    for (const char* name : {"kept.jsonl", "rejected.jsonl", "train.jsonl", "validation.jsonl", "test.jsonl"}) {
      if (!out.Get(name)) continue;
      const std::string text = out.Text(name);
      const std::string* bytes = &text;
      size_t bad = FirstInvalidUtf8(*bytes);
      EXPECT_EQ(bad, bytes->size()) << name << " has invalid UTF-8 at byte " << bad << ": "
                                    << bytes->substr(bad > 60 ? bad - 60 : 0, 120);
    }
    const std::string& card = out.Text("README.md");
    EXPECT_EQ(card.rfind("---\nconfigs:\n", 0), 0u);
    EXPECT_NE(card.find("path: train.jsonl"), std::string::npos);
    EXPECT_NE(card.find("## How it was cleaned"), std::string::npos);
    EXPECT_NE(card.find("language:\n- "), std::string::npos) << "no language identified";
    // The metadata header lists the dataset's languages as bare ISO codes: never "un"
    // (undetermined) or a script variant such as "zh-Hant" (stray detections stay in the body).
    size_t at = card.find("language:\n");
    for (size_t p = at + 10; at != std::string::npos && card.compare(p, 2, "- ") == 0;) {
      size_t eol = card.find('\n', p);
      std::string code = card.substr(p + 2, eol - p - 2);
      EXPECT_NE(code, "un");
      EXPECT_EQ(code.find('-'), std::string::npos) << code;
      p = eol + 1;
    }
  }
}

TEST(SharedData, DecontaminateGsm8kTrainAgainstBenchmarks) {
  const std::string root = WINNOW_SHARED_DATA;
  if (!std::filesystem::exists(root + "/gsm8k/train.jsonl")) {
    GTEST_SKIP() << "shared datasets not found at " << root << " (../shared/data); skipping decontamination";
  }
  auto config = ParsePipeline(R"({"version":1,"name":"decon","steps":[{"type":"decontaminate","params":{
      "references":["gsm8k/test.jsonl","fastchat/mt_bench_question.jsonl"],"view":"user"}}]})");
  ASSERT_TRUE(config.ok()) << config.error().message;
  ReadOptions ro;
  ro.fields = {{"instruction", "question"}, {"output", "answer"}};
  RunOptions opts;
  opts.read_file = [&](const std::string& p) -> Result<std::string> {
    std::string data;
    if (!ReadAll(root + "/" + p, &data)) return Error{"io_error", "cannot read " + p};
    return data;
  };
  // The test split checked against itself: every question is found, with its own line.
  MemoryOutputs self;
  auto s = RunPipeline(config.value(),
                       MakeFileListSource({root + "/gsm8k/test.jsonl"}, [](const std::string& p) { return OpenStdioSource(p); }, ro),
                       &self, opts);
  ASSERT_TRUE(s.ok()) << s.error().message;
  nlohmann::json rep = nlohmann::json::parse(self.Text("report.json"));
  EXPECT_EQ(rep["steps"][0]["report"]["references"]["test.jsonl"], 1319);
  EXPECT_EQ(rep["steps"][0]["report"]["references"]["mt_bench_question.jsonl"], 80);
  // Questions of 13 words or more are found by 13-gram overlap; shorter ones whole. A few exact
  // duplicates inside the test split point at an earlier line, so compare counts only.
  EXPECT_GE(s.value().rejected, 1300u);
  // The train split: overlap with the test split is rare (the benchmark was built to avoid it).
  MemoryOutputs train;
  s = RunPipeline(config.value(),
                  MakeFileListSource({root + "/gsm8k/train.jsonl"}, [](const std::string& p) { return OpenStdioSource(p); }, ro),
                  &train, opts);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_TRUE(s.value().conserved);
  EXPECT_LT(s.value().rejected, 200u);
  std::printf("gsm8k train vs test + MT-Bench: %llu of %llu rows share a 13-gram\n",
              static_cast<unsigned long long>(s.value().rejected), static_cast<unsigned long long>(s.value().rows_read));
}
