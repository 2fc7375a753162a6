// BadWordsMatcher: word boundaries (the Scunthorpe problem), case folding, whitespace in terms,
// unspaced scripts, masking, and the embedded naughty-words lists.
#include "filters/bad_words.h"

#include <gtest/gtest.h>

namespace winnow {
namespace {

std::vector<std::string> Found(const BadWordsMatcher& m, std::string_view text) {
  std::vector<BadWordMatch> hits;
  m.Find(text, &hits);
  std::vector<std::string> out;
  for (const auto& h : hits) out.emplace_back(text.substr(h.begin, h.end - h.begin));
  return out;
}

using Strings = std::vector<std::string>;

TEST(BadWords, WordBoundariesNotSubstrings) {
  BadWordsMatcher m;
  m.AddTerm("ass");
  m.AddTerm("cunt");
  m.AddTerm("hell");
  EXPECT_EQ(Found(m, "Scunthorpe, classic, Essex, hello, shell, assess"), Strings{});
  EXPECT_EQ(Found(m, "what the hell, you ASS!"), (Strings{"hell", "ASS"}));
  EXPECT_EQ(Found(m, "ass"), (Strings{"ass"}));
  EXPECT_EQ(Found(m, "(ass)"), (Strings{"ass"}));
  // '_' and digits: '_' separates words (user_names), a digit is part of the word.
  EXPECT_EQ(Found(m, "ass_hat"), (Strings{"ass"}));
  EXPECT_EQ(Found(m, "ass2"), Strings{});
}

TEST(BadWords, MultiWordTermsLongestMatchAndCase) {
  BadWordsMatcher m;
  m.AddTerm("ball");
  m.AddTerm("ball  gag");
  m.AddTerm("Blue Waffle");
  EXPECT_EQ(Found(m, "a BALL\n\tGAG here"), (Strings{"BALL\n\tGAG"}));
  EXPECT_EQ(Found(m, "a ball game"), (Strings{"ball"}));
  EXPECT_EQ(Found(m, "blue waffles"), Strings{});
  EXPECT_EQ(Found(m, "blue waffle."), (Strings{"blue waffle"}));
  EXPECT_EQ(m.size(), 3u);
  m.AddTerm("BALL");  // duplicate after folding
  EXPECT_EQ(m.size(), 3u);
}

TEST(BadWords, NonAsciiFoldingAndUnspacedScripts) {
  BadWordsMatcher m;
  m.AddTerm("\xD1\x85\xD1\x83\xD0\xB9");  // Cyrillic "хуй"
  m.AddTerm("\xE3\x82\xA2\xE3\x83\x8A\xE3\x83\xAB");  // Katakana "アナル"
  m.AddTerm("sch\xC3\xA4" "del");  // "schädel" (not a bad word; tests Latin-1 folding)
  EXPECT_EQ(Found(m, "\xD0\xA5\xD0\xA3\xD0\x99!"), (Strings{"\xD0\xA5\xD0\xA3\xD0\x99"}));  // "ХУЙ"
  EXPECT_EQ(Found(m, "\xD1\x85\xD1\x83\xD0\xB9\xD0\xBD\xD1\x8F"), Strings{});            // "хуйня": longer word
  // Japanese has no spaces: the term matches inside a run of kana.
  EXPECT_EQ(Found(m, "\xE3\x81\x93\xE3\x82\xA2\xE3\x83\x8A\xE3\x83\xAB\xE3\x81\xA7"),
            (Strings{"\xE3\x82\xA2\xE3\x83\x8A\xE3\x83\xAB"}));
  EXPECT_EQ(Found(m, "SCH\xC3\x84" "DEL"), (Strings{"SCH\xC3\x84" "DEL"}));
  // Invalid UTF-8 is a separator, not a crash.
  EXPECT_EQ(Found(m, "\xFF\xD1\x85\xD1\x83\xD0\xB9\xFF"), (Strings{"\xD1\x85\xD1\x83\xD0\xB9"}));
}

TEST(BadWords, MaskKeepsFirstCharacter) {
  BadWordsMatcher m;
  m.AddTerm("damn");
  m.AddTerm("\xD1\x85\xD1\x83\xD0\xB9");
  std::string text = "well damn, \xD1\x85\xD1\x83\xD0\xB9 it";
  std::vector<BadWordMatch> hits;
  m.Find(text, &hits);
  EXPECT_EQ(MaskMatches(text, hits), "well d***, \xD1\x85** it");
}

TEST(BadWords, EmbeddedNaughtyWordsLists) {
  if (NaughtyWordsLists().empty()) {
    GTEST_SKIP() << "no naughty-words lists embedded in this build (node_modules/naughty-words missing at configure)";
  }
  const auto langs = NaughtyWordsLanguages();
  EXPECT_NE(std::find(langs.begin(), langs.end(), "en"), langs.end());
  EXPECT_NE(std::find(langs.begin(), langs.end(), "de"), langs.end());
  auto en = BadWordsMatcher::FromLanguages({"en"});
  ASSERT_TRUE(en.ok()) << en.error().message;
  EXPECT_GT(en->size(), 300u);
  EXPECT_GE(en->Count("you absolute bastard"), 1u);
  EXPECT_EQ(en->Count("Scunthorpe United beat Middlesex in a classic at Essex; cocktails after"), 0u);
  auto all = BadWordsMatcher::FromLanguages({"all"});
  ASSERT_TRUE(all.ok());
  EXPECT_GT(all->size(), en->size());
  auto bad = BadWordsMatcher::FromLanguages({"xx"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "bad_config");
  EXPECT_NE(bad.error().message.find("known: all, "), std::string::npos);
}

}  // namespace
}  // namespace winnow
