// Embedding map: the 2-D projection that dedup.semantic puts in its report ("map"), turned into
// coloured points, a legend and hit tests (pure C++, unit-tested), and the PointMapRenderer seam
// through which the front end draws the points with the GLSL in shaders/ (native/studio/point_map_gl.cpp).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace winnow::ui {

struct Studio;

// One point as the renderer draws it: x, y in map space [-1, 1] (y up), colour packed like
// IM_COL32 (0xAABBGGRR).
struct MapPoint {
  float x = 0, y = 0;
  uint32_t color = 0;
};

struct PointMapStyle {
  float radius_px = 3.0f;          // point radius in target pixels
  float margin_px = 8.0f;          // free border inside the target, so edge points stay whole
  uint32_t background = 0xFF1E1A17;  // opaque, IM_COL32 packing
};

// Implemented by the front end (GL 3.3 core on the desktop, WebGL2 in the page). Call only from
// inside App::Frame() (the GL context is current; the studio's own GL state is restored on return).
class PointMapRenderer {
 public:
  virtual ~PointMapRenderer() = default;
  // Draws `points` into an offscreen width x height (pixels) RGBA texture and returns its handle as
  // an ImTextureID value (a GL texture name), or 0 when it cannot draw (Error() says why). The points
  // are drawn again only when `generation`, the size or the style change; otherwise the texture of
  // the last call is returned. The texture's rows are bottom-up (GL order): show it with flipped v.
  virtual uint64_t Draw(const std::vector<MapPoint>& points, uint64_t generation, int width, int height,
                        const PointMapStyle& style) = 0;
  // Empty, or why Draw returned 0 (a shader compile / link log, an incomplete framebuffer).
  virtual std::string Error() const = 0;
  // "webgl2", "gl3": for the status line and tests.
  virtual std::string Name() const = 0;
};

// ---- the map's data, from a dedup.semantic step report ----
enum class MapColoring { Cluster, Score };

struct PointMapData {
  std::string step_id;
  std::vector<float> xy;          // 2 per point, scaled into [-1, 1] (aspect kept, centred)
  std::vector<int64_t> cluster;   // cluster id per point, -1 when the row is in no cluster
  std::vector<double> score;      // score per point (NaN: none); empty when the report has no scores
  std::vector<std::string> rows;  // "file:line" per point (ui/row_ref.h resolves them to rows)
  std::string score_from;         // the step whose score the points carry
  double score_min = 0, score_max = 0;
  size_t docs = 0;                // rows embedded (the map shows an even sample of them)
  bool HasScores() const { return !score.empty(); }
  size_t size() const { return cluster.size(); }
};

// Reads step_report["map"] ({"points": [[x, y]...], "cluster": [...], "rows": [...], optional
// "score": [...], "score_from"}). False (and *error set) when there is no map or it is malformed.
bool PointMapFromReport(const nlohmann::json& step_report, const std::string& step_id, PointMapData* out,
                        std::string* error);

struct LegendEntry {
  std::string label;  // "cluster 17 (12 points)", "other clusters", "in no cluster"
  uint32_t color = 0;
  size_t points = 0;
};

// Colours of the points and the legend. Cluster: the largest clusters in the map (by points shown)
// get distinct colours (up to kDistinctClusters), the other clusters share one colour, rows in no
// cluster are grey. Score: a dark-blue -> yellow ramp from score_min to score_max, grey for none.
constexpr size_t kDistinctClusters = 10;
std::vector<MapPoint> ColorPoints(const PointMapData& map, MapColoring coloring, std::vector<LegendEntry>* legend);
uint32_t ScoreColor(double t);  // t in [0, 1]
uint32_t ClusterColor(size_t rank);  // rank < kDistinctClusters

// The point nearest to (x, y) (map space) within max_dist (map space), or -1.
int64_t NearestPoint(const PointMapData& map, float x, float y, float max_dist);

// ---- the view (view_embedding_map.cpp) ----
// Draws one section per dedup.semantic map in the run's report: the points through the Host's
// PointMapRenderer (an ImDrawList fallback, labelled, when the front end has none), a legend,
// "colour by" cluster / score, and the row under the mouse (click: show it in the Data view).
void DrawEmbeddingMaps(Studio& s, const nlohmann::json& report);
// True when some dedup.semantic step of the report has a map.
bool HasEmbeddingMap(const nlohmann::json& report);
// The first map as the current frame drew it, for StatusJson: {"step", "points", "renderer"
// ("gl3", "webgl2" or "drawlist"), "coloring", "error", "rect": [x, y, w, h] in framebuffer pixels};
// null when this frame drew no map (another tab, no dedup.semantic map in the report).
nlohmann::json EmbeddingMapStatus();

}  // namespace winnow::ui
