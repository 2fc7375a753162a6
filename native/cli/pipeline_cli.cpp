#include "pipeline_cli.h"

#include <sys/stat.h>

#include <cerrno>
#include <csignal>
#include <cstdio>

#include "command.h"
#include "platform/file_io.h"
#include "platform/model_runner.h"

namespace winnow::cli {

namespace {

CancelToken g_cancel;
extern "C" void OnSigint(int) { g_cancel.Cancel(); }

bool MakeDirs(const std::string& dir) {
  std::string cur;
  for (size_t i = 0; i <= dir.size(); ++i) {
    if (i == dir.size() || dir[i] == '/') {
      if (!cur.empty() && cur != ".") {
        if (mkdir(cur.c_str(), 0777) != 0 && errno != EEXIST) return false;
      }
    }
    if (i < dir.size()) cur.push_back(dir[i]);
  }
  struct stat st;
  return stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace

void AddPipelineInputOptions(CLI::App* sub, PipelineInputArgs* a, bool needs_output, bool inputs_required) {
  sub->add_option("IN", a->inputs, "Input files (.jsonl, .json, .csv, .tsv, optionally .gz)")->required(inputs_required);
  if (needs_output) {
    sub->add_option("-o,--output", a->outdir,
                    "Output directory: kept.jsonl, rejected.jsonl, annotations.jsonl, report.json, README.md (+ split files)")
        ->required();
    sub->add_option("--annotations", a->annotations,
                    "Rows written to annotations.jsonl (flags, scores, languages, clusters per row): "
                    "flagged (rows a step flagged; the pipeline's default), all, none (no file)")
        ->check(CLI::IsMember({"flagged", "all", "none"}));
    sub->add_option("--row-bytes", a->row_bytes,
                    "How kept rows are written: canonical (re-encoded; the pipeline's default) or source (each "
                    "JSONL row's own bytes, only the values a step changed replaced; JSON-array and CSV rows are "
                    "re-encoded)")
        ->check(CLI::IsMember({"canonical", "source"}));
  }
  sub->add_option("--from", a->from, "Force the input format: alpaca, sharegpt, messages, preference, kto, text");
  sub->add_option("--kind", a->kind, "Force the input container: jsonl, json, csv, tsv");
  sub->add_option("--field", a->fields, "Map a canonical field to a source column: CANONICAL=SOURCE (repeatable)");
  sub->add_flag("--repair-utf8", a->repair_utf8, "Replace invalid UTF-8 with U+FFFD instead of rejecting the row");
  sub->add_option("--batch", a->batch, "Rows per batch handed to each step")->check(CLI::Range(1, 1 << 20));
  sub->add_flag("-q,--quiet", a->quiet, "No summary on stderr");
}

Result<std::string> ReadWholeFile(const std::string& path) {
  auto src = OpenInputFile(path);
  if (!src.ok()) return src.error();
  std::string text;
  char buf[1 << 16];
  for (;;) {
    auto k = src.value()->Read(buf, sizeof buf);
    if (!k.ok()) return k.error();
    if (k.value() == 0) break;
    text.append(buf, k.value());
  }
  return text;
}

bool ParseParamsArg(const std::string& arg, nlohmann::json* out) {
  std::string text = arg;
  if (!arg.empty() && arg[0] == '@') {
    auto t = ReadWholeFile(arg.substr(1));
    if (!t.ok()) {
      std::fprintf(stderr, "winnow: %s\n", t.error().message.c_str());
      return false;
    }
    text = t.value();
  }
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    std::fprintf(stderr, "winnow: --params must be a JSON object (or @file.json), got: %s\n", arg.c_str());
    return false;
  }
  *out = j;
  return true;
}

bool RequireStep(const char* type) {
  if (FindStep(type)) return true;
  std::string have;
  for (const StepInfo& s : StepRegistry()) have += (have.empty() ? "" : ", ") + s.type;
  std::fprintf(stderr, "winnow: this build has no \"%s\" step (registered steps: %s)\n", type, have.c_str());
  return false;
}

int RunPipelineCli(const PipelineConfig& pipeline, const PipelineInputArgs& a, MemoryOutputs* memory, RunSummary* summary_out) {
  PipelineConfig config = pipeline;
  if (!a.annotations.empty()) ParseAnnotationsOutput(a.annotations, &config.annotations);  // checked by CLI11
  if (!a.row_bytes.empty()) ParseRowBytes(a.row_bytes, &config.row_bytes);  // checked by CLI11
  ReadOptions ro;
  ro.repair_utf8 = a.repair_utf8;
  if (!a.from.empty() && !ParseFormat(a.from, &ro.format)) {
    std::fprintf(stderr, "winnow: unknown --from format '%s' (allowed: alpaca, sharegpt, messages, preference, kto, text)\n",
                 a.from.c_str());
    return kExitUsage;
  }
  if (!a.kind.empty()) {
    if (a.kind == "jsonl") ro.kind = FileKind::Jsonl;
    else if (a.kind == "json") ro.kind = FileKind::JsonArray;
    else if (a.kind == "csv") ro.kind = FileKind::Csv;
    else if (a.kind == "tsv") ro.kind = FileKind::Tsv;
    else {
      std::fprintf(stderr, "winnow: unknown --kind '%s' (allowed: jsonl, json, csv, tsv)\n", a.kind.c_str());
      return kExitUsage;
    }
  }
  for (const std::string& f : a.fields) {
    size_t eq = f.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == f.size()) {
      std::fprintf(stderr, "winnow: --field takes CANONICAL=SOURCE, got '%s'\n", f.c_str());
      return kExitUsage;
    }
    ro.fields.emplace_back(f.substr(0, eq), f.substr(eq + 1));
  }
  if (a.inputs.empty() && !PipelineCallsLlm(config)) {
    std::fprintf(stderr, "winnow: no input files (only a pipeline with a synth.* step can run without input)\n");
    return kExitUsage;
  }
  std::unique_ptr<RunOutputs> files;
  RunOutputs* outputs = memory;
  if (!outputs) {
    if (!MakeDirs(a.outdir)) {
      std::fprintf(stderr, "winnow: cannot create the output directory %s\n", a.outdir.c_str());
      return kExitIo;
    }
    std::string dir = a.outdir;
    files = std::make_unique<OpenerOutputs>([dir](const std::string& name) { return OpenOutputFile(dir + "/" + name); });
    outputs = files.get();
  }
  RunOptions opts;
  opts.batch_rows = a.batch;
  opts.read_file = [](const std::string& path) { return ReadWholeFile(path); };
  opts.models = BlockingModelRunner();  // ONNX Runtime for score.model / dedup.semantic (null in the wasm CLI)
  SynthSession synth;
  SetUpSynth(config, a.synth, memory ? std::string() : a.outdir, &opts, &synth);
  uint64_t total = 0;
  for (const std::string& p : a.inputs) {
    struct stat st;
    if (stat(p.c_str(), &st) == 0) total += static_cast<uint64_t>(st.st_size);
  }
  auto source = MakeFileListSource(a.inputs, [](const std::string& p) { return OpenInputFile(p); }, ro);
  auto run = PipelineRun::Start(config, std::move(source), outputs, opts);
  if (!run.ok()) {
    std::fprintf(stderr, "winnow: %s\n", run.error().message.c_str());
    return run.error().code == "bad_config" ? kExitUsage : kExitIo;
  }
  PipelineRun& r = *run.value();
  g_cancel.Reset();
  auto old = std::signal(SIGINT, OnSigint);
  while (r.Step(16384)) {
    if (g_cancel.Cancelled()) r.Cancel();
    if (!a.quiet) {
      RunProgress p = r.Progress();
      uint64_t t = p.unit == "bytes" ? total : p.total;
      Progress(p.stage.c_str(), p.done, t);
    }
  }
  std::signal(SIGINT, old);
  ProgressDone();
  const RunSummary& s = r.Summary();
  if (summary_out) *summary_out = s;
  if (!r.status().ok()) {
    const Error& e = r.status().error();
    std::fprintf(stderr, "winnow: %s\n", e.message.c_str());
    if (e.code == "cancelled") return kExitCancelled;
    if (e.code == "bad_config" || e.code == "unknown_format" || e.code == "bad_input") return kExitUsage;
    if (e.code == "conservation_error") return kExitIo + 1;
    return kExitIo;
  }
  if (!a.quiet) {
    std::fprintf(stderr, "%s: read %llu rows, kept %llu, rejected %llu%s\n", config.name.c_str(),
                 static_cast<unsigned long long>(s.rows_read), static_cast<unsigned long long>(s.kept),
                 static_cast<unsigned long long>(s.rejected), s.conserved ? " (row conservation ok)" : "");
    const auto& steps = r.steps();
    for (size_t i = 0; i < steps.size(); ++i) {
      const StepCounts& c = s.steps[i];
      std::string reasons;
      for (const auto& [k, v] : c.reasons) reasons += " " + k + "=" + std::to_string(v);
      std::fprintf(stderr, "  %-18s in %llu  dropped %llu  flagged %llu%s\n", config.steps[i].id.c_str(),
                   static_cast<unsigned long long>(c.in), static_cast<unsigned long long>(c.dropped),
                   static_cast<unsigned long long>(c.flagged), reasons.c_str());
    }
    PrintSynthSummary(config, s, a.synth, synth);
    if (!memory) std::fprintf(stderr, "outputs in %s/\n", a.outdir.c_str());
  }
  return s.rejected > 0 ? kExitRejected : kExitOk;
}

}  // namespace winnow::cli
