// CLI verb registry: each native/cli/cmd_<verb>.cpp registers its subcommand with a static
// RegisterCommand object, so adding a verb never touches main.cpp.
#pragma once
#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace winnow::cli {

// Exit codes (documented in the README):
enum ExitCode : int {
  kExitOk = 0,           // success, nothing rejected
  kExitRejected = 1,     // finished, but some rows were rejected / problems found (see the rejects file)
  kExitUsage = 2,        // bad command line or config (message on stderr)
  kExitIo = 3,           // input unreadable / output unwritable
  kExitCancelled = 130,  // interrupted
};

// setup(app) adds one subcommand to app and sets its callback; the callback stores its exit code
// with SetExitCode().
struct CommandDef {
  int order;  // position in --help
  std::function<void(CLI::App&)> setup;
};
std::vector<CommandDef>& Commands();
struct RegisterCommand {
  RegisterCommand(int order, std::function<void(CLI::App&)> setup) {
    Commands().push_back(CommandDef{order, std::move(setup)});
  }
};
void SetExitCode(int code);
int GetExitCode();
// True when stderr is a terminal (progress lines are drawn only then).
bool StderrIsTty();
// Draws "label  12.3 MB / 45.6 MB  27%  (8.1 MB/s)" on one line of stderr, throttled; no-op unless a tty.
void Progress(const char* label, uint64_t done, uint64_t total);
void ProgressDone();

}  // namespace winnow::cli
