// dedup.semantic: embeds a text view of each row with a user's ONNX sentence-embedding model (mean
// pooling over the attention mask, L2 normalisation), groups rows whose cosine similarity reaches the
// threshold (exact all-pairs up to "exact_max" rows, random-hyperplane LSH beyond), and keeps one row
// per cluster by the same policies as dedup.near. The report carries a 2-D PCA map of the embeddings
// for the studio. Needs every row; asynchronous in the page (Busy while embedding).
#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>

#include "dedup/embedding_index.h"
#include "pipeline/example_view.h"
#include "pipeline/pipeline_config.h"
#include "pipeline/step.h"
#include "pipeline/step_util.h"
#include "pipeline/text_model_client.h"

namespace winnow {
namespace {

class DedupSemanticStep final : public Step {
 public:
  std::string_view Type() const override { return "dedup.semantic"; }
  Status Configure(const nlohmann::json& p) override {
    Status st = CheckParamKeys(Type(), p, {"model", "tokenizer", "output", "max_length", "batch_size", "add_special",
                                           "view", "pooling", "threshold", "exact_max", "lsh_bits", "lsh_tables",
                                           "max_candidates", "keep", "score_from", "action", "map_points"});
    if (!st.ok()) return st;
    if (!(st = m_model.Parse(Type(), p)).ok()) return st;
    std::string view = std::string(TextViewName(m_view));
    if (!(st = GetParam(Type(), p, "view", &view, TextViewNames())).ok()) return st;
    ParseTextView(view, &m_view);
    if (!(st = GetParam(Type(), p, "pooling", &m_pooling, {"mean", "cls"})).ok()) return st;
    if (!(st = GetParam(Type(), p, "threshold", &m_threshold, 0.0, 1.0)).ok()) return st;
    if (!(st = GetParam(Type(), p, "exact_max", &m_exact_max, 0, 10000000)).ok()) return st;
    if (!(st = GetParam(Type(), p, "lsh_bits", &m_lsh_bits, 1, 64)).ok()) return st;
    if (!(st = GetParam(Type(), p, "lsh_tables", &m_lsh_tables, 1, 128)).ok()) return st;
    if (!(st = GetParam(Type(), p, "max_candidates", &m_max_candidates, 1, 100000)).ok()) return st;
    if (!(st = GetParam(Type(), p, "keep", &m_keep, {"first", "longest", "highest_score", "none"})).ok()) return st;
    if (!(st = GetParam(Type(), p, "score_from", &m_score_from)).ok()) return st;
    if (!(st = GetParam(Type(), p, "action", &m_action, {"drop", "flag"})).ok()) return st;
    if (!(st = GetParam(Type(), p, "map_points", &m_map_points, 0, 100000)).ok()) return st;
    return Status::Ok();
  }
  nlohmann::json Params() const override {
    nlohmann::json j = nlohmann::json::object();
    m_model.ToJson(&j);
    j["view"] = TextViewName(m_view);
    j["pooling"] = m_pooling;
    j["threshold"] = m_threshold;
    j["exact_max"] = m_exact_max;
    j["lsh_bits"] = m_lsh_bits;
    j["lsh_tables"] = m_lsh_tables;
    j["max_candidates"] = m_max_candidates;
    j["keep"] = m_keep;
    j["score_from"] = m_score_from;
    j["action"] = m_action;
    j["map_points"] = m_map_points;
    return j;
  }
  bool NeedsAllRows() const override { return true; }
  Status Prepare(StepContext& ctx) override {
    m_client = std::make_unique<TextModelClient>();
    m_seed = StepSeed(ctx);
    return m_client->Start(m_model, ctx);
  }
  bool Busy() const override { return m_client && m_client->Busy(); }

  // Embeds as rows arrive (only the vectors are kept; verdicts wait for Finish, which sees every row).
  void Process(std::span<Row*> rows, StepContext& ctx) override {
    if (!m_client) return;
    std::vector<std::string> texts(rows.size());
    const size_t base = m_submitted;
    for (size_t i = 0; i < rows.size(); ++i) {
      ViewText(rows[i]->ex, m_view, &texts[i]);
      if (m_keep == "longest") {
        uint64_t chars = 0, words = 0;
        CountChars(rows[i]->ex, &chars, &words);
        m_len.push_back(chars);
      }
      m_origins.push_back(rows[i]->ex.origin);
    }
    m_submitted += rows.size();
    m_client->Submit(std::move(texts),
                     [this, base](size_t first, const Tensor& out, const EncodedBatch& batch) { Store(base + first, out, batch); },
                     nullptr);
  }

  void Finish(std::span<Row*> all, StepContext& ctx) override {
    m_ctx_names = ctx.input_names;
    if (!m_client) return;
    std::vector<Row*> rows(all.begin(), all.end());
    std::string step_id = ctx.step_id;
    // An empty job: it completes after every embedding job queued before it.
    m_client->Submit({}, nullptr, [this, rows, step_id]() mutable {
      StepContext names;
      names.input_names = m_ctx_names;
      Decide(rows, step_id, names);
    });
  }

