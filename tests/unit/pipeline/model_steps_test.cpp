// score.model / dedup.semantic / TextModelClient against a tiny random-weight BERT-style model that
// torch exports at test time (tests/models/export_tiny_bert.py): Winnow's tokenizer + ONNX Runtime +
// pooling must equal torch's embeddings (cosine >= 0.9999) and class probabilities. Needs
// /usr/bin/python3 with torch + onnx and the native ONNX Runtime; skips with a message otherwise.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <sstream>

#include "dedup/embedding_index.h"
#include "pipeline/pipeline_run.h"
#include "pipeline/text_model_client.h"
#include "platform/model_runner.h"

namespace winnow {
namespace {

std::string ReadText(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

bool Exists(const std::string& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0;
}

// Exports the tiny models once per build folder (into a temporary folder renamed into place, so
// test processes running at once never see half-written files). Empty string + reason on failure.
std::string TinyModelDir(std::string* why) {
  const std::string dir = std::string(WINNOW_BINARY_DIR) + "/test_models/tiny_bert";
  if (Exists(dir + "/reference.json")) return dir;
  if (!Exists("/usr/bin/python3")) {
    *why = "/usr/bin/python3 is missing";
    return "";
  }
  const std::string tmp = dir + ".tmp" + std::to_string(::getpid());
  std::string cmd = "mkdir -p '" + std::string(WINNOW_BINARY_DIR) + "/test_models' && /usr/bin/python3 '" +
                    std::string(WINNOW_SOURCE_DIR) + "/tests/models/export_tiny_bert.py' '" + tmp +
                    "' > '" + tmp + ".log' 2>&1";
  if (std::system(cmd.c_str()) != 0) {
    *why = "exporting the tiny model with torch failed (python3-torch / python3-onnx missing?); see " + tmp + ".log";
    return "";
  }
  if (std::rename(tmp.c_str(), dir.c_str()) != 0 && !Exists(dir + "/reference.json")) {
    *why = "could not move the exported model into " + dir;
    return "";
  }
  std::remove((tmp + ".log").c_str());
  return dir;
}

// The model runtime, the exported files, or a skip reason.
struct Fixture {
  ModelRunner* runner = nullptr;
  std::string dir;
  std::string skip;
};
Fixture MakeFixture() {
  Fixture f;
  f.runner = BlockingModelRunner();
  if (!f.runner) {
    f.skip = std::string("no blocking model runtime in this build (") + WINNOW_BUILD_KIND +
             "): model steps run in the studio page; the browser e2e covers them";
    return f;
  }
  if (Status av = f.runner->Available(); !av.ok()) {
    f.skip = "ONNX Runtime unavailable: " + av.error().message;
    return f;
  }
  f.dir = TinyModelDir(&f.skip);
  return f;
}

StepContext FileContext(ModelRunner* runner) {
  StepContext ctx;
  ctx.models = runner;
  ctx.read_file = [](const std::string& path) -> Result<std::string> {
    if (!Exists(path)) return Error{"io_error", "no such file: " + path};
    return ReadText(path);
  };
  return ctx;
}

double Cosine(const std::vector<float>& a, const std::vector<double>& b) {
  double ab = 0, aa = 0, bb = 0;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) ab += a[i] * b[i], aa += double(a[i]) * a[i], bb += b[i] * b[i];
  return ab / std::sqrt(aa * bb);
}

TEST(ModelSteps, TokenizerIdsEqualThePythonReference) {
  Fixture f = MakeFixture();
  if (!f.skip.empty()) GTEST_SKIP() << f.skip;
  auto ref = nlohmann::json::parse(ReadText(f.dir + "/reference.json"));
  auto tok = TokenizerFromModelFile(f.dir + "/vocab.txt", ReadText(f.dir + "/vocab.txt"));
  ASSERT_TRUE(tok.ok()) << tok.error().message;
  SpecialIds sp = FindSpecialIds(tok.value());
  ASSERT_TRUE(sp.has_cls_sep);
  for (size_t i = 0; i < ref["texts"].size(); ++i) {
    EncodedBatch b = EncodeBatch(tok.value(), sp, {ref["texts"][i].get<std::string>()}, 64, true);
    std::vector<int64_t> want = ref["ids"][i].get<std::vector<int64_t>>();
    EXPECT_EQ(b.ids, want) << ref["texts"][i];
  }
}

TEST(ModelSteps, EmbeddingsEqualTorchInBatchesWithPadding) {
  Fixture f = MakeFixture();
  if (!f.skip.empty()) GTEST_SKIP() << f.skip;
  auto ref = nlohmann::json::parse(ReadText(f.dir + "/reference.json"));
  std::vector<std::string> texts = ref["texts"].get<std::vector<std::string>>();
  StepContext ctx = FileContext(f.runner);
  TextModelConfig cfg;
  cfg.model = f.dir + "/tiny_bert.onnx";
  cfg.tokenizer = f.dir + "/vocab.txt";
  cfg.max_length = 64;
  cfg.batch_size = 3;  // batches of 3: rows are padded to their batch's longest
  TextModelClient client;
  Status st = client.Start(cfg, ctx);
  ASSERT_TRUE(st.ok()) << st.error().message;
  std::vector<std::vector<float>> got(texts.size());
  bool all_done = false;
  client.Submit(
      texts,
      [&](size_t first, const Tensor& out, const EncodedBatch& batch) {
        std::vector<float> pooled;
        size_t dim = 0;
        ASSERT_TRUE(PoolEmbeddings(out, batch, &pooled, &dim));
        for (size_t i = 0; i < batch.rows; ++i) {
          got[first + i].assign(pooled.begin() + i * dim, pooled.begin() + (i + 1) * dim);
          L2Normalize(got[first + i]);
        }
      },
      [&] { all_done = true; });
  EXPECT_TRUE(all_done);
  EXPECT_FALSE(client.Busy());
  EXPECT_EQ(client.error(), "");
  for (size_t i = 0; i < texts.size(); ++i) {
    std::vector<double> want = ref["embeddings"][i].get<std::vector<double>>();
    ASSERT_EQ(got[i].size(), want.size()) << texts[i];
    EXPECT_GE(Cosine(got[i], want), 0.9999) << texts[i];
  }
}

// Rows whose texts repeat (up to case, which the uncased tokenizer folds) are semantic duplicates;
// the reference's distinct texts must not be (checked from torch's embeddings first).
TEST(ModelSteps, DedupSemanticDropsDuplicatesAndKeepsDistinctRows) {
  Fixture f = MakeFixture();
  if (!f.skip.empty()) GTEST_SKIP() << f.skip;
  auto ref = nlohmann::json::parse(ReadText(f.dir + "/reference.json"));
  std::vector<std::string> texts = ref["texts"].get<std::vector<std::string>>();
  const double threshold = 0.999;
  for (size_t a = 0; a < texts.size(); ++a) {
    for (size_t b = a + 1; b < texts.size(); ++b) {
      std::vector<float> va = ref["embeddings"][a].get<std::vector<float>>();
      ASSERT_LT(Cosine(va, ref["embeddings"][b].get<std::vector<double>>()), threshold) << "precondition: distinct texts";
    }
  }
  std::vector<Example> rows;
  auto add = [&](const std::string& t) {
    Example ex;
    ex.text = t;
    ex.has_text = true;
    ex.source_format = Format::Text;
    ex.origin.index = rows.size();
    ex.origin.line = rows.size() + 1;
    rows.push_back(ex);
  };
  for (const auto& t : texts) add(t);
  add(texts[0]);                      // exact repeat of row 1
  std::string upper = texts[1];
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  add(upper);                         // same tokens after lowercasing as row 2
  add(texts[2]);
  for (const char* keep : {"first", "longest"}) {
    nlohmann::json step = {{"id", "sem"}, {"type", "dedup.semantic"},
                           {"params", {{"model", f.dir + "/tiny_bert.onnx"}, {"tokenizer", f.dir + "/vocab.txt"},
                                       {"threshold", threshold}, {"batch_size", 4}, {"keep", keep}}}};
    auto c = ParsePipeline(nlohmann::json{{"version", 1}, {"name", "t"}, {"seed", 1}, {"steps", {step}}}.dump());
    ASSERT_TRUE(c.ok()) << c.error().message;
    MemoryOutputs out;
    RunOptions opts;
    opts.models = f.runner;
    opts.read_file = FileContext(f.runner).read_file;
    opts.batch_rows = 5;
    auto s = RunPipeline(c.value(), MakeVectorSource(rows), &out, opts);
    ASSERT_TRUE(s.ok()) << s.error().message;
    EXPECT_EQ(s.value().kept, texts.size()) << keep;
    EXPECT_EQ(s.value().rejected, 3u) << keep;
    const auto& rep = s.value().report["steps"][0]["report"];
    EXPECT_EQ(rep["clusters"], 3) << rep.dump();
    EXPECT_EQ(rep["search"], "exact");
    EXPECT_EQ(rep["map"]["points"].size(), rows.size());
    std::string rejected = out.Text("rejected.jsonl");
    EXPECT_NE(rejected.find("semantic_duplicate"), std::string::npos);
  }
}

TEST(ModelSteps, ScoreModelEqualsTorchProbabilitiesAndFiltersByThreshold) {
  Fixture f = MakeFixture();
  if (!f.skip.empty()) GTEST_SKIP() << f.skip;
  auto ref = nlohmann::json::parse(ReadText(f.dir + "/reference_cls.json"));
  std::vector<std::string> texts = ref["texts"].get<std::vector<std::string>>();
  std::vector<Example> rows;
  for (const auto& t : texts) {
    Example ex;
    ex.text = t;
    ex.has_text = true;
    ex.source_format = Format::Text;
    ex.origin.index = rows.size();
    ex.origin.line = rows.size() + 1;
    rows.push_back(ex);
  }
  // Threshold at the median probability: the rows above it are dropped, exactly.
  std::vector<double> p1;
  for (const auto& p : ref["probs"]) p1.push_back(p[1].get<double>());
  std::vector<double> sorted = p1;
  std::sort(sorted.begin(), sorted.end());
  const double thr = (sorted[sorted.size() / 2 - 1] + sorted[sorted.size() / 2]) / 2;
  size_t above = 0;
  for (double p : p1) above += std::round(p * 10000) / 10000 > thr;
  nlohmann::json step = {{"id", "cls"}, {"type", "score.model"},
                         {"params", {{"model", f.dir + "/classifier.onnx"}, {"tokenizer", f.dir + "/vocab.txt"},
                                     {"field", "example"}, {"threshold", thr}, {"action", "flag"}, {"batch_size", 3}}}};
  auto c = ParsePipeline(nlohmann::json{{"version", 1}, {"name", "t"}, {"seed", 1}, {"steps", {step}}}.dump());
  ASSERT_TRUE(c.ok()) << c.error().message;
  MemoryOutputs out;
  RunOptions opts;
  opts.models = f.runner;
  opts.read_file = FileContext(f.runner).read_file;
  auto s = RunPipeline(c.value(), MakeVectorSource(rows), &out, opts);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s.value().steps[0].flagged, above);
  const auto& rep = s.value().report["steps"][0]["report"];
  EXPECT_EQ(rep["rows_scored"], texts.size());
  // The "text" format keeps no annotations in kept.jsonl; the report's mean is the check there.
  double mean = 0;
  for (double p : p1) mean += std::round(p * 10000) / 10000;
  mean /= static_cast<double>(p1.size());
  EXPECT_NEAR(rep["mean"].get<double>(), mean, 2e-4);
}

// A runner that answers later, as the page's does: callbacks queue and fire one per pipeline slice.
class DeferredRunner final : public ModelRunner {
 public:
  explicit DeferredRunner(ModelRunner* inner) : m_inner(inner) {}
  std::string Describe() const override { return "deferred " + m_inner->Describe(); }
  Status Available() const override { return m_inner->Available(); }
  bool IsSynchronous() const override { return false; }
  void Load(std::string bytes, LoadCallback done) override {
    auto r = LoadModelSync(*m_inner, std::move(bytes));
    m_queue.push_back([r, done]() mutable { done(std::move(r)); });
  }
  Result<ModelInfo> Info(ModelHandle m) const override { return m_inner->Info(m); }
  void Run(ModelHandle m, std::vector<Tensor> in, std::vector<std::string> names, RunCallback done) override {
    auto r = RunModelSync(*m_inner, m, std::move(in), std::move(names));
    m_queue.push_back([r, done]() mutable { done(std::move(r)); });
  }
  void Release(ModelHandle m) override { m_inner->Release(m); }
  void ReadAsset(std::string name, BytesCallback done) override {
    auto r = ReadAssetSync(*m_inner, std::move(name));
    m_queue.push_back([r, done]() mutable { done(std::move(r)); });
  }
  bool FireOne() {
    if (m_queue.empty()) return false;
    auto f = std::move(m_queue.front());
    m_queue.pop_front();
    f();
    return true;
  }
  size_t fired_max_queue = 0;

