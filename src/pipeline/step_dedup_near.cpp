// dedup.near: MinHash LSH near-duplicate detection over a view of each row, with bands × rows
// chosen from the Jaccard threshold (dedup/lsh_params.h), optional exact-Jaccard verification,
// union-find clusters and a keep policy. With keep "first" and action "drop" it streams; the other
// policies (and action "flag", whose cluster ids must be final) need every row first.
#include <algorithm>
#include <cstdio>
#include <span>
#include <vector>
#include <memory>

#include "dedup/near_dedup_index.h"
#include "pipeline/example_view.h"
#include "pipeline/pipeline_config.h"
#include "pipeline/step.h"
#include "pipeline/step_util.h"

namespace winnow {

namespace {

// Documents grouped by cluster root, each group in input order: a counting sort over the roots
// (document ids), not a map of vectors (at 1M documents that took a second in Report()).
struct Members {
  std::vector<uint32_t> start;  // group of root r: docs[start[r], start[r + 1])
  std::vector<uint32_t> docs;
  std::span<const uint32_t> Of(uint32_t root) const {
    return std::span<const uint32_t>(docs.data() + start[root], start[root + 1] - start[root]);
  }
};
Members GroupByRoot(const std::vector<uint32_t>& root) {
  Members m;
  const size_t n = root.size();
  m.start.assign(n + 1, 0);
  for (uint32_t r : root) ++m.start[r + 1];
  for (size_t i = 0; i < n; ++i) m.start[i + 1] += m.start[i];
  m.docs.resize(n);
  std::vector<uint32_t> at(m.start.begin(), m.start.end() - 1);
  for (uint32_t d = 0; d < n; ++d) m.docs[at[root[d]]++] = d;
  return m;
}

class DedupNearStep final : public Step {
 public:
  DedupNearStep() {
    m_norm.punctuation = true;
  }
  std::string_view Type() const override { return "dedup.near"; }
  Status Configure(const nlohmann::json& p) override {
    Status st = CheckParamKeys(Type(), p, {"view", "threshold", "num_perm", "ngram", "shingle", "bands", "rows",
                                           "verify", "keep", "score_from", "action", "normalize", "max_candidates"});
    if (!st.ok()) return st;
    std::string view = std::string(TextViewName(m_view));
    if (!(st = GetParam(Type(), p, "view", &view, TextViewNames())).ok()) return st;
    ParseTextView(view, &m_view);
    if (!(st = GetParam(Type(), p, "threshold", &m_threshold, 0.05, 1.0)).ok()) return st;
    if (!(st = GetParam(Type(), p, "num_perm", &m_num_perm, 8, 1024)).ok()) return st;
    if (!(st = GetParam(Type(), p, "ngram", &m_ngram, 1, 64)).ok()) return st;
    if (!(st = GetParam(Type(), p, "shingle", &m_shingle, {"word", "char"})).ok()) return st;
    if (!(st = GetParam(Type(), p, "bands", &m_bands, 0, 1024)).ok()) return st;
    if (!(st = GetParam(Type(), p, "rows", &m_rows, 0, 1024)).ok()) return st;
    if (!(st = GetParam(Type(), p, "verify", &m_verify)).ok()) return st;
    if (!(st = GetParam(Type(), p, "keep", &m_keep, {"first", "longest", "highest_score", "none"})).ok()) return st;
    if (!(st = GetParam(Type(), p, "score_from", &m_score_from)).ok()) return st;
    if (!(st = GetParam(Type(), p, "action", &m_action, {"drop", "flag"})).ok()) return st;
    if (!(st = GetParam(Type(), p, "max_candidates", &m_max_candidates, 1, 100000)).ok()) return st;
    if (!(st = ParseNormalizeParam(Type(), p, "normalize", &m_norm)).ok()) return st;
    if ((m_bands == 0) != (m_rows == 0)) {
      return Error{"bad_config", "dedup.near: give both \"bands\" and \"rows\" (or neither, to choose them from \"threshold\")"};
    }
    if (m_bands * m_rows > m_num_perm) {
      return Error{"bad_config", "dedup.near: \"bands\" × \"rows\" must be at most \"num_perm\" (" + std::to_string(m_num_perm) + ")"};
    }
    NearDedupOptions o;
    o.minhash.num_perm = static_cast<int>(m_num_perm);
    o.minhash.ngram = static_cast<int>(m_ngram);
    o.minhash.kind = m_shingle == "char" ? ShingleKind::Char : ShingleKind::Word;
    o.threshold = m_threshold;
    o.verify = m_verify;
    o.bands = static_cast<int>(m_bands);
    o.rows = static_cast<int>(m_rows);
    o.max_candidates = static_cast<int>(m_max_candidates);
    m_opts = o;
    return Status::Ok();
  }
  nlohmann::json Params() const override {
    return nlohmann::json{{"view", TextViewName(m_view)}, {"threshold", m_threshold}, {"num_perm", m_num_perm},
                          {"ngram", m_ngram}, {"shingle", m_shingle}, {"bands", m_bands}, {"rows", m_rows},
                          {"verify", m_verify}, {"keep", m_keep}, {"score_from", m_score_from}, {"action", m_action},
                          {"normalize", NormalizeParamJson(m_norm)}, {"max_candidates", m_max_candidates}};
  }
  bool NeedsAllRows() const override { return !Streaming(); }
  Status Prepare(StepContext& ctx) override {
    NearDedupOptions o = m_opts;
    o.minhash.seed = StepSeed(ctx);
    m_index = std::make_unique<NearDedupIndex>(o);
    return Status::Ok();
  }
  void Process(std::span<Row*> rows, StepContext& ctx) override {
    if (!m_index) Prepare(ctx);
    for (Row* r : rows) {
      ViewText(r->ex, m_view, &m_text);
      NormalizeText(m_text, m_norm, &m_norm_text);
      NearMatch best;
      uint32_t doc = m_index->Add(m_norm_text, &best);
      m_origins.push_back(r->ex.origin);
      m_best.push_back(best);
      if (m_keep == "longest") {
        uint64_t chars = 0, words = 0;
        CountChars(r->ex, &chars, &words);
        m_len.push_back(chars);
      }
      if (Streaming() && best.doc != doc) {
        char j[16];
        std::snprintf(j, sizeof j, "%.2f", Round4(best.jaccard));
        ++m_dropped_streaming;
        r->verdict = Verdict{VerdictKind::Drop, "", "near_duplicate",
                             "near duplicate of " + RowWhere(m_origins[best.doc], ctx) + " (Jaccard " + j + ")"};
      }
    }
  }
  void Finish(std::span<Row*> all, StepContext& ctx) override {
    m_ctx_names = ctx.input_names;
    if (!m_index) return;
    const size_t n = m_index->size();
    m_root.resize(n);
    for (uint32_t d = 0; d < n; ++d) m_root[d] = m_index->Cluster(d);
    if (Streaming() || all.size() != n) return;
    // Members per cluster (in input order), then the keeper by policy.
    const Members members = GroupByRoot(m_root);
    for (uint32_t root = 0; root < n; ++root) {
      const std::span<const uint32_t> docs = members.Of(root);
      if (docs.size() < 2) continue;
      int64_t keeper = docs[0];
      if (m_keep == "longest") {
        for (uint32_t d : docs) {
          if (m_len[d] > m_len[static_cast<size_t>(keeper)]) keeper = d;
        }
      } else if (m_keep == "highest_score") {
        double best = -1;
        for (uint32_t d : docs) {
          double s = Score(*all[d]);
          if (s > best) {
            best = s;
            keeper = d;
          }
        }
      } else if (m_keep == "none") {
        keeper = -1;
      }
      for (uint32_t d : docs) {
        Row& r = *all[d];
        r.annotations[ctx.step_id] = nlohmann::json{{"cluster", root}, {"cluster_size", docs.size()}};
        if (static_cast<int64_t>(d) == keeper) continue;
        uint32_t ref = keeper >= 0 ? static_cast<uint32_t>(keeper) : (d == root ? docs[1] : root);
        char j[16];
        double jac = m_verify ? m_index->DocJaccard(d, ref) : m_best[d].jaccard;
        std::snprintf(j, sizeof j, "%.2f", Round4(jac));
        std::string detail = (keeper >= 0 ? "near duplicate of " : "in a near-duplicate cluster with ") +
                             RowWhere(m_origins[ref], ctx) + " (Jaccard " + j + "), cluster of " +
                             std::to_string(docs.size());
        if (m_action == "drop") {
          r.verdict = Verdict{VerdictKind::Drop, "", "near_duplicate", detail};
        } else {
          r.flags.push_back(Verdict{VerdictKind::Flag, "", "near_duplicate", detail});
        }
      }
    }
  }
  nlohmann::json Report() const override {
    nlohmann::json r = nlohmann::json::object();
    r["view"] = TextViewName(m_view);
    r["keep"] = m_keep;
    r["action"] = m_action;
    r["verify"] = m_verify;
    if (!m_index) return r;
    const LshParams& l = m_index->lsh();
    r["lsh"] = nlohmann::json{{"threshold", m_threshold}, {"num_perm", m_num_perm}, {"bands", l.bands}, {"rows", l.rows},
                              {"false_positive_area", Round4(l.false_positive)}, {"false_negative_area", Round4(l.false_negative)},
                              {"chosen", m_bands != 0   ? "given"
                                         : m_opts.verify ? "minimising 0.2 x false positives + 0.8 x false negatives on "
                                                           "the S-curve (candidates are verified)"
                                                         : "minimising false positives + false negatives on the S-curve"}};
    r["docs"] = m_index->size();
    r["candidates_checked"] = m_index->candidates_checked();
    r["candidates_confirmed"] = m_index->candidates_confirmed();
    // Clusters: sizes, then the largest with sample pairs.
    const Members members = GroupByRoot(m_root);
    std::vector<std::pair<size_t, uint32_t>> sized;
    uint64_t dups = 0;
    for (uint32_t root = 0; root < m_root.size(); ++root) {
      const size_t size = members.Of(root).size();
      if (size < 2) continue;
      sized.push_back({size, root});
      dups += size - (m_keep == "none" ? 0 : 1);
    }
    std::stable_sort(sized.begin(), sized.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    r["clusters"] = sized.size();
    // Streaming ("first" + "drop"): a row joining two earlier clusters merges them, but only the
    // joining row is dropped, so count what was dropped.
    r["duplicates"] = Streaming() ? m_dropped_streaming : dups;
    StepContext names;
    names.input_names = m_ctx_names;
    nlohmann::json largest = nlohmann::json::array();
    for (size_t i = 0; i < sized.size() && i < 10; ++i) {
      const std::span<const uint32_t> docs = members.Of(sized[i].second);
      nlohmann::json pairs = nlohmann::json::array();
      for (size_t k = 1; k < docs.size() && k <= 3; ++k) {
        uint32_t d = docs[k];
        uint32_t other = m_best[d].doc != d ? m_best[d].doc : docs[0];
        double jac = m_verify ? m_index->DocJaccard(d, other) : m_best[d].jaccard;
        pairs.push_back(nlohmann::json{{"a", RowRef(m_origins[other], names)}, {"b", RowRef(m_origins[d], names)},
                                       {"jaccard", Round4(jac)}});
      }
      largest.push_back(nlohmann::json{{"size", docs.size()}, {"first", RowRef(m_origins[docs[0]], names)}, {"pairs", pairs}});
    }
    r["largest_clusters"] = largest;
    return r;
  }

 private:
  bool Streaming() const { return m_keep == "first" && m_action == "drop"; }
  double Score(const Row& r) const {
    if (!r.annotations.is_object()) return 0;
    auto it = r.annotations.find(m_score_from);
    if (it == r.annotations.end() || !it->is_object()) return 0;
    auto s = it->find("score");
    return (s != it->end() && s->is_number()) ? s->get<double>() : 0;
  }
  TextView m_view = TextView::Example;
  double m_threshold = 0.8;
  int64_t m_num_perm = 128, m_ngram = 5, m_bands = 0, m_rows = 0, m_max_candidates = 64;
  std::string m_shingle = "word", m_keep = "first", m_score_from = "filter.quality", m_action = "drop";
  bool m_verify = true;
  NormalizeOptions m_norm;
  NearDedupOptions m_opts;
  std::unique_ptr<NearDedupIndex> m_index;
  std::vector<Origin> m_origins;
  std::vector<NearMatch> m_best;
  std::vector<uint64_t> m_len;
  std::vector<uint32_t> m_root;
  uint64_t m_dropped_streaming = 0;
  const std::vector<std::string>* m_ctx_names = nullptr;
  std::string m_text, m_norm_text;
};

}  // namespace

WINNOW_REGISTER_STEP(DedupNearStep, "dedup.near", "Remove near duplicates: MinHash LSH over word or character n-grams, union-find clusters");

}  // namespace winnow
