#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>

#include "pipeline/pipeline_run.h"
#include "test_rows.h"

using namespace winnow;
using winnow::testing::Chat;
using winnow::testing::RandomWords;

namespace {

PipelineConfig Parse(const std::string& text) {
  auto r = ParsePipeline(text);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? r.value() : PipelineConfig{};
}

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string l;
  while (std::getline(in, l)) out.push_back(l);
  return out;
}

std::vector<Example> SampleRows() {
  std::vector<Example> rows;
  rows.push_back(Chat("What is the capital of France?", "Paris.", 1));
  rows.push_back(Chat("what is the capital of   FRANCE?", "Paris.", 2));  // exact dup after normalization
  rows.push_back(Chat("Tell me a joke", "", 3));                           // empty reply -> validate
  std::string long_text = RandomWords(11, 120);
  rows.push_back(Chat("Summarize: " + long_text, "Done.", 4));
  rows.push_back(Chat("Summarize: " + long_text + " extra", "Done.", 5));  // near dup of line 4
  rows.push_back(Chat("How do I sort a list in Python?", "Use sorted().", 6));
  return rows;
}

const char* kPipeline = R"({"version":1,"name":"t","seed":3,"steps":[
  {"type":"validate"},{"type":"normalize"},{"type":"dedup.exact"},
  {"type":"dedup.near","params":{"threshold":0.7}}]})";

}  // namespace

TEST(PipelineRun, KeepsRejectsAndConservesRows) {
  MemoryOutputs out;
  auto s = RunPipeline(Parse(kPipeline), MakeVectorSource(SampleRows(), "sample.jsonl"), &out);
  ASSERT_TRUE(s.ok()) << s.error().message;
  const RunSummary& sum = s.value();
  EXPECT_EQ(sum.rows_read, 6u);
  EXPECT_EQ(sum.kept, 3u);
  EXPECT_EQ(sum.rejected, 3u);
  EXPECT_TRUE(sum.conserved);
  ASSERT_EQ(sum.steps.size(), 4u);
  EXPECT_EQ(sum.steps[0].in, 6u);
  EXPECT_EQ(sum.steps[0].dropped, 1u);
  EXPECT_EQ(sum.steps[0].reasons.at("empty_turn"), 1u);
  EXPECT_EQ(sum.steps[2].reasons.at("exact_duplicate"), 1u);
  EXPECT_EQ(sum.steps[3].in, 4u);
  EXPECT_EQ(sum.steps[3].reasons.at("near_duplicate"), 1u);
  EXPECT_EQ(Lines(out.Text("kept.jsonl")).size(), 3u);
  std::vector<std::string> rej = Lines(out.Text("rejected.jsonl"));
  ASSERT_EQ(rej.size(), 3u);
  // Rejected rows carry the step id, reason, detail and origin, then the row itself. Within a
  // batch of streaming steps they are written in input order.
  std::map<int, nlohmann::json> by_line;
  for (const std::string& l : rej) {
    nlohmann::json j = nlohmann::json::parse(l);
    by_line[j["line"].get<int>()] = j;
  }
  ASSERT_EQ(by_line.size(), 3u);
  nlohmann::json r0 = by_line[3];
  EXPECT_EQ(r0["step"], "validate");
  EXPECT_EQ(r0["reason"], "empty_turn");
  EXPECT_EQ(r0["file"], "sample.jsonl");
  EXPECT_TRUE(r0["row"].is_object());
  EXPECT_EQ(r0["row"]["messages"][0]["content"], "Tell me a joke");
  nlohmann::json r1 = by_line[2];
  EXPECT_EQ(r1["step"], "dedup.exact");
  EXPECT_NE(r1["detail"].get<std::string>().find("line 1 of sample.jsonl"), std::string::npos) << r1.dump();
  nlohmann::json r2 = by_line[5];
  EXPECT_EQ(r2["reason"], "near_duplicate");
  EXPECT_NE(r2["detail"].get<std::string>().find("line 4 of sample.jsonl"), std::string::npos) << r2.dump();
  // The first key is "step", as in read problems (io/writer.h EncodeProblem).
  EXPECT_EQ(rej[0].rfind("{\"step\":", 0), 0u);
  // report.json and the card exist and agree with the summary.
  nlohmann::json rep = nlohmann::json::parse(out.Text("report.json"));
  EXPECT_EQ(rep["rows"]["kept"], 3);
  EXPECT_EQ(rep["conservation"]["ok"], true);
  EXPECT_EQ(rep["steps"][3]["report"]["clusters"], 1);
  EXPECT_EQ(rep["kept"]["rows"], 3);
  const std::string& card = out.Text("README.md");
  EXPECT_EQ(card.rfind("---\nconfigs:\n", 0), 0u);
  EXPECT_NE(card.find("size_categories:\n- n<1K"), std::string::npos);
  EXPECT_NE(card.find("\"name\": \"t\""), std::string::npos);
}