 private:
  ModelRunner* m_inner;
  std::deque<std::function<void()>> m_queue;
};

TEST(ModelSteps, AsynchronousRunnerGivesTheSameOutputsAsTheSynchronousOne) {
  Fixture f = MakeFixture();
  if (!f.skip.empty()) GTEST_SKIP() << f.skip;
  auto ref = nlohmann::json::parse(ReadText(f.dir + "/reference.json"));
  std::vector<Example> rows;
  for (int rep = 0; rep < 2; ++rep) {
    for (const auto& t : ref["texts"]) {
      Example ex;
      ex.messages.push_back(Message{Role::User, t.get<std::string>()});
      ex.messages.push_back(Message{Role::Assistant, "ok " + std::to_string(rows.size() % 3)});
      ex.source_format = Format::Messages;
      ex.origin.index = rows.size();
      ex.origin.line = rows.size() + 1;
      rows.push_back(ex);
    }
  }
  nlohmann::json steps = {
      {{"id", "cls"}, {"type", "score.model"},
       {"params", {{"model", f.dir + "/classifier.onnx"}, {"tokenizer", f.dir + "/vocab.txt"}, {"field", "each_turn"},
                   {"batch_size", 5}}}},
      {{"id", "sem"}, {"type", "dedup.semantic"},
       {"params", {{"model", f.dir + "/tiny_bert.onnx"}, {"tokenizer", f.dir + "/vocab.txt"}, {"view", "user"},
                   {"threshold", 0.999}, {"keep", "highest_score"}, {"score_from", "cls"}, {"batch_size", 4}}}}};
  auto c = ParsePipeline(nlohmann::json{{"version", 1}, {"name", "t"}, {"seed", 3}, {"steps", steps}}.dump());
  ASSERT_TRUE(c.ok()) << c.error().message;
  auto read = FileContext(f.runner).read_file;
  MemoryOutputs sync_out;
  RunOptions opts;
  opts.models = f.runner;
  opts.read_file = read;
  opts.batch_rows = 6;
  auto s = RunPipeline(c.value(), MakeVectorSource(rows), &sync_out, opts);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s.value().rejected, ref["texts"].size());  // the second copy of each

