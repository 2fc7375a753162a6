// Golden tests of the pii.scrub step through the pipeline runner:
//   tests/golden/pii/<case>/input.{jsonl,json} + params.json
//   -> expected/kept.jsonl, expected/rejected.jsonl, expected/report.json (the step's report)
// The same files are checked by the native and the wasm build, so both must produce them byte for
// byte. WINNOW_REGENERATE=1 rewrites the expected files (review the diff before committing).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "io/memory_io.h"
#include "pipeline/example_source.h"
#include "pipeline/pipeline_config.h"
#include "pipeline/pipeline_run.h"
#include "pipeline/run_outputs.h"

using namespace winnow;
namespace fs = std::filesystem;

namespace {

std::string Slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void Spit(const fs::path& p, const std::string& s) {
  fs::create_directories(p.parent_path());
  std::ofstream f(p, std::ios::binary);
  f << s;
}

struct Outcome {
  std::string kept, rejected, report, error;
};

Outcome RunCase(const fs::path& dir, const char* params_override = nullptr) {
  Outcome o;
  fs::path input = fs::exists(dir / "input.jsonl") ? dir / "input.jsonl" : dir / "input.json";
  auto params = nlohmann::json::parse(params_override ? std::string(params_override) : Slurp(dir / "params.json"),
                                      nullptr, false);
  if (params.is_discarded()) {
    o.error = "params.json is not JSON";
    return o;
  }
  FileOpener open = [](const std::string& path) -> Result<std::unique_ptr<FileSource>> {
    return std::unique_ptr<FileSource>(new MemorySource(fs::path(path).filename().string(), Slurp(path)));
  };
  MemoryOutputs outputs;
  RunOptions opts;
  opts.write_card = false;
  auto run = PipelineRun::Start(SingleStepPipeline("pii.scrub", params), MakeFileListSource({input.string()}, open),
                                &outputs, opts);
  if (!run.ok()) {
    o.error = run.error().code + ": " + run.error().message;
    return o;
  }
  while (run.value()->Step(1000)) {
  }
  if (!run.value()->status().ok()) {
    o.error = run.value()->status().error().message;
    return o;
  }
  EXPECT_TRUE(run.value()->Summary().conserved);
  if (const std::string* k = outputs.Get("kept.jsonl")) o.kept = *k;
  if (const std::string* r = outputs.Get("rejected.jsonl")) o.rejected = *r;
  o.report = run.value()->steps()[0]->Report().dump(2) + "\n";
  return o;
}

TEST(PiiGolden, Cases) {
  fs::path root = fs::path(WINNOW_SOURCE_DIR) / "tests/golden/pii";
  ASSERT_TRUE(fs::exists(root)) << root;
  bool regenerate = std::getenv("WINNOW_REGENERATE") != nullptr;
  int cases = 0;
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(root)) {
    if (e.is_directory()) dirs.push_back(e.path());
  }
  std::sort(dirs.begin(), dirs.end());
  for (const fs::path& dir : dirs) {
    SCOPED_TRACE(dir.filename().string());
    Outcome o = RunCase(dir);
    ASSERT_TRUE(o.error.empty()) << o.error;
    ++cases;
    const std::pair<const char*, const std::string*> files[] = {
        {"kept.jsonl", &o.kept}, {"rejected.jsonl", &o.rejected}, {"report.json", &o.report}};
    for (const auto& [name, got] : files) {
      fs::path want = dir / "expected" / name;
      if (regenerate) {
        Spit(want, *got);
        continue;
      }
      ASSERT_TRUE(fs::exists(want)) << want << " missing; run with WINNOW_REGENERATE=1 and review";
      EXPECT_EQ(*got, Slurp(want)) << dir.filename().string() << "/" << name << " (" << WINNOW_BUILD_KIND << ")";
    }
  }
  EXPECT_EQ(cases, 4);
}

// `winnow scrub` by default: every byte outside the detected values is unchanged. Checked by
// putting the values back: replacing each "[TYPE]" in kept.jsonl by the original value must give
// exactly what the same run writes when no entity type is enabled (the writer's own re-encoding
// of the rows is not this step's business, so it is the baseline rather than input.jsonl).
TEST(PiiGolden, DefaultLeavesEveryOtherByte) {
  fs::path dir = fs::path(WINNOW_SOURCE_DIR) / "tests/golden/pii/default_messages";
  Outcome o = RunCase(dir);
  ASSERT_TRUE(o.error.empty()) << o.error;
  Outcome baseline = RunCase(dir, R"({"entities": []})");
  ASSERT_TRUE(baseline.error.empty()) << baseline.error;
  const std::pair<const char*, const char*> values[] = {
      {"[EMAIL]", "jane.doe@example.com"}, {"[CREDIT_CARD]", "4111 1111 1111 1111"},
      {"[PHONE]", "+49 30 12345678"}, {"[IBAN]", "DE89 3704 0044 0532 0130 00"},
      {"[URL_CREDENTIALS]", "admin:S3cr3tPass"}, {"[AWS_ACCESS_KEY]", "AKIAIOSFODNN7EXAMPLE"}};
  std::string restored = o.kept;
  for (const auto& [ph, value] : values) {
    for (size_t p = restored.find(ph); p != std::string::npos; p = restored.find(ph, p + 1)) {
      restored.replace(p, std::strlen(ph), value);
    }
  }
  EXPECT_NE(o.kept, baseline.kept);
  EXPECT_EQ(restored, baseline.kept);
}

}  // namespace
