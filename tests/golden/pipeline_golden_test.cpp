// Golden tests of whole pipeline runs: every folder tests/golden/pipeline/<case>/ holds input files
// (input*.jsonl / .json / .csv), pipeline.json, optional reference files, and expected/ with every
// output of the run (kept.jsonl, rejected.jsonl, report.json, README.md, split files). The same
// committed expected files are compared natively and in wasm, so a pass in both means byte-identical
// outputs. WINNOW_REGENERATE=1 rewrites expected/ (review the diff before committing).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "io/stdio_file.h"
#include "pipeline/pipeline_run.h"

using namespace winnow;
namespace fs = std::filesystem;

namespace {

const std::string kRoot = std::string(WINNOW_SOURCE_DIR) + "/tests/golden/pipeline";

bool ReadAll(const std::string& path, std::string* out) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return false;
  out->clear();
  char buf[1 << 16];
  size_t k;
  while ((k = std::fread(buf, 1, sizeof buf, f)) > 0) out->append(buf, k);
  std::fclose(f);
  return true;
}

bool WriteAll(const std::string& path, const std::string& data) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return false;
  bool ok = std::fwrite(data.data(), 1, data.size(), f) == data.size();
  return std::fclose(f) == 0 && ok;
}

std::vector<std::string> Cases() {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(kRoot, ec)) {
    if (e.is_directory() && fs::exists(e.path() / "pipeline.json")) out.push_back(e.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

class PipelineGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(PipelineGolden, MatchesExpected) {
  const std::string dir = kRoot + "/" + GetParam();
  std::string text;
  ASSERT_TRUE(ReadAll(dir + "/pipeline.json", &text));
  auto config = ParsePipeline(text);
  ASSERT_TRUE(config.ok()) << config.error().message;
  std::vector<std::string> inputs;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::string name = e.path().filename().string();
    if (e.is_regular_file() && name.rfind("input", 0) == 0) inputs.push_back(dir + "/" + name);
  }
  std::sort(inputs.begin(), inputs.end());
  ASSERT_FALSE(inputs.empty()) << "no input* file in " << dir;
  RunOptions opts;
  opts.batch_rows = 4;  // small batches: several per case, so batch boundaries are exercised
  opts.read_file = [&](const std::string& path) -> Result<std::string> {
    std::string data;
    if (!ReadAll(dir + "/" + path, &data)) return Error{"io_error", "cannot read " + path};
    return data;
  };
  MemoryOutputs out;
  auto source = MakeFileListSource(inputs, [](const std::string& p) { return OpenStdioSource(p); });
  auto summary = RunPipeline(config.value(), std::move(source), &out, opts);
  ASSERT_TRUE(summary.ok()) << summary.error().message;
  EXPECT_TRUE(summary.value().conserved);

  const std::string expected_dir = dir + "/expected";
  const char* regen = std::getenv("WINNOW_REGENERATE");
  if (regen && std::string(regen) == "1") {
    fs::create_directories(expected_dir);
    for (const auto& e : fs::directory_iterator(expected_dir)) fs::remove(e.path());
    for (const std::string& name : out.Names()) ASSERT_TRUE(WriteAll(expected_dir + "/" + name, out.Text(name)));
    GTEST_SKIP() << "regenerated " << expected_dir << " (review it before committing)";
  }
  std::vector<std::string> expected;
  for (const auto& e : fs::directory_iterator(expected_dir)) expected.push_back(e.path().filename().string());
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(expected, out.Names()) << "the run's outputs differ from the files in " << expected_dir;
  for (const std::string& name : out.Names()) {
    std::string want;
    if (!ReadAll(expected_dir + "/" + name, &want)) continue;
    const std::string& got = out.Text(name);
    if (got == want) continue;
    size_t at = 0;
    while (at < got.size() && at < want.size() && got[at] == want[at]) ++at;
    size_t from = at > 80 ? at - 80 : 0;
    ADD_FAILURE() << GetParam() << "/" << name << " (" << WINNOW_BUILD_KIND << ") differs at byte " << at
                  << "\n  expected: ..." << want.substr(from, 160) << "\n  got:      ..." << got.substr(from, 160);
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, PipelineGolden, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param; });

TEST(PipelineGoldenSuite, HasCases) { EXPECT_GE(Cases().size(), 5u) << "no cases found under " << kRoot; }

}  // namespace