  DeferredRunner deferred(f.runner);
  MemoryOutputs async_out;
  opts.models = &deferred;
  auto run = PipelineRun::Start(c.value(), MakeVectorSource(rows), &async_out, opts);
  ASSERT_TRUE(run.ok()) << run.error().message;
  size_t waits = 0;
  while (run.value()->Step(64)) {
    if (run.value()->Progress().waiting) ++waits;
    deferred.FireOne();
  }
  ASSERT_TRUE(run.value()->status().ok()) << run.value()->status().error().message;
  EXPECT_GT(waits, 3u);
  for (const char* name : {"kept.jsonl", "rejected.jsonl"}) {
    ASSERT_NE(async_out.Get(name), nullptr);
    EXPECT_EQ(async_out.Text(name), sync_out.Text(name)) << name;
  }
}

TEST(ModelSteps, MissingRuntimeFailsTheModelStepWithAClearMessage) {
  std::unique_ptr<ModelRunner> none;
  // No runner at all (the wasm CLI): Prepare fails before any row.
  nlohmann::json step = {{"id", "cls"}, {"type", "score.model"}, {"params", {{"model", "m.onnx"}, {"tokenizer", "v.txt"}}}};
  auto c = ParsePipeline(nlohmann::json{{"version", 1}, {"name", "t"}, {"seed", 1}, {"steps", {step}}}.dump());
  ASSERT_TRUE(c.ok()) << c.error().message;
  MemoryOutputs out;
  RunOptions opts;
  auto s = RunPipeline(c.value(), MakeVectorSource({}), &out, opts);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "model_runtime_missing");
  EXPECT_NE(s.error().message.find("ONNX Runtime"), std::string::npos) << s.error().message;
}