// The card carries what a reader checks without opening report.json: PII by field with masked
// examples (never the value), every drop reason, and a mixed-format warning.
TEST(PipelineRun, CardShowsPiiByFieldMaskedExamplesAndMixedFormats) {
  std::vector<Example> rows;
  rows.push_back(Chat("Mail jane.doe@example.com please", "Sure.", 1));
  Example alpaca = Chat("Translate: bonjour", "hello", 2);
  alpaca.source_format = Format::Alpaca;
  rows.push_back(alpaca);
  MemoryOutputs out;
  auto s = RunPipeline(Parse(R"({"version":1,"name":"t","seed":1,"steps":[{"type":"pii.scrub"}]})"),
                       MakeVectorSource(rows, "in.jsonl"), &out);
  ASSERT_TRUE(s.ok());
  const std::string& card = out.Text("README.md");
  EXPECT_NE(card.find("By field (and role): `messages.user` (1)"), std::string::npos) << card;
  EXPECT_NE(card.find("| `EMAIL` | messages.user | in.jsonl:1 | `j***.***@*******.***` |"), std::string::npos) << card;
  EXPECT_EQ(card.find("jane.doe@example.com"), std::string::npos);
  EXPECT_NE(card.find("**Mixed formats:**"), std::string::npos);
  EXPECT_NE(card.find("save that JSON as `pipeline.json`"), std::string::npos);
}

TEST(PipelineRun, SlicedStepsGiveTheSameBytesAsOneRun) {
  MemoryOutputs a, b;
  ASSERT_TRUE(RunPipeline(Parse(kPipeline), MakeVectorSource(SampleRows(), "s.jsonl"), &a).ok());
  RunOptions opts;
  opts.batch_rows = 1;
  auto run = PipelineRun::Start(Parse(kPipeline), MakeVectorSource(SampleRows(), "s.jsonl"), &b, opts);
  ASSERT_TRUE(run.ok());
  int slices = 0;
  std::vector<std::string> stages;
  while (run.value()->Step(1)) {
    ++slices;
    stages.push_back(run.value()->Progress().stage);
  }
  EXPECT_TRUE(run.value()->status().ok());
  EXPECT_GT(slices, 5);
  EXPECT_EQ(run.value()->Progress().stage, "done");
  for (const std::string& name : a.Names()) {
    ASSERT_NE(b.Get(name), nullptr) << name;
    EXPECT_EQ(a.Text(name), b.Text(name)) << name;
  }
}

