// split: assigns every kept row to train / validation / test — random, stratified by a field, or
// time-based by a field — with a seed. Rows of one near-duplicate group always land in the same
// split: the clusters a dedup.near step with action "flag" annotated, or, when no such annotations
// exist, groups the split finds itself with the same MinHash LSH index (dedup/near_dedup_index.h).
// The report gives counts and distributions per split, and a leakage check between splits that
// re-checks every near-duplicate pair the split's own index confirmed against the final assignment.
//
// [SECTION] index: FieldValue · SplitStep::Configure · Finish (phases: Signatures, Verify, Annotate,
// Overlap, Clusters; chunked through Busy / Poll) · Assign · Report
#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "core/hash.h"
#include "dedup/minhash.h"
#include "dedup/near_dedup_index.h"
#include "dedup/text_normalize.h"
#include "pipeline/example_view.h"
#include "pipeline/pipeline_config.h"
#include "pipeline/step.h"
#include "pipeline/step_util.h"

namespace winnow {

namespace {

const char* const kSplits[] = {"train", "validation", "test"};

// Value of a field for stratifying / ordering: "label" (KTO), "format", "file" (input name), or a
// key of the source row's other fields (meta), "a.b" for nested objects. Missing -> empty.
std::string FieldValue(const Row& r, const std::string& field, const StepContext& ctx, bool* numeric, double* num) {
  *numeric = false;
  if (field == "label") {
    if (r.ex.label < 0) return {};
    return r.ex.label ? "true" : "false";
  }
  if (field == "format") return std::string(FormatName(r.ex.source_format));
  if (field == "file") {
    return (ctx.input_names && r.ex.origin.file < ctx.input_names->size()) ? (*ctx.input_names)[r.ex.origin.file] : "";
  }
  if (r.ex.meta.empty()) return {};
  nlohmann::json meta = nlohmann::json::parse(r.ex.meta, nullptr, false);
  if (meta.is_discarded()) return {};
  const nlohmann::json* cur = &meta;
  size_t pos = 0;
  while (pos <= field.size()) {
    size_t dot = field.find('.', pos);
    if (dot == std::string::npos) dot = field.size();
    std::string key = field.substr(pos, dot - pos);
    if (!cur->is_object() || !cur->contains(key)) return {};
    cur = &(*cur)[key];
    pos = dot + 1;
  }
  if (cur->is_string()) return cur->get<std::string>();
  if (cur->is_number()) {
    *numeric = true;
    *num = cur->get<double>();
  }
  if (cur->is_null()) return {};
  return cur->dump();
}

// Length percentiles (characters) of one split: the same rank rule as LengthHistogram
// (run_stats.h), integers only. Sorts v.
nlohmann::json Percentiles(std::vector<uint32_t>& v) {
  nlohmann::json h = nlohmann::json::object();
  h["count"] = v.size();
  if (v.empty()) return h;
  std::sort(v.begin(), v.end());
  auto pct = [&](uint64_t p) { return v[std::min<uint64_t>(v.size() - 1, (v.size() - 1) * p / 100)]; };
  h["min"] = v.front();
  for (uint64_t p : {10, 25, 50, 75, 90, 99}) h["p" + std::to_string(p)] = pct(p);
  h["max"] = v.back();
  return h;
}

class SplitStep final : public Step {
 public:
  SplitStep() { m_near_norm.punctuation = true; }  // as dedup.near
  std::string_view Type() const override { return "split"; }
  Status Configure(const nlohmann::json& p) override {
    Status st = CheckParamKeys(Type(), p, {"method", "ratios", "field", "group_near_duplicates", "cluster_from", "near_duplicates"});
    if (!st.ok()) return st;
    if (!(st = GetParam(Type(), p, "method", &m_method, {"random", "stratified", "time"})).ok()) return st;
    if (!(st = GetParam(Type(), p, "field", &m_field)).ok()) return st;
    if (!(st = GetParam(Type(), p, "group_near_duplicates", &m_group)).ok()) return st;
    if (!(st = GetParam(Type(), p, "cluster_from", &m_cluster_from)).ok()) return st;
    if (p.is_object() && p.contains("ratios")) {
      const nlohmann::json& r = p["ratios"];
      if (!r.is_object()) return Error{"bad_config", "split: \"ratios\" must be an object like {\"train\": 0.8, \"validation\": 0.1, \"test\": 0.1}"};
      st = CheckParamKeys("split \"ratios\"", r, {"train", "validation", "test"});
      if (!st.ok()) return st;
      double sum = 0;
      for (int i = 0; i < 3; ++i) {
        m_ratio[i] = 0;
        if (!(st = GetParam("split \"ratios\"", r, kSplits[i], &m_ratio[i], 0.0, 1.0)).ok()) return st;
        sum += m_ratio[i];
      }
      if (sum < 0.999999 || sum > 1.000001) {
        return Error{"bad_config", "split: \"ratios\" must add up to 1, got " + r.dump()};
      }
    }
    if (p.is_object() && p.contains("near_duplicates")) {
      const nlohmann::json& nd = p["near_duplicates"];
      if (nd.is_boolean()) {
        m_near = nd.get<bool>();
      } else if (nd.is_object()) {
        m_near = true;
        const char* where = "split \"near_duplicates\"";
        if (!(st = CheckParamKeys(where, nd, {"threshold", "view", "num_perm", "ngram", "shingle"})).ok()) return st;
        if (!(st = GetParam(where, nd, "threshold", &m_near_threshold, 0.05, 1.0)).ok()) return st;
        std::string view = std::string(TextViewName(m_near_view));
        if (!(st = GetParam(where, nd, "view", &view, TextViewNames())).ok()) return st;
        ParseTextView(view, &m_near_view);
        if (!(st = GetParam(where, nd, "num_perm", &m_near_num_perm, 8, 1024)).ok()) return st;
        if (!(st = GetParam(where, nd, "ngram", &m_near_ngram, 1, 64)).ok()) return st;
        if (!(st = GetParam(where, nd, "shingle", &m_near_shingle, {"word", "char"})).ok()) return st;
      } else {
        return Error{"bad_config", "split: \"near_duplicates\" must be an object like {\"threshold\": 0.8, \"view\": \"example\"} "
                                   "(keys: threshold, view, num_perm, ngram, shingle), or true / false to turn the split's own "
                                   "near-duplicate check on / off, got " + nd.dump()};
      }
    }
    if (m_method != "random" && m_field.empty()) {
      return Error{"bad_config", "split: method \"" + m_method + "\" needs \"field\" (a source field such as \"category\" or \"created_at\"; or \"label\", \"format\", \"file\")"};
    }
    return Status::Ok();
  }
  nlohmann::json Params() const override {
    nlohmann::json ratios = nlohmann::json::object();
    for (int i = 0; i < 3; ++i) ratios[kSplits[i]] = m_ratio[i];
    return nlohmann::json{{"method", m_method}, {"ratios", ratios}, {"field", m_field}, {"group_near_duplicates", m_group},
                          {"cluster_from", m_cluster_from}, {"near_duplicates", NearParams()}};
  }
  bool NeedsAllRows() const override { return true; }
  void Process(std::span<Row*>, StepContext&) override {}
  // Finish runs as chunked phases (Work): the split's own near-duplicate index over every row
  // (Signatures), the assignment (Assign, one go: sorting and shuffling, no text work), then the
  // pair / cluster re-check (Verify), annotations with the exact-text keys (Annotate), and the two
  // leakage counts (Overlap, Clusters). The studio's frame-sliced run never spends a whole frame
  // (or, at a million rows, seconds) in one call.
  void Finish(std::span<Row*> all, StepContext& ctx) override {
    m_all.assign(all.begin(), all.end());
    m_step_id = ctx.step_id;
    m_names.input_names = ctx.input_names;
    m_seed = StepSeed(ctx);
    // Upstream clusters (dedup.near with action "flag") are the groups when any row carries one.
    m_upstream = false;
    for (Row* r : m_all) {
      if (UpstreamCluster(*r) >= 0) {
        m_upstream = true;
        break;
      }
    }
    m_cursor = 0;
    if (m_near) {
      NearDedupOptions o;
      o.minhash.num_perm = static_cast<int>(m_near_num_perm);
      o.minhash.ngram = static_cast<int>(m_near_ngram);
      o.minhash.kind = m_near_shingle == "char" ? ShingleKind::Char : ShingleKind::Word;
      o.minhash.seed = Mix64(m_seed ^ 0x6E656172ULL);  // not the shuffle's stream
      o.threshold = m_near_threshold;
      o.verify = true;  // pairs are confirmed by exact Jaccard
      m_index = std::make_unique<NearDedupIndex>(o);
      m_phase = Phase::Signatures;
    } else {
      Assign();
    }
    Work();
  }
  bool Busy() const override { return m_phase != Phase::Idle; }
  void Poll(StepContext&) override { Work(); }
  nlohmann::json Report() const override {
    nlohmann::json r = nlohmann::json::object();
    r["method"] = m_method;
    nlohmann::json counts = nlohmann::json::object();
    for (int s = 0; s < 3; ++s) {
      if (m_ratio[s] > 0) counts[kSplits[s]] = m_counts[s];
    }
    r["counts"] = counts;
    r["units"] = m_units;
    r["rows_in_near_duplicate_groups"] = m_grouped_rows;
    r["near_duplicate_groups"] = nlohmann::json{{"source", GroupSource()}, {"kept_together", m_group},
                                                {"groups", m_groups}, {"rows", m_rows_in_groups}};
    if (!m_field.empty()) {
      r["field"] = m_field;
      r["rows_missing_field"] = m_missing;
    }
    if (m_method == "stratified") r["strata"] = m_strata;
    if (m_method == "time") {
      nlohmann::json t = nlohmann::json::object();
      for (int s = 0; s < 3; ++s) {
        if (m_ratio[s] > 0) t[kSplits[s]] = nlohmann::json{{"from", m_time_from[s]}, {"to", m_time_to[s]}};
      }
      r["time_ranges"] = t;
    }
    r["distributions"] = m_distributions;
    nlohmann::json leak{{"exact_overlap", m_exact_overlap}, {"clusters_across_splits", m_straddling},
                        {"view", "example (normalized)"}, {"groups_from", GroupSource()}};
    nlohmann::json nd = nlohmann::json::object();
    nd["checked"] = m_near;
    if (m_near) {
      nd["view"] = TextViewName(m_near_view);
      nd["threshold"] = m_near_threshold;
      nd["pairs"] = m_pairs;
      nd["pairs_across_splits"] = m_pairs_across;
      nd["clusters"] = m_own_clusters;
      nd["clusters_across_splits"] = m_own_across;
      nd["samples"] = m_leak_samples;
    }
    leak["near_duplicates"] = nd;
    r["leakage"] = leak;
    return r;
  }

