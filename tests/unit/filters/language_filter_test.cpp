// LanguageFilter: per-field identification, allowed lists (global and per field), confidence,
// short fields skipped, configuration errors, report.
#include <gtest/gtest.h>

#include "filters/language_filter.h"
#include "filters_test_util.h"

using namespace winnow;
using nlohmann::json;
using winnow::test::Chat;
using winnow::test::TextRow;

namespace {

const char* kEn = "Could you explain how the tides are caused by the moon and the sun, in simple terms?";
const char* kEnReply =
    "The moon's gravity pulls the ocean toward it, making a bulge of water; the sun adds a smaller pull, "
    "so tides are strongest when both line up.";
const char* kDeReply =
    "Die Schwerkraft des Mondes zieht das Wasser der Ozeane an und erzeugt so eine Flutwelle; die Sonne "
    "verstärkt diesen Effekt, wenn beide in einer Linie stehen.";

LanguageOutcome Eval(const Example& ex, const json& params) {
  LanguageFilter f;
  Status st = f.Configure(params);
  EXPECT_TRUE(st.ok()) << st.error().message;
  LanguageOutcome out;
  f.Evaluate(ex, &out);
  return out;
}

std::string ConfigError(const json& params) {
  LanguageFilter f;
  Status st = f.Configure(params);
  return st.ok() ? "" : st.error().code + ": " + st.error().message;
}

}  // namespace

TEST(LanguageFilter, AnnotatesEachFieldWithoutDroppingByDefault) {
  LanguageOutcome o = Eval(Chat(kEn, kDeReply), json::object());
  EXPECT_FALSE(o.failed);
  EXPECT_EQ(o.annotation["user"]["lang"], "en");
  EXPECT_EQ(o.annotation["assistant"]["lang"], "de");
  EXPECT_TRUE(o.annotation["assistant"]["reliable"].get<bool>());
  EXPECT_GE(o.annotation["assistant"]["percent"].get<int>(), 80);
  EXPECT_FALSE(o.annotation.contains("system"));  // not in the default fields
  EXPECT_FALSE(o.annotation.contains("text"));    // not present in the row
}

TEST(LanguageFilter, AllowedListDropsOtherLanguages) {
  LanguageOutcome o = Eval(Chat(kEn, kDeReply), {{"allowed", {"en"}}});
  EXPECT_TRUE(o.failed);
  EXPECT_EQ(o.reason, "language_not_allowed");
  EXPECT_NE(o.detail.find("assistant: de"), std::string::npos) << o.detail;
  EXPECT_NE(o.detail.find("not in [en]"), std::string::npos) << o.detail;
  EXPECT_FALSE(Eval(Chat(kEn, kEnReply), {{"allowed", {"en"}}}).failed);
  EXPECT_FALSE(Eval(Chat(kEn, kDeReply), {{"allowed", {"de", "en"}}}).failed);
}

TEST(LanguageFilter, PerFieldAllowedLists) {
  json p = {{"allowed", {{"user", {"en"}}, {"assistant", {"de"}}}}};
  EXPECT_FALSE(Eval(Chat(kEn, kDeReply), p).failed);
  LanguageOutcome o = Eval(Chat(kEn, kEnReply), p);
  EXPECT_EQ(o.reason, "language_not_allowed");
  EXPECT_NE(o.detail.find("assistant: en"), std::string::npos);
}

TEST(LanguageFilter, OnlyChosenFields) {
  json p = {{"fields", {"user"}}, {"allowed", {"en"}}};
  LanguageOutcome o = Eval(Chat(kEn, kDeReply), p);
  EXPECT_FALSE(o.failed);
  EXPECT_FALSE(o.annotation.contains("assistant"));
}

TEST(LanguageFilter, ShortFieldsAreSkippedNotJudged) {
  LanguageOutcome o = Eval(Chat(kEn, "42."), {{"allowed", {"en"}}});
  EXPECT_FALSE(o.failed);
  EXPECT_EQ(o.annotation["assistant"]["lang"], "und");
  EXPECT_EQ(o.annotation["assistant"]["skipped"], "too_short");
  // With min_letters 0 the same field is judged, and "42." has no language.
  LanguageOutcome judged = Eval(Chat(kEn, "42."), {{"allowed", {"en"}}, {"min_letters", 0}});
  EXPECT_EQ(judged.reason, "language_uncertain");
}

