// Duplicate clusters from the dedup steps' reports (see duplicate_pairs.h).
#include "ui/duplicate_pairs.h"

namespace winnow::ui {

namespace {

using json = nlohmann::json;

bool Ref(const json& obj, const char* key, std::string* out) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_string()) return false;
  *out = it->get<std::string>();
  return !out->empty();
}

// dedup.near / dedup.semantic: the largest clusters with sample pairs.
void LargestClusters(const json& st, const json& r, std::vector<DuplicateCluster>* out) {
  auto lc = r.find("largest_clusters");
  if (lc == r.end() || !lc->is_array()) return;
  for (const json& c : *lc) {
    if (!c.is_object()) continue;
    DuplicateCluster cl;
    cl.step_id = st.value("id", "");
    cl.step_type = st.value("type", "");
    if (c.contains("size") && c["size"].is_number_integer() && c["size"].get<int64_t>() > 0) cl.size = c["size"].get<uint64_t>();
    Ref(c, "first", &cl.first);
    auto pairs = c.find("pairs");
    if (pairs != c.end() && pairs->is_array()) {
      for (const json& p : *pairs) {
        DuplicatePair dp;
        if (!p.is_object() || !Ref(p, "a", &dp.a) || !Ref(p, "b", &dp.b)) continue;
        for (const char* m : {"jaccard", "cosine"}) {
          if (p.contains(m) && p[m].is_number()) {
            dp.measure = m;
            dp.similarity = p[m].get<double>();
            break;
          }
        }
        cl.pairs.push_back(std::move(dp));
      }
    }
    if (!cl.pairs.empty()) out->push_back(std::move(cl));
  }
}

// dedup.exact: kept / duplicate samples, grouped by the kept row.
void ExactSamples(const json& st, const json& r, std::vector<DuplicateCluster>* out) {
  auto samples = r.find("samples");
  if (samples == r.end() || !samples->is_array()) return;
  const size_t begin = out->size();
  for (const json& p : *samples) {
    DuplicatePair dp;
    if (!p.is_object() || !Ref(p, "kept", &dp.a) || !Ref(p, "duplicate", &dp.b)) continue;
    DuplicateCluster* cl = nullptr;
    for (size_t k = begin; k < out->size() && !cl; ++k) {
      if ((*out)[k].first == dp.a) cl = &(*out)[k];
    }
    if (!cl) {
      out->push_back(DuplicateCluster{st.value("id", ""), st.value("type", ""), 0, dp.a, {}});
      cl = &out->back();
    }
    cl->pairs.push_back(std::move(dp));
  }
}

}  // namespace

std::vector<DuplicateCluster> DuplicateClustersFromReport(const json& report) {
  std::vector<DuplicateCluster> out;
  if (!report.is_object() || !report.contains("steps") || !report["steps"].is_array()) return out;
  for (const json& st : report["steps"]) {
    if (!st.is_object() || !st.contains("report") || !st["report"].is_object()) continue;
    const std::string type = st.value("type", "");
    if (type.rfind("dedup.", 0) != 0) continue;
    const json& r = st["report"];
    if (type == "dedup.exact") ExactSamples(st, r, &out);
    else LargestClusters(st, r, &out);
  }
  return out;
}

size_t DuplicatePairCount(const std::vector<DuplicateCluster>& clusters) {
  size_t n = 0;
  for (const DuplicateCluster& c : clusters) n += c.pairs.size();
  return n;
}

}  // namespace winnow::ui
