// QualityFilter: every signal through the filter with hand-written rows that must pass and rows
// that must fail with the signal's reason code; configuration errors; score, annotation, report.
#include <gtest/gtest.h>

#include "filters/quality_filter.h"
#include "filters_test_util.h"

using namespace winnow;
using nlohmann::json;
using winnow::test::Chat;
using winnow::test::TextRow;

namespace {

const char* kGood2 =
    "Chlorophyll absorbs mostly red and blue light and reflects green, so leaves look green to us. "
    "In autumn the pigment breaks down and yellow or orange carotenoids become visible.";
const char* kGood =
    "Photosynthesis is the process by which green plants use sunlight, water and carbon dioxide to "
    "make glucose. Oxygen is released as a by-product, which is why forests matter for the air we breathe.";

QualityOutcome Eval(const Example& ex, const json& params = json::object()) {
  QualityFilter f;
  Status st = f.Configure(params);
  EXPECT_TRUE(st.ok()) << st.error().message;
  QualityOutcome out;
  f.Evaluate(ex, &out);
  return out;
}

bool Failed(const QualityOutcome& o, const std::string& reason) {
  for (const std::string& r : o.reasons) {
    if (r == reason) return true;
  }
  return false;
}

std::string ConfigError(const json& params) {
  QualityFilter f;
  Status st = f.Configure(params);
  return st.ok() ? "" : st.error().code + ": " + st.error().message;
}

}  // namespace

TEST(QualityFilter, GoodRowPasses) {
  QualityOutcome o = Eval(Chat("Explain photosynthesis in two sentences.", kGood));
  EXPECT_FALSE(o.failed) << o.detail;
  EXPECT_TRUE(o.reason.empty());
  EXPECT_GT(o.score, 0.8);
  EXPECT_LE(o.score, 1.0);
  const json& a = o.annotation;
  EXPECT_EQ(a["failed"], json::array());
  EXPECT_EQ(a["values"]["refusal_hits"], 0);
  EXPECT_EQ(a["values"]["words"], 33);
  EXPECT_TRUE(a["breakdown"].contains("length"));
  EXPECT_FALSE(a["breakdown"].contains("language_drift"));  // off by default
}

TEST(QualityFilter, EmptyReply) {
  QualityOutcome o = Eval(Chat("Hi?", "  \n "));
  EXPECT_EQ(o.reason, "empty_reply");
  EXPECT_TRUE(Failed(o, "too_short"));
  EXPECT_EQ(o.annotation["values"]["blank_turns"], 1);
  EXPECT_FALSE(Failed(Eval(Chat("Hi?", "Hello!")), "empty_reply"));
  // A function-call turn without text is not an empty reply.
  Example ex = Chat("Weather in Oslo?", kGood);
  ex.messages.insert(ex.messages.begin() + 1,
                     Message{Role::Assistant, "", "", R"([{"function":{"name":"w","arguments":"{}"}}])"});
  EXPECT_FALSE(Failed(Eval(ex), "empty_reply"));
}

TEST(QualityFilter, LengthBounds) {
  json p = {{"length", {{"min_words", 5}, {"max_chars", 300}}}};
  QualityOutcome short_o = Eval(Chat("Capital of France?", "Paris is."), p);
  EXPECT_EQ(short_o.reason, "too_short");
  EXPECT_NE(short_o.detail.find("words 2 < 5"), std::string::npos) << short_o.detail;
  QualityOutcome long_o = Eval(Chat("Tell me", std::string(400, 'a') + " b c d e"), p);
  EXPECT_EQ(long_o.reason, "too_long");
  EXPECT_FALSE(Eval(Chat("Explain", kGood), p).failed);
  // Code points, not bytes: 300 Cyrillic letters are 600 bytes and still fit.
  std::string cyr;
  for (int i = 0; i < 45; ++i) cyr += "слово ";  // 270 code points
  EXPECT_FALSE(Failed(Eval(Chat("Q", cyr), p), "too_long"));
}