 private:
  enum class Phase { Idle, Signatures, Verify, Annotate, Overlap, Clusters };
  static constexpr size_t kRowsPerPoll = 1024;
  // A pair of rows the split's own index confirmed (b > a; Jaccard exact, as float).
  struct Pair {
    uint32_t a, b;
    float jaccard;
  };

  nlohmann::json NearParams() const {
    if (!m_near) return false;
    return nlohmann::json{{"threshold", m_near_threshold}, {"view", TextViewName(m_near_view)},
                          {"num_perm", m_near_num_perm}, {"ngram", m_near_ngram}, {"shingle", m_near_shingle}};
  }
  // Where the near-duplicate groups came from: the cluster_from step's annotations, the split's
  // own index, or nowhere (own check off and no annotations).
  std::string GroupSource() const {
    if (m_upstream) return m_cluster_from;
    return m_near ? "split" : "none";
  }
  int64_t UpstreamCluster(const Row& r) const {
    if (!r.annotations.is_object()) return -1;
    auto a = r.annotations.find(m_cluster_from);
    if (a == r.annotations.end() || !a->is_object()) return -1;
    auto c = a->find("cluster");
    return (c != a->end() && c->is_number_integer()) ? c->get<int64_t>() : -1;
  }

  // One chunk (about kRowsPerPoll rows) of the phases; Idle when all are done.
  void Work() {
    const size_t n = m_all.size();
    size_t budget = kRowsPerPoll;
    if (m_phase == Phase::Signatures) {
      // The rows' texts through the index, as dedup.near does (same view / normalization code);
      // every confirmed match is kept as a pair for the re-check after the assignment.
      for (; m_cursor < n && budget > 0; ++m_cursor, --budget) {
        ViewText(m_all[m_cursor]->ex, m_near_view, &m_text);
        NormalizeText(m_text, m_near_norm, &m_normed);
        NearMatch best;
        uint32_t doc = m_index->Add(m_normed, &best, &m_matches);
        for (const NearMatch& m : m_matches) m_pairs_list.push_back(Pair{m.doc, doc, static_cast<float>(m.jaccard)});
      }
      if (m_cursor < n) return;
      m_root.resize(n);
      for (uint32_t d = 0; d < n; ++d) m_root[d] = m_index->Cluster(d);
      m_index.reset();  // the pairs and roots are all the later phases need
      m_matches = {};
      m_pairs = m_pairs_list.size();
      Assign();
    }
    if (m_phase == Phase::Verify) {
      // Own pairs and own clusters whose rows ended in different splits: zero when the grouping
      // held, whatever the groups' source. A cluster's root is its first row (union_find.h).
      for (; m_cursor < m_pairs_list.size() && budget > 0; ++m_cursor) {
        const Pair& p = m_pairs_list[m_cursor];
        if (m_row_split[p.a] != m_row_split[p.b]) {
          ++m_pairs_across;
          if (m_leak_samples.size() < 5) {
            m_leak_samples.push_back(nlohmann::json{{"a", RowRef(m_all[p.a]->ex.origin, m_names)}, {"a_split", kSplits[m_row_split[p.a]]},
                                                    {"b", RowRef(m_all[p.b]->ex.origin, m_names)}, {"b_split", kSplits[m_row_split[p.b]]},
                                                    {"jaccard", Round4(p.jaccard)}});
          }
        }
        if ((m_cursor & 3) == 3) --budget;  // a pair costs far less than a row
      }
      if (m_cursor < m_pairs_list.size()) return;
      // 1: a cluster's root, 3: one whose rows span two splits.
      std::vector<uint8_t> mark(n, 0);
      for (uint32_t i = 0; i < n; ++i) {
        const uint32_t root = m_root[i];
        if (root == i) continue;
        mark[root] |= 1;
        if (m_row_split[i] != m_row_split[root]) mark[root] |= 2;
      }
      for (uint32_t i = 0; i < n; ++i) {
        m_own_clusters += mark[i] & 1;
        m_own_across += mark[i] >> 1;
      }
      if (!m_upstream) m_straddling = m_own_across;
      m_pairs_list = {};
      m_root = {};
      m_phase = Phase::Annotate;
      m_cursor = 0;
    }
    if (m_phase == Phase::Annotate) {
      NormalizeOptions norm;
      for (; m_cursor < m_unit_rows.size() && budget > 0; ++m_cursor) {
        const size_t u = m_cursor;
        for (uint32_t i : m_unit_rows[u]) {
          const int s = m_assign[u];
          m_all[i]->annotations[m_step_id] = nlohmann::json{{"split", kSplits[s]}};
          ++m_counts[s];
          uint64_t chars = 0, words = 0;
          CountChars(m_all[i]->ex, &chars, &words);
          m_chars[s].push_back(static_cast<uint32_t>(std::min<uint64_t>(chars, UINT32_MAX)));
          ViewText(m_all[i]->ex, TextView::Example, &m_text);
          NormalizeText(m_text, norm, &m_normed);
          m_keys[i] = Hash128Of(m_normed);
          if (s == 0) m_train_keys.insert({m_keys[i].lo, m_keys[i].hi});
        }
        budget -= std::min(budget, m_unit_rows[u].size());
      }
      if (m_cursor < m_unit_rows.size()) return;
      Distributions();
      m_phase = Phase::Overlap;
      m_cursor = 0;
    }
    if (m_phase == Phase::Overlap) {
      for (; m_cursor < n && budget > 0; ++m_cursor, --budget) {
        const size_t i = m_cursor;
        if (m_row_split[i] != 0 && m_train_keys.count({m_keys[i].lo, m_keys[i].hi})) ++m_exact_overlap;
      }
      if (m_cursor < n) return;
      m_phase = Phase::Clusters;
      m_cursor = 0;
    }
    // Upstream clusters across splits: every cluster id annotated by cluster_from, whatever the grouping.
    for (; m_upstream && m_cursor < n && budget > 0; ++m_cursor, --budget) {
      int64_t c = UpstreamCluster(*m_all[m_cursor]);
      if (c < 0) continue;
      auto [it, fresh] = m_cluster_split.emplace(c, m_row_split[m_cursor]);
      if (!fresh && it->second != m_row_split[m_cursor]) m_straddling_ids.insert(c);
    }
    if (m_upstream && m_cursor < n) return;
    if (m_upstream) m_straddling = m_straddling_ids.size();
    // Done: release the working state (the report needs only the counts).
    m_phase = Phase::Idle;
    m_all = {};
    m_unit_rows = {};
    m_assign = {};
    m_keys = {};
    m_row_split = {};
    m_train_keys = {};
    m_cluster_split = {};
    m_straddling_ids = {};
    for (auto& c : m_chars) c = {};
  }

