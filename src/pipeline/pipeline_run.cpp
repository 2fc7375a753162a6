#include "pipeline/pipeline_run.h"

#include <algorithm>

#include "io/source_patch.h"
#include "io/writer.h"
#include "pipeline/dataset_card.h"
#include "pipeline/run_stats.h"

namespace winnow {

using nlohmann::json;

namespace {
// Origin::file of rows created by steps: above any real input index.
constexpr uint32_t kGeneratedBase = 1u << 30;
}  // namespace

// [SECTION] state
struct PipelineRun::Impl {
  enum class Phase { Stream, Barrier, WriteKept, Report, Done };
  PipelineConfig config;
  RunOptions opts;
  std::unique_ptr<ExampleSource> input;
  RunOutputs* outputs = nullptr;
  std::vector<StepContext> ctx;
  size_t barrier = 0;  // index of the first NeedsAllRows step (== steps.size() when none)
  Phase phase = Phase::Stream;
  bool input_done = false;

  FileSink* kept_sink = nullptr;
  FileSink* rejected_sink = nullptr;
  FileSink* annotations_sink = nullptr;  // null with "annotations": "none"
  std::map<std::string, FileSink*> split_sinks;
  std::string split_id;  // id of the last split step ("" when none)

  std::vector<Row> buffer;       // rows that reached the barrier, in input order
  std::vector<uint32_t> alive;   // indices into buffer of rows still kept
  size_t stage = 0;              // barrier stage: step index
  size_t stage_pos = 0;          // rows of `alive` processed in this stage
  size_t write_pos = 0;

  // Stream phase: the batch in flight, the next pre-barrier step it goes to, and (after the input
  // ended) the next pre-barrier step to Finish.
  std::vector<Row> batch;
  bool batch_open = false;
  size_t batch_next = 0;
  bool finishing = false;
  size_t finish_next = 0;
  // Barrier phase: the current stage's Finish has been called.
  bool stage_finishing = false;
  // A step call whose work is still running (Step::Busy()): the rows it holds and what they were
  // before, to count and stamp its verdicts once it is done.
  struct Pending {
    bool active = false;
    size_t j = 0;
    bool finish = false;
    std::vector<Row*> rows;
    std::vector<uint32_t> flags_before;
    std::vector<uint8_t> dropped_before;
  } pending;
  // Rows created by barrier-stage steps, entering the buffer when their stage is complete.
  std::vector<Row> generated_hold;
  // Names of generating steps ("synth:<id>"); their rows carry Origin::file = kGeneratedBase + k.
  std::vector<std::string> generated_names;
  std::map<size_t, uint32_t> generator_of_step;
  uint64_t generated = 0;