TEST(QualityFilter, Refusal) {
  QualityOutcome o = Eval(Chat("How do I pick a lock?", "I'm sorry, but I can't help with that request."));
  EXPECT_EQ(o.reason, "refusal");
  EXPECT_GE(o.annotation["values"]["refusal_hits"].get<int>(), 1);
  EXPECT_EQ(o.annotation["breakdown"]["refusal"], 0.0);
  EXPECT_FALSE(Failed(Eval(Chat("Can I divide by zero?", "You can't divide by zero: the result is undefined.")), "refusal"));
  // Raising the limit lets one hit through.
  EXPECT_FALSE(Failed(Eval(Chat("x", "I'm sorry, but I cannot do that."), {{"refusal", {{"max_hits", 1}}}}), "refusal"));
}

TEST(QualityFilter, Boilerplate) {
  EXPECT_EQ(Eval(Chat("Do you like jazz?", "As an AI language model, I do not have preferences, but jazz is popular.")).reason,
            "ai_boilerplate");
  EXPECT_FALSE(Failed(Eval(Chat("What is a language model?", "A language model assigns probabilities to text.")),
                      "ai_boilerplate"));
}

TEST(QualityFilter, DontKnow) {
  EXPECT_EQ(Eval(Chat("Who won in 1903?", "I don't know.")).reason, "dont_know");
  EXPECT_FALSE(Failed(Eval(Chat("Who won in 1903?", "I don't know for certain, but records suggest the Boston team won.")),
                      "dont_know"));
}

TEST(QualityFilter, InstructionEqualsOutput) {
  EXPECT_EQ(Eval(Chat("Summarize the article.", "summarize the  article.")).reason, "instruction_equals_output");
  EXPECT_FALSE(Failed(Eval(Chat("Summarize the article.", "The article argues for rail.")), "instruction_equals_output"));
  // Alpaca: output repeating only the input part also counts.
  Example ex = Chat("Correct the grammar.\nShe go to school.", "She go to school.");
  ex.input_split = static_cast<int32_t>(std::string("Correct the grammar.").size());
  EXPECT_TRUE(Failed(Eval(ex), "instruction_equals_output"));
  // Not applicable to text rows.
  EXPECT_FALSE(Eval(TextRow(kGood)).annotation["breakdown"].contains("instruction_equals_output"));
}

TEST(QualityFilter, OutputRepeatsInput) {
  std::string input = "The quick brown fox jumps over the lazy dog near the old river bank today.";
  QualityOutcome o = Eval(Chat("Repeat: " + input, input + " Done"));
  EXPECT_EQ(o.reason, "output_repeats_input");
  EXPECT_GT(o.annotation["values"]["input_overlap"].get<double>(), 0.9);
  QualityOutcome ok = Eval(Chat("Rewrite in passive voice: " + input,
                                "Over the lazy dog near the old river bank, a jump was made today by the quick brown fox."));
  EXPECT_FALSE(Failed(ok, "output_repeats_input"));
  // Short replies are not judged (min_words 8).
  EXPECT_FALSE(Eval(Chat("Say yes or no", "yes or no")).annotation["breakdown"].contains("output_repeats_input"));
}