// In-memory outputs are stored in bounded parts (the studio's 1 GB kept.jsonl is never one string):
// with 64-byte parts every data output spans several, and holds the same bytes as with 8 MB parts.
TEST(PipelineRun, MemoryOutputsInSmallPartsHoldTheSameBytes) {
  MemoryOutputs whole, parts(64);
  ASSERT_TRUE(RunPipeline(Parse(kPipeline), MakeVectorSource(SampleRows(), "s.jsonl"), &whole).ok());
  ASSERT_TRUE(RunPipeline(Parse(kPipeline), MakeVectorSource(SampleRows(), "s.jsonl"), &parts).ok());
  ASSERT_EQ(whole.Names(), parts.Names());
  for (const std::string& name : whole.Names()) {
    const ChunkedBytes& a = *whole.Get(name);
    const ChunkedBytes& b = *parts.Get(name);
    EXPECT_EQ(a.Parts().size(), a.empty() ? 0u : 1u) << name;
    EXPECT_EQ(b.Parts().size(), (b.size() + 63) / 64) << name;
    EXPECT_TRUE(a == b) << name;
    EXPECT_EQ(a.ToString(), b.ToString()) << name;
    std::vector<std::string> la, lb;
    a.ForEachLine([&](std::string_view l) { la.emplace_back(l); });
    b.ForEachLine([&](std::string_view l) { lb.emplace_back(l); });
    EXPECT_EQ(la, lb) << name;
  }
  EXPECT_GT(parts.Get("kept.jsonl")->Parts().size(), 2u);
}

TEST(PipelineRun, BuffersFromTheFirstStepThatNeedsAllRows) {
  // keep "longest" needs every row: the longer near-duplicate (line 5) is kept, line 4 dropped;
  // of lines 1 and 2 (equal once normalized) line 2 is longer (extra spaces), so line 1 goes.
  const char* p = R"({"version":1,"name":"t","steps":[{"type":"dedup.near","params":{"threshold":0.7,"keep":"longest"}},
                     {"type":"validate"}]})";
  MemoryOutputs out;
  auto s = RunPipeline(Parse(p), MakeVectorSource(SampleRows(), "s.jsonl"), &out);
  ASSERT_TRUE(s.ok()) << s.error().message;
  std::vector<std::string> rej = Lines(out.Text("rejected.jsonl"));
  ASSERT_GE(rej.size(), 2u);
  std::set<int> near;
  for (const std::string& l : rej) {
    nlohmann::json j = nlohmann::json::parse(l);
    if (j["reason"] == "near_duplicate") near.insert(j["line"].get<int>());
  }
  EXPECT_EQ(near, (std::set<int>{1, 4}));
  EXPECT_TRUE(s.value().conserved);
  // Kept rows stay in input order.
  std::vector<std::string> kept = Lines(out.Text("kept.jsonl"));
  ASSERT_EQ(kept.size(), s.value().kept);
}

TEST(PipelineRun, CancelStopsTheRun) {
  std::vector<Example> rows;
  for (int i = 0; i < 5000; ++i) rows.push_back(Chat(RandomWords(i, 30), "ok", i + 1));
  MemoryOutputs out;
  RunOptions opts;
  opts.batch_rows = 100;
  auto run = PipelineRun::Start(Parse(kPipeline), MakeVectorSource(std::move(rows)), &out, opts);
  ASSERT_TRUE(run.ok());
  ASSERT_TRUE(run.value()->Step(100));
  run.value()->Cancel();
  EXPECT_FALSE(run.value()->Step(100));
  EXPECT_EQ(run.value()->status().error().code, "cancelled");
  EXPECT_EQ(out.Get("report.json"), nullptr);
}

TEST(PipelineRun, StepPrepareErrorsStopTheStart) {
  const char* p = R"({"version":1,"name":"t","steps":[{"type":"decontaminate","params":{"references":["missing.jsonl"]}}]})";
  MemoryOutputs out;
  RunOptions opts;
  opts.read_file = [](const std::string& path) -> Result<std::string> { return Error{"io_error", "no such file: " + path}; };
  auto run = PipelineRun::Start(Parse(p), MakeVectorSource(SampleRows()), &out, opts);
  ASSERT_FALSE(run.ok());
  EXPECT_NE(run.error().message.find("missing.jsonl"), std::string::npos) << run.error().message;
  EXPECT_NE(run.error().message.find("steps[0]"), std::string::npos) << run.error().message;
}

