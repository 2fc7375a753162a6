// Embedding map data: dedup.semantic's "map" report as points in [-1, 1]^2, their colours (by
// cluster or by score), the legend and the nearest-point hit test. No drawing here.
#include "ui/point_map.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>

namespace winnow::ui {

namespace {

uint32_t Pack(int r, int g, int b, int a = 255) {
  return static_cast<uint32_t>(r) | (static_cast<uint32_t>(g) << 8) | (static_cast<uint32_t>(b) << 16) |
         (static_cast<uint32_t>(a) << 24);
}

// Ten colours that stay apart on a dark background (Tableau 10, brightened slightly).
const uint32_t kPalette[kDistinctClusters] = {
    Pack(92, 158, 230),  Pack(255, 150, 60),  Pack(90, 200, 110), Pack(235, 85, 85),   Pack(180, 130, 225),
    Pack(190, 140, 110), Pack(240, 140, 205), Pack(200, 200, 200), Pack(210, 215, 70), Pack(70, 210, 220)};
const uint32_t kOtherClusters = Pack(140, 120, 90);
const uint32_t kNoCluster = Pack(105, 110, 118, 200);

}  // namespace

uint32_t ClusterColor(size_t rank) { return kPalette[rank % kDistinctClusters]; }

uint32_t ScoreColor(double t) {
  // Piecewise-linear through five stops of a viridis-like ramp: dark blue, blue, teal, green, yellow.
  static const float stops[5][3] = {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};
  if (!(t >= 0)) t = 0;  // also NaN
  if (t > 1) t = 1;
  const double f = t * 4.0;
  const int i = std::min(3, static_cast<int>(f));
  const double u = f - i;
  int c[3];
  for (int k = 0; k < 3; ++k) c[k] = static_cast<int>(std::lround(stops[i][k] + (stops[i + 1][k] - stops[i][k]) * u));
  return Pack(c[0], c[1], c[2]);
}

bool PointMapFromReport(const nlohmann::json& report, const std::string& step_id, PointMapData* out, std::string* error) {
  *out = PointMapData{};
  out->step_id = step_id;
  if (!report.is_object() || !report.contains("map") || !report["map"].is_object()) {
    *error = "no map in the report";
    return false;
  }
  const nlohmann::json& m = report["map"];
  if (!m.contains("points") || !m["points"].is_array()) {
    *error = "map.points is not an array";
    return false;
  }
  const nlohmann::json& pts = m["points"];
  const size_t n = pts.size();
  const nlohmann::json* cl = m.contains("cluster") && m["cluster"].is_array() ? &m["cluster"] : nullptr;
  const nlohmann::json* rows = m.contains("rows") && m["rows"].is_array() ? &m["rows"] : nullptr;
  const nlohmann::json* sc = m.contains("score") && m["score"].is_array() ? &m["score"] : nullptr;
  if ((cl && cl->size() != n) || (rows && rows->size() != n) || (sc && sc->size() != n)) {
    *error = "map arrays differ in length";
    return false;
  }
  std::vector<float> raw(2 * n);
  for (size_t i = 0; i < n; ++i) {
    const nlohmann::json& p = pts[i];
    if (!p.is_array() || p.size() != 2 || !p[0].is_number() || !p[1].is_number()) {
      *error = "map.points[" + std::to_string(i) + "] is not [x, y]";
      return false;
    }
    raw[2 * i] = p[0].get<float>();
    raw[2 * i + 1] = p[1].get<float>();
  }
  // Centre the bounding box and scale its longer side to [-1, 1]: distances keep their ratios.
  float lo[2] = {0, 0}, hi[2] = {0, 0};
  for (size_t i = 0; i < n; ++i) {
    for (int k = 0; k < 2; ++k) {
      const float v = raw[2 * i + k];
      if (i == 0 || v < lo[k]) lo[k] = v;
      if (i == 0 || v > hi[k]) hi[k] = v;
    }
  }
  const float half = std::max(hi[0] - lo[0], hi[1] - lo[1]) * 0.5f;
  const float cx = (lo[0] + hi[0]) * 0.5f, cy = (lo[1] + hi[1]) * 0.5f;
  out->xy.resize(2 * n);
  for (size_t i = 0; i < n; ++i) {
    out->xy[2 * i] = half > 0 ? (raw[2 * i] - cx) / half : 0.0f;
    out->xy[2 * i + 1] = half > 0 ? (raw[2 * i + 1] - cy) / half : 0.0f;
  }
  out->cluster.assign(n, -1);
  out->rows.assign(n, std::string());
  for (size_t i = 0; i < n; ++i) {
    if (cl && (*cl)[i].is_number_integer()) out->cluster[i] = (*cl)[i].get<int64_t>();
    if (rows && (*rows)[i].is_string()) out->rows[i] = (*rows)[i].get<std::string>();
  }
  if (sc) {
    out->score.assign(n, std::numeric_limits<double>::quiet_NaN());
    bool any = false;
    for (size_t i = 0; i < n; ++i) {
      if (!(*sc)[i].is_number()) continue;
      const double v = (*sc)[i].get<double>();
      out->score[i] = v;
      out->score_min = any ? std::min(out->score_min, v) : v;
      out->score_max = any ? std::max(out->score_max, v) : v;
      any = true;
    }
    if (!any) out->score.clear();
    out->score_from = m.value("score_from", "");
  }
  out->docs = report.value("docs", static_cast<size_t>(n));
  return true;
}

std::vector<MapPoint> ColorPoints(const PointMapData& map, MapColoring coloring, std::vector<LegendEntry>* legend) {
  const size_t n = map.size();
  std::vector<MapPoint> pts(n);
  for (size_t i = 0; i < n; ++i) pts[i] = MapPoint{map.xy[2 * i], map.xy[2 * i + 1], kNoCluster};
  if (legend) legend->clear();
  if (coloring == MapColoring::Score && map.HasScores()) {
    const double span = map.score_max - map.score_min;
    size_t none = 0;
    for (size_t i = 0; i < n; ++i) {
      if (std::isnan(map.score[i])) {
        ++none;
        continue;
      }
      pts[i].color = ScoreColor(span > 0 ? (map.score[i] - map.score_min) / span : 0.5);
    }
    if (legend) {
      char lo[64], hi[64];
      std::snprintf(lo, sizeof lo, "%.4g (lowest)", map.score_min);
      std::snprintf(hi, sizeof hi, "%.4g (highest)", map.score_max);
      legend->push_back(LegendEntry{lo, ScoreColor(0), 0});
      legend->push_back(LegendEntry{hi, ScoreColor(1), 0});
      if (none) legend->push_back(LegendEntry{"no score", kNoCluster, none});
    }
    return pts;
  }
  // Rank clusters by the points they have in the map, largest first; ties by id (stable output).
  std::map<int64_t, size_t> counts;
  size_t unclustered = 0;
  for (int64_t c : map.cluster) {
    if (c < 0) ++unclustered;
    else ++counts[c];
  }
  std::vector<std::pair<size_t, int64_t>> ranked;
  for (const auto& [id, k] : counts) ranked.emplace_back(k, id);
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::map<int64_t, uint32_t> color_of;
  size_t other_points = 0;
  for (size_t r = 0; r < ranked.size(); ++r) {
    if (r < kDistinctClusters) {
      color_of[ranked[r].second] = ClusterColor(r);
      if (legend) {
        legend->push_back(LegendEntry{"cluster " + std::to_string(ranked[r].second), ClusterColor(r), ranked[r].first});
      }
    } else {
      color_of[ranked[r].second] = kOtherClusters;
      other_points += ranked[r].first;
    }
  }
  if (legend && other_points) {
    legend->push_back(LegendEntry{std::to_string(ranked.size() - kDistinctClusters) + " other clusters", kOtherClusters, other_points});
  }
  if (legend && unclustered) legend->push_back(LegendEntry{"in no cluster", kNoCluster, unclustered});
  for (size_t i = 0; i < n; ++i) {
    if (map.cluster[i] >= 0) pts[i].color = color_of[map.cluster[i]];
  }
  return pts;
}

int64_t NearestPoint(const PointMapData& map, float x, float y, float max_dist) {
  int64_t best = -1;
  float best_d2 = max_dist * max_dist;
  for (size_t i = 0; i < map.size(); ++i) {
    const float dx = map.xy[2 * i] - x, dy = map.xy[2 * i + 1] - y;
    const float d2 = dx * dx + dy * dy;
    if (d2 <= best_d2) {
      best_d2 = d2;
      best = static_cast<int64_t>(i);
    }
  }
  return best;
}

}  // namespace winnow::ui