TEST(LanguageFilter, MinConfidence) {
  // Half English, half German: the top language holds well under 90% of the text.
  std::string mixed = std::string(kEnReply) + " " + kDeReply;
  LanguageOutcome o = Eval(TextRow(mixed), {{"allowed", {"en", "de"}}, {"min_confidence", 90}});
  EXPECT_EQ(o.reason, "language_uncertain") << o.annotation.dump();
  EXPECT_FALSE(Eval(TextRow(mixed), {{"allowed", {"en", "de"}}, {"min_confidence", 30}}).failed);
}

TEST(LanguageFilter, PreferenceRepliesAreAssistantText) {
  Example ex;
  ex.messages.push_back(Message{Role::User, kEn});
  ex.chosen.push_back(Message{Role::Assistant, kEnReply});
  ex.rejected.push_back(Message{Role::Assistant, kEnReply});
  json p = {{"allowed", {"en"}}, {"min_confidence", 90}};
  EXPECT_FALSE(Eval(ex, p).failed);
  // A German rejected reply is part of the assistant field: the field is no longer 90% English.
  ex.rejected[0].content = kDeReply;
  LanguageOutcome o = Eval(ex, p);
  EXPECT_TRUE(o.failed);
  EXPECT_LT(o.annotation["assistant"]["percent"].get<int>(), 90);
}

TEST(LanguageFilter, ConfigErrors) {
  EXPECT_NE(ConfigError({{"allowed", {"english"}}}).find("unknown language code \"english\""), std::string::npos);
  EXPECT_NE(ConfigError({{"allowed", "en"}}).find("\"allowed\""), std::string::npos);
  EXPECT_NE(ConfigError({{"allowed", {{"bot", {"en"}}}}}).find("unknown field \"bot\""), std::string::npos);
  EXPECT_NE(ConfigError({{"fields", {"users"}}}).find("unknown field"), std::string::npos);
  EXPECT_NE(ConfigError({{"fields", json::array()}}).find("non-empty"), std::string::npos);
  EXPECT_NE(ConfigError({{"min_confidence", 101}}).find("0 to 100"), std::string::npos);
  EXPECT_NE(ConfigError({{"min_confidence", 0.5}}).find("integer"), std::string::npos);
  EXPECT_NE(ConfigError({{"langs", {"en"}}}).find("unknown parameter \"langs\""), std::string::npos);
  EXPECT_EQ(ConfigError({{"allowed", {"en", "zh-Hant"}}, {"fields", {"text"}}, {"action", "flag"}}), "");
}

TEST(LanguageFilter, ParamsRoundTrip) {
  LanguageFilter a;
  ASSERT_TRUE(a.Configure({{"allowed", {{"assistant", {"fr", "en"}}}}, {"min_confidence", 70}}).ok());
  json p = a.Params();
  EXPECT_EQ(p["allowed"]["assistant"], json({"en", "fr"}));  // sorted
  EXPECT_EQ(p["min_confidence"], 70);
  EXPECT_EQ(p["fields"], json({"user", "assistant", "text"}));
  LanguageFilter b;
  ASSERT_TRUE(b.Configure(p).ok());
  EXPECT_EQ(b.Params(), p);
}

TEST(LanguageFilter, Report) {
  LanguageFilter f;
  ASSERT_TRUE(f.Configure({{"allowed", {"en"}}}).ok());
  LanguageOutcome o;
  f.Evaluate(Chat(kEn, kEnReply), &o);
  f.Evaluate(Chat(kEn, kDeReply), &o);
  f.Evaluate(Chat(kEn, "ok"), &o);
  json r = f.Report();
  EXPECT_EQ(r["rows"], 3);
  EXPECT_EQ(r["failed_rows"], 1);
  EXPECT_EQ(r["reasons"]["language_not_allowed"], 1);
  EXPECT_EQ(r["fields"]["user"]["languages"]["en"], 3);
  EXPECT_EQ(r["fields"]["assistant"]["languages"]["en"], 1);
  EXPECT_EQ(r["fields"]["assistant"]["languages"]["de"], 1);
  EXPECT_EQ(r["fields"]["assistant"]["skipped"], 1);
  uint64_t n = 0;
  for (const json& c : r["fields"]["user"]["percent_histogram"]["counts"]) n += c.get<uint64_t>();
  EXPECT_EQ(n, 3u);
}
