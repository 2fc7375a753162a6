// `winnow stats IN [IN...]`: the statistics a pipeline report carries (rows, formats, roles,
// lengths, turns), for the inputs as they are (an empty pipeline). `winnow card IN... -o README.md`
// writes the dataset card of the inputs; `winnow card --report report.json -o README.md` re-renders
// a saved run's card.
#include <cstdio>

#include "command.h"
#include "pipeline/dataset_card.h"
#include "pipeline_cli.h"
#include "platform/file_io.h"

namespace winnow::cli {
namespace {

struct StatsArgs {
  PipelineInputArgs in;
  bool json = false;
};

void PrintHist(const char* what, const nlohmann::json& h) {
  if (!h.is_object() || h.value("count", 0) == 0) return;
  std::printf("%-8s min %llu  median %llu  mean %llu  p90 %llu  max %llu\n", what,
              h.value("min", 0ULL), h.value("p50", 0ULL), h.value("mean", 0ULL), h.value("p90", 0ULL), h.value("max", 0ULL));
}

int RunStats(StatsArgs& a) {
  PipelineConfig c;
  c.name = "stats";
  MemoryOutputs mem;
  RunSummary s;
  a.in.quiet = true;
  int rc = RunPipelineCli(c, a.in, &mem, &s);
  if (rc != kExitOk && rc != kExitRejected) return rc;
  const nlohmann::json& r = s.report;
  if (a.json) {
    nlohmann::json out{{"inputs", r["inputs"]}, {"rows", r["rows"]}, {"stats", r["kept"]}};
    std::printf("%s\n", out.dump(2).c_str());
    return rc;
  }
  for (const auto& in : r["inputs"]) {
    std::printf("%s: %s (%s), %llu rows, %llu unreadable\n", in["file"].get<std::string>().c_str(),
                in["format"].get<std::string>().c_str(), in["kind"].get<std::string>().c_str(),
                in["rows"].get<unsigned long long>(), in["problems"].get<unsigned long long>());
  }
  const nlohmann::json& k = r["kept"];
  std::printf("rows     %llu\n", k["rows"].get<unsigned long long>());
  for (const char* key : {"kinds", "roles", "formats"}) {
    std::printf("%-8s", key);
    for (auto it = k[key].begin(); it != k[key].end(); ++it) std::printf(" %s=%llu", it.key().c_str(), it->get<unsigned long long>());
    std::printf("\n");
  }
  PrintHist("chars", k["chars"]);
  PrintHist("words", k["words"]);
  PrintHist("turns", k["turns"]);
  return rc;
}

struct CardArgs {
  PipelineInputArgs in;
  std::string report, out;
};

int RunCard(CardArgs& a) {
  std::string card;
  if (!a.report.empty()) {
    auto t = ReadWholeFile(a.report);
    if (!t.ok()) {
      std::fprintf(stderr, "winnow: %s\n", t.error().message.c_str());
      return kExitIo;
    }
    nlohmann::json r = nlohmann::json::parse(t.value(), nullptr, false);
    if (r.is_discarded() || !r.is_object() || !r.contains("winnow_report")) {
      std::fprintf(stderr, "winnow: %s is not a Winnow report.json\n", a.report.c_str());
      return kExitUsage;
    }
    card = RenderDatasetCard(r);
  } else {
    if (a.in.inputs.empty()) {
      std::fprintf(stderr, "winnow: give input files, or --report report.json\n");
      return kExitUsage;
    }
    PipelineConfig c;
    c.name = "card";
    MemoryOutputs mem;
    RunSummary s;
    a.in.quiet = true;
    int rc = RunPipelineCli(c, a.in, &mem, &s);
    if (rc != kExitOk && rc != kExitRejected) return rc;
    card = mem.Text("README.md");
  }
  auto sink = OpenOutputFile(a.out);
  if (!sink.ok()) {
    std::fprintf(stderr, "winnow: %s\n", sink.error().message.c_str());
    return kExitIo;
  }
  if (!sink.value()->Write(card).ok() || !sink.value()->Close().ok()) {
    std::fprintf(stderr, "winnow: cannot write %s\n", a.out.c_str());
    return kExitIo;
  }
  return kExitOk;
}

RegisterCommand reg_stats(35, [](CLI::App& app) {
  auto a = std::make_shared<StatsArgs>();
  CLI::App* sub = app.add_subcommand("stats", "Statistics of datasets: formats, roles, turns, lengths");
  AddPipelineInputOptions(sub, &a->in, false);
  sub->add_flag("--json", a->json, "Print the statistics as JSON (the \"kept\" part of report.json)");
  sub->callback([a] { SetExitCode(RunStats(*a)); });
});

RegisterCommand reg_card(36, [](CLI::App& app) {
  auto a = std::make_shared<CardArgs>();
  CLI::App* sub = app.add_subcommand("card", "Write a Hugging Face dataset card (README.md) for datasets or a saved report");
  sub->add_option("IN", a->in.inputs, "Input files");
  sub->add_option("--report", a->report, "Render the card of a saved report.json instead");
  sub->add_option("-o,--output", a->out, "Card path, e.g. README.md")->required();
  sub->add_option("--from", a->in.from, "Force the input format");
  sub->callback([a] { SetExitCode(RunCard(*a)); });
});

}  // namespace
}  // namespace winnow::cli