TEST(QualityFilter, GopherRepetition) {
  std::string spam;
  for (int i = 0; i < 20; ++i) spam += "Click here to win a free phone today!\n";
  QualityOutcome o = Eval(Chat("Write an ad", spam));
  EXPECT_EQ(o.reason, "gopher_repetition");
  EXPECT_GT(o.annotation["values"]["dup_line_frac"].get<double>(), 0.9);
  // Repeated lines inside fenced code do not count.
  std::string code = "Here is the code:\n```c\n";
  for (int i = 0; i < 20; ++i) code += "}\n";
  code += "```\n";
  code += std::string(kGood) + "\n\n" + kGood2;
  EXPECT_FALSE(Failed(Eval(Chat("Show code", code)), "gopher_repetition"));
  // Too few words: not applicable.
  EXPECT_FALSE(Eval(Chat("x", "no no no no")).annotation["breakdown"].contains("gopher_repetition"));
  // Judged per turn: two turns that each say the same long thing are not repetitive replies...
  std::string para = std::string(kGood) + "\n\n" + kGood2;
  Example two = Chat("Explain", para);
  two.messages.push_back(Message{Role::User, "Again, please."});
  two.messages.push_back(Message{Role::Assistant, para});
  EXPECT_FALSE(Failed(Eval(two), "gopher_repetition"));
  // ...but one turn saying it twice is.
  EXPECT_TRUE(Failed(Eval(Chat("Explain", para + "\n\n" + para)), "gopher_repetition"));
  // The n-gram rules start at ngram_min_words (150): a GSM8K-style solution of ~60 words that
  // repeats its own phrase passes (its top 3-gram covers > 18% of it)...
  std::string steps =
      "The first earthquake caused 4 buildings to collapse.\n"
      "The second earthquake caused 2 * 4 = <<2*4=8>>8 buildings to collapse.\n"
      "The third earthquake caused 2 * 8 = <<2*8=16>>16 buildings to collapse.\n"
      "The fourth earthquake caused 16 * 2 = <<16*2=32>>32 buildings to collapse.\n"
      "Including the first earthquake, the earthquakes caused 4 + 8 + 16 + 32 = <<4+8+16+32=60>>60 buildings to "
      "collapse in total, which is the answer to the question asked above about the town.\n#### 60";
  QualityOutcome math = Eval(Chat("How many buildings collapsed?", steps));
  EXPECT_FALSE(Failed(math, "gopher_repetition"));
  EXPECT_FALSE(math.annotation["values"].contains("top_3gram_frac"));
  // ...while a long reply looping one phrase still fails them.
  std::string loop;
  for (int i = 0; i < 16; ++i) loop += "step" + std::to_string(i) + " we then carefully check the result of the previous step ";
  QualityOutcome looped = Eval(Chat("Explain", loop));
  EXPECT_TRUE(Failed(looped, "gopher_repetition"));
  EXPECT_GT(looped.annotation["values"]["dup_5gram_frac"].get<double>(), 0.15);
}

TEST(QualityFilter, SymbolRatio) {
  std::string hashes = "#tag #tag2 #tag3 #tag4 #tag5 #more #and #more #tags #here #now #again";
  EXPECT_EQ(Eval(Chat("Post", hashes)).reason, "symbol_ratio");
  std::string noise = "%%% $$$ @@@ ^^^ *** ((( ))) !!! ??? ::: ;;; ~~~ a b";
  EXPECT_TRUE(Failed(Eval(Chat("x", noise)), "symbol_ratio"));
  EXPECT_FALSE(Failed(Eval(Chat("x", kGood)), "symbol_ratio"));
}

TEST(QualityFilter, MeanWordLength) {
  std::string tiny;
  for (int i = 0; i < 60; ++i) tiny += "a b ";  // 120 one-letter words
  QualityOutcome o = Eval(Chat("x", tiny));
  EXPECT_TRUE(Failed(o, "mean_word_length")) << o.detail;
  EXPECT_EQ(o.annotation["values"]["mean_word_length"], 1.0);
  std::string huge;
  for (int i = 0; i < 60; ++i) huge += "Pneumonoultramicroscopicsilicovolcanoconiosis ";
  EXPECT_TRUE(Failed(Eval(Chat("x", huge)), "mean_word_length"));
  std::string fine = std::string(kGood) + " " + kGood2;
  EXPECT_FALSE(Failed(Eval(Chat("x", fine)), "mean_word_length"));
  // Short replies are not judged: an average over a few words says little.
  EXPECT_FALSE(Eval(Chat("x", "a b c d e f g h i j k l m n o p")).annotation["breakdown"].contains("mean_word_length"));
  // Chinese has no spaces: not applicable rather than "one giant word".
  std::string zh_text;
  for (int i = 0; i < 4; ++i) zh_text += "光合作用是绿色植物利用阳光、水和二氧化碳制造葡萄糖的过程，同时释放氧气。";
  QualityOutcome zh = Eval(Chat("解释光合作用", zh_text + "这对地球上的生命非常重要。"));
  EXPECT_FALSE(zh.annotation["breakdown"].contains("mean_word_length"));
  EXPECT_FALSE(Failed(zh, "mean_word_length"));
}

TEST(QualityFilter, CodeFence) {
  EXPECT_EQ(Eval(Chat("Code?", "Sure:\n```python\nprint('hi')\n")).reason, "unbalanced_code_fence");
  EXPECT_FALSE(Failed(Eval(Chat("Code?", "Sure:\n```python\nprint('hi')\n```")), "unbalanced_code_fence"));
}

