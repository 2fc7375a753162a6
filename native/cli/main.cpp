// winnow CLI entry point (placeholder until the verbs land).
#include <CLI/CLI.hpp>

int main(int argc, char** argv) {
  CLI::App app{"winnow: clean, convert and check LLM fine-tuning datasets"};
  app.require_subcommand(0);
  CLI11_PARSE(app, argc, argv);
  return 0;
}
