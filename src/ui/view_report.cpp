// Report view: what the run did. Summary and row conservation, the per-step funnel, length
// histograms, languages, PII by type, the MinHash S-curve for chosen bands x rows, duplicate
// clusters with a side-by-side word diff, and rejected rows grouped by reason.
#include <imgui.h>

#include <cmath>
#include <cstdio>
#include <map>

#include "ui/point_map.h"
#include "ui/studio.h"
#include "ui/text_diff.h"

namespace winnow::ui {

namespace {

using json = nlohmann::json;

uint64_t U(const json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_number() ? j[key].get<uint64_t>() : 0;
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

int g_bands = 0, g_rows = 0;

void DrawSCurve(Studio& s, const json& report) {
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
  if (g_bands == 0) {
    g_bands = bands > 0 ? bands : 16;
    g_rows = rows > 0 ? rows : 8;
  }
  ImGui::SetNextItemWidth(160 * s.scale);
  ImGui::SliderInt("bands", &g_bands, 1, 64);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(160 * s.scale);
  ImGui::SliderInt("rows per band", &g_rows, 1, 32);
  ImGui::SameLine();
  if (ImGui::SmallButton("as run")) {
    g_bands = bands > 0 ? bands : g_bands;
    g_rows = rows > 0 ? rows : g_rows;
  }
  float pts[101];
  for (int i = 0; i <= 100; ++i) pts[i] = static_cast<float>(SCurve(i / 100.0, g_bands, g_rows));
  char overlay[160];
  double knee = std::pow(1.0 / g_bands, 1.0 / g_rows);
  std::snprintf(overlay, sizeof overlay, "%d x %d = %d hashes; 50%% at Jaccard ~%.2f; threshold %.2f: P=%.3f", g_bands, g_rows,
                g_bands * g_rows, knee, threshold, SCurve(threshold, g_bands, g_rows));
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
  if (built_for == rej->bytes.data()) return groups;
  groups.clear();
  built_for = rej->bytes.data();
  *rebuilt = true;
  const std::string& b = rej->bytes;
  size_t start = 0;
  while (start < b.size()) {
    size_t nl = b.find('\n', start);
    if (nl == std::string::npos) nl = b.size();
    json j = json::parse(b.begin() + static_cast<std::ptrdiff_t>(start), b.begin() + static_cast<std::ptrdiff_t>(nl), nullptr, false);
    if (!j.is_discarded() && j.is_object()) {
      RejectGroup& g = groups[j.value("step", "?") + ": " + j.value("reason", "?")];
      ++g.count;
      if (g.samples.size() < 50) {
        j.erase("row");
        j.erase("raw");
        g.samples.push_back(std::move(j));
      }
    }
    start = nl + 1;
  }
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

int64_t g_diff_a = 1, g_diff_b = 2;

void DrawDuplicates(Studio& s, const json& report) {
  // Clusters as dedup steps report them: any array named "clusters" / "samples" / "pairs" whose
  // entries name rows by line; pick a pair to compare, or type two row numbers.
  std::vector<std::pair<uint64_t, uint64_t>> pairs;
  std::vector<std::string> notes;
  if (report.contains("steps")) {
    for (const auto& st : report["steps"]) {
      std::string type = st.value("type", "");
      if (type.rfind("dedup", 0) != 0 || !st.contains("report")) continue;
      const json& r = st["report"];
      for (const char* key : {"clusters", "samples", "pairs", "sample_pairs"}) {
        if (!r.is_object() || !r.contains(key) || !r[key].is_array()) continue;
        for (const auto& c : r[key]) {
          std::vector<uint64_t> lines;
          auto collect = [&](const json& v) {
            if (v.is_object() && v.contains("line") && v["line"].is_number()) lines.push_back(v["line"].get<uint64_t>());
          };
          if (c.is_object()) {
            for (const char* k2 : {"members", "rows", "pair"}) {
              if (c.contains(k2) && c[k2].is_array()) {
                for (const auto& m : c[k2]) {
                  if (m.is_number()) lines.push_back(m.get<uint64_t>());
                  else collect(m);
                }
              }
            }
            for (const char* k2 : {"a", "b", "kept", "dropped", "first", "second"}) {
              if (c.contains(k2)) collect(c[k2]);
              if (c.contains(k2) && c[k2].is_number()) lines.push_back(c[k2].get<uint64_t>());
            }
          }
          if (lines.size() >= 2) {
            pairs.emplace_back(lines[0], lines[1]);
            char note[160];
            std::snprintf(note, sizeof note, "%s: line %llu ~ line %llu%s", type.c_str(), static_cast<unsigned long long>(lines[0]),
                          static_cast<unsigned long long>(lines[1]),
                          c.is_object() && c.contains("jaccard") ? (" (Jaccard " + c["jaccard"].dump() + ")").c_str() : "");
            notes.push_back(note);
          }
        }
      }
    }
  }
  const Dataset& ds = s.loader.dataset();
  auto row_of_line = [&](uint64_t line) -> int64_t {
    for (size_t i = 0; i < ds.size(); ++i) {
      if (ds.OriginOf(i).line == line) return static_cast<int64_t>(i);
    }
    return -1;
  };
  if (!pairs.empty()) {
    ImGui::TextDisabled("Pairs reported by the dedup steps (click to compare):");
    ImGui::BeginChild("pairs", ImVec2(0, std::min(pairs.size(), size_t(6)) * ImGui::GetTextLineHeightWithSpacing() + 8 * s.scale), true);
    for (size_t k = 0; k < pairs.size(); ++k) {
      if (ImGui::Selectable((notes[k] + "##" + std::to_string(k)).c_str())) {
        int64_t a = row_of_line(pairs[k].first), b = row_of_line(pairs[k].second);
        if (a >= 0) g_diff_a = a + 1;
        if (b >= 0) g_diff_b = b + 1;
      }
    }
    ImGui::EndChild();
  }
  ImGui::SetNextItemWidth(120 * s.scale);
  ImGui::InputScalar("row A", ImGuiDataType_S64, &g_diff_a);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(120 * s.scale);
  ImGui::InputScalar("row B", ImGuiDataType_S64, &g_diff_b);
  if (g_diff_a < 1 || g_diff_b < 1 || static_cast<size_t>(g_diff_a) > ds.size() || static_cast<size_t>(g_diff_b) > ds.size()) {
    ImGui::TextDisabled("Choose two rows between 1 and %s.", GroupedCount(ds.size()).c_str());
    return;
  }
  std::string ta = RowText(ds, static_cast<size_t>(g_diff_a - 1)), tb = RowText(ds, static_cast<size_t>(g_diff_b - 1));
  WordDiff d = DiffWords(ta, tb);
  ImGui::SameLine();
  ImGui::TextDisabled("%zu words in common; differences highlighted", d.common_words);
  DiffColumn(s, "left", d.left);
  ImGui::SameLine();
  DiffColumn(s, "right", d.right);
}

void Section(Studio& s, const char* title) {
  ImGui::Spacing();
  ImGui::PushFont(s.font_big);
  ImGui::TextUnformatted(title);
  ImGui::PopFont();
  ImGui::Separator();
}

}  // namespace

void DrawReportView(Studio& s) {
  const json& r = s.run.report();
  if (s.run.state() != RunDriver::State::Done || !r.is_object()) {
    ImGui::Spacing();
    if (s.run.Running()) ImGui::TextDisabled("The pipeline is running; the report appears when it finishes.");
    else if (s.run.state() == RunDriver::State::Failed) ImGui::TextWrapped("The run failed: %s", s.run.error().c_str());
    else ImGui::TextDisabled("Run the pipeline (Ctrl+Enter) to see its report here.");
    if (s.HasData()) {
      Section(s, "MinHash S-curve");
      DrawSCurve(s, r.is_object() ? r : json::object());
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
  DrawSCurve(s, r);
  Section(s, "Duplicates, side by side");
  DrawDuplicates(s, r);
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
