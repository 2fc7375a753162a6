// SearchFromPrefixes: for every detector whose matches begin with one of its anchors
// (DetectorDef::anchors_prefix), the anchored search at the anchors' occurrences finds exactly
// what an unanchored RE2 search finds, on random text built from those anchors and token bytes.
#include "pii/prefix_search.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "pii/detector.h"

namespace winnow::pii {
namespace {

std::vector<std::string> Split(const char* anchors) {
  std::vector<std::string> out;
  for (std::string_view a = anchors ? anchors : ""; !a.empty();) {
    size_t bar = a.find('|');
    if (bar != 0) out.emplace_back(a.substr(0, bar));
    a = bar == std::string_view::npos ? std::string_view() : a.substr(bar + 1);
  }
  return out;
}

std::string RandomText(std::mt19937& rng, const std::vector<std::string>& prefixes) {
  // Pieces of the secrets' shapes around the prefixes: stretches of token bytes of every length,
  // the literals the patterns hold after their prefix, separators and word bytes before them.
  static const char* kPieces[] = {"live_", "test_", "ant-", "pat_", "RSA ", "EC ", "PRIVATE KEY", "PRIVATE KEY-----",
                                  " BLOCK-----", "-----END ", "-----END RSA PRIVATE KEY-----", "\n", ".eyJ", ".",
                                  " ", "x", "_", "-", "/", "hooks.slack.com/services/", "\xC3\xA9", "1", "qz",
                                  "b-", "p-", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIx.", "qpzry9x8gf2tvdw0s3jn54khce6mua7l"};
  static const char kToken[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
  static const char kUpper[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string s;
  const int parts = std::uniform_int_distribution<int>(1, 9)(rng);
  for (int p = 0; p < parts; ++p) {
    const int kind = std::uniform_int_distribution<int>(0, 9)(rng);
    if (kind < 3) {
      // A prefix, often followed by what its pattern wants next and a run of token bytes.
      static const char* kFollow[] = {"", "live_", "test_", "b-", "p-", "a-", "ant-",
                                      "RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----",
                                      "PRIVATE KEY-----abc-----END PRIVATE KEY-----", "EC PRIVATE KEY BLOCK-----x"};
      s += prefixes[std::uniform_int_distribution<size_t>(0, prefixes.size() - 1)(rng)];
      s += kFollow[std::uniform_int_distribution<size_t>(0, std::size(kFollow) - 1)(rng)];
      static const char kBech32[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
      const int alphabet = std::uniform_int_distribution<int>(0, 2)(rng);  // token, upper case (AWS), Bech32
      const char* chars = alphabet == 0 ? kToken : alphabet == 1 ? kUpper : kBech32;
      const size_t n_chars = alphabet == 0 ? sizeof kToken - 1 : alphabet == 1 ? sizeof kUpper - 1 : sizeof kBech32 - 1;
      const int len = std::uniform_int_distribution<int>(0, 3)(rng) == 0 ? 16 : std::uniform_int_distribution<int>(10, 70)(rng);
      for (int i = 0; i < len; ++i) s += chars[std::uniform_int_distribution<size_t>(0, n_chars - 1)(rng)];
      if (std::uniform_int_distribution<int>(0, 1)(rng)) s += ' ';
    } else if (kind < 5) {
      const int len = std::uniform_int_distribution<int>(1, 80)(rng);
      for (int i = 0; i < len; ++i) s += kToken[std::uniform_int_distribution<size_t>(0, sizeof kToken - 2)(rng)];
    } else if (kind < 7) {  // upper case and digits, about 16 of them (AWS key ids)
      const int len = std::uniform_int_distribution<int>(12, 20)(rng);
      for (int i = 0; i < len; ++i) s += kUpper[std::uniform_int_distribution<size_t>(0, sizeof kUpper - 2)(rng)];
    } else {
      s += kPieces[std::uniform_int_distribution<size_t>(0, std::size(kPieces) - 1)(rng)];
    }
  }
  return s;
}

TEST(PrefixSearch, SameMatchesAsUnanchoredRe2) {
  RE2::Options o;
  o.set_encoding(RE2::Options::EncodingLatin1);  // as the scanner compiles them
  o.set_log_errors(false);
  std::mt19937 rng(4122026);
  size_t defs = 0;
  for (const DetectorDef& d : AllDetectors()) {
    if (!d.anchors_prefix) continue;
    ++defs;
    const std::vector<std::string> prefixes = Split(d.anchors);
    ASSERT_FALSE(prefixes.empty()) << d.pattern;
    RE2 re(d.pattern, o);
    ASSERT_TRUE(re.ok()) << d.pattern;
    const bool word_start = PrefixesStartWords(d.pattern, prefixes);
    size_t found = 0, mismatches = 0;
    for (int iter = 0; iter < 30000 && mismatches < 5; ++iter) {
      std::string text = RandomText(rng, prefixes);
      size_t pos = std::uniform_int_distribution<size_t>(0, text.size())(rng);
      size_t end = std::uniform_int_distribution<size_t>(pos, text.size())(rng);
      if (iter % 2 == 0) pos = 0, end = text.size();
      re2::StringPiece input(text), m;
      const bool want = re.Match(input, pos, end, RE2::UNANCHORED, &m, 1);
      const size_t wb = want ? size_t(m.data() - text.data()) : 0, we = want ? wb + m.size() : 0;
      size_t b = 0, e = 0;
      const bool got = SearchFromPrefixes(re, prefixes, word_start, text, pos, end, &b, &e);
      found += want;
      if (want != got || (want && (b != wb || e != we))) {
        ++mismatches;
        ADD_FAILURE() << d.pattern << "\n  text [" << text << "] pos " << pos << " end " << end << "\n  RE2: "
                      << (want ? "[" + std::to_string(wb) + ", " + std::to_string(we) + ")" : "none") << "  prefixes: "
                      << (got ? "[" + std::to_string(b) + ", " + std::to_string(e) + ")" : "none");
      }
    }
    EXPECT_GT(found, 50u) << d.pattern << ": too few matches in the random text to compare";
  }
  EXPECT_GE(defs, 10u);
}

}  // namespace
}  // namespace winnow::pii
