// Builders of in-memory Examples for the pipeline tests.
#pragma once
#include <string>
#include <vector>

#include "core/example.h"
#include "dedup/minhash.h"

namespace winnow::testing {

inline Example Chat(const std::string& user, const std::string& assistant, uint64_t line, std::string meta = "") {
  Example ex;
  ex.messages.push_back(Message{Role::User, user});
  ex.messages.push_back(Message{Role::Assistant, assistant});
  ex.source_format = Format::Messages;
  ex.origin.line = line;
  ex.origin.index = line - 1;
  ex.meta = std::move(meta);
  return ex;
}

// n pseudo-random words from a small vocabulary, seeded.
inline std::string RandomWords(uint64_t seed, int n, int vocab = 3000) {
  std::string s;
  for (int i = 0; i < n; ++i) {
    if (i) s.push_back(' ');
    s += "w" + std::to_string(SplitMix64(&seed) % static_cast<uint64_t>(vocab));
  }
  return s;
}

}  // namespace winnow::testing
