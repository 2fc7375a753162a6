// Report view section: the embedding map of each dedup.semantic step. The points are drawn by the
// front end's PointMapRenderer (GLSL in shaders/, GL 3.3 on the desktop, WebGL2 in the page) into a
// texture shown with ImGui::Image; ImGui draws the frame, legend, hover ring and tooltip on top.
#include <imgui.h>

#include <cmath>
#include <cstdio>
#include "ui/point_map.h"
#include "ui/row_ref.h"
#include "ui/studio.h"

namespace winnow::ui {

namespace {

using json = nlohmann::json;

struct MapView {
  PointMapData data;
  std::string error;
  MapColoring coloring = MapColoring::Cluster;
  std::vector<MapPoint> points;
  std::vector<LegendEntry> legend;
  uint64_t generation = 0;
};

struct MapViews {
  const void* report_bytes = nullptr;  // identity of the report these maps came from
  size_t report_size = 0;
  std::vector<MapView> maps;
  RowLineIndex rows;  // "file:line" of a point -> dataset row
};

MapViews& Views() {
  static MapViews v;
  return v;
}

json g_status;         // what the last drawing of the maps showed (EmbeddingMapStatus)
int g_status_frame = -1;  // the ImGui frame it was drawn in
uint64_t g_generation = 0;

void Recolor(MapView& m) {
  m.points = ColorPoints(m.data, m.coloring, &m.legend);
  m.generation = ++g_generation;
}

// (Re)reads the maps when the run's report changed.
void Refresh(Studio& s, const json& report) {
  MapViews& v = Views();
  const RunOutput* out = s.run.Find("report.json");
  const void* key = out ? out->bytes.Address() : nullptr;
  const size_t size = out ? out->bytes.size() : 0;
  if (key == v.report_bytes && size == v.report_size) return;
  v.report_bytes = key;
  v.report_size = size;
  v.maps.clear();
  if (!report.contains("steps") || !report["steps"].is_array()) return;
  for (const json& st : report["steps"]) {
    if (st.value("type", "") != "dedup.semantic" || !st.contains("report")) continue;
    MapView m;
    if (!PointMapFromReport(st["report"], st.value("id", "dedup.semantic"), &m.data, &m.error)) {
      if (!st["report"].contains("map")) continue;  // map_points 0, or nothing was embedded
    }
    Recolor(m);
    v.maps.push_back(std::move(m));
  }
}

std::string RowPreview(Studio& s, int64_t row) {
  const Dataset& ds = s.loader.dataset();
  std::string text;
  for (size_t m = 0; m < ds.MessageCount(static_cast<size_t>(row)) && text.size() < 400; ++m) {
    if (!text.empty()) text += "\n";
    text += std::string(RoleName(ds.MessageRole(static_cast<size_t>(row), m))) + ": " +
            OneLine(ds.MessageContent(static_cast<size_t>(row), m), 160);
  }
  if (!ds.Text(static_cast<size_t>(row)).empty()) text += OneLine(ds.Text(static_cast<size_t>(row)), 300);
  return text;
}

// Map space [-1, 1]^2 (y up) -> screen, inside the square [a, b] less the margin.
ImVec2 ToScreen(ImVec2 a, ImVec2 b, float margin, float x, float y) {
  return ImVec2(a.x + margin + (x * 0.5f + 0.5f) * (b.x - a.x - 2 * margin),
                a.y + margin + (0.5f - y * 0.5f) * (b.y - a.y - 2 * margin));
}

void DrawMap(Studio& s, MapView& m, size_t index) {
  ImGui::PushID(static_cast<int>(index));
  const PointMapData& d = m.data;
  if (!m.error.empty()) {
    ImGui::TextDisabled("%s: the map cannot be shown (%s).", d.step_id.c_str(), m.error.c_str());
    ImGui::PopID();
    return;
  }
  ImGui::Text("%s: %s of %s embedded rows, projected to 2-D (PCA)", d.step_id.c_str(), GroupedCount(d.size()).c_str(),
              GroupedCount(d.docs).c_str());
  ImGui::SameLine();
  ImGui::TextDisabled("  colour by");
  ImGui::SameLine();
  int c = m.coloring == MapColoring::Cluster ? 0 : 1;
  bool changed = ImGui::RadioButton("cluster", &c, 0);
  ImGui::SameLine();
  if (!d.HasScores()) ImGui::BeginDisabled();
  changed |= ImGui::RadioButton("score", &c, 1);
  if (!d.HasScores()) {
    ImGui::EndDisabled();
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
      ImGui::SetTooltip("No scores on the map: set \"score_from\" to the id of a score.model step that runs before %s.",
                        d.step_id.c_str());
    }
  }
  if (changed) {
    m.coloring = c == 0 ? MapColoring::Cluster : MapColoring::Score;
    Recolor(m);
  }