  RunStats kept_stats;
  std::map<std::string, RunStats> split_stats;
  uint64_t rows = 0, problems = 0, kept = 0, rejected = 0, write_failures = 0, annotated = 0;
  uint64_t source_rows = 0;  // kept rows written as their patched source line ("row_bytes": "source")
  std::map<std::string, uint64_t> rejected_by;  // "step/reason" -> rows
  std::string out;  // scratch
  std::string annotation_out;  // scratch of annotations.jsonl lines
};

// [SECTION] start
Result<std::unique_ptr<PipelineRun>> PipelineRun::Start(const PipelineConfig& config,
                                                         std::unique_ptr<ExampleSource> input,
                                                         RunOutputs* outputs, RunOptions opts) {
  auto steps = InstantiateSteps(config);
  if (!steps.ok()) return steps.error();
  std::unique_ptr<PipelineRun> run(new PipelineRun());
  run->m_steps = std::move(steps.value());
  run->m_impl = std::make_unique<Impl>();
  Impl& im = *run->m_impl;
  im.config = config;
  im.opts = std::move(opts);
  if (im.opts.batch_rows == 0) im.opts.batch_rows = 1;
  im.input = std::move(input);
  im.outputs = outputs;
  im.barrier = run->m_steps.size();
  std::vector<std::string> lang_ids, quality_ids;
  for (size_t i = 0; i < run->m_steps.size(); ++i) {
    if (im.barrier == run->m_steps.size() && run->m_steps[i]->NeedsAllRows()) im.barrier = i;
    StepContext c;
    c.seed = config.seed;
    c.cancel = &run->m_cancel;
    c.read_file = im.opts.read_file;
    c.step_id = config.steps[i].id;
    c.input_names = &im.input->Names();
    c.models = im.opts.models;
    c.http = im.opts.http;
    im.ctx.push_back(std::move(c));
    std::string_view type = run->m_steps[i]->Type();
    if (type == "split") im.split_id = config.steps[i].id;
    if (!im.split_id.empty() && type != "split" && run->m_steps[i]->GeneratesRows()) {
      return Error{"bad_config", "steps[" + std::to_string(i) + "] (" + config.steps[i].id + ", " + std::string(type) +
                                     ") generates rows after the split step '" + im.split_id +
                                     "': its rows would belong to no split; move it before the split"};
    }
    if (type == "filter.language") lang_ids.push_back(config.steps[i].id);
    if (type == "filter.quality") quality_ids.push_back(config.steps[i].id);
  }
  for (size_t i = 0; i < run->m_steps.size(); ++i) {
    Status st = run->m_steps[i]->Prepare(im.ctx[i]);
    if (!st.ok()) {
      return Error{st.error().code, "steps[" + std::to_string(i) + "] (" + config.steps[i].id + "): " + st.error().message};
    }
  }
  im.kept_stats.SetLanguageSteps(lang_ids);
  im.kept_stats.SetQualitySteps(quality_ids);
  run->m_summary.steps.resize(run->m_steps.size());
  auto k = outputs->Open("kept.jsonl");
  if (!k.ok()) return k.error();
  im.kept_sink = k.value();
  auto r = outputs->Open("rejected.jsonl");
  if (!r.ok()) return r.error();
  im.rejected_sink = r.value();
  if (config.annotations != AnnotationsOutput::None) {
    auto a = outputs->Open("annotations.jsonl");
    if (!a.ok()) return a.error();
    im.annotations_sink = a.value();
  }
  if (!im.split_id.empty()) {
    for (size_t i = 0; i < run->m_steps.size(); ++i) {
      if (config.steps[i].id != im.split_id) continue;
      json p = run->m_steps[i]->Params();
      std::vector<std::string> names;
      if (p.contains("ratios") && p["ratios"].is_object()) {
        for (const char* n : {"train", "validation", "test"}) {
          if (p["ratios"].contains(n) && p["ratios"][n].is_number() && p["ratios"][n].get<double>() > 0) names.push_back(n);
        }
      }
      for (const std::string& n : names) {
        auto s = outputs->Open(n + ".jsonl");
        if (!s.ok()) return s.error();
        im.split_sinks[n] = s.value();
        im.split_stats[n].SetLanguageSteps(lang_ids);
        im.split_stats[n].SetQualitySteps(quality_ids);
      }
    }
  }
  return run;
}

PipelineRun::~PipelineRun() = default;

// [SECTION] rows in and out
namespace {

// {"step","reason","detail","file","line","index","offset","row"} for a row a step dropped.
void EncodeRejectedRow(const Row& row, std::string_view file, std::string* out) {
  const Verdict& v = row.verdict;
  const Origin& o = row.ex.origin;
  out->append("{\"step\":");
  AppendJsonString(v.step, out);
  out->append(",\"reason\":");
  AppendJsonString(v.reason, out);
  out->append(",\"detail\":");
  AppendJsonString(v.detail, out);
  out->append(",\"file\":");
  AppendJsonString(file, out);
  out->append(",\"line\":" + std::to_string(o.line) + ",\"index\":" + std::to_string(o.index) +
              ",\"offset\":" + std::to_string(o.offset));
  out->append(",\"row\":");
  std::string why;
  size_t before = out->size();
  if (!EncodeExample(row.ex, row.ex.source_format, out, &why)) {
    out->resize(before);
    out->append("null");
  }
  out->append("}\n");
}

// One line of annotations.jsonl: where the row came from, what the pipeline decided, its flags and
// its annotations (in pipeline order; a key that is no step's id, if any, after them).
void EncodeAnnotationLine(const Row& row, std::string_view file, const std::vector<StepContext>& ctx, std::string* out) {
  const Origin& o = row.ex.origin;
  out->append("{\"file\":");
  AppendJsonString(file, out);
  out->append(",\"line\":" + std::to_string(o.line) + ",\"index\":" + std::to_string(o.index) +
              ",\"offset\":" + std::to_string(o.offset));
  if (row.dropped()) {
    out->append(",\"verdict\":\"dropped\",\"step\":");
    AppendJsonString(row.verdict.step, out);
    out->append(",\"reason\":");
    AppendJsonString(row.verdict.reason, out);
  } else {
    out->append(",\"verdict\":\"kept\"");
  }
  out->append(",\"flags\":[");
  for (size_t i = 0; i < row.flags.size(); ++i) {
    if (i) out->push_back(',');
    out->append("{\"step\":");
    AppendJsonString(row.flags[i].step, out);
    out->append(",\"reason\":");
    AppendJsonString(row.flags[i].reason, out);
    out->append(",\"detail\":");
    AppendJsonString(row.flags[i].detail, out);
    out->push_back('}');
  }
  out->append("],\"annotations\":{");
  bool first = true;
  auto put = [&](const std::string& key, const json& value) {
    if (!first) out->push_back(',');
    first = false;
    AppendJsonString(key, out);
    out->push_back(':');
    out->append(value.dump());
  };
  if (row.annotations.is_object()) {
    for (const StepContext& c : ctx) {
      auto a = row.annotations.find(c.step_id);
      if (a != row.annotations.end()) put(c.step_id, *a);
    }
    for (auto it = row.annotations.begin(); it != row.annotations.end(); ++it) {
      bool known = std::any_of(ctx.begin(), ctx.end(), [&](const StepContext& c) { return c.step_id == it.key(); });
      if (!known) put(it.key(), it.value());
    }
  }
  out->append("}}\n");
}

}  // namespace

bool PipelineRun::Step(uint64_t budget) {
  Impl& im = *m_impl;
  if (im.phase == Impl::Phase::Done) return false;
  auto fail = [&](Error e) {
    m_status = Status(std::move(e));
    im.phase = Impl::Phase::Done;
    im.pending.active = false;
    return false;
  };
  auto write = [&](FileSink* sink, std::string_view bytes) -> bool {
    Status s = sink->Write(bytes);
    if (!s.ok()) {
      m_status = s;
      im.phase = Impl::Phase::Done;
      return false;
    }
    return true;
  };
  const std::vector<std::string>& names = im.input->Names();
  auto file_name = [&](uint32_t file) -> std::string_view {
    if (file >= kGeneratedBase) {
      uint32_t k = file - kGeneratedBase;
      return k < im.generated_names.size() ? std::string_view(im.generated_names[k]) : std::string_view();
    }
    return file < names.size() ? std::string_view(names[file]) : std::string_view();
  };
  // Its line in annotations.jsonl, when the pipeline's "annotations" asks for one.
  auto annotate = [&](const Row& row) -> bool {
    if (!im.annotations_sink) return true;
    if (im.config.annotations == AnnotationsOutput::Flagged && row.flags.empty()) return true;
    im.annotation_out.clear();
    EncodeAnnotationLine(row, file_name(row.ex.origin.file), im.ctx, &im.annotation_out);
    ++im.annotated;
    return write(im.annotations_sink, im.annotation_out);
  };
  // Rejects one dropped row (already stamped with its step).
  auto reject = [&](const Row& row) -> bool {
    if (!annotate(row)) return false;
    im.out.clear();
    EncodeRejectedRow(row, file_name(row.ex.origin.file), &im.out);
    ++im.rejected;
    ++im.rejected_by[row.verdict.step + "/" + row.verdict.reason];
    return write(im.rejected_sink, im.out);
  };
  // Writes one kept row (and its split); an unencodable row is rejected with step "write".
  auto keep = [&](Row& row) -> bool {
    im.out.clear();
    std::string why;
    bool patched = false;
    if (!row.source.empty() && row.ex.origin.file < kGeneratedBase) {
      patched = PatchSourceRow(row.source, row.ex, im.input->LineDecoder(row.ex.origin.file), &im.out);
      if (patched) ++im.source_rows;
      row.source = std::string();
    }
    if (!patched && !EncodeExample(row.ex, row.ex.source_format, &im.out, &why)) {
      row.verdict = Verdict{VerdictKind::Drop, "write", "unencodable", why};
      ++im.write_failures;
      return reject(row);
    }
    im.out.push_back('\n');
    if (!write(im.kept_sink, im.out)) return false;
    ++im.kept;
    if (!annotate(row)) return false;
    im.kept_stats.Add(row);
    if (!im.split_id.empty() && row.annotations.is_object()) {
      auto a = row.annotations.find(im.split_id);
      if (a != row.annotations.end() && a->is_object() && a->contains("split") && (*a)["split"].is_string()) {
        std::string name = (*a)["split"].get<std::string>();
        auto s = im.split_sinks.find(name);
        if (s != im.split_sinks.end()) {
          if (!write(s->second, im.out)) return false;
          im.split_stats[name].Add(row);
        }
      }
    }
    return true;
  };
  const size_t n_steps = m_steps.size();
  // Counts and stamps what the pending step call decided, then takes the rows it generated: in the
  // stream phase they join the batch in flight (which goes on to the next step), in the barrier
  // phase they wait for the end of the stage.
  auto end_step = [&]() {
    Impl::Pending& p = im.pending;
    p.active = false;
    size_t j = p.j;
    StepCounts& c = m_summary.steps[j];
    for (size_t i = 0; i < p.rows.size(); ++i) {
      Row& r = *p.rows[i];
      if (p.dropped_before[i]) continue;
      if (r.dropped()) {
        r.verdict.step = im.ctx[j].step_id;
        if (r.verdict.reason.empty()) r.verdict.reason = "dropped";
        ++c.dropped;
        ++c.reasons[r.verdict.reason];
      } else if (r.flags.size() > p.flags_before[i]) {
        ++c.flagged;
        for (size_t f = p.flags_before[i]; f < r.flags.size(); ++f) {
          r.flags[f].kind = VerdictKind::Flag;
          r.flags[f].step = im.ctx[j].step_id;
          ++c.flag_reasons[r.flags[f].reason];
        }
      }
    }
    p.rows.clear();
    std::vector<Row> made;
    m_steps[j]->TakeGenerated(&made);
    if (made.empty()) return;
    auto g = im.generator_of_step.find(j);
    if (g == im.generator_of_step.end()) {
      g = im.generator_of_step.emplace(j, static_cast<uint32_t>(im.generated_names.size())).first;
      im.generated_names.push_back("synth:" + im.ctx[j].step_id);
    }
    c.generated += made.size();
    im.generated += made.size();
    std::vector<Row>& into = im.phase == Impl::Phase::Stream ? im.batch : im.generated_hold;
    for (Row& r : made) {
      r.ex.origin.file = kGeneratedBase + g->second;
      r.verdict = Verdict{};
      into.push_back(std::move(r));
    }
    if (im.phase == Impl::Phase::Stream && !im.batch_open) {
      im.batch_open = true;
      im.batch_next = j + 1;
    }
  };
  // Runs step j over rows (all kept so far). Returns false when the step went on asynchronously:
  // the call stays pending and end_step runs once the step is no longer Busy().
  auto begin_step = [&](size_t j, std::span<Row*> rows, bool finish_all) -> bool {
    Impl::Pending& p = im.pending;
    p.active = true;
    p.j = j;
    p.finish = finish_all;
    p.rows.assign(rows.begin(), rows.end());
    p.flags_before.resize(rows.size());
    p.dropped_before.resize(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) {
      p.flags_before[i] = static_cast<uint32_t>(rows[i]->flags.size());
      p.dropped_before[i] = rows[i]->dropped();
    }
    if (!finish_all) {
      m_summary.steps[j].in += rows.size();
      m_steps[j]->Process(rows, im.ctx[j]);
    } else {
      m_steps[j]->Finish(rows, im.ctx[j]);
    }
    if (m_steps[j]->Busy()) return false;
    end_step();
    return true;
  };

  if (m_cancel.Cancelled()) return fail(Error{"cancelled", "the run was cancelled"});
  if (im.pending.active) {
    size_t j = im.pending.j;
    m_steps[j]->Poll(im.ctx[j]);
    if (m_cancel.Cancelled()) return fail(Error{"cancelled", "the run was cancelled"});
    if (m_steps[j]->Busy()) return true;
    end_step();
  }
  uint64_t spent = 0;
  while (spent < budget || spent == 0) {
    switch (im.phase) {
      case Impl::Phase::Stream: {
        if (!im.batch_open && !im.finishing) {
          // Read a batch.
          im.batch.clear();
          im.batch.reserve(im.opts.batch_rows);
          RowProblem problem;
          while (im.batch.size() < im.opts.batch_rows) {
            Row row;
            auto n = im.input->Read(&row.ex, &problem);
            if (!n.ok()) return fail(n.error());
            if (n.value() == ExampleReader::Next::End) {
              im.input_done = true;
              break;
            }
            if (n.value() == ExampleReader::Next::Problem) {
              ++im.problems;
              ++spent;
              im.out.clear();
              EncodeProblem(problem, file_name(problem.origin.file), "read", &im.out);
              im.out.push_back('\n');
              ++im.rejected;
              ++im.rejected_by["read/" + problem.reason];
              if (!write(im.rejected_sink, im.out)) return false;
              continue;
            }
            ++im.rows;
            if (im.config.row_bytes == RowBytes::Source) row.source.assign(im.input->LastJsonlLine());
            im.batch.push_back(std::move(row));
          }
          spent += im.batch.size();
          im.batch_open = true;
          im.batch_next = 0;
        }
        if (im.batch_open) {
          // Streaming steps before the barrier (rows generated by step j join the batch at j + 1).
          std::vector<Row*> live;
          while (im.batch_next < im.barrier) {
            live.clear();
            for (Row& r : im.batch) {
              if (!r.dropped()) live.push_back(&r);
            }
            if (live.empty()) break;
            size_t j = im.batch_next++;
            if (!begin_step(j, live, false)) return true;
            if (m_cancel.Cancelled()) return fail(Error{"cancelled", "the run was cancelled"});
            // Over budget: go on with the next step at the next slice (a batch through every step
            // at once would be one long slice, a frozen frame in the studio).
            spent += live.size();
            if (spent >= budget && im.batch_next < im.barrier) return true;
          }
          for (Row& r : im.batch) {
            if (r.dropped()) {
              if (!reject(r)) return false;
            } else if (im.barrier == n_steps) {
              if (!keep(r)) return false;
            } else {
              // Rows held until the end of the stream keep compact annotations, unless they are
              // going to annotations.jsonl whole: every row with "all", flagged ones with "flagged".
              bool whole = im.config.annotations == AnnotationsOutput::All ||
                           (im.config.annotations == AnnotationsOutput::Flagged && !r.flags.empty());
              if (!whole && r.annotations.is_object()) {
                for (size_t j = 0; j < im.barrier; ++j) {
                  auto a = r.annotations.find(im.ctx[j].step_id);
                  if (a != r.annotations.end()) m_steps[j]->CompactAnnotation(&*a);
                }
              }
              im.buffer.push_back(std::move(r));
            }
          }
          im.batch.clear();
          im.batch_open = false;
          if (im.input_done && !im.finishing) {
            im.finishing = true;
            im.finish_next = 0;
          }
          break;
        }
        // The input has ended: Finish the streaming steps in order (rows a Finish generates go
        // through the following steps before those are finished).
        if (im.finish_next < im.barrier) {
          size_t j = im.finish_next++;
          if (!begin_step(j, {}, true)) return true;
          break;
        }
        if (im.barrier == n_steps) {
          im.phase = Impl::Phase::Report;
        } else {
          im.phase = Impl::Phase::Barrier;
          im.stage = im.barrier;
          im.stage_pos = 0;
          im.stage_finishing = false;
          im.alive.resize(im.buffer.size());
          for (size_t i = 0; i < im.buffer.size(); ++i) im.alive[i] = static_cast<uint32_t>(i);
        }
        break;
      }
      case Impl::Phase::Barrier: {
        size_t j = im.stage;
        if (!im.stage_finishing) {
          std::vector<Row*> chunk;
          size_t end = std::min(im.alive.size(), im.stage_pos + im.opts.batch_rows);
          for (size_t i = im.stage_pos; i < end; ++i) chunk.push_back(&im.buffer[im.alive[i]]);
          spent += chunk.size() + 1;
          im.stage_pos = end;
          if (!chunk.empty() && !begin_step(j, chunk, false)) return true;
          if (m_cancel.Cancelled()) return fail(Error{"cancelled", "the run was cancelled"});
          if (im.stage_pos < im.alive.size()) break;
          // Stage complete: Finish (with every row for NeedsAllRows steps).
          im.stage_finishing = true;
          std::vector<Row*> all;
          if (m_steps[j]->NeedsAllRows()) {
            all.reserve(im.alive.size());
            for (uint32_t i : im.alive) {
              if (!im.buffer[i].dropped()) all.push_back(&im.buffer[i]);
            }
          }
          if (!begin_step(j, all, true)) return true;
        }
        // Reject what the stage dropped; rows it generated join the buffer for the next stages.
        im.stage_finishing = false;
        std::vector<uint32_t> next;
        next.reserve(im.alive.size() + im.generated_hold.size());
        for (uint32_t i : im.alive) {
          if (im.buffer[i].dropped()) {
            if (!reject(im.buffer[i])) return false;
          } else {
            next.push_back(i);
          }
        }
        for (Row& r : im.generated_hold) {
          next.push_back(static_cast<uint32_t>(im.buffer.size()));
          im.buffer.push_back(std::move(r));
        }
        im.generated_hold.clear();
        im.alive.swap(next);
        ++im.stage;
        im.stage_pos = 0;
        if (im.stage == n_steps) {
          im.phase = Impl::Phase::WriteKept;
          im.write_pos = 0;
        }
        break;
      }
      case Impl::Phase::WriteKept: {
        size_t end = std::min(im.alive.size(), im.write_pos + im.opts.batch_rows);
        for (size_t i = im.write_pos; i < end; ++i) {
          if (!keep(im.buffer[im.alive[i]])) return false;
          im.buffer[im.alive[i]] = Row{};  // written: free it now rather than all at once at the end
        }
        spent += end - im.write_pos + 1;
        im.write_pos = end;
        if (im.write_pos >= im.alive.size()) {
          im.buffer.clear();
          im.buffer.shrink_to_fit();
          im.alive.clear();
          im.phase = Impl::Phase::Report;
        }
        break;
      }
      case Impl::Phase::Report: {
        // Row conservation, per step and overall.
        RunSummary& s = m_summary;
        s.rows_read = im.rows + im.problems;
        s.read_problems = im.problems;
        s.generated = im.generated;
        s.kept = im.kept;
        s.rejected = im.rejected;
        bool steps_ok = true;
        std::string detail;
        uint64_t flow = im.rows;
        for (size_t j = 0; j < n_steps; ++j) {
          StepCounts& c = s.steps[j];
          c.kept = c.in - c.dropped;
          if (c.in != flow) {
            steps_ok = false;
            detail += "step " + im.config.steps[j].id + " received " + std::to_string(c.in) + " rows, expected " +
                      std::to_string(flow) + "; ";
          }
          flow = c.kept + c.generated;
        }
        if (flow != im.kept + im.write_failures) {
          steps_ok = false;
          detail += "rows after the last step: " + std::to_string(flow) + ", written or rejected at write: " +
                    std::to_string(im.kept + im.write_failures) + "; ";
        }
        bool total_ok = s.rows_read + s.generated == s.kept + s.rejected;
        s.conserved = steps_ok && total_ok;
        json report = json::object();
        report["winnow_report"] = 1;
        report["pipeline"] = PipelineToJson(im.config, &m_steps);
        json inputs = json::array();
        for (const InputInfo& in : im.input->Inputs()) {
          inputs.push_back(json{{"file", in.name}, {"format", FormatName(in.format)}, {"kind", FileKindName(in.kind)},
                                {"rows", in.rows}, {"problems", in.problems}});
        }
        report["inputs"] = inputs;
        report["rows"] = json{{"read", s.rows_read}, {"read_problems", s.read_problems}, {"kept", s.kept},
                              {"rejected", s.rejected}};
        if (s.generated > 0) report["rows"]["generated"] = s.generated;
        json cons = json::object();
        cons["ok"] = s.conserved;
        if (s.generated > 0) {
          cons["rule"] = "read + generated == kept + rejected; each step receives exactly the rows the previous step kept or generated";
        } else {
          cons["rule"] = "read == kept + rejected; each step receives exactly the rows the previous step kept";
        }
        cons["read"] = s.rows_read;
        if (s.generated > 0) cons["generated"] = s.generated;
        cons["kept"] = s.kept;
        cons["rejected"] = s.rejected;
        if (!detail.empty()) cons["problems"] = detail;
        report["conservation"] = cons;
        if (im.annotations_sink) {
          report["annotations"] = json{{"file", "annotations.jsonl"},
                                       {"rows_of", AnnotationsOutputName(im.config.annotations)},
                                       {"rows", im.annotated}};
        }
        if (im.config.row_bytes == RowBytes::Source) {
          report["row_bytes"] = json{{"mode", "source"}, {"source", im.source_rows}, {"canonical", im.kept - im.source_rows}};
        }
        json steps = json::array();
        for (size_t j = 0; j < n_steps; ++j) {
          const StepCounts& c = s.steps[j];
          json st = json::object();
          st["id"] = im.config.steps[j].id;
          st["type"] = std::string(m_steps[j]->Type());
          st["in"] = c.in;
          st["kept"] = c.kept;
          st["dropped"] = c.dropped;
          st["flagged"] = c.flagged;
          if (c.generated > 0) st["generated"] = c.generated;
          st["drop_reasons"] = c.reasons;
          st["flag_reasons"] = c.flag_reasons;
          st["report"] = m_steps[j]->Report();
          steps.push_back(std::move(st));
        }
        report["steps"] = steps;
        report["rejected_by"] = im.rejected_by;
        report["kept"] = im.kept_stats.ToJson();
        if (!im.split_id.empty()) {
          json sp = json::object();
          for (const auto& [name, st] : im.split_stats) sp[name] = st.ToJson();
          report["splits"] = sp;
        }
        s.report = report;
        FileSink* rep = nullptr;
        auto r = im.outputs->Open("report.json");
        if (!r.ok()) return fail(r.error());
        rep = r.value();
        if (!write(rep, report.dump(2) + "\n")) return false;
        if (Status c = rep->Close(); !c.ok()) return fail(c.error());
        if (im.opts.write_card) {
          auto cs = im.outputs->Open("README.md");
          if (!cs.ok()) return fail(cs.error());
          if (!write(cs.value(), RenderDatasetCard(report))) return false;
          if (Status c = cs.value()->Close(); !c.ok()) return fail(c.error());
        }
        for (FileSink* sink : {im.kept_sink, im.rejected_sink, im.annotations_sink}) {
          if (!sink) continue;
          if (Status c = sink->Close(); !c.ok()) return fail(c.error());
        }
        for (auto& [n, sink] : im.split_sinks) {
          if (Status c = sink->Close(); !c.ok()) return fail(c.error());
        }
        if (!s.conserved) {
          m_status = Status(Error{"conservation_error", "row conservation failed: " + detail +
                                                            "read " + std::to_string(s.rows_read) + ", kept " +
                                                            std::to_string(s.kept) + ", rejected " + std::to_string(s.rejected)});
        }
        im.phase = Impl::Phase::Done;
        return false;
      }
      case Impl::Phase::Done:
        return false;
    }
  }
  return im.phase != Impl::Phase::Done;
}

RunProgress PipelineRun::Progress() const {
  const Impl& im = *m_impl;
  RunProgress p;
  p.rows_read = im.rows + im.problems;
  p.kept = im.kept;
  p.rejected = im.rejected;
  p.waiting = im.pending.active;
  switch (im.phase) {
    case Impl::Phase::Stream:
      p.stage = "read";
      p.done = im.input->Done();
      p.total = im.input->Total();
      p.unit = im.input->Unit();
      break;
    case Impl::Phase::Barrier:
      p.stage = im.config.steps[im.stage].id;
      p.done = im.stage_pos;
      p.total = im.alive.size();
      p.unit = "rows";
      break;
    case Impl::Phase::WriteKept:
      p.stage = "write";
      p.done = im.write_pos;
      p.total = im.alive.size();
      p.unit = "rows";
      break;
    case Impl::Phase::Report:
      p.stage = "report";
      p.unit = "rows";
      break;
    case Impl::Phase::Done:
      p.stage = "done";
      p.unit = "rows";
      break;
  }
  if (im.pending.active) p.stage = im.config.steps[im.pending.j].id;
  return p;
}

Result<RunSummary> RunPipeline(const PipelineConfig& config, std::unique_ptr<ExampleSource> input, RunOutputs* outputs,
                               RunOptions opts, const ProgressSink& progress, const CancelToken* cancel) {
  auto run = PipelineRun::Start(config, std::move(input), outputs, std::move(opts));
  if (!run.ok()) return run.error();
  PipelineRun& r = *run.value();
  while (r.Step(8192)) {
    if (cancel && cancel->Cancelled()) r.Cancel();
    if (progress) {
      RunProgress p = r.Progress();
      progress(p.stage, p.done, p.total);
    }
  }
  if (!r.status().ok()) return r.status().error();
  return r.Summary();
}

}  // namespace winnow
