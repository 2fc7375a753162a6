// Report view: what the run did. Summary and row conservation, the per-step funnel, length
// histograms, languages, PII by type, the MinHash S-curve for chosen bands x rows, duplicate
// clusters with a side-by-side word diff, and rejected rows grouped by reason.
#include <imgui.h>

#include <cmath>
#include <cstdio>
#include <map>

#include "ui/duplicate_pairs.h"
#include "ui/point_map.h"
#include "ui/row_ref.h"
#include "ui/studio.h"
#include "ui/text_diff.h"

namespace winnow::ui {

namespace {

using json = nlohmann::json;

uint64_t U(const json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_number() ? j[key].get<uint64_t>() : 0;
}

// Which run's report a view's state was derived from: report.json's bytes and the run's time (a new
// run's report.json may reuse the last one's address and size).
struct ReportKey {
  const void* bytes = nullptr;
  size_t size = 0;
  double elapsed = -1;
  bool operator==(const ReportKey&) const = default;
};

ReportKey KeyOf(const Studio& s) {
  const RunOutput* out = s.run.state() == RunDriver::State::Done ? s.run.Find("report.json") : nullptr;
  if (!out) return ReportKey{nullptr, 0, 0};
  return ReportKey{out->bytes.Address(), out->bytes.size(), s.run.Elapsed()};
}

// Horizontal bars: one line per item, bar length proportional to the largest value.
void Bars(Studio& s, const std::vector<std::pair<std::string, uint64_t>>& items, ImU32 color = 0) {
  uint64_t max = 1;
  for (const auto& it : items) max = std::max(max, it.second);
  float label_w = 0;
  for (const auto& it : items) label_w = std::max(label_w, ImGui::CalcTextSize(it.first.c_str()).x);
  label_w = std::min(label_w + 12 * s.scale, ImGui::GetContentRegionAvail().x * 0.4f);
  float bar_w = ImGui::GetContentRegionAvail().x - label_w - 90 * s.scale;
  if (color == 0) color = ImGui::GetColorU32(ImGuiCol_PlotHistogram);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  for (const auto& it : items) {
    ImVec2 p = ImGui::GetCursorScreenPos();
    float h = ImGui::GetTextLineHeight();
    ImGui::TextUnformatted(it.first.c_str());
    float w = bar_w * static_cast<float>(static_cast<double>(it.second) / static_cast<double>(max));
    ImVec2 a(p.x + label_w, p.y + 2), b(p.x + label_w + std::max(w, 1.0f), p.y + h - 1);
    dl->AddRectFilled(a, b, color, 3 * s.scale);
    char num[32];
    std::snprintf(num, sizeof num, "%s", GroupedCount(it.second).c_str());
    dl->AddText(ImVec2(b.x + 6 * s.scale, p.y), ImGui::GetColorU32(ImGuiCol_Text), num);
  }
}

std::vector<std::pair<std::string, uint64_t>> CountsOf(const json& obj) {
  std::vector<std::pair<std::string, uint64_t>> v;
  if (!obj.is_object()) return v;
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (it.value().is_number()) v.emplace_back(it.key(), it.value().get<uint64_t>());
  }
  std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  return v;
}

void Histogram(Studio& s, const char* title, const json& h) {
  if (!h.is_object() || !h.contains("bins") || !h["bins"].is_array() || h["bins"].empty()) return;
  std::vector<float> vals;
  for (const auto& b : h["bins"]) vals.push_back(static_cast<float>(U(b, "count")));
  char overlay[160];
  std::snprintf(overlay, sizeof overlay, "median %llu  \xC2\xB7  p90 %llu  \xC2\xB7  max %llu",
                static_cast<unsigned long long>(U(h, "p50")), static_cast<unsigned long long>(U(h, "p90")),
                static_cast<unsigned long long>(U(h, "max")));
  ImGui::TextUnformatted(title);
  ImGui::PlotHistogram("##h", vals.data(), static_cast<int>(vals.size()), 0, overlay, 0.0f, FLT_MAX,
                       ImVec2(ImGui::GetContentRegionAvail().x, 110 * s.scale));
  if (ImGui::IsItemHovered()) {
    // Which bin is under the mouse: the plot spans the full width.
    float x0 = ImGui::GetItemRectMin().x, x1 = ImGui::GetItemRectMax().x;
    int bin = static_cast<int>((ImGui::GetIO().MousePos.x - x0) / (x1 - x0) * static_cast<float>(vals.size()));
    if (bin >= 0 && bin < static_cast<int>(vals.size())) {
      const json& b = h["bins"][static_cast<size_t>(bin)];
      std::string hi = b.contains("hi") && !b["hi"].is_null() ? std::to_string(U(b, "hi")) : std::string("\xE2\x88\x9E");
      ImGui::SetTooltip("%llu \xE2\x80\x93 %s: %s rows", static_cast<unsigned long long>(U(b, "lo")), hi.c_str(),
                        GroupedCount(U(b, "count")).c_str());
    }
  }
  ImGui::TextDisabled("power-of-two bins, from %llu", static_cast<unsigned long long>(U(h["bins"][0], "lo")));
}

// Probability that a pair with Jaccard similarity s becomes a candidate: 1 - (1 - s^r)^b.
double SCurve(double sim, int bands, int rows) { return 1.0 - std::pow(1.0 - std::pow(sim, rows), bands); }

// The sliders' values; taken from the run's report whenever it changes (before a run, from the
// pipeline's dedup.near params, else 16 x 8).
struct SCurveState {
  bool init = false;
  ReportKey key;
  int bands = 16, rows = 8;
};
SCurveState g_scurve;

void DrawSCurve(Studio& s, const json& report, const ReportKey& key) {
  // Defaults from the run's dedup.near parameters when present.
  double threshold = 0.8;
  int bands = 0, rows = 0;
  if (report.contains("steps")) {
    for (const auto& st : report["steps"]) {
      if (st.value("type", "") != "dedup.near") continue;
      const json& r = st["report"];
      for (const json* src : {&r, r.is_object() && r.contains("lsh") ? &r["lsh"] : &r}) {
        if (!src->is_object()) continue;
        if (src->contains("bands") && (*src)["bands"].is_number()) bands = (*src)["bands"].get<int>();
        if (src->contains("rows") && (*src)["rows"].is_number()) rows = (*src)["rows"].get<int>();
        if (src->contains("threshold") && (*src)["threshold"].is_number()) threshold = (*src)["threshold"].get<double>();
      }
    }
  }
  if (report.contains("pipeline") && report["pipeline"].contains("steps")) {
    for (const auto& st : report["pipeline"]["steps"]) {
      if (st.value("type", "") != "dedup.near" || !st.contains("params")) continue;
      const json& p = st["params"];
      if (p.contains("threshold") && p["threshold"].is_number()) threshold = p["threshold"].get<double>();
      if (!bands && p.contains("bands") && p["bands"].is_number()) bands = p["bands"].get<int>();
      if (!rows && p.contains("rows") && p["rows"].is_number()) rows = p["rows"].get<int>();
    }
  }
  if (!g_scurve.init || !(g_scurve.key == key)) {
    g_scurve.init = true;
    g_scurve.key = key;
    g_scurve.bands = bands > 0 ? bands : 16;
    g_scurve.rows = rows > 0 ? rows : 8;
  }
  int& shown_bands = g_scurve.bands;
  int& shown_rows = g_scurve.rows;
  ImGui::SetNextItemWidth(160 * s.scale);
  ImGui::SliderInt("bands", &shown_bands, 1, 64);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(160 * s.scale);
  ImGui::SliderInt("rows per band", &shown_rows, 1, 32);
  ImGui::SameLine();
  if (ImGui::SmallButton("as run")) {
    shown_bands = bands > 0 ? bands : shown_bands;
    shown_rows = rows > 0 ? rows : shown_rows;
  }
  float pts[101];
  for (int i = 0; i <= 100; ++i) pts[i] = static_cast<float>(SCurve(i / 100.0, shown_bands, shown_rows));
  char overlay[160];
  double knee = std::pow(1.0 / shown_bands, 1.0 / shown_rows);
  std::snprintf(overlay, sizeof overlay, "%d x %d = %d hashes; 50%% at Jaccard ~%.2f; threshold %.2f: P=%.3f", shown_bands, shown_rows,
                shown_bands * shown_rows, knee, threshold, SCurve(threshold, shown_bands, shown_rows));
  ImGui::PlotLines("##scurve", pts, 101, 0, overlay, 0.0f, 1.0f, ImVec2(ImGui::GetContentRegionAvail().x, 130 * s.scale));
  // Mark the threshold.
  ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  float x = a.x + static_cast<float>(threshold) * (b.x - a.x);
  ImGui::GetWindowDrawList()->AddLine(ImVec2(x, a.y), ImVec2(x, b.y), IM_COL32(230, 120, 90, 200), 2.0f);
  ImGui::TextDisabled("x: Jaccard similarity of a pair (0..1); y: probability it is compared as a candidate");
}

// Lines of rejected.jsonl grouped by "step: reason".
struct RejectGroup {
  uint64_t count = 0;
  std::vector<json> samples;
};
std::map<std::string, RejectGroup>& Groups(Studio& s, bool* rebuilt) {
  static std::map<std::string, RejectGroup> groups;
  static const void* built_for = nullptr;
  const RunOutput* rej = s.run.Find("rejected.jsonl");
  *rebuilt = false;
  if (!rej) {
    groups.clear();
    built_for = nullptr;
    return groups;
  }
  if (built_for == rej->bytes.Address()) return groups;
  groups.clear();
  built_for = rej->bytes.Address();
  *rebuilt = true;
  rej->bytes.ForEachLine([&](std::string_view line) {
    json j = json::parse(line.begin(), line.end(), nullptr, false);
    if (!j.is_discarded() && j.is_object()) {
      RejectGroup& g = groups[j.value("step", "?") + ": " + j.value("reason", "?")];
      ++g.count;
      if (g.samples.size() < 50) {
        j.erase("row");
        j.erase("raw");
        g.samples.push_back(std::move(j));
      }
    }
  });
  return groups;
}

void DrawRejected(Studio& s) {
  bool rebuilt = false;
  auto& groups = Groups(s, &rebuilt);
  if (groups.empty()) {
    ImGui::TextDisabled("No row was rejected.");
    return;
  }
  for (auto& [key, g] : groups) {
    char title[200];
    std::snprintf(title, sizeof title, "%s  (%s)###%s", key.c_str(), CountOf(g.count, "row", "rows").c_str(), key.c_str());
    if (ImGui::TreeNode(title)) {
      for (const json& j : g.samples) {
        uint64_t line = U(j, "line"), index = U(j, "index");
        char label[64];
        std::snprintf(label, sizeof label, "line %llu##%llu", static_cast<unsigned long long>(line),
                      static_cast<unsigned long long>(index));
        if (ImGui::Selectable(label, false, 0, ImVec2(110 * s.scale, 0))) {
          // Find the dataset row with this origin index and show it in the data view.
          const Dataset& ds = s.loader.dataset();
          for (size_t i = 0; i < ds.size(); ++i) {
            if (ds.OriginOf(i).index == index) {
              s.selected = static_cast<int64_t>(i);
              s.SelectTab(Tab::Data);
              break;
            }
          }
        }
        ImGui::SameLine();
        std::string detail = OneLine(j.value("detail", ""), 200);
        ImGui::TextUnformatted(detail.c_str());
      }
      if (g.count > g.samples.size()) ImGui::TextDisabled("... and %s more in rejected.jsonl", GroupedCount(g.count - g.samples.size()).c_str());
      ImGui::TreePop();
    }
  }
}

// Text of a dataset row for comparison: all message contents and text.
std::string RowText(const Dataset& ds, size_t i) {
  std::string out;
  for (size_t m = 0; m < ds.MessageCount(i); ++m) {
    if (!out.empty()) out += "\n";
    out += ds.MessageContent(i, m);
  }
  if (!ds.Text(i).empty()) out += ds.Text(i);
  return out;
}

void DiffColumn(Studio& s, const char* id, const std::vector<DiffToken>& toks) {
  ImGui::BeginChild(id, ImVec2(ImGui::GetContentRegionAvail().x * (id[0] == 'l' ? 0.5f : 1.0f), 220 * s.scale), true);
  float wrap = ImGui::GetContentRegionAvail().x;
  float x0 = ImGui::GetCursorPosX();
  ImVec4 diff_col(0.95f, 0.55f, 0.35f, 1);
  for (const DiffToken& t : toks) {
    float w = ImGui::CalcTextSize(t.text.data(), t.text.data() + t.text.size()).x;
    if (ImGui::GetCursorPosX() - x0 + w > wrap && ImGui::GetCursorPosX() > x0) ImGui::NewLine();
    if (t.common) ImGui::TextUnformatted(t.text.data(), t.text.data() + t.text.size());
    else ImGui::TextColored(diff_col, "%.*s", static_cast<int>(t.text.size()), t.text.data());
    ImGui::SameLine(0, 0);
    if (t.text.find('\n') != std::string_view::npos) ImGui::NewLine();
  }
  ImGui::NewLine();
  ImGui::EndChild();
}

// The duplicates section's state: the clusters of the run's report, resolved rows, the pair shown.
struct DuplicatesView {
  ReportKey key;
  bool init = false;
  std::vector<DuplicateCluster> clusters;
  std::vector<std::pair<size_t, size_t>> pairs;  // flat list: (cluster, pair within it)
  RowLineIndex rows;
  int selected = -1;               // index into pairs, -1: none
  int64_t diff_a = 1, diff_b = 2;  // 1-based rows compared
};
DuplicatesView g_dups;
json g_dup_status;
int g_dup_status_frame = -1;

std::string RefCell(DuplicatesView& v, const Dataset& ds, const std::string& ref, int64_t* row) {
  *row = v.rows.FindRef(ds, ref);
  if (*row < 0) return ref + "  (not in the loaded data)";
  return "row " + GroupedCount(static_cast<uint64_t>(*row) + 1) + "  \xC2\xB7  " + ref;
}

void Compare(DuplicatesView& v, const Dataset& ds, int k) {
  const DuplicatePair& p = v.clusters[v.pairs[static_cast<size_t>(k)].first].pairs[v.pairs[static_cast<size_t>(k)].second];
  const int64_t a = v.rows.FindRef(ds, p.a), b = v.rows.FindRef(ds, p.b);
  if (a < 0 || b < 0) return;  // the pair names rows of another file: nothing to compare
  v.diff_a = a + 1;
  v.diff_b = b + 1;
  v.selected = k;
}

void DrawDuplicates(Studio& s, const json& report, const ReportKey& key) {
  DuplicatesView& v = g_dups;
  const Dataset& ds = s.loader.dataset();
  if (!v.init || !(v.key == key)) {
    v.init = true;
    v.key = key;
    v.clusters = DuplicateClustersFromReport(report);
    v.pairs.clear();
    for (size_t c = 0; c < v.clusters.size(); ++c) {
      for (size_t p = 0; p < v.clusters[c].pairs.size(); ++p) v.pairs.emplace_back(c, p);
    }
    v.selected = -1;
    // Show the first pair that names two loaded rows right away.
    for (size_t k = 0; k < v.pairs.size() && v.selected < 0; ++k) Compare(v, ds, static_cast<int>(k));
  }
  json st = {{"pairs", v.pairs.size()}, {"clusters", v.clusters.size()}};
  size_t by_type[3] = {0, 0, 0};
  for (const DuplicateCluster& c : v.clusters) {
    by_type[c.step_type == "dedup.exact" ? 0 : c.step_type == "dedup.near" ? 1 : 2] += c.pairs.size();
  }
  st["exact"] = by_type[0];
  st["near"] = by_type[1];
  st["semantic"] = by_type[2];
  st["top"] = ImGui::GetCursorScreenPos().y;

  // One line per dedup step: what it found, and how much of it its report lists.
  if (report.contains("steps") && report["steps"].is_array()) {
    for (const json& step : report["steps"]) {
      const std::string type = step.value("type", "");
      if (type.rfind("dedup.", 0) != 0 || !step.contains("report") || !step["report"].is_object()) continue;
      const json& r = step["report"];
      size_t listed = 0;
      for (const DuplicateCluster& c : v.clusters) {
        if (c.step_id == step.value("id", "")) listed += c.pairs.size();
      }
      std::string line = step.value("id", type) + ": " + CountOf(U(r, "duplicates"), "duplicate", "duplicates") + " in " +
                         CountOf(U(r, "clusters"), "cluster", "clusters");
      if (type == "dedup.exact") line += "; the first " + CountOf(listed, "pair", "pairs") + " listed below";
      else if (listed) line += "; " + CountOf(listed, "sample pair", "sample pairs") + " of the largest clusters listed below";
      ImGui::BulletText("%s", line.c_str());
    }
  }

  json rects = json::array();
  if (!v.pairs.empty()) {
    ImGui::TextDisabled("Click a pair to compare its rows:");
    const float line_h = ImGui::GetTextLineHeightWithSpacing() + 2 * s.scale;
    const float h = std::min<float>(static_cast<float>(v.pairs.size()) + 1.2f, 8.5f) * line_h;
    const ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter |
                                  ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp;
    if (ImGui::BeginTable("dup_pairs", 5, flags, ImVec2(0, h))) {
      ImGui::TableSetupScrollFreeze(0, 1);
      ImGui::TableSetupColumn("step", ImGuiTableColumnFlags_WidthFixed, 110 * s.scale);
      ImGui::TableSetupColumn("cluster", ImGuiTableColumnFlags_WidthFixed, 130 * s.scale);
      ImGui::TableSetupColumn("row A", ImGuiTableColumnFlags_WidthStretch, 1.0f);
      ImGui::TableSetupColumn("row B", ImGuiTableColumnFlags_WidthStretch, 1.0f);
      ImGui::TableSetupColumn("similarity", ImGuiTableColumnFlags_WidthFixed, 120 * s.scale);
      ImGui::TableHeadersRow();
      for (size_t k = 0; k < v.pairs.size(); ++k) {
        const DuplicateCluster& c = v.clusters[v.pairs[k].first];
        const DuplicatePair& p = c.pairs[v.pairs[k].second];
        const bool first_of_cluster = v.pairs[k].second == 0;
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        const std::string label = (first_of_cluster ? c.step_id : std::string()) + "##pair" + std::to_string(k);
        const bool sel = v.selected == static_cast<int>(k);
        if (ImGui::Selectable(label.c_str(), sel, ImGuiSelectableFlags_SpanAllColumns)) {
          Compare(v, ds, static_cast<int>(k));
          if (v.selected != static_cast<int>(k)) s.toast = "That pair names rows that are not in the loaded data.";
        }
        if (ImGui::IsItemVisible()) {
          const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
          rects.push_back({k, a.x, a.y, b.x - a.x, b.y - a.y});
        }
        ImGui::TableNextColumn();
        if (first_of_cluster) {
          if (c.size > 0) ImGui::Text("%s", CountOf(c.size, "row", "rows").c_str());
          else ImGui::TextUnformatted(c.pairs.size() > 1 ? "kept + copies" : "exact copy");
        }
        int64_t ra = -1, rb = -1;
        ImGui::TableNextColumn();
        std::string cell = RefCell(v, ds, p.a, &ra);
        if (ra < 0) ImGui::TextDisabled("%s", cell.c_str());
        else ImGui::TextUnformatted(cell.c_str());
        ImGui::TableNextColumn();
        cell = RefCell(v, ds, p.b, &rb);
        if (rb < 0) ImGui::TextDisabled("%s", cell.c_str());
        else ImGui::TextUnformatted(cell.c_str());
        ImGui::TableNextColumn();
        if (p.measure.empty()) ImGui::TextUnformatted("identical");
        else ImGui::Text("%s %.2f", p.measure == "jaccard" ? "Jaccard" : p.measure.c_str(), p.similarity);
      }
      ImGui::EndTable();
    }
  } else {
    ImGui::TextDisabled("The dedup steps list no duplicate pairs: type two row numbers to compare.");
  }
  st["pair_rects"] = rects;
  // The selection holds only while the inputs still show its rows.
  if (v.selected >= 0) {
    const DuplicatePair& p = v.clusters[v.pairs[static_cast<size_t>(v.selected)].first].pairs[v.pairs[static_cast<size_t>(v.selected)].second];
    if (v.rows.FindRef(ds, p.a) + 1 != v.diff_a || v.rows.FindRef(ds, p.b) + 1 != v.diff_b) v.selected = -1;
  }
  st["selected"] = v.selected;

  ImGui::SetNextItemWidth(120 * s.scale);
  ImGui::InputScalar("row A", ImGuiDataType_S64, &v.diff_a);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(120 * s.scale);
  ImGui::InputScalar("row B", ImGuiDataType_S64, &v.diff_b);
  const ImVec2 win = ImGui::GetWindowPos();
  st["view"] = {win.x, win.y, win.x + ImGui::GetWindowWidth(), win.y + ImGui::GetWindowHeight()};
  if (v.diff_a < 1 || v.diff_b < 1 || static_cast<size_t>(v.diff_a) > ds.size() || static_cast<size_t>(v.diff_b) > ds.size()) {
    ImGui::TextDisabled("Choose two rows between 1 and %s.", GroupedCount(ds.size()).c_str());
    st["rows"] = {-1, -1};
    st["bottom"] = ImGui::GetItemRectMax().y;
    g_dup_status = std::move(st);
    g_dup_status_frame = ImGui::GetFrameCount();
    return;
  }
  std::string ta = RowText(ds, static_cast<size_t>(v.diff_a - 1)), tb = RowText(ds, static_cast<size_t>(v.diff_b - 1));
  WordDiff d = DiffWords(ta, tb);
  ImGui::SameLine();
  ImGui::TextDisabled("%zu words in common; differences highlighted", d.common_words);
  if (v.selected >= 0) {
    const DuplicatePair& p = v.clusters[v.pairs[static_cast<size_t>(v.selected)].first].pairs[v.pairs[static_cast<size_t>(v.selected)].second];
    const float half = ImGui::GetContentRegionAvail().x * 0.5f;
    const float x0 = ImGui::GetCursorPosX();
    ImGui::Text("row %s  (%s)", GroupedCount(static_cast<uint64_t>(v.diff_a)).c_str(), p.a.c_str());
    ImGui::SameLine(x0 + half);
    ImGui::Text("row %s  (%s)", GroupedCount(static_cast<uint64_t>(v.diff_b)).c_str(), p.b.c_str());
  }
  DiffColumn(s, "left", d.left);
  ImGui::SameLine();
  DiffColumn(s, "right", d.right);
  st["rows"] = {v.diff_a - 1, v.diff_b - 1};
  st["common_words"] = d.common_words;
  st["bottom"] = ImGui::GetItemRectMax().y;
  g_dup_status = std::move(st);
  g_dup_status_frame = ImGui::GetFrameCount();
}

void Section(Studio& s, const char* title) {
  ImGui::Spacing();
  ImGui::PushFont(s.font_big);
  ImGui::TextUnformatted(title);
  ImGui::PopFont();
  ImGui::Separator();
}

}  // namespace

