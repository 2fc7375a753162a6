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
  nlohmann::json row_bytes;
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
  o.kept = outputs.Text("kept.jsonl");
  o.rejected = outputs.Text("rejected.jsonl");
  o.report = run.value()->steps()[0]->Report().dump(2) + "\n";
  return o;
}

// Runs `config` over one input file (no dataset card); the kept / rejected bytes and report.json's
// "row_bytes" (null when the run has none).
Outcome RunPipelineOn(const PipelineConfig& config, const fs::path& input) {
  Outcome o;
  FileOpener open = [](const std::string& path) -> Result<std::unique_ptr<FileSource>> {
    return std::unique_ptr<FileSource>(new MemorySource(fs::path(path).filename().string(), Slurp(path)));
  };
  MemoryOutputs outputs;
  RunOptions opts;
  opts.write_card = false;
  auto run = RunPipeline(config, MakeFileListSource({input.string()}, open), &outputs, opts);
  if (!run.ok()) {
    o.error = run.error().code + ": " + run.error().message;
    return o;
  }
  EXPECT_TRUE(run.value().conserved);
  o.kept = outputs.Text("kept.jsonl");
  o.rejected = outputs.Text("rejected.jsonl");
  if (run.value().report.contains("row_bytes")) o.row_bytes = run.value().report["row_bytes"];
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

// `winnow scrub` by default ("row_bytes": "source"): every byte outside the detected values is the
// input's. Checked by putting the values back: replacing each "[TYPE]" in kept.jsonl by the original
// value must give input.jsonl byte for byte — escapes such as \u00e9, odd spacing, key order, extra
// fields, tool-call arguments (OpenAI tool_calls and a glaive-style sharegpt function_call) and an
// alpaca instruction and input that both hold PII. A changed string is written in the writer's
// minimal escaping, so the inputs write those strings that way and put their \u escapes in the
// strings no value was found in (of the same rows).
TEST(PiiGolden, DefaultLeavesEveryOtherByte) {
  fs::path dir = fs::path(WINNOW_SOURCE_DIR) / "tests/golden/pii_source_bytes";
  const std::pair<const char*, const char*> values[] = {
      {"[EMAIL]", "jane.doe@example.com"}, {"[EMAIL]", "boss.person@example.com"},
      {"[PHONE]", "+49 30 12345678"}, {"[IBAN]", "DE89 3704 0044 0532 0130 00"}};
  for (const char* name : {"messages.jsonl", "sharegpt.jsonl", "alpaca.jsonl"}) {
    SCOPED_TRACE(name);
    std::string input = Slurp(dir / name);
    ASSERT_FALSE(input.empty());
    PipelineConfig config = SingleStepPipeline("pii.scrub", nlohmann::json::parse(Slurp(dir / "params.json")));
    config.row_bytes = RowBytes::Source;
    Outcome o = RunPipelineOn(config, dir / name);
    ASSERT_TRUE(o.error.empty()) << o.error;
    EXPECT_EQ(o.rejected, "");
    EXPECT_NE(o.kept, input);
    // Every row was written from its source line.
    EXPECT_EQ(o.row_bytes["canonical"], 0) << o.row_bytes.dump();
    // Put the values back, the first one whose placeholder is there and whose value the input holds
    // at that position.
    std::string restored;
    size_t in_pos = 0;
    for (size_t i = 0; i < o.kept.size();) {
      bool done = false;
      for (const auto& [ph, value] : values) {
        size_t n = std::strlen(ph), v = std::strlen(value);
        if (o.kept.compare(i, n, ph) == 0 && input.compare(in_pos, v, value) == 0) {
          restored += value;
          i += n;
          in_pos += v;
          done = true;
          break;
        }
      }
      if (done) continue;
      restored.push_back(o.kept[i]);
      ++i;
      ++in_pos;
    }
    EXPECT_EQ(restored, input);
  }
  // The same rows re-encoded ("canonical", `winnow run`'s default) differ from the input elsewhere too.
  PipelineConfig canonical = SingleStepPipeline("pii.scrub", nlohmann::json::parse(Slurp(dir / "params.json")));
  Outcome c = RunPipelineOn(canonical, dir / "messages.jsonl");
  ASSERT_TRUE(c.error.empty()) << c.error;
  EXPECT_EQ(c.kept.find("Caf\\u00e9 \\u2014 noted"), std::string::npos);
  EXPECT_NE(c.kept.find("Caf\xC3\xA9 \xE2\x80\x94 noted"), std::string::npos);
  EXPECT_TRUE(c.row_bytes.is_null());
}

}  // namespace
