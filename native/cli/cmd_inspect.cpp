// `winnow inspect IN`: detected format, rows, fields, roles, turns, lengths and problems.
// `winnow validate IN`: the structural checks of io/validate.h, counts and first examples.
#include <cstdio>

#include "command.h"
#include "input_options.h"
#include "io/dataset_stats.h"
#include "io/writer.h"

namespace winnow::cli {
namespace {

struct InspectArgs {
  std::string in, rejects;
  InputOptions input;
  bool json = false;
  size_t examples = 3;
};

// Reads the whole input into stats; writes read problems to the rejects file when one is given.
int Scan(InspectArgs& a, OpenedInput* in, DatasetStats* stats) {
  if (int rc = OpenInput(a.in, a.input, 0, in)) return rc;
  std::unique_ptr<FileSink> rej;
  if (!a.rejects.empty()) {
    if (SameFile(a.in, a.rejects)) {
      std::fprintf(stderr, "winnow: refusing to overwrite the input %s\n", a.rejects.c_str());
      return kExitUsage;
    }
    auto s = OpenOutputFile(a.rejects);
    if (!s.ok()) {
      std::fprintf(stderr, "winnow: %s\n", s.error().message.c_str());
      return kExitIo;
    }
    rej = std::move(s.value());
  }
  Example ex;
  RowProblem p;
  uint64_t n = 0;
  std::string buf;
  while (true) {
    auto r = in->reader->Read(&ex, &p);
    if (!r.ok()) {
      ProgressDone();
      std::fprintf(stderr, "winnow: %s\n", r.error().message.c_str());
      return kExitIo;
    }
    if (r.value() == ExampleReader::Next::End) break;
    if ((++n & 4095) == 0) Progress("reading", in->source->Consumed(), in->source->SizeHint());
    if (r.value() == ExampleReader::Next::Row) {
      stats->AddRow(ex);
    } else {
      stats->AddProblem(p);
      if (rej) {
        buf.clear();
        EncodeProblem(p, a.in, "read", &buf);
        buf.push_back('\n');
        if (!rej->Write(buf).ok()) return kExitIo;
      }
    }
  }
  ProgressDone();
  if (rej && !rej->Close().ok()) return kExitIo;
  return kExitOk;
}

void PrintCounts(const char* title, const nlohmann::ordered_json& obj) {
  if (obj.empty()) return;
  std::printf("%s:", title);
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    std::printf(" %s %s", it.key().empty() ? "\"\"" : it.key().c_str(), it.value().dump().c_str());
  }
  std::printf("\n");
}

void PrintFindings(const char* title, const nlohmann::ordered_json& obj) {
  if (obj.empty()) {
    std::printf("%s: none\n", title);
    return;
  }
  std::printf("%s:\n", title);
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    std::printf("  %-22s %llu\n", it.key().c_str(), static_cast<unsigned long long>(it.value()["count"].get<uint64_t>()));
    for (const auto& e : it.value()["examples"]) {
      std::printf("      line %llu (offset %llu): %s\n", static_cast<unsigned long long>(e["line"].get<uint64_t>()),
                  static_cast<unsigned long long>(e["offset"].get<uint64_t>()), e["detail"].get<std::string>().c_str());
    }
  }
}

void PrintLengths(const char* name, const nlohmann::ordered_json& l) {
  if (!l.contains("min")) return;
  std::printf("  %-16s n=%s min=%s mean=%s p50=%s p95=%s max=%s\n", name, l["count"].dump().c_str(),
              l["min"].dump().c_str(), l["mean"].get<std::string>().c_str(), l["p50"].dump().c_str(),
              l["p95"].dump().c_str(), l["max"].dump().c_str());
}