json DuplicatesStatus() {
  // Only what the current frame drew: on another tab the section is not on screen.
  if (!ImGui::GetCurrentContext() || g_dup_status_frame != ImGui::GetFrameCount()) return nullptr;
  return g_dup_status;
}

void DrawReportView(Studio& s) {
  const json& r = s.run.report();
  if (s.run.state() != RunDriver::State::Done || !r.is_object()) {
    ImGui::Spacing();
    if (s.run.Running()) ImGui::TextDisabled("The pipeline is running; the report appears when it finishes.");
    else if (s.run.state() == RunDriver::State::Failed) ImGui::TextWrapped("The run failed: %s", s.run.error().c_str());
    else ImGui::TextDisabled("Run the pipeline (Ctrl+Enter) to see its report here.");
    if (s.HasData()) {
      Section(s, "MinHash S-curve");
      // Before a run: the pipeline's own dedup.near params, when it gives bands / rows.
      DrawSCurve(s, json{{"pipeline", s.pipeline}}, KeyOf(s));
    }
    return;
  }
  ImGui::BeginChild("report_scroll");
  const json& rows = r["rows"];
  uint64_t read = U(rows, "read"), kept = U(rows, "kept"), rejected = U(rows, "rejected");
  ImGui::PushFont(s.font_big);
  ImGui::Text("%s read  \xE2\x86\x92  %s kept, %s rejected", CountOf(read, "row", "rows").c_str(), GroupedCount(kept).c_str(),
              GroupedCount(rejected).c_str());
  ImGui::PopFont();
  bool ok = r.contains("conservation") && r["conservation"].value("ok", false);
  ImGui::TextColored(ok ? ImVec4(0.35f, 0.75f, 0.55f, 1) : ImVec4(0.95f, 0.45f, 0.40f, 1), "%s",
                     ok ? "Row conservation holds: every input row is either kept or rejected with a reason."
                        : "Row conservation FAILED: see report.json");
  float half = ImGui::GetContentRegionAvail().x * 0.5f - 6 * s.scale;

  Section(s, "Per-step funnel");
  if (r.contains("steps") && r["steps"].is_array()) {
    std::vector<std::pair<std::string, uint64_t>> funnel;
    funnel.emplace_back("input", read);
    for (const auto& st : r["steps"]) {
      uint64_t dropped = U(st, "dropped");
      funnel.emplace_back(st.value("id", "?") + (dropped ? "  \xE2\x88\x92" + GroupedCount(dropped) : std::string()), U(st, "kept"));
    }
    Bars(s, funnel);
  }
  if (HasEmbeddingMap(r)) {
    Section(s, "Embedding map");
    DrawEmbeddingMaps(s, r);
  }

  ImGui::BeginChild("hists_l", ImVec2(half, 390 * s.scale), false, ImGuiWindowFlags_NoScrollbar);
  Section(s, "Length of kept rows");
  if (r.contains("kept")) {
    Histogram(s, "characters", r["kept"]["chars"]);
    Histogram(s, "words", r["kept"]["words"]);
  }
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("hists_r", ImVec2(0, 390 * s.scale), false, ImGuiWindowFlags_NoScrollbar);
  Section(s, "Languages");
  if (r.contains("kept") && r["kept"].contains("languages")) {
    auto langs = CountsOf(r["kept"]["languages"]);
    if (langs.size() > 10) langs.resize(10);
    Bars(s, langs, IM_COL32(90, 150, 220, 255));
  } else {
    ImGui::TextDisabled("No filter.language step in this pipeline.");
  }
  Section(s, "PII by type");
  bool any_pii = false;
  if (r.contains("steps")) {
    for (const auto& st : r["steps"]) {
      if (st.value("type", "") != "pii.scrub" || !st.contains("report")) continue;
      const json& pr = st["report"];
      for (const char* key : {"by_type", "counts", "types", "hits_by_type"}) {
        if (pr.is_object() && pr.contains(key) && pr[key].is_object()) {
          auto v = CountsOf(pr[key]);
          if (!v.empty()) {
            Bars(s, v, IM_COL32(220, 140, 80, 255));
            any_pii = true;
          }
          break;
        }
      }
    }
  }
  if (!any_pii) ImGui::TextDisabled("No PII found (or no pii.scrub step).");
  ImGui::EndChild();

  Section(s, "Rejected rows by reason");
  DrawRejected(s);
  Section(s, "MinHash S-curve");
  DrawSCurve(s, r, KeyOf(s));
  Section(s, "Duplicates, side by side");
  DrawDuplicates(s, r, KeyOf(s));
  Section(s, "Step reports");
  if (r.contains("steps")) {
    for (const auto& st : r["steps"]) {
      std::string title = st.value("id", "?") + " (" + st.value("type", "?") + ")";
      if (ImGui::TreeNode(title.c_str())) {
        ImGui::PushFont(s.font_mono);
        std::string text = st.dump(2);
        ImGui::TextUnformatted(text.c_str(), text.c_str() + text.size());
        ImGui::PopFont();
        ImGui::TreePop();
      }
    }
  }
  ImGui::EndChild();
}

}  // namespace winnow::ui
