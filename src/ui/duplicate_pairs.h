// The duplicates that a run's dedup steps name in their reports, grouped into clusters of row pairs:
// the data side of the Report view's "Duplicates, side by side" section (pure C++, unit-tested in
// tests/unit/ui/duplicate_pairs_test.cpp). Rows are named by "file:line"; ui/row_ref.h resolves them.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace winnow::ui {

struct DuplicatePair {
  std::string a;         // "file:line" of the row kept (dedup.exact) or the earlier row of the pair
  std::string b;         // "file:line" of its duplicate
  std::string measure;   // "jaccard" (dedup.near), "cosine" (dedup.semantic), "" (exact copy)
  double similarity = 1; // the measure's value (1 for an exact copy)
};

struct DuplicateCluster {
  std::string step_id, step_type;  // "dedup.near", "dedup.near"
  uint64_t size = 0;               // rows in the cluster; 0 when the step does not say (dedup.exact samples)
  std::string first;               // "file:line" of the cluster's first row (dedup.exact: the kept row)
  std::vector<DuplicatePair> pairs;
};

// Clusters of every dedup.* step in a run's report.json (report["steps"][i]["report"]), in step order:
//  - dedup.near / dedup.semantic: "largest_clusters": [{"size", "first", "pairs": [{"a", "b",
//    "jaccard" | "cosine"}]}], one cluster each (the step lists the ten largest, three pairs each);
//  - dedup.exact: "samples": [{"kept", "duplicate"}], one cluster per kept row (its duplicates in
//    the order sampled; the step samples the first ten duplicates).
// Entries without two string references are skipped; a report without steps gives none.
std::vector<DuplicateCluster> DuplicateClustersFromReport(const nlohmann::json& report);

// Pairs in all the clusters.
size_t DuplicatePairCount(const std::vector<DuplicateCluster>& clusters);

// ---- the view (view_report.cpp) ----
// What the duplicates section showed in the last frame that drew it, for App::StatusJson:
// {"pairs", "exact", "near", "clusters", "selected" (pair index or -1), "rows": [a, b] (0-based, -1:
// not in the loaded data), "section_top", "diff_bottom", "view": [top, bottom] (screen pixels of the
// section's title, the diff's lower edge and the visible report), "first_pair": [x, y, w, h]};
// null when the Report tab did not draw it this frame.
nlohmann::json DuplicatesStatus();

}  // namespace winnow::ui
