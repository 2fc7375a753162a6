// filter.quality and filter.language as pipeline steps: registered, configured through params
// (with errors), and run over the golden cases of tests/unit/filters/golden/ — the step must give
// exactly the rows, verdicts and annotations that the filter classes' golden files record.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "io/memory_io.h"
#include "io/reader.h"
#include "pipeline/step.h"

using namespace winnow;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::string ReadText(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::vector<Row> ReadRows(const std::string& bytes) {
  std::vector<Row> rows;
  MemorySource src("input.jsonl", bytes);
  auto r = ExampleReader::Open(src, ReadOptions{});
  EXPECT_TRUE(r.ok());
  if (!r.ok()) return rows;
  while (true) {
    Row row;
    RowProblem p;
    auto n = r.value()->Read(&row.ex, &p);
    if (!n.ok() || n.value() == ExampleReader::Next::End) break;
    if (n.value() == ExampleReader::Next::Row) rows.push_back(std::move(row));
  }
  return rows;
}

std::unique_ptr<Step> Make(const char* type) {
  const StepInfo* info = FindStep(type);
  EXPECT_NE(info, nullptr) << type << " is not registered";
  return info ? info->make() : nullptr;
}

void RunGoldenThroughStep(const char* type, const std::string& golden_dir) {
  std::vector<std::string> dirs;
  for (const auto& e : fs::directory_iterator(golden_dir)) {
    if (e.is_directory()) dirs.push_back(e.path().string());
  }
  std::sort(dirs.begin(), dirs.end());
  ASSERT_GE(dirs.size(), 2u);
  for (const std::string& dir : dirs) {
    SCOPED_TRACE(dir);
    std::unique_ptr<Step> step = Make(type);
    ASSERT_TRUE(step);
    json params = json::parse(ReadText(dir + "/params.json"), nullptr, false);
    ASSERT_TRUE(step->Configure(params).ok());
    std::vector<Row> rows = ReadRows(ReadText(dir + "/input.jsonl"));
    ASSERT_FALSE(rows.empty());
    std::vector<Row*> ptrs;
    for (Row& r : rows) ptrs.push_back(&r);
    StepContext ctx;
    ctx.step_id = "q1";
    // Two batches, as the runner may split them.
    size_t half = ptrs.size() / 2;
    step->Process(std::span<Row*>(ptrs.data(), half), ctx);
    step->Process(std::span<Row*>(ptrs.data() + half, ptrs.size() - half), ctx);
    step->Finish({}, ctx);
    std::string out;
    for (const Row& r : rows) {
      std::string verdict = "keep", reason, detail;
      if (r.dropped()) {
        verdict = "drop";
        reason = r.verdict.reason;
        detail = r.verdict.detail;
      } else if (!r.flags.empty()) {
        verdict = "flag";
        reason = r.flags.back().reason;
        detail = r.flags.back().detail;
      }
      ASSERT_TRUE(r.annotations.contains("q1"));
      json j = {{"line", r.ex.origin.line}, {"verdict", verdict}, {"reason", reason},
                {"detail", detail},         {"annotation", r.annotations["q1"]}};
      out += j.dump() + "\n";
    }
    EXPECT_EQ(out, ReadText(dir + "/expected.jsonl"));
    json expected_report = json::parse(ReadText(dir + "/expected_report.json"), nullptr, false);
    ASSERT_FALSE(expected_report.is_discarded());
    EXPECT_EQ(step->Report(), expected_report["report"]);
    EXPECT_EQ(step->Params(), expected_report["params"]);
  }
}

const std::string kGolden = std::string(WINNOW_SOURCE_DIR) + "/tests/unit/filters/golden";

}  // namespace

TEST(StepFilters, Registered) {
  const StepInfo* q = FindStep("filter.quality");
  const StepInfo* l = FindStep("filter.language");
  ASSERT_NE(q, nullptr);
  ASSERT_NE(l, nullptr);
  EXPECT_FALSE(q->summary.empty());
  EXPECT_EQ(q->make()->Type(), "filter.quality");
  EXPECT_EQ(l->make()->Type(), "filter.language");
}

TEST(StepFilters, BadParamsAreConfigErrors) {
  auto q = Make("filter.quality");
  Status st = q->Configure({{"refusal", {{"max_hits", -1}}}});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "bad_config");
  EXPECT_NE(st.error().message.find("refusal.max_hits"), std::string::npos);
  auto l = Make("filter.language");
  st = l->Configure({{"allowed", {"klingon"}}});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "bad_config");
  EXPECT_NE(st.error().message.find("klingon"), std::string::npos);
}

TEST(StepFilters, QualityGoldenThroughStep) { RunGoldenThroughStep("filter.quality", kGolden + "/filter_quality"); }
TEST(StepFilters, LanguageGoldenThroughStep) { RunGoldenThroughStep("filter.language", kGolden + "/filter_language"); }

TEST(StepFilters, CancelStopsEarly) {
  auto q = Make("filter.quality");
  ASSERT_TRUE(q->Configure(json::object()).ok());
  std::vector<Row> rows(3);
  for (Row& r : rows) r.ex.messages = {Message{Role::User, "q"}, Message{Role::Assistant, "a reply"}};
  std::vector<Row*> ptrs = {&rows[0], &rows[1], &rows[2]};
  CancelToken cancel;
  cancel.Cancel();
  StepContext ctx;
  ctx.cancel = &cancel;
  q->Process(ptrs, ctx);
  EXPECT_TRUE(rows[0].annotations.is_null());
  EXPECT_EQ(q->Report()["rows"], 0);
}