TEST(PipelineRun, DatasetSourceMatchesVectorSource) {
  Dataset d;
  for (const Example& ex : SampleRows()) d.Append(ex);
  MemoryOutputs a, b;
  ASSERT_TRUE(RunPipeline(Parse(kPipeline), MakeDatasetSource(d, "s.jsonl"), &a).ok());
  ASSERT_TRUE(RunPipeline(Parse(kPipeline), MakeVectorSource(SampleRows(), "s.jsonl"), &b).ok());
  EXPECT_EQ(a.Text("kept.jsonl"), b.Text("kept.jsonl"));
  EXPECT_EQ(a.Text("report.json"), b.Text("report.json"));
}

// Rows held for a NeedsAllRows step carry compacted annotations of the steps before it (quality:
// the score only; language: each field's code), and the report reads the same figures from them
// as from whole annotations: its quality histogram and language counts equal a run without the
// barrier, where rows stream straight to the output.
namespace {
class CaptureAllStep final : public winnow::Step {
 public:
  static inline std::vector<nlohmann::json> seen;
  std::string_view Type() const override { return "test.capture_all"; }
  Status Configure(const nlohmann::json&) override { return Status::Ok(); }
  nlohmann::json Params() const override { return nlohmann::json::object(); }
  bool NeedsAllRows() const override { return true; }
  void Process(std::span<Row*>, StepContext&) override {}
  void Finish(std::span<Row*> all, StepContext&) override {
    seen.clear();
    for (Row* r : all) seen.push_back(r->annotations);
  }
  nlohmann::json Report() const override { return nlohmann::json::object(); }
};
}  // namespace
WINNOW_REGISTER_STEP(CaptureAllStep, "test.capture_all", "test: records the annotations of every row it holds");

TEST(PipelineRun, HeldRowsKeepOnlyTheAnnotationsLaterReadersUse) {
  std::vector<Example> rows;
  for (int i = 0; i < 40; ++i) {
    std::string user = i % 4 == 0 ? "Wie spät ist es heute in Berlin, und wie wird das Wetter morgen früh sein?"
                                  : RandomWords(100 + i, 12, 300);
    std::string reply = i % 4 == 0 ? "Es ist jetzt drei Uhr nachmittags, und morgen früh wird es in Berlin regnerisch und kühl sein."
                        : i % 7 == 0 ? "As an AI language model, I cannot answer that."
                                     : RandomWords(500 + i, 20, 300);
    rows.push_back(Chat(user, reply, i + 1));
  }
  const std::string steps = R"([{"id":"q","type":"filter.quality","params":{"action":"flag"}},
                                {"id":"lang","type":"filter.language","params":{"action":"flag"}})";
  // "annotations": "none": no row is going to annotations.jsonl, so every held row is compacted.
  PipelineConfig held = Parse(R"({"version":1,"name":"held","seed":1,"annotations":"none","steps":)" + steps +
                              R"(,{"id":"cap","type":"test.capture_all","params":{}}]})");
  PipelineConfig streamed = Parse(R"({"version":1,"name":"held","seed":1,"annotations":"none","steps":)" + steps + "]}");
  MemoryOutputs out_held, out_streamed;
  auto a = RunPipeline(held, MakeVectorSource(rows), &out_held);
  auto b = RunPipeline(streamed, MakeVectorSource(rows), &out_streamed);
  ASSERT_TRUE(a.ok()) << a.error().message;
  ASSERT_TRUE(b.ok()) << b.error().message;
  ASSERT_EQ(CaptureAllStep::seen.size(), rows.size());
  for (const nlohmann::json& an : CaptureAllStep::seen) {
    ASSERT_TRUE(an.contains("q") && an.contains("lang")) << an.dump();
    EXPECT_EQ(an["q"].size(), 1u) << an["q"].dump();
    EXPECT_TRUE(an["q"]["score"].is_number()) << an["q"].dump();
    for (auto f = an["lang"].begin(); f != an["lang"].end(); ++f) {
      EXPECT_EQ(f->size(), 1u) << an["lang"].dump();
      EXPECT_TRUE((*f)["lang"].is_string()) << an["lang"].dump();
    }
  }
  const nlohmann::json& kh = a.value().report["kept"];
  const nlohmann::json& ks = b.value().report["kept"];
  ASSERT_TRUE(ks.contains("quality_score") && ks.contains("languages")) << ks.dump();
  EXPECT_EQ(kh["quality_score"], ks["quality_score"]);
  EXPECT_EQ(kh["languages"], ks["languages"]);
  EXPECT_TRUE(ks["languages"].contains("de")) << ks["languages"].dump();
  EXPECT_EQ(out_held.Get("kept.jsonl") ? out_held.Text("kept.jsonl") : "", out_streamed.Get("kept.jsonl") ? out_streamed.Text("kept.jsonl") : "-");
}