TEST(QualityFilter, HtmlTags) {
  EXPECT_EQ(Eval(Chat("x", "<p>The answer is <b>42</b>.</p>")).reason, "html_tags");
  EXPECT_FALSE(Failed(Eval(Chat("x", "Use a `<div>` element; 3 < 4 is true.")), "html_tags"));
  EXPECT_FALSE(Failed(Eval(Chat("x", "<p>ok</p>"), {{"html_tags", {{"max_count", 2}}}}), "html_tags"));
}

TEST(QualityFilter, Mojibake) {
  QualityOutcome o = Eval(Chat("Whatâ€™s new?", "Nothing much."));  // in the prompt counts too
  EXPECT_EQ(o.reason, "mojibake");
  EXPECT_EQ(o.annotation["values"]["mojibake"], 1);
  EXPECT_FALSE(Failed(Eval(Chat("Qu'est-ce que c'est?", "C'est un café très célèbre à Paris.")), "mojibake"));
}

TEST(QualityFilter, ToolJson) {
  Example ex = Chat("Weather in Oslo?", "It is sunny in Oslo today.");
  ex.messages.insert(ex.messages.begin() + 1,
                     Message{Role::Assistant, "", "", R"([{"function":{"name":"w","arguments":"{\"city\": Oslo}"}}])"});
  EXPECT_EQ(Eval(ex).reason, "invalid_tool_json");
  ex.messages[1].tool_calls = R"([{"function":{"name":"w","arguments":"{\"city\": \"Oslo\"}"}}])";
  EXPECT_FALSE(Failed(Eval(ex), "invalid_tool_json"));
  ex.tools = "[{\"name\": \"w\",}]";
  EXPECT_TRUE(Failed(Eval(ex), "invalid_tool_json"));
  // No tools at all: not applicable.
  EXPECT_FALSE(Eval(Chat("a", kGood)).annotation["breakdown"].contains("tool_json"));
}

TEST(QualityFilter, LanguageDrift) {
  json on = {{"language_drift", true}};
  Example drift = Chat("Please explain in detail how the water cycle works and why it matters for farming.",
                       "Le cycle de l'eau décrit l'évaporation, la condensation et les précipitations, "
                       "qui apportent aux cultures l'eau dont elles ont besoin.");
  QualityOutcome o = Eval(drift, on);
  EXPECT_EQ(o.reason, "language_drift");
  EXPECT_EQ(o.annotation["languages"]["prompt"], "en");
  EXPECT_EQ(o.annotation["languages"]["reply"], "fr");
  EXPECT_NE(o.detail.find("prompt en, reply fr"), std::string::npos) << o.detail;
  EXPECT_FALSE(Failed(Eval(Chat("Please explain in detail how the water cycle works and why it matters for farming.",
                                kGood), on), "language_drift"));
  EXPECT_FALSE(Failed(Eval(drift), "language_drift"));  // off by default
}

TEST(QualityFilter, SignalsCanBeDisabled) {
  json off = {{"refusal", false}, {"too_short", nullptr}};
  EXPECT_NE(ConfigError(off), "");  // unknown key rejected
  QualityOutcome o = Eval(Chat("x", "I'm sorry, but I can't."), {{"refusal", false}});
  EXPECT_FALSE(Failed(o, "refusal"));
  EXPECT_FALSE(o.annotation["values"].contains("refusal_hits"));
  o = Eval(Chat("x", "I'm sorry, but I can't."), {{"refusal", {{"enabled", false}}}});
  EXPECT_FALSE(Failed(o, "refusal"));
}

TEST(QualityFilter, ConfigErrorsNameTheKey) {
  EXPECT_NE(ConfigError({{"refusall", true}}).find("unknown parameter \"refusall\""), std::string::npos);
  EXPECT_NE(ConfigError({{"refusal", {{"max_hit", 1}}}}).find("refusal.max_hit"), std::string::npos);
  EXPECT_NE(ConfigError({{"refusal", {{"max_hits", 1.5}}}}).find("must be an integer"), std::string::npos);
  EXPECT_NE(ConfigError({{"gopher_repetition", {{"max_dup_line_frac", 2}}}}).find("from 0 to 1"), std::string::npos);
  EXPECT_NE(ConfigError({{"length", {{"min_chars", 10}, {"max_chars", 5}}}}).find("min_chars"), std::string::npos);
  EXPECT_NE(ConfigError({{"min_score", 1.5}}).find("min_score"), std::string::npos);
  EXPECT_NE(ConfigError({{"action", "delete"}}).find("\"action\""), std::string::npos);
  EXPECT_NE(ConfigError({{"length", "yes"}}).find("min_chars"), std::string::npos);  // lists the allowed keys
  EXPECT_EQ(ConfigError(json::array()).substr(0, 10), "bad_config");
  EXPECT_EQ(ConfigError({{"length", {{"min_words", 3}}}, {"action", "flag"}, {"min_score", 0.5}}), "");
}