  // Units (near-duplicate groups when kept together, else single rows; a unit is named by its
  // first row) and their splits; sets m_row_split and goes on to Verify (or Annotate).
  void Assign() {
    const size_t n = m_all.size();
    // Group of each row: its upstream cluster id, or its own cluster's root (first row) when that
    // cluster has two rows or more; -1 for a row in no group.
    std::vector<int64_t> group(n, -1);
    if (m_upstream) {
      std::map<int64_t, uint64_t> sizes;
      for (uint32_t i = 0; i < n; ++i) {
        group[i] = UpstreamCluster(*m_all[i]);
        if (group[i] >= 0) ++sizes[group[i]];
      }
      for (const auto& [c, size] : sizes) {
        if (size < 2) continue;
        ++m_groups;
        m_rows_in_groups += size;
      }
    } else if (!m_root.empty()) {
      std::vector<uint32_t> sizes(n, 0);
      for (uint32_t i = 0; i < n; ++i) ++sizes[m_root[i]];
      for (uint32_t i = 0; i < n; ++i) {
        if (sizes[m_root[i]] > 1) group[i] = m_root[i];
        if (m_root[i] == i && sizes[i] > 1) {
          ++m_groups;
          m_rows_in_groups += sizes[i];
        }
      }
    }
    std::vector<std::vector<uint32_t>> units;
    std::map<int64_t, size_t> cluster_unit;
    for (uint32_t i = 0; i < n; ++i) {
      const int64_t cluster = m_group ? group[i] : -1;
      if (cluster >= 0) {
        auto [it, fresh] = cluster_unit.emplace(cluster, units.size());
        if (fresh) units.emplace_back();
        units[it->second].push_back(i);
        ++m_grouped_rows;
      } else {
        units.push_back({i});
      }
    }
    m_units = units.size();
    std::vector<int> assign(units.size(), 0);
    uint64_t rng = m_seed;
    if (m_method == "time") {
      struct Key {
        bool missing, numeric;
        double num;
        std::string s;
        size_t unit;
      };
      std::vector<Key> keys;
      for (size_t u = 0; u < units.size(); ++u) {
        Key k;
        k.s = FieldValue(*m_all[units[u][0]], m_field, m_names, &k.numeric, &k.num);
        k.missing = k.s.empty();
        k.unit = u;
        m_missing += k.missing ? units[u].size() : 0;
        keys.push_back(std::move(k));
      }
      std::stable_sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
        if (a.missing != b.missing) return a.missing;  // rows without a time go first (to train)
        if (a.numeric && b.numeric) return a.num < b.num;
        return a.s < b.s;
      });
      double target[3];
      Targets(n, target);
      uint64_t count[3] = {0, 0, 0};
      int s = 0;
      for (const Key& k : keys) {
        while (s < 2 && static_cast<double>(count[s]) >= target[s]) ++s;
        assign[k.unit] = s;
        count[s] += units[k.unit].size();
        std::string& from = m_time_from[s];
        std::string& to = m_time_to[s];
        if (!k.missing) {
          if (from.empty()) from = k.s;
          to = k.s;
        }
      }
    } else {
      // Shuffle the units (Fisher-Yates, splitmix64), then fill the split furthest below its target.
      std::vector<size_t> order(units.size());
      for (size_t u = 0; u < order.size(); ++u) order[u] = u;
      for (size_t u = order.size(); u > 1; --u) {
        size_t j = static_cast<size_t>(SplitMix64(&rng) % u);
        std::swap(order[u - 1], order[j]);
      }
      std::map<std::string, std::vector<size_t>> strata;
      for (size_t u : order) {
        std::string key;
        if (m_method == "stratified") {
          bool numeric;
          double num;
          key = FieldValue(*m_all[units[u][0]], m_field, m_names, &numeric, &num);
          if (key.empty()) ++m_missing;
        }
        strata[key].push_back(u);
      }
      // Stratum targets are differences of the targets of the running row total, so the overall
      // counts are as exact as for an unstratified split and every stratum is within a row of its share.
      uint64_t running = 0;
      for (const auto& [key, us] : strata) {
        uint64_t rows = 0;
        for (size_t u : us) rows += units[u].size();
        double before[3], target[3];
        Targets(running, before);
        running += rows;
        Targets(running, target);
        for (int s = 0; s < 3; ++s) target[s] -= before[s];
        uint64_t count[3] = {0, 0, 0};
        for (size_t u : us) {
          // The split furthest below its target, preferring one the whole unit still fits in.
          int best = -1;
          double best_deficit = 0;
          bool best_fits = false;
          const double size = static_cast<double>(units[u].size());
          for (int s = 0; s < 3; ++s) {
            if (m_ratio[s] <= 0) continue;
            double deficit = target[s] - static_cast<double>(count[s]);
            bool fits = deficit >= size;
            if (best < 0 || (fits && !best_fits) || (fits == best_fits && deficit > best_deficit)) {
              best = s;
              best_deficit = deficit;
              best_fits = fits;
            }
          }
          assign[u] = best;
          count[best] += units[u].size();
        }
        if (m_method == "stratified") {
          nlohmann::json& c = m_strata[key.empty() ? "(missing)" : key];
          for (int s = 0; s < 3; ++s) {
            if (m_ratio[s] > 0) c[kSplits[s]] = count[s];
          }
        }
      }
    }
    m_row_split.assign(n, 0);
    for (size_t u = 0; u < units.size(); ++u) {
      for (uint32_t i : units[u]) m_row_split[i] = assign[u];
    }
    m_unit_rows = std::move(units);
    m_assign = std::move(assign);
    m_keys.assign(n, Hash128{});
    m_phase = m_near ? Phase::Verify : Phase::Annotate;
    m_cursor = 0;
  }