int RunInspect(InspectArgs& a, bool validate_only) {
  OpenedInput in;
  DatasetStats stats(a.examples);
  if (int rc = Scan(a, &in, &stats)) return rc;
  nlohmann::ordered_json j;
  j["file"] = a.in;
  j["container"] = std::string(FileKindName(in.reader->kind()));
  j["format"] = std::string(FormatName(in.reader->format()));
  j["detected"] = std::string(in.reader->SchemaNote());
  nlohmann::ordered_json s = stats.ToJson();
  for (auto it = s.begin(); it != s.end(); ++it) j[it.key()] = it.value();
  if (a.json) {
    if (validate_only) {
      nlohmann::ordered_json v;
      for (const char* k : {"file", "format", "rows", "rejected_rows", "rows_with_issues", "issues", "problems"}) v[k] = j[k];
      std::printf("%s\n", v.dump(2).c_str());
    } else {
      std::printf("%s\n", j.dump(2).c_str());
    }
  } else if (validate_only) {
    std::printf("%s: %s rows, %s unreadable, %s with issues\n", a.in.c_str(), j["rows"].dump().c_str(),
                j["rejected_rows"].dump().c_str(), j["rows_with_issues"].dump().c_str());
    PrintFindings("issues", j["issues"]);
    PrintFindings("unreadable rows", j["problems"]);
  } else {
    std::printf("file:      %s\n", a.in.c_str());
    std::printf("container: %s\n", j["container"].get<std::string>().c_str());
    std::printf("format:    %s (%s)\n", j["format"].get<std::string>().c_str(), j["detected"].get<std::string>().c_str());
    std::printf("rows:      %s read, %s unreadable", j["rows"].dump().c_str(), j["rejected_rows"].dump().c_str());
    if (j["preference_rows"].get<uint64_t>()) std::printf(", %s preference pairs", j["preference_rows"].dump().c_str());
    if (j["rows_with_tools"].get<uint64_t>()) std::printf(", %s with tools", j["rows_with_tools"].dump().c_str());
    std::printf("\n");
    PrintCounts("other fields", j["other_fields"]);
    PrintCounts("roles", j["roles"]);
    PrintCounts("turns", j["turns"]);
    std::printf("lengths (characters):\n");
    PrintLengths("user", j["lengths"]["user_chars"]);
    PrintLengths("assistant", j["lengths"]["assistant_chars"]);
    if (j["lengths"].contains("text_chars")) PrintLengths("text", j["lengths"]["text_chars"]);
    PrintFindings("problems (rows that cannot be read)", j["problems"]);
    PrintFindings("issues (rows that read but look wrong)", j["issues"]);
  }
  bool bad = stats.problems() > 0 || (validate_only && stats.issue_rows() > 0);
  return bad ? kExitRejected : kExitOk;
}

void AddCommon(CLI::App* sub, InspectArgs* a) {
  sub->add_option("IN", a->in, "Input file (.jsonl, .json, .csv, .tsv, optionally .gz)")->required();
  sub->add_flag("--json", a->json, "Machine-readable report on stdout");
  sub->add_option("-r,--rejects", a->rejects, "Also write unreadable rows (reason, line, offset) to this JSONL file");
  sub->add_option("--examples", a->examples, "Examples shown per finding (default 3)");
  AddInputOptions(sub, &a->input);
}

RegisterCommand reg_inspect(20, [](CLI::App& app) {
  auto a = std::make_shared<InspectArgs>();
  CLI::App* sub = app.add_subcommand("inspect", "Show a dataset's format, rows, fields, roles, lengths and problems");
  AddCommon(sub, a.get());
  sub->footer("Exit codes: 0 every row readable; 1 some rows unreadable; 2 usage; 3 I/O error.");
  sub->callback([a] { SetExitCode(RunInspect(*a, false)); });
});

RegisterCommand reg_validate(30, [](CLI::App& app) {
  auto a = std::make_shared<InspectArgs>();
  CLI::App* sub = app.add_subcommand(
      "validate", "Check conversations: empty replies, role order, system placement, tool-call JSON, missing fields");
  AddCommon(sub, a.get());
  sub->footer("Exit codes: 0 no issues; 1 issues or unreadable rows found; 2 usage; 3 I/O error.");
  sub->callback([a] { SetExitCode(RunInspect(*a, true)); });
});

}  // namespace
}  // namespace winnow::cli