  const float side = std::floor(std::min(ImGui::GetContentRegionAvail().x * 0.62f, 460.0f * s.scale));
  const float margin = 14.0f * s.scale;
  const float radius = (d.size() > 5000 ? 2.0f : d.size() > 1000 ? 2.5f : d.size() > 200 ? 3.5f : 5.0f) * s.scale;
  PointMapStyle style;
  style.margin_px = margin;
  style.radius_px = radius;
  style.background = s.dark ? IM_COL32(20, 22, 26, 255) : IM_COL32(250, 250, 252, 255);
  const ImVec2 fb = ImGui::GetIO().DisplayFramebufferScale;
  PointMapStyle px_style = style;
  px_style.margin_px *= fb.x;
  px_style.radius_px *= fb.x;

  ImVec2 a = ImGui::GetCursorScreenPos();
  ImVec2 b(a.x + side, a.y + side);
  PointMapRenderer* r = s.host.PointMap();
  uint64_t tex = 0;
  std::string renderer = "drawlist", err;
  if (r) {
    tex = r->Draw(m.points, m.generation, static_cast<int>(side * fb.x), static_cast<int>(side * fb.y), px_style);
    if (tex) renderer = r->Name();
    else err = r->Error();
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  if (tex) {
    ImGui::Image(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(tex)), ImVec2(side, side), ImVec2(0, 1), ImVec2(1, 0));
  } else {
    // No GL renderer in this front end (or it failed): the same points through ImGui's draw list.
    ImGui::InvisibleButton("map_fallback", ImVec2(side, side));
    dl->AddRectFilled(a, b, style.background);
    for (const MapPoint& p : m.points) dl->AddCircleFilled(ToScreen(a, b, margin, p.x, p.y), radius, p.color, 8);
  }
  const bool hovered = ImGui::IsItemHovered();
  const bool clicked = ImGui::IsItemClicked();
  dl->AddRect(a, b, ImGui::GetColorU32(ImGuiCol_Border));
  if (!err.empty()) {
    dl->AddText(ImVec2(a.x + 6, b.y - ImGui::GetTextLineHeight() - 4), IM_COL32(240, 120, 100, 255), "shader renderer failed: drawn without it");
  }

  if (hovered && d.size()) {
    const ImVec2 mp = ImGui::GetIO().MousePos;
    const float span = side - 2 * margin;
    const float mx = (mp.x - a.x - margin) / span * 2 - 1, my = 1 - (mp.y - a.y - margin) / span * 2;
    const int64_t hit = NearestPoint(d, mx, my, (radius + 3 * s.scale) / span * 2);
    if (hit >= 0) {
      const size_t i = static_cast<size_t>(hit);
      const ImVec2 sp = ToScreen(a, b, margin, d.xy[2 * i], d.xy[2 * i + 1]);
      dl->AddCircle(sp, radius + 3 * s.scale, IM_COL32(255, 255, 255, 230), 16, 2.0f);
      const int64_t row = Views().rows.FindRef(s.loader.dataset(), d.rows[i]);
      ImGui::BeginTooltip();
      ImGui::PushTextWrapPos(ImGui::GetFontSize() * 36);
      ImGui::Text("%s", d.rows[i].c_str());
      if (d.cluster[i] >= 0) ImGui::Text("cluster %lld", static_cast<long long>(d.cluster[i]));
      else ImGui::TextDisabled("in no cluster");
      if (d.HasScores() && !std::isnan(d.score[i])) ImGui::Text("%s score %.4f", d.score_from.c_str(), d.score[i]);
      if (row >= 0) {
        ImGui::Separator();
        ImGui::TextUnformatted(RowPreview(s, row).c_str());
        ImGui::TextDisabled("click: show the row in the Data view");
      }
      ImGui::PopTextWrapPos();
      ImGui::EndTooltip();
      if (clicked && row >= 0) {
        s.selected = row;
        s.SelectTab(Tab::Data);
      }
    }
  }