TEST(QualityFilter, ParamsRoundTrip) {
  QualityFilter a;
  ASSERT_TRUE(a.Configure({{"length", {{"min_words", 3}}}, {"language_drift", true}, {"action", "flag"}}).ok());
  json p = a.Params();
  EXPECT_EQ(p["length"]["min_words"], 3);
  EXPECT_EQ(p["length"]["max_chars"], 100000);
  EXPECT_EQ(p["language_drift"]["enabled"], true);
  EXPECT_EQ(p["gopher_repetition"]["max_dup_10gram_frac"], 0.1);
  EXPECT_EQ(p["action"], "flag");
  QualityFilter b;
  ASSERT_TRUE(b.Configure(p).ok());
  EXPECT_EQ(b.Params(), p);
  EXPECT_TRUE(b.FlagOnly());
}

TEST(QualityFilter, MinScoreDropsLowScores) {
  // Passes every signal; its length sub-score (200 of 100000 chars allowed) keeps it just below 1.
  Example ex = Chat("Explain", kGood);
  QualityOutcome base = Eval(ex);
  ASSERT_FALSE(base.failed);
  ASSERT_LT(base.score, 1.0);
  ASSERT_GT(base.score, 0.9);
  QualityOutcome o = Eval(ex, {{"min_score", 1.0}});
  EXPECT_EQ(o.reason, "low_quality_score");
  EXPECT_NE(o.detail.find(" < 1"), std::string::npos) << o.detail;
  EXPECT_FALSE(Eval(ex, {{"min_score", 0.9}}).failed);
}

TEST(QualityFilter, FailingScoreIsHalfTheMeanOfItsSignals) {
  QualityOutcome bad = Eval(Chat("How do I pick a lock?", "I'm sorry, but I can't help with that request."));
  ASSERT_TRUE(bad.failed);
  double sum = 0;
  int n = 0;
  for (auto& [k, v] : bad.annotation["breakdown"].items()) {
    sum += v.get<double>();
    ++n;
  }
  ASSERT_GT(n, 5);
  EXPECT_NEAR(bad.score, 0.5 * sum / n, 1e-4);
  EXPECT_LT(bad.score, 0.5);
  EXPECT_GE(Eval(Chat("Explain", kGood)).score, 0.5);
}