  // Per split: rows, share of all rows, length percentiles (characters, as run_stats counts them),
  // the stratum shares (stratified) or the time field's first / last value (time).
  void Distributions() {
    const uint64_t total = m_counts[0] + m_counts[1] + m_counts[2];
    m_distributions = nlohmann::json::object();
    for (int s = 0; s < 3; ++s) {
      if (m_ratio[s] <= 0) continue;
      nlohmann::json d = nlohmann::json::object();
      d["rows"] = m_counts[s];
      d["share"] = total ? Round4(static_cast<double>(m_counts[s]) / static_cast<double>(total)) : 0.0;
      d["chars"] = Percentiles(m_chars[s]);
      if (m_method == "stratified") {
        nlohmann::json shares = nlohmann::json::object();
        for (const auto& el : m_strata.items()) {
          uint64_t k = el.value().value(kSplits[s], uint64_t{0});
          shares[el.key()] = m_counts[s] ? Round4(static_cast<double>(k) / static_cast<double>(m_counts[s])) : 0.0;
        }
        d["strata"] = shares;
      }
      if (m_method == "time") d["time"] = nlohmann::json{{"min", m_time_from[s]}, {"max", m_time_to[s]}};
      m_distributions[kSplits[s]] = d;
    }
  }

  // Integer row targets by the largest-remainder method (ties go to the earlier split), so the
  // counts match the ratios as closely as whole rows allow.
  void Targets(uint64_t rows, double target[3]) const {
    uint64_t whole[3], sum = 0;
    double frac[3];
    for (int s = 0; s < 3; ++s) {
      double t = m_ratio[s] * static_cast<double>(rows);
      whole[s] = static_cast<uint64_t>(t);
      frac[s] = t - static_cast<double>(whole[s]);
      sum += whole[s];
    }
    while (sum < rows) {
      int best = -1;
      for (int s = 0; s < 3; ++s) {
        if (m_ratio[s] > 0 && (best < 0 || frac[s] > frac[best])) best = s;
      }
      ++whole[best];
      frac[best] = -1;
      ++sum;
    }
    for (int s = 0; s < 3; ++s) target[s] = static_cast<double>(whole[s]);
  }
  std::string m_method = "random", m_field, m_cluster_from = "dedup.near";
  double m_ratio[3] = {0.8, 0.1, 0.1};
  bool m_group = true;
  // The split's own near-duplicate check ("near_duplicates").
  bool m_near = true;
  double m_near_threshold = 0.8;
  TextView m_near_view = TextView::Example;
  int64_t m_near_num_perm = 128, m_near_ngram = 5;
  std::string m_near_shingle = "word";
  NormalizeOptions m_near_norm;
  // Report.
  uint64_t m_counts[3] = {0, 0, 0};
  uint64_t m_units = 0, m_grouped_rows = 0, m_missing = 0, m_exact_overlap = 0, m_straddling = 0;
  uint64_t m_groups = 0, m_rows_in_groups = 0;
  uint64_t m_pairs = 0, m_pairs_across = 0, m_own_clusters = 0, m_own_across = 0;
  nlohmann::json m_strata = nlohmann::json::object();
  nlohmann::json m_distributions = nlohmann::json::object();
  nlohmann::json m_leak_samples = nlohmann::json::array();
  std::string m_time_from[3], m_time_to[3];
  bool m_upstream = false;
  // Finish's chunked passes (Work).
  Phase m_phase = Phase::Idle;
  size_t m_cursor = 0;
  uint64_t m_seed = 0;
  StepContext m_names;  // input names only (FieldValue "file", RowRef)
  std::vector<Row*> m_all;
  std::unique_ptr<NearDedupIndex> m_index;
  std::vector<NearMatch> m_matches;
  std::vector<Pair> m_pairs_list;
  std::vector<uint32_t> m_root;
  std::vector<std::vector<uint32_t>> m_unit_rows;
  std::vector<int> m_assign, m_row_split;
  std::vector<Hash128> m_keys;
  std::vector<uint32_t> m_chars[3];
  std::set<std::pair<uint64_t, uint64_t>> m_train_keys;
  std::map<int64_t, int> m_cluster_split;
  std::set<int64_t> m_straddling_ids;
  std::string m_step_id, m_text, m_normed;
};

}  // namespace

WINNOW_REGISTER_STEP(SplitStep, "split", "Assign train / validation / test: random, stratified or time-based; near duplicates stay together");

}  // namespace winnow