TEST(EmbeddingPooling, MeanPoolUsesOnlyMaskedPositions) {
  // 2 rows × 3 positions × 2 dims; row 0 has its last position padded.
  Tensor t;
  t.type = TensorType::Float32;
  t.shape = {2, 3, 2};
  t.f32 = {1, 2, 3, 4, 100, 100, 1, 1, 2, 2, 3, 3};
  EncodedBatch b;
  b.rows = 2, b.seq = 3;
  b.mask = {1, 1, 0, 1, 1, 1};
  std::vector<float> pooled;
  size_t dim = 0;
  ASSERT_TRUE(PoolEmbeddings(t, b, &pooled, &dim));
  ASSERT_EQ(dim, 2u);
  EXPECT_FLOAT_EQ(pooled[0], 2.0f);
  EXPECT_FLOAT_EQ(pooled[1], 3.0f);
  EXPECT_FLOAT_EQ(pooled[2], 2.0f);
  EXPECT_FLOAT_EQ(pooled[3], 2.0f);
  // A [batch, hidden] output passes through; a wrong shape is refused.
  Tensor flat;
  flat.shape = {2, 2};
  flat.f32 = {1, 2, 3, 4};
  ASSERT_TRUE(PoolEmbeddings(flat, b, &pooled, &dim));
  EXPECT_EQ(pooled, (std::vector<float>{1, 2, 3, 4}));
  Tensor bad;
  bad.shape = {3, 2};
  bad.f32.assign(6, 0);
  EXPECT_FALSE(PoolEmbeddings(bad, b, &pooled, &dim));
}

}  // namespace
}  // namespace winnow
