// winnow CLI entry point: collects the registered verbs (command.h) and runs CLI11.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "command.h"

namespace winnow::cli {

std::vector<CommandDef>& Commands() {
  static std::vector<CommandDef> commands;
  return commands;
}

static int g_exit = kExitOk;
void SetExitCode(int code) { g_exit = std::max(g_exit, code); }
int GetExitCode() { return g_exit; }
bool StderrIsTty() { return isatty(2) == 1; }

namespace {
std::chrono::steady_clock::time_point g_start, g_last;
bool g_drawn = false;
void Human(double b, char* out, size_t n) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  int u = 0;
  while (b >= 1000 && u < 4) {
    b /= 1000;
    ++u;
  }
  std::snprintf(out, n, "%.1f %s", b, units[u]);
}
}  // namespace

void Progress(const char* label, uint64_t done, uint64_t total) {
  if (!StderrIsTty()) return;
  auto now = std::chrono::steady_clock::now();
  if (!g_drawn) g_start = now;
  if (g_drawn && now - g_last < std::chrono::milliseconds(100)) return;
  g_last = now;
  g_drawn = true;
  double secs = std::chrono::duration<double>(now - g_start).count();
  char d[32], t[32], r[32];
  Human(static_cast<double>(done), d, sizeof d);
  Human(static_cast<double>(total), t, sizeof t);
  Human(secs > 0 ? done / secs : 0, r, sizeof r);
  if (total > 0) {
    std::fprintf(stderr, "\r\033[K%s  %s / %s  %3d%%  (%s/s)", label, d, t,
                 static_cast<int>(100.0 * static_cast<double>(done) / static_cast<double>(total)), r);
  } else {
    std::fprintf(stderr, "\r\033[K%s  %s  (%s/s)", label, d, r);
  }
  std::fflush(stderr);
}

void ProgressDone() {
  if (g_drawn) std::fprintf(stderr, "\r\033[K");
  g_drawn = false;
}

}  // namespace winnow::cli

int main(int argc, char** argv) {
  using namespace winnow::cli;
  CLI::App app{"winnow: convert, clean and check LLM fine-tuning datasets, on your own machine"};
  app.set_help_all_flag("--help-all", "Show help for every verb");
  app.require_subcommand(1);
  std::vector<CommandDef> cmds = Commands();
  std::stable_sort(cmds.begin(), cmds.end(), [](const CommandDef& a, const CommandDef& b) { return a.order < b.order; });
  for (auto& c : cmds) c.setup(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : kExitUsage;
  }
  return GetExitCode();
}