// annotations.jsonl: one line per row the pipeline's "annotations" names, with the verdict, the
// flags and each step's annotation; rows held for a buffering step keep whole annotations when
// they go there.
namespace {

std::vector<Example> QualityRows() {
  std::vector<Example> rows;
  for (int i = 0; i < 30; ++i) {
    std::string reply = i % 5 == 0 ? "As an AI language model, I cannot answer that." : RandomWords(700 + i, 25, 300);
    rows.push_back(Chat(RandomWords(300 + i, 12, 300), reply, i + 1));
  }
  rows.push_back(rows[3]);  // an exact duplicate of line 4: dropped by dedup.exact
  rows.back().origin.line = 31;
  rows.back().origin.index = 30;
  return rows;
}

std::vector<nlohmann::json> JsonLines(const ChunkedBytes* s) {
  std::vector<nlohmann::json> out;
  if (!s) return out;
  s->ForEachLine([&](std::string_view l) { out.push_back(nlohmann::json::parse(l)); });
  return out;
}

std::string QualityPipeline(const char* annotations, bool held) {
  std::string p = R"({"version":1,"name":"ann","seed":1,)";
  if (annotations) p += std::string(R"("annotations":")") + annotations + R"(",)";
  p += R"("steps":[{"id":"q","type":"filter.quality","params":{"action":"flag"}},{"type":"dedup.exact"})";
  if (held) p += R"(,{"id":"cap","type":"test.capture_all","params":{}})";
  return p + "]}";
}

}  // namespace

TEST(PipelineRun, AnnotationsListTheFlaggedRowsByDefault) {
  for (bool held : {false, true}) {
    SCOPED_TRACE(held ? "held for a buffering step" : "streamed");
    MemoryOutputs out;
    auto s = RunPipeline(Parse(QualityPipeline(nullptr, held)), MakeVectorSource(QualityRows(), "q.jsonl"), &out);
    ASSERT_TRUE(s.ok()) << s.error().message;
    const uint64_t flagged = s.value().steps[0].flagged;
    ASSERT_GE(flagged, 6u);  // the six boilerplate replies (one of them duplicated) at least
    std::vector<nlohmann::json> lines = JsonLines(out.Get("annotations.jsonl"));
    // Kept and dropped rows alike: a flagged row that a later step drops has a line with its verdict.
    ASSERT_EQ(lines.size(), flagged);
    std::set<uint64_t> seen_lines;
    size_t dropped = 0;
    for (const nlohmann::json& l : lines) {
      EXPECT_EQ(l["file"], "q.jsonl");
      seen_lines.insert(l["line"].get<uint64_t>());
      ASSERT_EQ(l["flags"].size(), 1u) << l.dump();
      EXPECT_EQ(l["flags"][0]["step"], "q");
      EXPECT_FALSE(l["flags"][0]["reason"].get<std::string>().empty());
      EXPECT_FALSE(l["flags"][0]["detail"].get<std::string>().empty());
      // Whole annotations even when the row was held: the breakdown and the values survive.
      EXPECT_TRUE(l["annotations"]["q"].contains("breakdown")) << l.dump();
      EXPECT_TRUE(l["annotations"]["q"].contains("values")) << l.dump();
      if (l["verdict"] == "dropped") {
        ++dropped;
        EXPECT_EQ(l["step"], "dedup.exact");
        EXPECT_EQ(l["line"], 31);
      } else {
        EXPECT_EQ(l["verdict"], "kept");
        EXPECT_FALSE(l.contains("step"));
      }
    }
    EXPECT_EQ(seen_lines.size(), lines.size());
    EXPECT_TRUE(seen_lines.count(1) && seen_lines.count(6)) << "the boilerplate rows 1 and 6";
    // Row 31 is row 4 again: flagged if and only if row 4 is, and then dropped as its duplicate.
    EXPECT_EQ(dropped, seen_lines.count(4));
    EXPECT_EQ(seen_lines.count(31), seen_lines.count(4));
    EXPECT_EQ(s.value().report["annotations"]["rows"], lines.size());
    EXPECT_EQ(s.value().report["annotations"]["rows_of"], "flagged");
    EXPECT_NE(out.Text("README.md").find("| `annotations.jsonl` | " + std::to_string(lines.size()) + " | the flagged rows'"),
              std::string::npos);
    if (held) {
      // Rows that were not flagged were compacted as before; flagged ones were not.
      ASSERT_EQ(CaptureAllStep::seen.size(), s.value().steps[1].kept);
      size_t whole = 0;
      for (const nlohmann::json& an : CaptureAllStep::seen) whole += an["q"].contains("breakdown");
      EXPECT_EQ(whole, flagged);
    }
  }
}

TEST(PipelineRun, AnnotationsAllHasALineForEveryRowAndNoneNoFile) {
  for (bool held : {false, true}) {
    SCOPED_TRACE(held ? "held for a buffering step" : "streamed");
    MemoryOutputs all, none;
    auto a = RunPipeline(Parse(QualityPipeline("all", held)), MakeVectorSource(QualityRows(), "q.jsonl"), &all);
    ASSERT_TRUE(a.ok()) << a.error().message;
    if (held) {
      ASSERT_EQ(CaptureAllStep::seen.size(), a.value().steps[1].kept);
      for (const nlohmann::json& an : CaptureAllStep::seen) EXPECT_TRUE(an["q"].contains("breakdown")) << an.dump();
    }
    auto n = RunPipeline(Parse(QualityPipeline("none", held)), MakeVectorSource(QualityRows(), "q.jsonl"), &none);
    ASSERT_TRUE(n.ok()) << n.error().message;
    std::vector<nlohmann::json> lines = JsonLines(all.Get("annotations.jsonl"));
    ASSERT_EQ(lines.size(), QualityRows().size());
    std::set<uint64_t> seen_lines;
    for (const nlohmann::json& l : lines) {
      seen_lines.insert(l["line"].get<uint64_t>());
      EXPECT_TRUE(l["annotations"]["q"].contains("breakdown")) << l.dump();
      EXPECT_EQ(l["flags"].empty(), l["annotations"]["q"]["failed"].empty()) << l.dump();
      EXPECT_EQ(l["verdict"] == "dropped", l["line"] == 31) << l.dump();
    }
    EXPECT_EQ(seen_lines.size(), lines.size());
    EXPECT_EQ(a.value().report["annotations"]["rows_of"], "all");
    // "none": no file, no report entry; the other outputs are the same bytes.
    EXPECT_EQ(none.Get("annotations.jsonl"), nullptr);
    EXPECT_FALSE(n.value().report.contains("annotations"));
    EXPECT_EQ(all.Text("kept.jsonl"), none.Text("kept.jsonl"));
    EXPECT_EQ(all.Text("rejected.jsonl"), none.Text("rejected.jsonl"));
  }
}
