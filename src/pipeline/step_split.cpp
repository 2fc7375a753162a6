// split: assigns every kept row to train / validation / test — random, stratified by a field, or
// time-based by a field — with a seed. Rows of one near-duplicate cluster (annotated by a
// dedup.near step with action "flag") are one unit and always land in the same split. The report
// gives counts per split, the per-stratum distribution and a leakage check between splits.
#include <algorithm>
#include <map>
#include <set>

#include "core/hash.h"
#include "dedup/minhash.h"
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

class SplitStep final : public Step {
 public:
  std::string_view Type() const override { return "split"; }
  Status Configure(const nlohmann::json& p) override {
    Status st = CheckParamKeys(Type(), p, {"method", "ratios", "field", "group_near_duplicates", "cluster_from"});
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
    if (m_method != "random" && m_field.empty()) {
      return Error{"bad_config", "split: method \"" + m_method + "\" needs \"field\" (a source field such as \"category\" or \"created_at\"; or \"label\", \"format\", \"file\")"};
    }
    return Status::Ok();
  }
  nlohmann::json Params() const override {
    nlohmann::json ratios = nlohmann::json::object();
    for (int i = 0; i < 3; ++i) ratios[kSplits[i]] = m_ratio[i];
    return nlohmann::json{{"method", m_method}, {"ratios", ratios}, {"field", m_field}, {"group_near_duplicates", m_group},
                          {"cluster_from", m_cluster_from}};
  }
  bool NeedsAllRows() const override { return true; }
  void Process(std::span<Row*>, StepContext&) override {}
  void Finish(std::span<Row*> all, StepContext& ctx) override {
    const size_t n = all.size();
    // Units: near-duplicate clusters (when annotated) or single rows; a unit is named by its first row.
    std::vector<std::vector<uint32_t>> units;
    std::map<uint64_t, size_t> cluster_unit;
    for (uint32_t i = 0; i < n; ++i) {
      int64_t cluster = -1;
      if (m_group && all[i]->annotations.is_object()) {
        auto a = all[i]->annotations.find(m_cluster_from);
        if (a != all[i]->annotations.end() && a->is_object() && a->contains("cluster") && (*a)["cluster"].is_number_integer()) {
          cluster = (*a)["cluster"].get<int64_t>();
        }
      }
      if (cluster >= 0) {
        auto [it, fresh] = cluster_unit.emplace(static_cast<uint64_t>(cluster), units.size());
        if (fresh) units.emplace_back();
        units[it->second].push_back(i);
        ++m_grouped_rows;
      } else {
        units.push_back({i});
      }
    }
    m_units = units.size();
    std::vector<int> assign(units.size(), 0);
    uint64_t rng = StepSeed(ctx);
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
        k.s = FieldValue(*all[units[u][0]], m_field, ctx, &k.numeric, &k.num);
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
          key = FieldValue(*all[units[u][0]], m_field, ctx, &numeric, &num);
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
    // Annotate, count, and check leakage: normalized example text of validation / test rows that
    // also occurs in train, and clusters spread over two splits. This is the costly part (every
    // row's text is normalized and hashed), so it runs in chunks through Busy() / Poll(): the
    // studio's frame-sliced run never spends a whole frame (or, at a million rows, seconds) in it.
    m_all.assign(all.begin(), all.end());
    m_unit_rows = std::move(units);
    m_assign = std::move(assign);
    m_keys.assign(n, Hash128{});
    m_row_split.assign(n, 0);
    m_step_id = ctx.step_id;
    m_phase = Phase::Annotate;
    m_cursor = 0;
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
    r["leakage"] = nlohmann::json{{"exact_overlap", m_exact_overlap}, {"clusters_across_splits", m_straddling},
                                  {"view", "example (normalized)"}};
    return r;
  }

 private:
  enum class Phase { Idle, Annotate, Overlap, Clusters };
  static constexpr size_t kRowsPerPoll = 1024;
  // One chunk (about kRowsPerPoll rows) of the annotate / leakage passes; Idle when all are done.
  void Work() {
    const size_t n = m_all.size();
    size_t budget = kRowsPerPoll;
    if (m_phase == Phase::Annotate) {
      NormalizeOptions norm;
      for (; m_cursor < m_unit_rows.size() && budget > 0; ++m_cursor) {
        const size_t u = m_cursor;
        for (uint32_t i : m_unit_rows[u]) {
          m_row_split[i] = m_assign[u];
          m_all[i]->annotations[m_step_id] = nlohmann::json{{"split", kSplits[m_assign[u]]}};
          ++m_counts[m_assign[u]];
          ViewText(m_all[i]->ex, TextView::Example, &m_text);
          NormalizeText(m_text, norm, &m_normed);
          m_keys[i] = Hash128Of(m_normed);
          if (m_assign[u] == 0) m_train_keys.insert({m_keys[i].lo, m_keys[i].hi});
        }
        budget -= std::min(budget, m_unit_rows[u].size());
      }
      if (m_cursor < m_unit_rows.size()) return;
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
    // Clusters across splits: every cluster id annotated by cluster_from, whatever the grouping.
    for (; m_cursor < n && budget > 0; ++m_cursor, --budget) {
      const nlohmann::json& an = m_all[m_cursor]->annotations;
      auto a = an.find(m_cluster_from);
      if (a == an.end() || !a->is_object() || !a->contains("cluster")) continue;
      int64_t c = (*a)["cluster"].get<int64_t>();
      auto [it, fresh] = m_cluster_split.emplace(c, m_row_split[m_cursor]);
      if (!fresh && it->second != m_row_split[m_cursor]) m_straddling_ids.insert(c);
    }
    if (m_cursor < n) return;
    m_straddling = m_straddling_ids.size();
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
  uint64_t m_counts[3] = {0, 0, 0};
  uint64_t m_units = 0, m_grouped_rows = 0, m_missing = 0, m_exact_overlap = 0, m_straddling = 0;
  nlohmann::json m_strata = nlohmann::json::object();
  std::string m_time_from[3], m_time_to[3];
  // Finish's chunked passes (Work).
  Phase m_phase = Phase::Idle;
  size_t m_cursor = 0;
  std::vector<Row*> m_all;
  std::vector<std::vector<uint32_t>> m_unit_rows;
  std::vector<int> m_assign, m_row_split;
  std::vector<Hash128> m_keys;
  std::set<std::pair<uint64_t, uint64_t>> m_train_keys;
  std::map<int64_t, int> m_cluster_split;
  std::set<int64_t> m_straddling_ids;
  std::string m_step_id, m_text, m_normed;
};

}  // namespace

WINNOW_REGISTER_STEP(SplitStep, "split", "Assign train / validation / test: random, stratified or time-based; near duplicates stay together");

}  // namespace winnow