  nlohmann::json Report() const override { return m_report.is_null() ? BaseReport() : m_report; }

 private:
  nlohmann::json BaseReport() const {
    nlohmann::json r = nlohmann::json::object();
    r["view"] = TextViewName(m_view);
    r["keep"] = m_keep;
    r["action"] = m_action;
    r["threshold"] = m_threshold;
    if (m_client) {
      r["texts_embedded"] = m_client->texts_done();
      r["tokens"] = m_client->tokens_done();
      r["texts_at_max_length"] = m_client->truncated();
      if (!m_client->error().empty()) r["error"] = m_client->error();
    }
    if (!m_shape_error.empty()) r["error"] = m_shape_error;
    return r;
  }

  void Store(size_t first, const Tensor& out, const EncodedBatch& batch) {
    std::vector<float> pooled;
    size_t dim = 0;
    if (!PoolEmbeddings(out, batch, &pooled, &dim, m_pooling == "cls")) {
      if (m_shape_error.empty()) m_shape_error = "the model's output is neither [batch, seq, hidden] nor [batch, hidden]";
      return;
    }
    if (m_dim == 0) m_dim = dim;
    if (dim != m_dim) {
      if (m_shape_error.empty()) m_shape_error = "the model's embedding size changed between batches";
      return;
    }
    if (m_vectors.size() < (first + batch.rows) * m_dim) m_vectors.resize((first + batch.rows) * m_dim, 0.0f);
    std::copy(pooled.begin(), pooled.end(), m_vectors.begin() + static_cast<std::ptrdiff_t>(first * m_dim));
    for (size_t i = 0; i < batch.rows; ++i) {
      if (m_have.size() < first + batch.rows) m_have.resize(first + batch.rows, false);
      m_have[first + i] = true;
    }
  }

  double Score(const Row& r) const {
    if (!r.annotations.is_object()) return 0;
    auto it = r.annotations.find(m_score_from);
    if (it == r.annotations.end() || !it->is_object()) return 0;
    auto s = it->find("score");
    return (s != it->end() && s->is_number()) ? s->get<double>() : 0;
  }

