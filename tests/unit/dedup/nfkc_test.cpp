// NFKC against Python's unicodedata.normalize: the cases come from gen_nfkc_cases.py, run at build
// time into the build folder (tests/CMakeLists.txt), so the oracle is independent of our tables.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/utf8.h"
#include "dedup/nfkc.h"
#include "dedup/text_normalize.h"

using namespace winnow;

namespace {

std::string Nfkc(std::string_view s) {
  std::string out;
  AppendNfkc(s, &out);
  return out;
}

std::string FromHex(const std::string& field) {
  std::string s;
  std::istringstream in(field);
  std::string tok;
  while (in >> tok) AppendUtf8(static_cast<char32_t>(std::stoul(tok, nullptr, 16)), &s);
  return s;
}

}  // namespace

TEST(Nfkc, MatchesPythonUnicodedataOnGeneratedCorpus) {
  const std::string path = std::string(WINNOW_BINARY_DIR) + "/generated/nfkc_cases.txt";
  std::ifstream f(path);
  ASSERT_TRUE(f.good()) << path << " is missing: it is generated when test_dedup is built";
  std::string line;
  size_t cases = 0, failures = 0;
  while (std::getline(f, line)) {
    if (line.empty() || line[0] == '#') continue;
    size_t tab = line.find('\t');
    ASSERT_NE(tab, std::string::npos) << line;
    std::string in = FromHex(line.substr(0, tab)), want = FromHex(line.substr(tab + 1));
    ++cases;
    std::string got = Nfkc(in);
    if (got != want && ++failures <= 20) ADD_FAILURE() << "NFKC of [" << line.substr(0, tab) << "]";
    // Idempotent, and prefixing ASCII (the fast path copies it) changes nothing after it.
    if (Nfkc(got) != got && ++failures <= 20) ADD_FAILURE() << "not idempotent on [" << line.substr(0, tab) << "]";
    if (Nfkc("ab " + in) != "ab " + want && ++failures <= 20) ADD_FAILURE() << "prefixed [" << line.substr(0, tab) << "]";
  }
  EXPECT_GT(cases, 20000u);
  EXPECT_EQ(failures, 0u) << "of " << cases << " cases";
}

TEST(Nfkc, KnownForms) {
  EXPECT_EQ(Nfkc("plain ascii"), "plain ascii");
  EXPECT_EQ(Nfkc("e\xCC\x81"), "\xC3\xA9");                        // e + combining acute -> é
  EXPECT_EQ(Nfkc("\xEF\xAC\x81"), "fi");                            // ligature
  EXPECT_EQ(Nfkc("\xE2\x91\xA0"), "1");                             // circled one
  EXPECT_EQ(Nfkc("\xE3\x8E\x8F"), "kg");                            // square kg
  EXPECT_EQ(Nfkc("\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB"), "\xED\x95\x9C");  // jamo -> Hangul 한
  EXPECT_EQ(Nfkc("\xC2\xBD"), "1\xE2\x81\x84" "2");                 // ½ -> 1⁄2
}

TEST(Nfkc, InvalidBytesPassThroughAndBlockComposition) {
  EXPECT_EQ(Nfkc("a\xFF" "b"), "a\xFF" "b");
  EXPECT_EQ(Nfkc("\xC3\xA9\xFF\xCC\x81"), "\xC3\xA9\xFF\xCC\x81");  // the mark stays after the bad byte
  EXPECT_EQ(Nfkc("\xEF\xBF\xBD"), "\xEF\xBF\xBD");                  // a real U+FFFD is a character
}

TEST(Nfkc, NormalizeTextUsesIt) {
  NormalizeOptions o;
  o.lowercase = o.whitespace = false;
  std::string out;
  NormalizeText("\xE2\x91\xA0\xE3\x8E\x8F e\xCC\x81", o, &out);
  EXPECT_EQ(out, "1kg \xC3\xA9");
}
