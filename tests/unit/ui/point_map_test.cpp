// Tests of the embedding map's data side (ui/point_map.h): reading dedup.semantic's "map" report,
// scaling into [-1, 1], colours by cluster rank and by score, the legend and the hit test. The GL
// drawing itself is checked by the browser and desktop screenshots (tests/e2e).
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "ui/point_map.h"

namespace winnow::ui {
namespace {

using json = nlohmann::json;

json Report(json points, json clusters, json rows, json scores = nullptr) {
  json map{{"projection", "pca"}, {"points", points}, {"cluster", clusters}, {"rows", rows}};
  if (!scores.is_null()) {
    map["score"] = scores;
    map["score_from"] = "cls";
  }
  return json{{"docs", 100}, {"map", map}};
}

TEST(PointMap, ReadsTheReportAndScalesTheLongerSideToPlusMinusOne) {
  json r = Report(json::array({json::array({2.0, 1.0}), json::array({6.0, 3.0}), json::array({4.0, 2.0})}),
                  json::array({-1, 7, 7}), json::array({"a.jsonl:1", "a.jsonl:5", "a.jsonl:9"}));
  PointMapData d;
  std::string err;
  ASSERT_TRUE(PointMapFromReport(r, "sem", &d, &err)) << err;
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d.step_id, "sem");
  EXPECT_EQ(d.docs, 100u);
  // x spans 2..6 (the longer side): -1..1; y spans 1..3 around its centre 2, with the same scale.
  EXPECT_FLOAT_EQ(d.xy[0], -1.0f);
  EXPECT_FLOAT_EQ(d.xy[2], 1.0f);
  EXPECT_FLOAT_EQ(d.xy[4], 0.0f);
  EXPECT_FLOAT_EQ(d.xy[1], -0.5f);
  EXPECT_FLOAT_EQ(d.xy[3], 0.5f);
  EXPECT_EQ(d.cluster[0], -1);
  EXPECT_EQ(d.cluster[1], 7);
  EXPECT_EQ(d.rows[2], "a.jsonl:9");
  EXPECT_FALSE(d.HasScores());
}

TEST(PointMap, MalformedMapsAreRefusedWithAReason) {
  PointMapData d;
  std::string err;
  EXPECT_FALSE(PointMapFromReport(json{{"docs", 3}}, "sem", &d, &err));
  EXPECT_NE(err.find("no map"), std::string::npos);
  EXPECT_FALSE(PointMapFromReport(Report(json::array({json::array({1.0, 2.0})}), json::array({1, 2}), json::array({"x:1"})), "sem", &d, &err));
  EXPECT_NE(err.find("length"), std::string::npos);
  EXPECT_FALSE(PointMapFromReport(Report(json::array({json::array({1.0})}), json::array({1}), json::array({"x:1"})), "sem", &d, &err));
  EXPECT_NE(err.find("points[0]"), std::string::npos);
}

TEST(PointMap, ASinglePointOrIdenticalPointsSitAtTheCentre) {
  PointMapData d;
  std::string err;
  ASSERT_TRUE(PointMapFromReport(Report(json::array({json::array({3.0, 3.0}), json::array({3.0, 3.0})}), json::array({1, 1}),
                                        json::array({"x:1", "x:2"})),
                                 "sem", &d, &err));
  for (float v : d.xy) EXPECT_EQ(v, 0.0f);
}

TEST(PointMap, ClusterColoursFollowTheRankOfClusterSizeInTheMap) {
  // Cluster 5 has 3 points, cluster 9 has 2, cluster 2 has 1 (a cluster whose other members were
  // not sampled into the map), one row is in no cluster.
  json pts = json::array();
  for (int i = 0; i < 7; ++i) pts.push_back(json::array({i * 1.0, 0.0}));
  json cl = json::array({9, 5, 5, -1, 9, 5, 2});
  json rows = json::array();
  for (int i = 0; i < 7; ++i) rows.push_back("x:" + std::to_string(i + 1));
  PointMapData d;
  std::string err;
  ASSERT_TRUE(PointMapFromReport(Report(pts, cl, rows), "sem", &d, &err)) << err;
  std::vector<LegendEntry> legend;
  std::vector<MapPoint> p = ColorPoints(d, MapColoring::Cluster, &legend);
  ASSERT_EQ(p.size(), 7u);
  EXPECT_EQ(p[1].color, ClusterColor(0));  // cluster 5: largest
  EXPECT_EQ(p[2].color, ClusterColor(0));
  EXPECT_EQ(p[0].color, ClusterColor(1));  // cluster 9
  EXPECT_EQ(p[6].color, ClusterColor(2));  // cluster 2
  EXPECT_NE(p[3].color, p[0].color);       // no cluster: its own grey
  EXPECT_FLOAT_EQ(p[3].x, d.xy[6]);
  ASSERT_EQ(legend.size(), 4u);
  EXPECT_EQ(legend[0].label, "cluster 5");
  EXPECT_EQ(legend[0].points, 3u);
  EXPECT_EQ(legend[1].label, "cluster 9");
  EXPECT_EQ(legend[3].label, "in no cluster");
  EXPECT_EQ(legend[3].points, 1u);
  EXPECT_EQ(legend[3].color, p[3].color);
}

TEST(PointMap, ClustersBeyondThePaletteShareOneColourAndOneLegendLine) {
  json pts = json::array(), cl = json::array(), rows = json::array();
  const int clusters = static_cast<int>(kDistinctClusters) + 3;
  for (int c = 0; c < clusters; ++c) {
    // cluster c has clusters - c points, so the ranks are unambiguous.
    for (int k = 0; k < clusters - c; ++k) {
      pts.push_back(json::array({c * 1.0, k * 1.0}));
      cl.push_back(100 + c);
      rows.push_back("x:" + std::to_string(rows.size() + 1));
    }
  }
  PointMapData d;
  std::string err;
  ASSERT_TRUE(PointMapFromReport(Report(pts, cl, rows), "sem", &d, &err)) << err;
  std::vector<LegendEntry> legend;
  std::vector<MapPoint> p = ColorPoints(d, MapColoring::Cluster, &legend);
  std::set<uint32_t> distinct;
  for (size_t i = 0; i < p.size(); ++i) distinct.insert(p[i].color);
  EXPECT_EQ(distinct.size(), kDistinctClusters + 1);
  ASSERT_EQ(legend.size(), kDistinctClusters + 1);
  EXPECT_EQ(legend.back().label, "3 other clusters");
  EXPECT_EQ(legend.back().points, 3u + 2u + 1u);
}

TEST(PointMap, ScoreColoursRunFromTheLowestToTheHighestScore) {
  json pts = json::array({json::array({0.0, 0.0}), json::array({1.0, 0.0}), json::array({2.0, 0.0}), json::array({3.0, 1.0})});
  PointMapData d;
  std::string err;
  ASSERT_TRUE(PointMapFromReport(Report(pts, json::array({-1, -1, -1, -1}), json::array({"x:1", "x:2", "x:3", "x:4"}),
                                        json::array({0.2, 0.8, nullptr, 0.5})),
                                 "sem", &d, &err))
      << err;
  ASSERT_TRUE(d.HasScores());
  EXPECT_EQ(d.score_from, "cls");
  EXPECT_DOUBLE_EQ(d.score_min, 0.2);
  EXPECT_DOUBLE_EQ(d.score_max, 0.8);
  EXPECT_TRUE(std::isnan(d.score[2]));
  std::vector<LegendEntry> legend;
  std::vector<MapPoint> p = ColorPoints(d, MapColoring::Score, &legend);
  EXPECT_EQ(p[0].color, ScoreColor(0));
  EXPECT_EQ(p[1].color, ScoreColor(1));
  EXPECT_EQ(p[3].color, ScoreColor(0.5));
  EXPECT_NE(ScoreColor(0), ScoreColor(1));
  EXPECT_NE(p[2].color, ScoreColor(0));  // no score: grey, not the low end of the ramp
  ASSERT_EQ(legend.size(), 3u);
  EXPECT_EQ(legend[2].label, "no score");
  EXPECT_EQ(legend[2].points, 1u);
  // Asked for score colours without scores: cluster colours.
  PointMapData plain = d;
  plain.score.clear();
  EXPECT_EQ(ColorPoints(plain, MapColoring::Score, &legend).size(), 4u);
  EXPECT_EQ(legend.back().label, "in no cluster");
}

TEST(PointMap, ScoreRampIsMonotoneInBrightnessAndClamped) {
  auto luma = [](uint32_t c) { return 0.299 * (c & 0xFF) + 0.587 * ((c >> 8) & 0xFF) + 0.114 * ((c >> 16) & 0xFF); };
  double prev = -1;
  for (int i = 0; i <= 20; ++i) {
    const uint32_t c = ScoreColor(i / 20.0);
    EXPECT_EQ(c >> 24, 0xFFu);
    EXPECT_GT(luma(c), prev) << i;
    prev = luma(c);
  }
  EXPECT_EQ(ScoreColor(-3), ScoreColor(0));
  EXPECT_EQ(ScoreColor(7), ScoreColor(1));
  EXPECT_EQ(ScoreColor(std::nan("")), ScoreColor(0));
}

TEST(PointMap, NearestPointWithinTheRadiusAndTheTopmostOfTies) {
  json pts = json::array({json::array({-1.0, -1.0}), json::array({1.0, 1.0}), json::array({1.0, 1.0}), json::array({0.0, 0.0})});
  PointMapData d;
  std::string err;
  ASSERT_TRUE(PointMapFromReport(Report(pts, json::array({-1, 3, 3, -1}), json::array({"x:1", "x:2", "x:3", "x:4"})), "sem", &d, &err));
  EXPECT_EQ(NearestPoint(d, 0.05f, -0.02f, 0.1f), 3);
  EXPECT_EQ(NearestPoint(d, -0.95f, -0.9f, 0.2f), 0);
  EXPECT_EQ(NearestPoint(d, 0.5f, -0.5f, 0.1f), -1);
  // Two points at the same place: the one drawn last (on top) answers.
  EXPECT_EQ(NearestPoint(d, 0.99f, 0.99f, 0.1f), 2);
}

}  // namespace
}  // namespace winnow::ui
