#include "ui/review_apply.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/hash.h"
#include "io/memory_io.h"
#include "io/reader.h"
#include "io/writer.h"

namespace winnow::ui {

namespace {

using ojson = nlohmann::ordered_json;

// The lines of an output (lines may straddle its parts), each its own string.
std::vector<std::string> Lines(const ChunkedBytes& b) {
  std::vector<std::string> out;
  b.ForEachLine([&](std::string_view line) { out.emplace_back(line); });
  return out;
}

void AppendLine(ChunkedBytes* b, std::string_view line) {
  b->Append(line);
  b->Append("\n");
}

// The verbatim text of the top-level key `key` of a one-line JSON object whose last key it is
// (rejected.jsonl puts "row" last), without re-serializing it.
std::string LastValueText(const std::string& line, std::string_view key) {
  int depth = 0;
  bool in_str = false, esc = false;
  size_t str_start = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (in_str) {
      if (esc) esc = false;
      else if (c == '\\') esc = true;
      else if (c == '"') {
        in_str = false;
        std::string_view s(line.data() + str_start, i - str_start);
        if (depth == 1 && s == key && i + 1 < line.size() && line[i + 1] == ':') {
          size_t end = line.find_last_of('}');
          if (end == std::string::npos || end <= i + 2) return {};
          return line.substr(i + 2, end - (i + 2));
        }
      }
      continue;
    }
    if (c == '"') {
      in_str = true;
      str_start = i + 1;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return {};
}

struct KeptRow {
  uint64_t index;  // Origin::index: input order
  std::string line;
};

}  // namespace

Result<std::vector<RunOutput>> ApplyReview(const std::vector<RunOutput>& outputs, const DatasetLoader& loaded,
                                           const std::map<size_t, ReviewOverride>& overrides) {
  const RunOutput *kept_out = nullptr, *rej_out = nullptr, *report_out = nullptr, *card_out = nullptr;
  for (const RunOutput& o : outputs) {
    if (o.name == "kept.jsonl") kept_out = &o;
    if (o.name == "rejected.jsonl") rej_out = &o;
    if (o.name == "report.json") report_out = &o;
    if (o.name == "README.md") card_out = &o;
  }
  if (!kept_out || !rej_out) return Error{"bad_input", "the run has no kept.jsonl / rejected.jsonl to apply the review to"};
  const Dataset& ds = loaded.dataset();
  std::string file_name = loaded.name();
  if (size_t p = file_name.find_last_of("/\\"); p != std::string::npos) file_name = file_name.substr(p + 1);

  // Rejected rows by origin index (read problems are not dataset rows and stay as they are).
  std::vector<std::string> rej_lines = Lines(rej_out->bytes);
  std::map<uint64_t, size_t> rejected_at;
  for (size_t k = 0; k < rej_lines.size(); ++k) {
    ojson j = ojson::parse(rej_lines[k], nullptr, false);
    if (j.is_discarded() || j.value("step", "") == "read" || !j.contains("index")) continue;
    rejected_at[j["index"].get<uint64_t>()] = k;
  }
  // Kept lines belong, in order, to the dataset rows that were not rejected.
  std::vector<std::string> kept_lines = Lines(kept_out->bytes);
  std::vector<KeptRow> kept;
  std::map<size_t, size_t> kept_pos;  // dataset row -> position in `kept`
  size_t k = 0;
  for (size_t i = 0; i < ds.size(); ++i) {
    if (rejected_at.count(ds.OriginOf(i).index)) continue;
    if (k >= kept_lines.size()) return Error{"bad_input", "kept.jsonl has fewer rows than the loaded data implies"};
    kept_pos[i] = kept.size();
    kept.push_back({ds.OriginOf(i).index, kept_lines[k++]});
  }
  if (k != kept_lines.size()) return Error{"bad_input", "kept.jsonl has more rows than the loaded data implies"};

  // Split files hold the kept rows' exact lines, each row in one split (in the split's own order,
  // e.g. by time). Each split line is matched to its kept row by text; identical lines are
  // interchangeable, so taking them in order is exact. If a line has no kept row (a foreign
  // output), the split files are left as the pipeline wrote them and the report says so.
  std::vector<const RunOutput*> split_outs;
  for (const RunOutput& o : outputs) {
    if (o.name == "train.jsonl" || o.name == "validation.jsonl" || o.name == "test.jsonl") split_outs.push_back(&o);
  }
  std::vector<std::vector<size_t>> split_refs(split_outs.size());  // kept position of each split line
  bool splits_matched = !split_outs.empty();
  {
    std::map<std::string_view, std::vector<size_t>> positions;  // text -> kept positions, reversed
    for (size_t p = kept.size(); p-- > 0;) positions[kept_lines[p]].push_back(p);
    for (size_t sidx = 0; sidx < split_outs.size() && splits_matched; ++sidx) {
      for (const std::string& l : Lines(split_outs[sidx]->bytes)) {
        auto it = positions.find(l);
        if (it == positions.end() || it->second.empty()) {
          splits_matched = false;
          break;
        }
        split_refs[sidx].push_back(it->second.back());
        it->second.pop_back();
      }
    }
  }
  const size_t n_pipeline_kept = kept.size();

  std::vector<bool> rej_removed(rej_lines.size(), false);
  std::vector<std::string> rej_added;
  ojson log = ojson::array();
  uint64_t n_keep = 0, n_drop = 0, n_edit = 0, n_rated = 0, rating_sum = 0;
  uint64_t ratings[6] = {};
  for (const auto& [i, ov] : overrides) {
    if (!ov.Active() || i >= ds.size()) continue;
    const Origin& o = ds.OriginOf(i);
    auto kp = kept_pos.find(i);
    bool is_kept = kp != kept_pos.end();
    std::string verdict = "unchanged";
    // Edits apply to the row as the pipeline left it (e.g. with PII already scrubbed).
    std::string* line = is_kept ? &kept[kp->second].line : nullptr;
    std::string rejected_row;
    if (!is_kept) rejected_row = LastValueText(rej_lines[rejected_at[o.index]], "row");
    std::string* target = is_kept ? line : &rejected_row;
    if (!ov.edits.empty() && target && !target->empty()) {
      MemorySource src("review", *target + "\n");
      ReadOptions ro;
      ro.kind = FileKind::Jsonl;
      ro.format = ds.SourceFormat(i);
      auto reader = ExampleReader::Open(src, ro);
      Example ex;
      RowProblem prob;
      if (reader.ok() && reader.value()->Read(&ex, &prob).ok()) {
        for (const auto& [m, text] : ov.edits) {
          SetMessageContent(&ex, m, text);
        }
        std::string enc, why;
        if (EncodeExample(ex, ds.SourceFormat(i), &enc, &why)) {
          *target = enc;
          ++n_edit;
        }
      }
    }
    if (is_kept && ov.verdict == 0) {
      std::string rec = "{\"step\":\"review\",\"reason\":\"reviewer_drop\",\"detail\":";
      AppendJsonString(ov.note.empty() ? "dropped by a reviewer in the studio" : "reviewer: " + ov.note, &rec);
      rec += ",\"file\":";
      AppendJsonString(file_name, &rec);
      rec += ",\"line\":" + std::to_string(o.line) + ",\"index\":" + std::to_string(o.index) +
             ",\"offset\":" + std::to_string(o.offset) + ",\"row\":" + *line + "}";
      rej_added.push_back(std::move(rec));
      kept[kp->second].line.clear();  // removed below
      verdict = "drop";
      ++n_drop;
    } else if (!is_kept && ov.verdict == 1) {
      if (rejected_row.empty()) return Error{"bad_input", "rejected.jsonl has no row text for line " + std::to_string(o.line)};
      rej_removed[rejected_at[o.index]] = true;
      kept.push_back({o.index, rejected_row});
      verdict = "keep";
      ++n_keep;
    }
    if (ov.rating > 0) {
      ++n_rated;
      ++ratings[ov.rating];
      rating_sum += static_cast<uint64_t>(ov.rating);
    }
    char id[17] = {};
    HexU64(ds.Id(i), id);
    ojson e = ojson::object();
    e["line"] = o.line;
    e["index"] = o.index;
    e["id"] = id;
    e["pipeline_verdict"] = is_kept ? "kept" : "rejected";
    e["review_verdict"] = verdict;
    if (ov.rating > 0) e["rating"] = ov.rating;
    if (!ov.edits.empty()) {
      ojson msgs = ojson::array();
      for (const auto& [m, text] : ov.edits) msgs.push_back(m);
      e["edited_messages"] = msgs;
    }
    if (!ov.note.empty()) e["note"] = ov.note;
    log.push_back(std::move(e));
  }

  // Splits after review, before `kept` is re-sorted: dropped rows leave their split, edited rows
  // change in it, and rows a reviewer kept against the pipeline join the train split (the first
  // split when there is no train), in input order after its rows.
  std::vector<ChunkedBytes> split_bytes(split_outs.size());
  if (splits_matched) {
    size_t join = 0;
    for (size_t sidx = 0; sidx < split_outs.size(); ++sidx) {
      if (split_outs[sidx]->name == "train.jsonl") join = sidx;
    }
    for (size_t sidx = 0; sidx < split_outs.size(); ++sidx) {
      for (size_t p : split_refs[sidx]) {
        if (!kept[p].line.empty()) AppendLine(&split_bytes[sidx], kept[p].line);
      }
    }
    std::vector<const KeptRow*> joined;
    for (size_t p = n_pipeline_kept; p < kept.size(); ++p) joined.push_back(&kept[p]);
    std::stable_sort(joined.begin(), joined.end(), [](const KeptRow* a, const KeptRow* b) { return a->index < b->index; });
    for (const KeptRow* r : joined) AppendLine(&split_bytes[join], r->line);
  }

  std::stable_sort(kept.begin(), kept.end(), [](const KeptRow& a, const KeptRow& b) { return a.index < b.index; });
  ChunkedBytes kept_bytes, rej_bytes;
  uint64_t n_kept = 0, n_rej = 0;
  for (const KeptRow& r : kept) {
    if (r.line.empty()) continue;
    AppendLine(&kept_bytes, r.line);
    ++n_kept;
  }
  for (size_t r = 0; r < rej_lines.size(); ++r) {
    if (rej_removed[r]) continue;
    AppendLine(&rej_bytes, rej_lines[r]);
    ++n_rej;
  }
  for (const std::string& r : rej_added) {
    AppendLine(&rej_bytes, r);
    ++n_rej;
  }

  std::vector<RunOutput> out;
  for (const RunOutput& o : outputs) {
    // Rewritten outputs are moved in; the others are copied part by part (never joined).
    ChunkedBytes* rewritten = &o == kept_out ? &kept_bytes : &o == rej_out ? &rej_bytes : nullptr;
    for (size_t sidx = 0; sidx < split_outs.size(); ++sidx) {
      if (splits_matched && &o == split_outs[sidx]) rewritten = &split_bytes[sidx];
    }
    RunOutput c{o.name, ChunkedBytes(), 0};
    if (rewritten) {
      c.bytes = std::move(*rewritten);
    } else {
      c.bytes = o.bytes;
    }
    if (&o == report_out) {
      // report.json is small (counts and samples): parsed from one contiguous copy.
      ojson rep = ojson::parse(o.bytes.ToString(), nullptr, false);
      if (!rep.is_discarded() && rep.is_object()) {
        ojson rv = ojson::object();
        rv["rows_reviewed"] = log.size();
        rv["kept_against_pipeline"] = n_keep;
        rv["dropped_against_pipeline"] = n_drop;
        rv["edited"] = n_edit;
        ojson rt = ojson::object();
        for (int r = 1; r <= 5; ++r) rt[std::to_string(r)] = ratings[r];
        rv["ratings"] = rt;
        rv["rated"] = n_rated;
        rv["rating_sum"] = rating_sum;
        rv["rows_after_review"] = ojson{{"kept", n_kept}, {"rejected", n_rej}};
        if (!split_outs.empty()) {
          rv["splits"] = splits_matched ? "the split files follow the review: dropped rows removed, edits applied, rows kept "
                                          "against the pipeline added to train"
                                        : "the split files could not be matched to kept.jsonl and keep the pipeline's verdicts";
        }
        rv["overrides"] = log;
        rep["review"] = rv;
        c.bytes = ChunkedBytes::From(rep.dump(2) + "\n");
      }
    }
    if (&o == card_out && !log.empty()) {
      std::string sec = "\n## Human review\n\n" + std::to_string(log.size()) +
                        " rows were reviewed by a person in the Winnow studio: " + std::to_string(n_keep) +
                        " kept against the pipeline's verdict, " + std::to_string(n_drop) + " dropped, " +
                        std::to_string(n_edit) + " edited";
      if (n_rated) {
        // Mean rating with two decimals, in integers (no float formatting).
        uint64_t hundredths = (rating_sum * 100 + n_rated / 2) / n_rated;
        sec += "; " + std::to_string(n_rated) + " rated, mean " + std::to_string(hundredths / 100) + "." +
               (hundredths % 100 < 10 ? "0" : "") + std::to_string(hundredths % 100) + " of 5";
      }
      sec += ". After review: " + std::to_string(n_kept) + " kept, " + std::to_string(n_rej) +
             " rejected." +
             (split_outs.empty() ? std::string()
              : splits_matched   ? std::string(" The split files follow the review (rows kept against the pipeline join train).")
                                 : std::string(" The split files could not be matched to kept.jsonl and keep the pipeline's verdicts.")) +
             " The decisions are listed in `report.json` under `review`.\n";
      c.bytes.Append(sec);
    }
    c.lines = c.bytes.Count('\n');
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace winnow::ui
