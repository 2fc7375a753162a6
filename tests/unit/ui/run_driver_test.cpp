// RunDriver: a run on a worker thread gives exactly the outputs of the frame-sliced run on the UI
// thread, and can be cancelled or reset (a new file opened) while it works. In a wasm build without
// pthreads the worker cannot start and the run falls back to slices, with the same outputs.
#include <gtest/gtest.h>

#include <chrono>
#include <new>
#include <fstream>
#include <sstream>
#include <thread>

#include "io/memory_io.h"
#include "pipeline/step.h"
#include "ui/dataset_loader.h"
#include "ui/run_driver.h"

namespace winnow::ui {
namespace {

double g_clock = 0;
double Now() { return g_clock += 0.001; }

std::string Rows(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) {
    if (i == 5) s += "{broken\n";
    // Every 7th row repeats an earlier one: dedup.exact and dedup.near drop rows.
    int k = i % 7 == 6 ? i - 3 : i;
    s += "{\"instruction\":\"Explain item " + std::to_string(k) + " of the list in a sentence or two\",\"input\":\"\","
         "\"output\":\"Item " + std::to_string(k) + " is a small example that shows how the studio keeps its rows in order.\"}\n";
  }
  return s;
}

std::string Preset() {
  std::ifstream f(std::string(WINNOW_SOURCE_DIR) + "/assets/presets/sft-default.json");
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void Load(DatasetLoader& l, const std::string& text) {
  l.Start(std::make_unique<MemorySource>("rows.jsonl", text), ReadOptions{}, nullptr);
  while (l.Pump(0.05, Now)) {
  }
  ASSERT_EQ(l.state(), DatasetLoader::State::Done) << l.error();
}

bool Finish(RunDriver& r) {
  for (int i = 0; i < 200000 && r.Step(0.01, Now); ++i) {
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  return !r.Running();
}

const bool kExpectThreads = std::string(WINNOW_BUILD_KIND) == "native";

// A step whose work finds the heap full after its first batch, as a run over too many rows for a
// browser tab would (std::bad_alloc from an allocation; wasm builds use -fwasm-exceptions).
class OutOfMemoryStep final : public Step {
 public:
  std::string_view Type() const override { return "test.out_of_memory"; }
  Status Configure(const nlohmann::json&) override { return Status::Ok(); }
  nlohmann::json Params() const override { return nlohmann::json::object(); }
  void Process(std::span<Row*> rows, StepContext&) override {
    if ((m_seen += rows.size()) > 300) throw std::bad_alloc();
  }
  nlohmann::json Report() const override { return nlohmann::json::object(); }

 private:
  size_t m_seen = 0;
};
WINNOW_REGISTER_STEP(OutOfMemoryStep, "test.out_of_memory", "test: throws std::bad_alloc after 300 rows");

TEST(RunDriver, WorkerThreadGivesTheSlicedOutputs) {
  DatasetLoader l;
  Load(l, Rows(3000));
  const std::string preset = Preset();
  ASSERT_FALSE(preset.empty());

  RunDriver sliced;
  ASSERT_TRUE(sliced.Start(l, preset).ok());
  EXPECT_FALSE(sliced.Threaded());
  ASSERT_TRUE(Finish(sliced));
  ASSERT_EQ(sliced.state(), RunDriver::State::Done) << sliced.error();

  RunDriver threaded;
  ASSERT_TRUE(threaded.Start(l, preset, {}, nullptr, nullptr, /*use_thread=*/true).ok());
  EXPECT_EQ(threaded.Threaded(), kExpectThreads);
  // Progress and stage are readable while the worker runs.
  EXPECT_GE(threaded.Fraction(), 0.0);
  EXPECT_LE(threaded.Fraction(), 1.0);
  ASSERT_TRUE(Finish(threaded));
  ASSERT_EQ(threaded.state(), RunDriver::State::Done) << threaded.error();
  EXPECT_EQ(threaded.Threaded(), kExpectThreads);

  ASSERT_EQ(threaded.outputs().size(), sliced.outputs().size());
  for (size_t i = 0; i < sliced.outputs().size(); ++i) {
    EXPECT_EQ(threaded.outputs()[i].name, sliced.outputs()[i].name);
    EXPECT_EQ(threaded.outputs()[i].bytes, sliced.outputs()[i].bytes) << sliced.outputs()[i].name;
  }
  ASSERT_NE(sliced.Find("kept.jsonl"), nullptr);
  EXPECT_FALSE(sliced.Find("kept.jsonl")->bytes.empty());
  EXPECT_EQ(threaded.report(), sliced.report());
  // Verdicts per row agree (rows 6, 13, ... repeat earlier rows).
  size_t dropped = 0;
  for (size_t i = 0; i < l.dataset().size(); ++i) {
    EXPECT_EQ(threaded.VerdictOf(i), sliced.VerdictOf(i)) << i;
    dropped += sliced.Dropped(i);
  }
  EXPECT_GT(dropped, 0u);
}

TEST(RunDriver, WorkerRunCancelsAndResets) {
  DatasetLoader l;
  Load(l, Rows(20000));
  RunDriver r;
  ASSERT_TRUE(r.Start(l, Preset(), {}, nullptr, nullptr, true).ok());
  r.Cancel();
  ASSERT_TRUE(Finish(r));
  // A run this size cannot finish between Start and Cancel on either path (slices need Step()).
  EXPECT_EQ(r.state(), RunDriver::State::Cancelled) << r.error();
  EXPECT_TRUE(r.outputs().empty());

  // Reset while the worker works (what opening another file does): returns with the worker stopped.
  ASSERT_TRUE(r.Start(l, Preset(), {}, nullptr, nullptr, true).ok());
  r.Step(0.01, Now);
  r.Reset();
  EXPECT_EQ(r.state(), RunDriver::State::Idle);
  EXPECT_FALSE(r.Threaded());
}

// A run that runs out of memory ends Failed with a message that says so (not a dead tab), frees
// what it held, and the driver runs the next pipeline normally: sliced and on the worker.
TEST(RunDriver, OutOfMemoryEndsTheRunWithAMessage) {
  DatasetLoader l;
  Load(l, Rows(2000));
  const std::string oom = R"({"version":1,"name":"oom","seed":1,"steps":[{"type":"validate"},{"type":"test.out_of_memory"}]})";
  for (bool thread : {false, true}) {
    SCOPED_TRACE(thread ? "worker thread" : "frame slices");
    RunDriver r;
    ASSERT_TRUE(r.Start(l, oom, {}, nullptr, nullptr, thread).ok());
    ASSERT_TRUE(Finish(r));
    EXPECT_EQ(r.state(), RunDriver::State::Failed);
    EXPECT_NE(r.error().find("ran out of memory"), std::string::npos) << r.error();
    EXPECT_TRUE(r.outputs().empty());
    ASSERT_TRUE(r.Start(l, Preset(), {}, nullptr, nullptr, thread).ok());
    ASSERT_TRUE(Finish(r));
    EXPECT_EQ(r.state(), RunDriver::State::Done) << r.error();
    EXPECT_NE(r.Find("kept.jsonl"), nullptr);
  }
}

// The review's flags come from annotations.jsonl: the rows filter.quality flagged, by dataset row,
// with step, reason and detail; none when the pipeline writes no annotations.
TEST(RunDriver, FlagsOfRowsComeFromTheAnnotations) {
  std::string text;
  for (int i = 0; i < 40; ++i) {
    std::string out = i % 8 == 3 ? "As an AI language model, I cannot have opinions about item " + std::to_string(i) + "."
                                 : "Item " + std::to_string(i) + " is a small example that shows how the studio keeps its rows in order.";
    text += "{\"instruction\":\"Explain item " + std::to_string(i) + " of the list in a sentence or two\",\"input\":\"\",\"output\":\"" + out + "\"}\n";
  }
  DatasetLoader l;
  Load(l, text);
  const std::string steps = R"("steps":[{"type":"filter.quality","params":{"action":"flag"}}]})";
  for (const char* mode : {"flagged", "all", "none"}) {
    SCOPED_TRACE(mode);
    RunDriver r;
    ASSERT_TRUE(r.Start(l, std::string(R"({"version":1,"name":"f","annotations":")") + mode + "\"," + steps).ok());
    ASSERT_TRUE(Finish(r));
    ASSERT_EQ(r.state(), RunDriver::State::Done) << r.error();
    for (size_t i = 0; i < 40; ++i) {
      const std::vector<std::string>& f = r.FlagsOf(i);
      if (std::string(mode) == "none" || i % 8 != 3) {
        EXPECT_TRUE(f.empty()) << i << ": " << (f.empty() ? "" : f[0]);
        continue;
      }
      ASSERT_EQ(f.size(), 1u) << i;
      EXPECT_EQ(f[0].rfind("filter.quality: ai_boilerplate: ", 0), 0u) << f[0];
      EXPECT_FALSE(r.Dropped(i));
    }
    EXPECT_TRUE(r.FlagsOf(1000).empty());
  }
}

}  // namespace
}  // namespace winnow::ui