// Only the graded signals (a measured value against a threshold that is a scale) make a passing
// row's score: one such signal alone gives its own score; two give 0.5 + 0.5 x the harmonic mean
// of their margins (2 x score - 1); flag-only signals, each 1 when passing, do not dilute it.
TEST(QualityFilter, PassingScoreIsTheHarmonicMeanOfGradedMargins) {
  json only_symbols = json::object();
  for (const char* s : {"empty_reply", "length", "refusal", "boilerplate", "dont_know", "instruction_equals_output",
                        "output_repeats_input", "gopher_repetition", "mean_word_length", "code_fence", "html_tags",
                        "mojibake", "tool_json"}) {
    only_symbols[s] = false;
  }
  // Two '#' among ten words: symbol_word_ratio 0.2 against its default maximum 0.1 fails, so the
  // maximum is raised to 0.4: the ratio sits halfway to it (signal score 0.75).
  only_symbols["symbol_ratio"] = json{{"max_symbol_word_ratio", 0.4}};
  const char* reply = "one two three four five six seven eight # nine ten #";
  QualityOutcome one = Eval(Chat("Count to ten.", reply), only_symbols);
  ASSERT_FALSE(one.failed) << one.detail;
  ASSERT_TRUE(one.annotation["breakdown"].contains("symbol_ratio")) << one.annotation.dump();
  const double s1 = one.annotation["breakdown"]["symbol_ratio"].get<double>();
  EXPECT_GT(s1, 0.5);
  EXPECT_LT(s1, 1.0);
  EXPECT_NEAR(one.score, s1, 1e-4);

  // Add mean_word_length: its own margin and the symbol one combine harmonically.
  json two = only_symbols;
  two["mean_word_length"] = json{{"min_words", 5}};
  QualityOutcome both = Eval(Chat("Count to ten.", reply), two);
  ASSERT_FALSE(both.failed) << both.detail;
  ASSERT_TRUE(both.annotation["breakdown"].contains("mean_word_length")) << both.annotation.dump();
  const double s2 = both.annotation["breakdown"]["mean_word_length"].get<double>();
  const double m1 = 2 * s1 - 1, m2 = 2 * s2 - 1;
  ASSERT_GT(m2, 0);
  EXPECT_NEAR(both.score, 0.5 + 0.5 * 2 / (1 / m1 + 1 / m2), 1e-4);
  EXPECT_LE(both.score, std::max(s1, s2));

  // The default signals on a clean reply and on the same reply with a symbol-heavy tail: the
  // second ranks clearly lower, by more than a plain mean of every signal's score would say.
  QualityOutcome clean = Eval(Chat("Explain", kGood));
  QualityOutcome noisy = Eval(Chat("Explain", std::string(kGood) + " # ## ###"));
  ASSERT_FALSE(clean.failed);
  ASSERT_FALSE(noisy.failed) << noisy.detail;
  EXPECT_GT(clean.score - noisy.score, 0.05) << clean.score << " vs " << noisy.score;
  auto plain_mean = [](const QualityOutcome& o) {
    double sum = 0;
    for (auto& [k, v] : o.annotation["breakdown"].items()) sum += v.get<double>();
    return sum / double(o.annotation["breakdown"].size());
  };
  EXPECT_GT(clean.score - noisy.score, 2 * (plain_mean(clean) - plain_mean(noisy)));
}

TEST(QualityFilter, MultipleFailuresAreAllReported) {
  QualityOutcome o = Eval(Chat("x", "<p>As an AI language model, I'm sorry, but I can't.</p>"));
  EXPECT_EQ(o.reason, "refusal");  // the first in signal order
  EXPECT_TRUE(Failed(o, "ai_boilerplate"));
  EXPECT_TRUE(Failed(o, "html_tags"));
  EXPECT_EQ(o.annotation["failed"].size(), o.reasons.size());
  EXPECT_NE(o.detail.find("html_tags: html_tags 2 > 0"), std::string::npos) << o.detail;
}

TEST(QualityFilter, PreferenceJudgesChosenNotRejected) {
  Example ex;
  ex.messages.push_back(Message{Role::User, "Explain photosynthesis."});
  ex.pref = PrefForm::String;
  ex.chosen.push_back(Message{Role::Assistant, kGood});
  ex.rejected.push_back(Message{Role::Assistant, "I'm sorry, but I can't help with that."});
  EXPECT_FALSE(Eval(ex).failed);
  std::swap(ex.chosen, ex.rejected);
  EXPECT_EQ(Eval(ex).reason, "refusal");
}

TEST(QualityFilter, ReportCountsAndHistograms) {
  QualityFilter f;
  QualityOutcome o;
  f.Evaluate(Chat("a", kGood), &o);
  f.Evaluate(Chat("b", "I'm sorry, but I can't."), &o);
  f.Evaluate(Chat("c", "I'm sorry, but I cannot."), &o);
  f.Evaluate(TextRow(kGood), &o);
  json r = f.Report();
  EXPECT_EQ(r["rows"], 4);
  EXPECT_EQ(r["failed_rows"], 2);
  EXPECT_EQ(r["signals"]["refusal"]["failed"], 2);
  EXPECT_EQ(r["signals"]["instruction_equals_output"]["not_applicable"], 1);
  EXPECT_EQ(r["reasons"]["refusal"], 2);
  const json& h = r["histograms"]["refusal_hits"];
  ASSERT_EQ(h["edges"].size(), h["counts"].size());
  uint64_t total = 0;
  for (const json& c : h["counts"]) total += c.get<uint64_t>();
  EXPECT_EQ(total, 4u);
  EXPECT_EQ(h["counts"][0], 2);  // two rows with 0 hits
  EXPECT_EQ(h["counts"][1], 2);  // two with 1 hit
  EXPECT_TRUE(r["histograms"].contains("score"));
}
