// NumericShape: every hand-written matcher finds exactly what RE2 finds with its detector's
// pattern — the same match or none, at every start and end position — on random text made of the
// bytes those patterns care about (digits, separators, letters, word and non-word bytes, UTF-8).
#include "pii/numeric_shape.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <memory>
#include <random>
#include <string>

#include "pii/detector.h"

namespace winnow::pii {
namespace {

// Digit groups of random lengths joined by random separators, with a random byte now and then:
// the shapes the patterns look for (16-digit cards, 3-3-4 phones, 1.2.3.4) come up often.
std::string RandomText(std::mt19937& rng) {
  static const char* kSeps[] = {" ", "-", ".", "/", "(", ")", "+", "  ", " - ", ") ", "+1 ", "", ""};
  static const char kBytes[] = "0123456789XYZxyzAbq_ ,:;-.()+/\t";
  // Templates of the shapes ('d' a digit, 'L' a letter), filled in and then mutated, for the
  // patterns random groups seldom form (parentheses, dotted quads, letters after digits).
  static const char* kTemplates[] = {"(ddd) ddd-dddd", "1 ddd.ddd.dddd", "1-ddd-ddd-dddd", "(ddd)ddd-dddd", "ddd.ddd.dddd",
                                     "d.d.d.d", "ddd.ddd.ddd.ddd", "dd.d.ddd.dd", "0dd dddd dddd", "0d-dd-dd-dd-dd",
                                     "0dddd/dddddd", "0dd.ddd.dd.dd.dd", "ddddddddL", "dddddddd-L", "dddddddd L",
                                     "Xddddddd-L", "Yddddddd L", "zdddddddL", "x-ddddddd-L", "+dd ddd ddd dddd",
                                     "+d (ddd) ddd-dddd", "ddd-dd-dddd", "ddd dd dddd"};
  static const char kMutations[] = "0123456789 -./()+XLa_,";
  std::string s;
  if (std::uniform_int_distribution<int>(0, 2)(rng) == 0) {
    for (const char* t = kTemplates[std::uniform_int_distribution<size_t>(0, std::size(kTemplates) - 1)(rng)]; *t; ++t) {
      if (*t == 'd') s += static_cast<char>('0' + std::uniform_int_distribution<int>(0, 9)(rng));
      else if (*t == 'L') s += static_cast<char>('A' + std::uniform_int_distribution<int>(0, 25)(rng));
      else s += *t;
    }
    for (int m = std::uniform_int_distribution<int>(0, 2)(rng); m > 0 && !s.empty(); --m) {
      size_t at = std::uniform_int_distribution<size_t>(0, s.size() - 1)(rng);
      const int op = std::uniform_int_distribution<int>(0, 2)(rng);
      const char c = kMutations[std::uniform_int_distribution<size_t>(0, sizeof kMutations - 2)(rng)];
      if (op == 0) s[at] = c;
      else if (op == 1) s.erase(at, 1);
      else s.insert(s.begin() + static_cast<std::ptrdiff_t>(at), c);
    }
    const char* around[] = {"", " ", "a", "1", "(", ")", "_", "\xC3\xA9", ".", "-"};
    s = std::string(around[std::uniform_int_distribution<size_t>(0, 9)(rng)]) + s + around[std::uniform_int_distribution<size_t>(0, 9)(rng)];
    return s;
  }
  const int parts = std::uniform_int_distribution<int>(1, 7)(rng);
  for (int p = 0; p < parts; ++p) {
    const int kind = std::uniform_int_distribution<int>(0, 9)(rng);
    if (kind < 6) {
      const int len = std::uniform_int_distribution<int>(1, kind < 3 ? 4 : 12)(rng);
      for (int i = 0; i < len; ++i) s += static_cast<char>('0' + std::uniform_int_distribution<int>(0, 9)(rng));
    } else if (kind < 9) {
      s += kSeps[std::uniform_int_distribution<size_t>(0, std::size(kSeps) - 1)(rng)];
    } else {
      const int b = std::uniform_int_distribution<int>(0, int(sizeof kBytes) + 1)(rng);
      if (b < int(sizeof kBytes) - 1) s += kBytes[b];
      else if (b == int(sizeof kBytes) - 1) s += "\xC3\xA9";  // é: bytes >= 0x80 are not word bytes for \b
      else s += "\xE2\x82\xAC";
    }
  }
  return s;
}

TEST(NumericShape, EveryNumericDetectorIsHandMatched) {
  for (const DetectorDef& d : AllDetectors()) {
    if (d.trigger == Trigger::Numeric) EXPECT_NE(d.shape, NumericShape::None) << d.pattern;
  }
}

TEST(NumericShape, SameMatchesAsRe2OnRandomText) {
  RE2::Options o;
  o.set_encoding(RE2::Options::EncodingLatin1);  // as the scanner compiles them
  o.set_log_errors(false);
  std::mt19937 rng(20261204);
  size_t shapes = 0;
  for (const DetectorDef& d : AllDetectors()) {
    if (d.shape == NumericShape::None) continue;
    ++shapes;
    RE2 re(d.pattern, o);
    ASSERT_TRUE(re.ok()) << d.pattern;
    size_t found = 0, mismatches = 0;
    for (int iter = 0; iter < 60000 && mismatches < 5; ++iter) {
      std::string text = RandomText(rng);
      size_t pos = std::uniform_int_distribution<size_t>(0, text.size())(rng);
      size_t end = std::uniform_int_distribution<size_t>(pos, text.size())(rng);
      if (iter % 2 == 0) pos = 0, end = text.size();  // whole texts half of the time
      re2::StringPiece input(text), m;
      const bool want = re.Match(input, pos, end, RE2::UNANCHORED, &m, 1);
      size_t b = 0, e = 0;
      const bool got = MatchNumericShape(d.shape, text, pos, end, &b, &e);
      const size_t wb = want ? size_t(m.data() - text.data()) : 0, we = want ? wb + m.size() : 0;
      found += want;
      if (want != got || (want && (b != wb || e != we))) {
        ++mismatches;
        ADD_FAILURE() << d.pattern << "\n  text [" << text << "] pos " << pos << " end " << end << "\n  RE2: "
                      << (want ? "[" + std::to_string(wb) + ", " + std::to_string(we) + ")" : "none") << "  shape: "
                      << (got ? "[" + std::to_string(b) + ", " + std::to_string(e) + ")" : "none");
      }
    }
    // The generator must reach each pattern's matches, or the comparison shows little.
    EXPECT_GT(found, 200u) << d.pattern << ": too few matches in the random text to compare";
  }
  EXPECT_EQ(shapes, 16u);
}

TEST(NumericShape, KnownCases) {
  size_t b = 0, e = 0;
  const std::string card = "card 4111 1111 1111 1111 exp";
  ASSERT_TRUE(MatchNumericShape(NumericShape::Card, card, 0, card.size(), &b, &e));
  EXPECT_EQ(card.substr(b, e - b), "4111 1111 1111 1111");
  // The end bounds what may be consumed, not what \b sees: a digit after `end` vetoes the match.
  EXPECT_FALSE(MatchNumericShape(NumericShape::PlPesel, "123456789012", 0, 11, &b, &e));
  const std::string na = "call 1 (800) 555-0142 now";
  ASSERT_TRUE(MatchNumericShape(NumericShape::PhoneNa, na, 0, na.size(), &b, &e));
  EXPECT_EQ(na.substr(b, e - b), "1 (800) 555-0142");
  const std::string intl = "+44 20 7946 0958.";
  ASSERT_TRUE(MatchNumericShape(NumericShape::PhoneIntl, intl, 0, intl.size(), &b, &e));
  EXPECT_EQ(intl.substr(b, e - b), "+44 20 7946 0958");
  EXPECT_FALSE(MatchNumericShape(NumericShape::Ipv4, "v1.2.3.4a", 0, 9, &b, &e));
  EXPECT_FALSE(MatchNumericShape(NumericShape::None, "123-45-6789", 0, 11, &b, &e));
}

}  // namespace
}  // namespace winnow::pii
