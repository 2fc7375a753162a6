// `winnow convert IN --to FORMAT -o OUT`: streams rows from any supported input into another format.
// Rows that cannot be read or expressed in the target format go to the rejects file with a reason.
#include <cstdio>
#include <map>

#include "command.h"
#include "input_options.h"
#include "io/writer.h"

namespace winnow::cli {
namespace {

struct ConvertArgs {
  std::string in, out, to, rejects, out_kind;
  InputOptions input;
  bool quiet = false;
};

int RunConvert(ConvertArgs& a) {
  Format to;
  if (!ParseFormat(a.to, &to)) {
    std::fprintf(stderr, "winnow: unknown --to format '%s' (allowed: alpaca, sharegpt, messages, preference, kto, text)\n",
                 a.to.c_str());
    return kExitUsage;
  }
  FileKind kind = FileKindFromPath(a.out);
  if (!a.out_kind.empty()) {
    if (a.out_kind == "jsonl") kind = FileKind::Jsonl;
    else if (a.out_kind == "json") kind = FileKind::JsonArray;
    else if (a.out_kind == "csv") kind = FileKind::Csv;
    else if (a.out_kind == "tsv") kind = FileKind::Tsv;
    else {
      std::fprintf(stderr, "winnow: unknown --out-kind '%s' (allowed: jsonl, json, csv, tsv)\n", a.out_kind.c_str());
      return kExitUsage;
    }
  }
  if (kind == FileKind::Auto) kind = FileKind::Jsonl;
  if (a.out.size() > 3 && a.out.compare(a.out.size() - 3, 3, ".gz") == 0) {
    std::fprintf(stderr, "winnow: compressed output is not supported; write %s and compress it afterwards\n",
                 a.out.substr(0, a.out.size() - 3).c_str());
    return kExitUsage;
  }
  std::string rejects = a.rejects.empty() ? DefaultRejectsPath(a.out) : a.rejects;
  for (const std::string* p : {&a.out, &rejects}) {
    if (SameFile(a.in, *p)) {
      std::fprintf(stderr, "winnow: refusing to overwrite the input %s (originals are never modified)\n", p->c_str());
      return kExitUsage;
    }
  }
  OpenedInput in;
  if (int rc = OpenInput(a.in, a.input, 0, &in)) return rc;
  auto out_sink = OpenOutputFile(a.out);
  if (!out_sink.ok()) {
    std::fprintf(stderr, "winnow: %s\n", out_sink.error().message.c_str());
    return kExitIo;
  }
  // The rejects file is always written (empty when nothing was rejected) so a stale one from an
  // earlier run can never be mistaken for this run's.
  auto rej_open = OpenOutputFile(rejects);
  if (!rej_open.ok()) {
    std::fprintf(stderr, "winnow: %s\n", rej_open.error().message.c_str());
    return kExitIo;
  }
  std::unique_ptr<FileSink> rej_sink = std::move(rej_open.value());
  auto writer = ExampleWriter::Create(*out_sink.value(), kind, to);
  Format from = in.reader->format();
  std::map<std::string, uint64_t> reasons;
  uint64_t read = 0, written = 0, rejected = 0;
  std::string rej_buf, why;
  Example ex;
  RowProblem problem;
  auto reject = [&](const RowProblem& p) -> bool {
    EncodeProblem(p, a.in, p.reason == "unconvertible" ? "convert" : "read", &rej_buf);
    rej_buf.push_back('\n');
    ++rejected;
    ++reasons[p.reason];
    if (rej_buf.size() > (1u << 20)) {
      if (!rej_sink->Write(rej_buf).ok()) return false;
      rej_buf.clear();
    }
    return true;
  };
  while (true) {
    auto n = in.reader->Read(&ex, &problem);
    if (!n.ok()) {
      ProgressDone();
      std::fprintf(stderr, "winnow: %s\n", n.error().message.c_str());
      return kExitIo;
    }
    if (n.value() == ExampleReader::Next::End) break;
    ++read;
    if ((read & 4095) == 0) Progress("convert", in.source->Consumed(), in.source->SizeHint());
    if (n.value() == ExampleReader::Next::Problem) {
      if (!reject(problem)) return kExitIo;
      continue;
    }
    Status io;
    if (writer->Write(ex, &why, &io)) {
      ++written;
    } else {
      RowProblem p;
      p.reason = "unconvertible";
      p.detail = why;
      p.origin = ex.origin;
      std::string src_why;
      EncodeExample(ex, from, &p.raw, &src_why);
      if (!reject(p)) return kExitIo;
    }
    if (!io.ok()) {
      std::fprintf(stderr, "winnow: %s\n", io.error().message.c_str());
      return kExitIo;
    }
  }
  ProgressDone();
  Status st = writer->Finish();
  if (st.ok()) st = out_sink.value()->Close();
  if (st.ok()) {
    st = rej_sink->Write(rej_buf);
    if (st.ok()) st = rej_sink->Close();
  }
  if (!st.ok()) {
    std::fprintf(stderr, "winnow: %s\n", st.error().message.c_str());
    return kExitIo;
  }
  if (read != written + rejected) {
    std::fprintf(stderr, "winnow: internal error: %llu rows read but %llu written + %llu rejected\n",
                 static_cast<unsigned long long>(read), static_cast<unsigned long long>(written),
                 static_cast<unsigned long long>(rejected));
    return kExitIo;
  }
  if (!a.quiet) {
    std::fprintf(stderr, "%s: %llu rows read (%s), %llu written as %s to %s", a.in.c_str(),
                 static_cast<unsigned long long>(read), std::string(in.reader->SchemaNote()).c_str(),
                 static_cast<unsigned long long>(written), std::string(FormatName(to)).c_str(), a.out.c_str());
    if (rejected) {
      std::fprintf(stderr, ", %llu rejected to %s (", static_cast<unsigned long long>(rejected), rejects.c_str());
      bool first = true;
      for (const auto& [r, c] : reasons) {
        std::fprintf(stderr, "%s%s: %llu", first ? "" : ", ", r.c_str(), static_cast<unsigned long long>(c));
        first = false;
      }
      std::fprintf(stderr, ")");
    }
    std::fprintf(stderr, "\n");
  }
  return rejected ? kExitRejected : kExitOk;
}

RegisterCommand reg(10, [](CLI::App& app) {
  auto a = std::make_shared<ConvertArgs>();
  CLI::App* sub = app.add_subcommand("convert", "Convert a dataset between alpaca, sharegpt, messages, preference, kto and text");
  sub->add_option("IN", a->in, "Input file (.jsonl, .json, .csv, .tsv, optionally .gz)")->required();
  sub->add_option("--to", a->to, "Target format: alpaca, sharegpt, messages, preference, kto, text")->required();
  sub->add_option("-o,--output", a->out, "Output file; the container follows its extension (.jsonl, .json, .csv, .tsv)")
      ->required();
  sub->add_option("-r,--rejects", a->rejects, "Rejected rows (JSONL with reason, line and offset); default OUT.rejected.jsonl");
  sub->add_option("--out-kind", a->out_kind, "Force the output container: jsonl, json, csv, tsv");
  sub->add_flag("-q,--quiet", a->quiet, "No summary on stderr");
  AddInputOptions(sub, &a->input);
  sub->footer("Exit codes: 0 all rows converted; 1 some rows rejected (see the rejects file); 2 usage; 3 I/O error.");
  sub->callback([a] { SetExitCode(RunConvert(*a)); });
});

}  // namespace
}  // namespace winnow::cli