  // Legend beside the map.
  ImGui::SameLine(0, 14 * s.scale);
  ImGui::BeginGroup();
  if (m.coloring == MapColoring::Score) ImGui::TextDisabled("score (%s)", d.score_from.c_str());
  else ImGui::TextDisabled("clusters in the map");
  const float sw = ImGui::GetTextLineHeight() * 0.8f;
  if (m.coloring == MapColoring::Score && m.legend.size() >= 2) {
    // A gradient bar from the lowest to the highest score.
    ImVec2 p = ImGui::GetCursorScreenPos();
    const float w = 160 * s.scale, h = sw;
    const int steps = 32;
    for (int k = 0; k < steps; ++k) {
      const float x0 = p.x + w * k / steps, x1 = p.x + w * (k + 1) / steps;
      dl->AddRectFilled(ImVec2(x0, p.y), ImVec2(x1 + 0.5f, p.y + h), ScoreColor((k + 0.5) / steps));
    }
    ImGui::Dummy(ImVec2(w, h));
    ImGui::TextUnformatted(m.legend[0].label.c_str());
    ImGui::TextUnformatted(m.legend[1].label.c_str());
    for (size_t k = 2; k < m.legend.size(); ++k) {
      ImVec2 q = ImGui::GetCursorScreenPos();
      dl->AddRectFilled(ImVec2(q.x, q.y + 2), ImVec2(q.x + sw, q.y + 2 + sw), m.legend[k].color, 2);
      ImGui::Dummy(ImVec2(sw, sw));
      ImGui::SameLine();
      ImGui::Text("%s (%s)", m.legend[k].label.c_str(), GroupedCount(m.legend[k].points).c_str());
    }
  } else {
    if (m.legend.empty()) ImGui::TextDisabled("no points");
    for (const LegendEntry& e : m.legend) {
      ImVec2 q = ImGui::GetCursorScreenPos();
      dl->AddCircleFilled(ImVec2(q.x + sw * 0.5f, q.y + ImGui::GetTextLineHeight() * 0.5f), sw * 0.45f, e.color, 12);
      ImGui::Dummy(ImVec2(sw, sw));
      ImGui::SameLine();
      ImGui::Text("%s  \xC2\xB7  %s points", e.label.c_str(), GroupedCount(e.points).c_str());
    }
  }
  ImGui::Spacing();
  ImGui::TextDisabled("hover a point for its row; click to open it");
  ImGui::TextDisabled("drawn with %s", tex ? ("shaders (" + renderer + ")").c_str() : "ImGui's draw list");
  ImGui::EndGroup();

  if (g_status.is_null()) {
    g_status = json{{"step", d.step_id}, {"points", d.size()}, {"renderer", tex ? renderer : "drawlist"},
                    {"coloring", m.coloring == MapColoring::Score ? "score" : "cluster"}, {"error", err},
                    {"rect", json::array({a.x * fb.x, a.y * fb.y, side * fb.x, side * fb.y})}};
  }
  ImGui::PopID();
}

}  // namespace

void DrawEmbeddingMaps(Studio& s, const json& report) {
  g_status = nullptr;
  g_status_frame = ImGui::GetFrameCount();
  Refresh(s, report);
  MapViews& v = Views();
  for (size_t i = 0; i < v.maps.size(); ++i) DrawMap(s, v.maps[i], i);
}

json EmbeddingMapStatus() {
  // Only what the current frame drew: after a tab change the map is no longer on screen.
  if (!ImGui::GetCurrentContext() || g_status_frame != ImGui::GetFrameCount()) return nullptr;
  return g_status;
}

bool HasEmbeddingMap(const json& report) {
  if (!report.is_object() || !report.contains("steps") || !report["steps"].is_array()) return false;
  for (const json& st : report["steps"]) {
    if (st.value("type", "") == "dedup.semantic" && st.contains("report") && st["report"].contains("map")) return true;
  }
  return false;
}

}  // namespace winnow::ui