  void Decide(std::vector<Row*>& all, const std::string& step_id, const StepContext& names) {
    nlohmann::json r = BaseReport();
    const size_t n = all.size();
    std::string problem;
    if (!m_client->error().empty()) problem = "not embedded: " + m_client->error();
    else if (!m_shape_error.empty()) problem = "not embedded: " + m_shape_error;
    else if (n != m_submitted || m_have.size() != n) problem = "not embedded: row count mismatch";
    if (!problem.empty()) {
      for (Row* row : all) row->flags.push_back(Verdict{VerdictKind::Flag, "", "model_error", problem});
      m_report = r;
      return;
    }
    EmbeddingIndexOptions o;
    o.threshold = m_threshold;
    o.exact_max = static_cast<size_t>(m_exact_max);
    o.lsh_bits = static_cast<int>(m_lsh_bits);
    o.lsh_tables = static_cast<int>(m_lsh_tables);
    o.max_candidates = static_cast<size_t>(m_max_candidates);
    o.seed = m_seed;
    EmbeddingIndex index(m_dim, o);
    for (size_t i = 0; i < n; ++i) index.Add(std::span<const float>(m_vectors.data() + i * m_dim, m_dim));
    m_vectors.clear();
    m_vectors.shrink_to_fit();
    index.Build();
    std::map<uint32_t, std::vector<uint32_t>> members;
    for (uint32_t d = 0; d < n; ++d) members[index.Cluster(d)].push_back(d);
    uint64_t dups = 0;
    std::vector<std::pair<size_t, uint32_t>> sized;
    for (auto& [root, docs] : members) {
      if (docs.size() < 2) continue;
      sized.push_back({docs.size(), root});
      int64_t keeper = docs[0];
      if (m_keep == "longest") {
        for (uint32_t d : docs)
          if (m_len[d] > m_len[static_cast<size_t>(keeper)]) keeper = d;
      } else if (m_keep == "highest_score") {
        double best = -1e300;
        for (uint32_t d : docs) {
          double s = Score(*all[d]);
          if (s > best) best = s, keeper = d;
        }
      } else if (m_keep == "none") {
        keeper = -1;
      }
      for (uint32_t d : docs) {
        Row& row = *all[d];
        if (!row.annotations.is_object()) row.annotations = nlohmann::json::object();
        row.annotations[step_id] = nlohmann::json{{"cluster", root}, {"cluster_size", docs.size()}};
        if (static_cast<int64_t>(d) == keeper) continue;
        ++dups;
        uint32_t ref = keeper >= 0 ? static_cast<uint32_t>(keeper) : (d == root ? docs[1] : root);
        const double cos = Round4(Dot(index.Vector(d), index.Vector(ref), m_dim));
        char c[32];
        std::snprintf(c, sizeof c, "%.4f", cos);
        std::string detail = (keeper >= 0 ? "semantic duplicate of " : "in a semantic-duplicate cluster with ") +
                             RowWhere(m_origins[ref], names) + " (cosine " + c + "), cluster of " +
                             std::to_string(docs.size());
        Verdict v{m_action == "drop" ? VerdictKind::Drop : VerdictKind::Flag, "", "semantic_duplicate", detail};
        if (m_action == "drop") {
          row.verdict = v;
        } else {
          row.flags.push_back(v);
        }
      }
    }
    std::stable_sort(sized.begin(), sized.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    r["docs"] = n;
    r["dim"] = m_dim;
    r["search"] = index.exact() ? "exact" : "lsh";
    if (!index.exact()) r["lsh"] = nlohmann::json{{"bits", m_lsh_bits}, {"tables", m_lsh_tables}, {"max_candidates", m_max_candidates}};
    r["pairs_compared"] = index.pairs_compared();
    r["pairs_matched"] = index.pairs_matched();
    r["clusters"] = sized.size();
    r["duplicates"] = dups;
    nlohmann::json largest = nlohmann::json::array();
    for (size_t i = 0; i < sized.size() && i < 10; ++i) {
      const auto& docs = members.at(sized[i].second);
      nlohmann::json pairs = nlohmann::json::array();
      for (size_t k = 1; k < docs.size() && k <= 3; ++k) {
        uint32_t d = docs[k];
        uint32_t other = index.Best(d).doc != d ? index.Best(d).doc : docs[0];
        pairs.push_back(nlohmann::json{{"a", RowRef(m_origins[other], names)}, {"b", RowRef(m_origins[d], names)},
                                       {"cosine", Round4(Dot(index.Vector(d), index.Vector(other), m_dim))}});
      }
      largest.push_back(nlohmann::json{{"size", docs.size()}, {"first", RowRef(m_origins[docs[0]], names)}, {"pairs", pairs}});
    }
    r["largest_clusters"] = largest;
    // The 2-D map: an even sample of at most map_points rows, PCA over their embeddings.
    if (m_map_points > 0 && n > 0) {
      const size_t k = std::min<size_t>(n, static_cast<size_t>(m_map_points));
      std::vector<uint32_t> pick(k);
      for (size_t i = 0; i < k; ++i) pick[i] = static_cast<uint32_t>(i * n / k);
      std::vector<float> sample(k * m_dim);
      for (size_t i = 0; i < k; ++i) std::copy_n(index.Vector(pick[i]), m_dim, sample.begin() + static_cast<std::ptrdiff_t>(i * m_dim));
      std::vector<float> xy = Pca2D(sample.data(), k, m_dim, m_seed);
      nlohmann::json pts = nlohmann::json::array(), cl = nlohmann::json::array(), rows = nlohmann::json::array();
      nlohmann::json scores = nlohmann::json::array();
      bool any_score = false;
      for (size_t i = 0; i < k; ++i) {
        pts.push_back(nlohmann::json::array({Round4(xy[2 * i]), Round4(xy[2 * i + 1])}));
        const uint32_t root = index.Cluster(pick[i]);
        cl.push_back(members[root].size() >= 2 ? static_cast<int64_t>(root) : -1);
        rows.push_back(RowRef(m_origins[pick[i]], names));
        // The score_from step's score of the row, so the studio can colour the map by it.
        const Row& row = *all[pick[i]];
        const nlohmann::json* score = nullptr;
        if (row.annotations.is_object()) {
          auto a = row.annotations.find(m_score_from);
          if (a != row.annotations.end() && a->is_object()) {
            auto sc = a->find("score");
            if (sc != a->end() && sc->is_number()) score = &*sc;
          }
        }
        scores.push_back(score ? *score : nlohmann::json());
        any_score |= score != nullptr;
      }
      r["map"] = nlohmann::json{{"projection", "pca"}, {"points", pts}, {"cluster", cl}, {"rows", rows}};
      if (any_score) {
        r["map"]["score"] = scores;
        r["map"]["score_from"] = m_score_from;
      }
    }
    m_report = r;
  }

  TextModelConfig m_model;
  TextView m_view = TextView::Example;
  std::string m_pooling = "mean", m_keep = "first", m_score_from = "score.model", m_action = "drop";
  double m_threshold = 0.95;
  int64_t m_exact_max = 20000, m_lsh_bits = 16, m_lsh_tables = 8, m_max_candidates = 256, m_map_points = 2000;
  std::unique_ptr<TextModelClient> m_client;
  uint64_t m_seed = 0;
  size_t m_submitted = 0, m_dim = 0;
  std::vector<float> m_vectors;
  std::vector<bool> m_have;
  std::vector<uint64_t> m_len;
  std::vector<Origin> m_origins;
  std::string m_shape_error;
  nlohmann::json m_report;
  const std::vector<std::string>* m_ctx_names = nullptr;
};

}  // namespace

WINNOW_REGISTER_STEP(DedupSemanticStep, "dedup.semantic",
                     "Remove semantic duplicates: your ONNX sentence-embedding model, cosine threshold, exact or LSH search");

}  // namespace winnow
