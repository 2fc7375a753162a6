#include "pipeline/dataset_card.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "pipeline/run_stats.h"

namespace winnow {

using nlohmann::json;

std::string SizeCategory(uint64_t n) {
  if (n < 1000) return "n<1K";
  if (n < 10000) return "1K<n<10K";
  if (n < 100000) return "10K<n<100K";
  if (n < 1000000) return "100K<n<1M";
  if (n < 10000000) return "1M<n<10M";
  if (n < 100000000) return "10M<n<100M";
  if (n < 1000000000) return "100M<n<1B";
  return "n>1B";
}

namespace {

uint64_t U(const json& j, const char* key) {
  if (!j.is_object()) return 0;
  auto it = j.find(key);
  return (it != j.end() && it->is_number_unsigned()) ? it->get<uint64_t>()
         : (it != j.end() && it->is_number_integer()) ? static_cast<uint64_t>(std::max<int64_t>(0, it->get<int64_t>()))
                                                      : 0;
}
std::string S(const json& j, const char* key) {
  if (!j.is_object()) return {};
  auto it = j.find(key);
  return (it != j.end() && it->is_string()) ? it->get<std::string>() : std::string();
}
// Markdown table cell: no pipes or newlines.
std::string Cell(std::string s) {
  for (char& c : s) {
    if (c == '|') c = '/';
    if (c == '\n' || c == '\r') c = ' ';
  }
  return s;
}
std::string Num(uint64_t n) {
  std::string s = std::to_string(n), out;
  int k = 0;
  for (auto it = s.rbegin(); it != s.rend(); ++it) {
    if (k && k % 3 == 0) out.push_back(',');
    out.push_back(*it);
    ++k;
  }
  std::reverse(out.begin(), out.end());
  return out;
}
// "a (12), b (3)" from a {name: count} object, largest first, at most `limit` entries.
std::string TopCounts(const json& obj, size_t limit) {
  std::vector<std::pair<uint64_t, std::string>> v;
  if (obj.is_object()) {
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      if (it->is_number()) v.push_back({it->get<uint64_t>(), it.key()});
    }
  }
  std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::string s;
  for (size_t i = 0; i < v.size() && i < limit; ++i) {
    if (i) s += ", ";
    s += "`" + v[i].second + "` (" + Num(v[i].first) + ")";
  }
  if (v.size() > limit) s += ", …";
  return s.empty() ? "—" : s;
}

void LengthRow(const char* what, const json& h, std::string* md) {
  if (!h.is_object() || U(h, "count") == 0) return;
  *md += "| " + std::string(what) + " | " + Num(U(h, "min")) + " | " + Num(U(h, "p50")) + " | " + Num(U(h, "mean")) +
         " | " + Num(U(h, "p90")) + " | " + Num(U(h, "max")) + " |\n";
}

}  // namespace

