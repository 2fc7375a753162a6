// Refusal, boilerplate and "I don't know" matching, with positive and negative cases.
#include <gtest/gtest.h>

#include "filters/phrase_lists.h"
#include "filters/text_stats.h"

using namespace winnow;

namespace {
int Refusals(std::string_view s) { return CountPhraseHits(NormalizeForMatch(s), RefusalPhrases()); }
int Boilerplate(std::string_view s) { return CountPhraseHits(NormalizeForMatch(s), BoilerplatePhrases()); }
bool DontKnow(std::string_view s) { return IsDontKnowOnly(NormalizeForMatch(s)); }
}  // namespace

TEST(PhraseLists, ListsAreNormalized) {
  for (auto list : {RefusalPhrases(), BoilerplatePhrases()}) {
    ASSERT_GT(list.size(), 10u);
    for (std::string_view p : list) EXPECT_EQ(NormalizeForMatch(p), p) << p;
  }
}

TEST(PhraseLists, RefusalPositive) {
  // Two phrases overlap here: "i'm sorry, but i can't" and "sorry, but i can't help".
  EXPECT_EQ(Refusals("I'm sorry, but I can't help with making explosives."), 2);
  EXPECT_EQ(Refusals("I\u2019m SORRY, but  I cannot do that."), 1);  // curly apostrophe, case, spacing
  EXPECT_EQ(Refusals("I apologize, but I cannot fulfill this request."), 2);
  EXPECT_GE(Refusals("Sure. Actually, I must decline."), 1);
}

TEST(PhraseLists, RefusalNegative) {
  EXPECT_EQ(Refusals("You can't divide by zero, so the expression is undefined."), 0);
  EXPECT_EQ(Refusals("I'm sorry to hear that your cat is sick. Here is what you can do."), 0);
  EXPECT_EQ(Refusals("The function cannot fail; it returns an empty list instead."), 0);
}

TEST(PhraseLists, BoilerplatePositive) {
  EXPECT_EQ(Boilerplate("As an AI language model, I do not have feelings."), 1);
  EXPECT_EQ(Boilerplate("as a large language model trained by a lab"), 1);
  EXPECT_EQ(Boilerplate("My knowledge cutoff is 2021, and as of my last update..."), 2);
  EXPECT_EQ(Boilerplate("I don't have personal opinions, but here are two views."), 1);
}

TEST(PhraseLists, BoilerplateNegative) {
  EXPECT_EQ(Boilerplate("A language model predicts the next token."), 0);
  EXPECT_EQ(Boilerplate("As an AI researcher, she studied language models."), 0);
  EXPECT_EQ(Boilerplate("I have a strong personal opinion about tabs."), 0);
  EXPECT_EQ(Boilerplate("She has an AI, a robot and a cat."), 0);  // phrases start at word starts
}

TEST(PhraseLists, DontKnowOnly) {
  EXPECT_TRUE(DontKnow("I don't know."));
  EXPECT_TRUE(DontKnow("  i DO NOT know!! "));
  EXPECT_TRUE(DontKnow("Sorry, I have no idea."));
  EXPECT_TRUE(DontKnow("I'm afraid I'm not sure."));
  EXPECT_TRUE(DontKnow("N/A"));
  EXPECT_FALSE(DontKnow("I don't know the exact date, but it was around 1850."));
  EXPECT_FALSE(DontKnow("Not sure? Use a hash map: lookups are O(1) on average."));
  EXPECT_FALSE(DontKnow("Paris."));
  EXPECT_FALSE(DontKnow(""));
}