std::string RenderDatasetCard(const json& report) {
  const json& pipeline = report.contains("pipeline") ? report["pipeline"] : json::object();
  const json& rows = report.contains("rows") ? report["rows"] : json::object();
  const json& kept = report.contains("kept") ? report["kept"] : json::object();
  const json& steps = report.contains("steps") ? report["steps"] : json::array();
  const json& splits = report.contains("splits") ? report["splits"] : json();
  const json& inputs = report.contains("inputs") ? report["inputs"] : json::array();
  uint64_t n_kept = U(rows, "kept"), n_read = U(rows, "read");
  // No steps (`winnow card IN`): a card of the files as they are, naming them, not a cleaned output.
  const bool as_is = steps.empty();

  // Kinds of data, for task categories and tags.
  const json& kinds = kept.contains("kinds") ? kept["kinds"] : json::object();
  std::vector<std::string> tags = {"winnow"};
  bool chat = kinds.contains("chat"), pref = kinds.contains("preference"), text = kinds.contains("text"),
       kto = kinds.contains("binary_feedback");
  if (chat) tags.push_back("sft");
  if (pref) tags.push_back("dpo");
  if (kto) tags.push_back("kto");
  if (text) tags.push_back("pretraining");
  bool tools = false;
  if (kept.contains("roles") && kept["roles"].contains("tool")) tools = true;
  if (tools) tags.push_back("tool-calling");

  std::string md = "---\n";
  // configs / data_files
  md += "configs:\n- config_name: default\n  data_files:\n";
  std::vector<std::string> split_names;
  if (splits.is_object()) {
    for (const char* n : {"train", "validation", "test"}) {
      if (splits.contains(n)) split_names.push_back(n);
    }
  }
  if (as_is && !inputs.empty()) {
    md += "  - split: train\n    path:\n";
    for (const json& in : inputs) md += "    - " + json(S(in, "file")).dump() + "\n";
  } else if (split_names.empty()) {
    md += "  - split: train\n    path: kept.jsonl\n";
  } else {
    for (const std::string& n : split_names) md += "  - split: " + n + "\n    path: " + n + ".jsonl\n";
  }
  // The metadata lists the dataset's languages, not every stray detection: "un" (undetermined) is
  // left out, script variants fold to their language ("zh-Hant" -> "zh", as the Hub expects ISO
  // 639 codes), and a language needs 1% of the kept rows (at least 2 rows). The body lists all.
  if (kept.contains("languages") && kept["languages"].is_object() && !kept["languages"].empty()) {
    std::map<std::string, uint64_t> langs;
    for (auto it = kept["languages"].begin(); it != kept["languages"].end(); ++it) {
      std::string code = it.key().substr(0, it.key().find('-'));
      if (code == "un" || code.empty() || !it.value().is_number_unsigned()) continue;
      langs[code] += it.value().get<uint64_t>();
    }
    std::string list;
    for (const auto& [code, rows] : langs) {
      if (rows >= 2 && rows * 100 >= n_kept) list += "- " + code + "\n";
    }
    if (!list.empty()) md += "language:\n" + list;
  }
  md += "size_categories:\n- " + SizeCategory(n_kept) + "\n";
  md += "task_categories:\n- text-generation\n";
  if (pref || kto) md += "- reinforcement-learning\n";
  md += "tags:\n";
  for (const std::string& t : tags) md += "- " + t + "\n";
  md += "pretty_name: " +
        json(as_is ? (inputs.size() == 1 ? S(inputs[0], "file") : std::string("Dataset")) : S(pipeline, "name") + " output").dump() +
        "\n";
  md += "---\n\n";

  // Title and summary.
  std::string in_names, plain_names;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (i) in_names += ", ";
    if (i) plain_names += " ";
    in_names += "`" + S(inputs[i], "file") + "`";
    plain_names += S(inputs[i], "file");
  }
  if (as_is) {
    md += "# " + (inputs.size() == 1 ? S(inputs[0], "file") : std::string("Dataset")) + "\n\n";
    md += Num(n_read) + " rows in " + (in_names.empty() ? std::string("the input") : in_names) +
          ", described as they are: no cleaning pipeline was run (`winnow run sft-default FILE -o OUTDIR` writes a cleaned copy and its card).";
    if (U(rows, "read_problems") > 0) md += " " + Num(U(rows, "read_problems")) + " rows could not be read.";
    md += "\n\n## Dataset structure\n\n| file | rows | format |\n|---|---:|---|\n";
    for (const json& in : inputs) md += "| `" + S(in, "file") + "` | " + Num(U(in, "rows")) + " | " + S(in, "format") + " |\n";
  } else {
  md += "# " + (inputs.size() == 1 ? S(inputs[0], "file") : std::string("Dataset")) + ", cleaned with Winnow\n\n";
  md += "This dataset was produced by the Winnow pipeline **" + S(pipeline, "name") + "** (seed " +
        std::to_string(U(pipeline, "seed")) + ") from " + Num(n_read) + " input rows of " +
        (in_names.empty() ? std::string("its input") : in_names) + ". " + Num(n_kept) + " rows (" +
        Percent(n_kept, n_read) + ") were kept and " + Num(U(rows, "rejected")) + " rejected";
  if (U(rows, "read_problems") > 0) md += " (" + Num(U(rows, "read_problems")) + " of them could not be read)";
  md += ".\n";
  if (!S(pipeline, "description").empty()) md += "\n" + S(pipeline, "description") + "\n";
  bool conserved = report.contains("conservation") && report["conservation"].value("ok", false);
  md += "\nEvery input row is accounted for: " +
        std::string(conserved ? "kept + rejected = read (checked at the end of the run)."
                              : "**the row conservation check FAILED** — see `report.json`.") + "\n";

  // Structure.
  md += "\n## Dataset structure\n\n";
  md += "| file | rows | content |\n|---|---:|---|\n";
  if (split_names.empty()) {
    md += "| `kept.jsonl` | " + Num(n_kept) + " | the cleaned dataset |\n";
  } else {
    md += "| `kept.jsonl` | " + Num(n_kept) + " | every kept row (the union of the splits) |\n";
    for (const std::string& n : split_names) {
      md += "| `" + n + ".jsonl` | " + Num(U(splits[n], "rows")) + " | the " + n + " split |\n";
    }
  }
  md += "| `rejected.jsonl` | " + Num(U(rows, "rejected")) +
        " | rejected rows with the step, reason code and detail of each |\n";
  if (report.contains("annotations") && report["annotations"].is_object()) {
    const json& an = report["annotations"];
    md += "| `annotations.jsonl` | " + Num(U(an, "rows")) + " | " +
          (S(an, "rows_of") == "all" ? std::string("every row's") : std::string("the flagged rows'")) +
          " verdict, flags and per-step annotations (quality scores, languages, cluster ids), by source line |\n";
  }
  md += "| `report.json` | | every count and statistic below, machine-readable |\n";
  md += "\nRows keep the format of their source (" + TopCounts(kept.contains("formats") ? kept["formats"] : json(), 8) +
        ").\n";
  }  // as_is
  if (kept.contains("formats") && kept["formats"].is_object() && kept["formats"].size() > 1) {
    md += "\n**Mixed formats:** the kept rows are in " + std::to_string(kept["formats"].size()) +
          " different formats, so one trainer config will not read them all. Add a `convert` step to the pipeline to "
          "write one format.\n";
  }

  // Statistics.
  md += as_is ? "\n## Statistics of the rows\n\n" : "\n## Statistics of the kept rows\n\n";
  md += "| measure | min | median | mean | p90 | max |\n|---|---:|---:|---:|---:|---:|\n";
  LengthRow("characters", kept.contains("chars") ? kept["chars"] : json(), &md);
  LengthRow("words", kept.contains("words") ? kept["words"] : json(), &md);
  LengthRow("user + assistant turns", kept.contains("turns") ? kept["turns"] : json(), &md);
  if (kept.contains("chars") && kept["chars"].contains("bins")) {
    // The length histogram as text bars: a card is read as Markdown, often without images.
    const json& bins = kept["chars"]["bins"];
    uint64_t top = 0;
    for (const json& b : bins) top = std::max<uint64_t>(top, U(b, "count"));
    if (top > 0) {
      md += "\nCharacters per row:\n\n| characters | rows | |\n|---|---:|---|\n";
      for (const json& b : bins) {
        uint64_t c = U(b, "count");
        if (c == 0) continue;
        size_t bar = static_cast<size_t>((c * 30 + top - 1) / top);
        std::string bars;
        for (size_t k = 0; k < bar; ++k) bars += "\xE2\x96\x88";  // U+2588 full block
        md += "| " + Num(U(b, "lo")) + "–" + Num(U(b, "hi")) + " | " + Num(c) + " | " + bars + " |\n";
      }
    }
  }
  md += "\n- Messages by role: " + TopCounts(kept.contains("roles") ? kept["roles"] : json(), 8) + "\n";
  md += "- Kinds of example: " + TopCounts(kinds, 8) + "\n";
  if (kept.contains("languages")) {
    md += "- Languages (per row, by CLD2 on the row's text; `un` = undetermined, e.g. code or short text): " +
          TopCounts(kept["languages"], 12) + "\n";
  }
  if (kept.contains("quality_score")) {
    md += "- Quality score (0–1) of " + Num(U(kept["quality_score"], "rows")) + " rows, by range: ";
    const json& bins = kept["quality_score"]["bins"];
    bool first = true;
    for (size_t i = 0; i < bins.size(); ++i) {
      if (U(bins[i], "count") == 0) continue;
      if (!first) md += " · ";
      first = false;
      md += S(bins[i], "range") + ": " + Num(U(bins[i], "count"));
    }
    md += " (`filter.quality`: 0.5 or more when every signal passes; a low passing score means the row "
          "sits near one signal's threshold)\n";
  }
  if (!split_names.empty()) {
    md += "\n### Splits\n\n| split | rows | share | median characters |\n|---|---:|---:|---:|\n";
    for (const std::string& n : split_names) {
      uint64_t r = U(splits[n], "rows");
      md += "| " + n + " | " + Num(r) + " | " + Percent(r, n_kept) + " | " +
            Num(splits[n].contains("chars") ? U(splits[n]["chars"], "p50") : 0) + " |\n";
    }
  }

  if (as_is) {
    if (U(rows, "read_problems") > 0 && report.contains("rejected_by")) {
      json read = json::object();
      for (auto it = report["rejected_by"].begin(); it != report["rejected_by"].end(); ++it) {
        if (it.key().rfind("read/", 0) == 0) read[it.key().substr(5)] = *it;
      }
      md += "\nRows that could not be read: " + TopCounts(read, 6) + ".\n";
    }
    return md;
  }

  // Steps.
  md += "\n## How it was cleaned\n\n";
  md += "| # | step | in | kept | dropped | flagged | reasons |\n|---:|---|---:|---:|---:|---:|---|\n";
  for (size_t i = 0; i < steps.size(); ++i) {
    const json& s = steps[i];
    // Every reason: a card is where a reader checks why rows went, a "…" hides the rare ones.
    std::string reasons = TopCounts(s.contains("drop_reasons") ? s["drop_reasons"] : json(), 64);
    if (s.contains("flag_reasons") && !s["flag_reasons"].empty()) {
      reasons += "; flags: " + TopCounts(s["flag_reasons"], 64);
    }
    std::string name = "`" + S(s, "id") + "`";
    if (S(s, "id") != S(s, "type")) name += " (" + S(s, "type") + ")";
    md += "| " + std::to_string(i + 1) + " | " + name + " | " + Num(U(s, "in")) + " | " + Num(U(s, "kept")) + " | " +
          Num(U(s, "dropped")) + " | " + Num(U(s, "flagged")) + " | " + Cell(reasons) + " |\n";
  }
  if (U(rows, "read_problems") > 0 && report.contains("rejected_by")) {
    json read = json::object();
    for (auto it = report["rejected_by"].begin(); it != report["rejected_by"].end(); ++it) {
      if (it.key().rfind("read/", 0) == 0) read[it.key().substr(5)] = *it;
    }
    md += "\nRows that could not be read: " + TopCounts(read, 6) + ".\n";
  }
  // Step-specific notes that readers of a card look for.
  for (const json& s : steps) {
    std::string type = S(s, "type");
    const json& r = s.contains("report") ? s["report"] : json();
    if (!r.is_object()) continue;
    if (type == "pii.scrub") {
      md += "\n### Personal information (`" + S(s, "id") + "`)\n\n";
      const json* counts = nullptr;
      for (const char* k : {"by_type", "counts", "types"}) {
        if (r.contains(k) && r[k].is_object()) {
          counts = &r[k];
          break;
        }
      }
      bool any = false;
      if (counts) {
        for (auto it = counts->begin(); it != counts->end(); ++it) any |= it->is_number() && it->get<uint64_t>() > 0;
      }
      if (!counts) {
        md += "See `report.json` for the counts by type.\n";
      } else if (!any) {
        md += "No personal data or secrets were detected by the enabled detectors.\n";
      } else {
        md += "Detected and handled, by type: " + TopCounts(*counts, 40) + ".";
        if (U(r, "rows_with_pii") > 0) md += " Rows with at least one hit: " + Num(U(r, "rows_with_pii")) + ".";
        if (U(r, "rows_dropped") > 0) md += " Rows dropped for too many hits: " + Num(U(r, "rows_dropped")) + ".";
        md += "\n";
        if (r.contains("by_field") && r["by_field"].is_object() && !r["by_field"].empty()) {
          md += "\nBy field (and role): " + TopCounts(r["by_field"], 20) + ".\n";
        }
        if (r.contains("examples") && r["examples"].is_array() && !r["examples"].empty()) {
          md += "\nExamples, masked (only the first letter or digit and the separators are shown):\n\n"
                "| type | field | row | masked value |\n|---|---|---|---|\n";
          size_t shown = 0;
          for (const json& e : r["examples"]) {
            if (++shown > 10) break;
            md += "| `" + S(e, "type") + "` | " + S(e, "field") + " | " + Cell(S(e, "row")) + " | `" + S(e, "masked") + "` |\n";
          }
        }
      }
    } else if (type == "dedup.exact" || type == "dedup.near") {
      md += "\n### Duplicates (`" + S(s, "id") + "`)\n\n";
      if (type == "dedup.near" && r.contains("lsh")) {
        md += "MinHash LSH with " + std::to_string(U(r["lsh"], "bands")) + " bands × " +
              std::to_string(U(r["lsh"], "rows")) + " rows at Jaccard threshold " + r["lsh"].value("threshold", json()).dump() +
              ". ";
      }
      md += Num(U(r, "clusters")) + " duplicate clusters, " + Num(U(r, "duplicates")) + " rows " +
            (S(r, "action") == "flag" ? "flagged" : "removed") + ".\n";
      // A few pairs, so a reader can judge what the threshold catches (near: with their Jaccard).
      std::string pairs;
      size_t shown = 0;
      if (r.contains("largest_clusters") && r["largest_clusters"].is_array()) {
        for (const json& c : r["largest_clusters"]) {
          if (!c.contains("pairs") || !c["pairs"].is_array()) continue;
          for (const json& pr : c["pairs"]) {
            if (shown >= 5) break;
            ++shown;
            std::string jac = pr.contains("jaccard") && pr["jaccard"].is_number() ? pr["jaccard"].dump() : std::string("—");
            pairs += "| " + Cell(S(pr, "a")) + " | " + Cell(S(pr, "b")) + " | " + jac + " |\n";
          }
        }
        if (!pairs.empty()) md += "\nSample pairs from the largest clusters:\n\n| row | its near duplicate | Jaccard |\n|---|---|---:|\n" + pairs;
      } else if (r.contains("samples") && r["samples"].is_array()) {
        for (const json& pr : r["samples"]) {
          if (shown >= 5) break;
          ++shown;
          pairs += "| " + Cell(S(pr, "kept")) + " | " + Cell(S(pr, "duplicate")) + " |\n";
        }
        if (!pairs.empty()) md += "\nSample pairs:\n\n| kept | removed as its duplicate |\n|---|---|\n" + pairs;
      }
    } else if (type == "decontaminate") {
      md += "\n### Decontamination (`" + S(s, "id") + "`)\n\n";
      md += "Checked against " + TopCounts(r.contains("references") ? r["references"] : json(), 10) +
            " (reference rows) with " + std::to_string(U(r, "ngram")) + "-gram overlap: " + Num(U(r, "contaminated")) +
            " rows " + (S(r, "action") == "flag" ? "flagged" : "removed") + ".\n";
    } else if (type == "split" && r.contains("leakage")) {
      md += "\n### Split leakage check (`" + S(s, "id") + "`)\n\n";
      const json& l = r["leakage"];
      const std::string from = S(l, "groups_from");
      const bool together = !r.contains("near_duplicate_groups") || !r["near_duplicate_groups"].is_object() ||
                            r["near_duplicate_groups"].value("kept_together", true);
      const json nd = l.contains("near_duplicates") && l["near_duplicates"].is_object() ? l["near_duplicates"] : json();
      if (from == "split") {
        md += "Near-duplicate groups were found by the split itself (MinHash over the " + S(nd, "view") +
              " view, Jaccard ≥ " + (nd.contains("threshold") ? nd["threshold"].dump() : std::string("?")) + ")";
      } else if (from == "none") {
        md += "No near-duplicate groups: no cluster annotations upstream and the split's own check is off";
      } else if (!from.empty()) {
        md += "Near-duplicate groups came from the clusters of `" + from + "`";
      }
      if (!from.empty() && from != "none") md += together ? "; each was kept in one split" : "; they were not kept together";
      if (!from.empty()) md += ".\n\n";
      md += "Rows of validation / test whose normalized text also occurs in train: " + Num(U(l, "exact_overlap")) +
            "; near-duplicate clusters spanning two splits: " + Num(U(l, "clusters_across_splits")) + ".\n";
      if (nd.value("checked", false)) {
        md += "\nRe-checked after the assignment against every pair the split's own MinHash index confirmed (exact Jaccard ≥ " +
              nd["threshold"].dump() + ", " + S(nd, "view") + " view): " + Num(U(nd, "pairs_across_splits")) + " of " +
              Num(U(nd, "pairs")) + " near-duplicate pairs and " + Num(U(nd, "clusters_across_splits")) + " of " +
              Num(U(nd, "clusters")) + " clusters span two splits.\n";
        if (nd.contains("samples") && nd["samples"].is_array() && !nd["samples"].empty()) {
          md += "\n| row | split | its near duplicate | split | Jaccard |\n|---|---|---|---|---:|\n";
          for (const json& p : nd["samples"]) {
            md += "| " + Cell(S(p, "a")) + " | " + S(p, "a_split") + " | " + Cell(S(p, "b")) + " | " + S(p, "b_split") +
                  " | " + (p.contains("jaccard") ? p["jaccard"].dump() : std::string()) + " |\n";
          }
        }
      }
      if (r.contains("distributions") && r["distributions"].is_object() && !r["distributions"].empty()) {
        const bool strat = S(r, "method") == "stratified", time = S(r, "method") == "time";
        md += "\nPer split: characters per row (p10 / p50 / p90)";
        md += strat ? ", and the share of each `" + S(r, "field") + "` value" : "";
        md += time ? ", and the first / last `" + S(r, "field") + "`" : "";
        md += ":\n\n| split | rows | characters |" + std::string(strat || time ? " " + std::string(strat ? "strata" : "time") + " |" : "") +
              "\n|---|---:|---|" + (strat || time ? "---|" : "") + "\n";
        for (const char* name : {"train", "validation", "test"}) {
          if (!r["distributions"].contains(name)) continue;
          const json& d = r["distributions"][name];
          const json c = d.contains("chars") ? d["chars"] : json();
          md += "| " + std::string(name) + " | " + Num(U(d, "rows")) + " | " + Num(U(c, "p10")) + " / " + Num(U(c, "p50")) + " / " +
                Num(U(c, "p90")) + " |";
          if (strat && d.contains("strata") && d["strata"].is_object()) {
            std::string cell;
            for (const auto& sh : d["strata"].items()) {
              if (!cell.empty()) cell += ", ";
              cell += sh.key() + " " + sh.value().dump();
            }
            md += " " + Cell(cell) + " |";
          } else if (time && d.contains("time")) {
            md += " " + Cell(S(d["time"], "min")) + " – " + Cell(S(d["time"], "max")) + " |";
          } else if (strat || time) {
            md += " |";
          }
          md += "\n";
        }
      }
    }
  }

  // Pipeline.
  md += "\n## Pipeline\n\nThe exact pipeline, with every parameter's effective value:\n\n```json\n" + pipeline.dump(2) +
        "\n```\n\nTo reproduce, save that JSON as `pipeline.json` and run `winnow run pipeline.json " +
        (plain_names.empty() ? std::string("INPUT") : plain_names) +
        " -o OUTDIR` (the same input, pipeline and seed give byte-identical outputs).\n";
  return md;
}

}  // namespace winnow
