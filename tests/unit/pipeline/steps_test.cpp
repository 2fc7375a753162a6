// Step behaviour through the runner (so ids, verdict stamping and reports are exercised too).
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>

#include "pipeline/pipeline_run.h"
#include "test_rows.h"

using namespace winnow;
using winnow::testing::Chat;
using winnow::testing::RandomWords;

namespace {

struct Out {
  RunSummary sum;
  MemoryOutputs files;
  std::vector<nlohmann::json> kept, rejected;
  nlohmann::json report;
};

std::vector<nlohmann::json> JsonLines(const ChunkedBytes* s) {
  std::vector<nlohmann::json> out;
  if (!s) return out;
  s->ForEachLine([&](std::string_view l) { out.push_back(nlohmann::json::parse(l)); });
  return out;
}

std::unique_ptr<Out> RunSteps(const std::string& steps_json, std::vector<Example> rows, RunOptions opts = {}, uint64_t seed = 1) {
  auto c = ParsePipeline(R"({"version":1,"name":"t","seed":)" + std::to_string(seed) + R"(,"steps":)" + steps_json + "}");
  EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().message);
  auto out = std::make_unique<Out>();
  auto s = RunPipeline(c.value(), MakeVectorSource(std::move(rows), "in.jsonl"), &out->files, opts);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
  if (!s.ok()) return out;
  out->sum = s.value();
  out->kept = JsonLines(out->files.Get("kept.jsonl"));
  out->rejected = JsonLines(out->files.Get("rejected.jsonl"));
  out->report = nlohmann::json::parse(out->files.Text("report.json"));
  EXPECT_TRUE(out->sum.conserved);
  return out;
}

std::string UserOf(const nlohmann::json& row) { return row["messages"][0]["content"].get<std::string>(); }

}  // namespace

TEST(Validate, DropsEachProblemWithItsReason) {
  std::vector<Example> rows;
  rows.push_back(Chat("hi", "hello", 1));
  Example empty;
  empty.source_format = Format::Messages;
  empty.origin.line = 2;
  rows.push_back(empty);
  Example no_reply = Chat("hi", "x", 3);
  no_reply.messages.pop_back();
  rows.push_back(no_reply);
  Example sys_late = Chat("hi", "hello", 4);
  sys_late.messages.push_back(Message{Role::System, "late"});
  rows.push_back(sys_late);
  auto o = RunSteps(R"([{"type":"validate"}])", rows);
  ASSERT_EQ(o->kept.size(), 1u);
  std::map<int, std::string> reasons;
  for (const auto& r : o->rejected) reasons[r["line"].get<int>()] = r["reason"].get<std::string>();
  EXPECT_EQ(reasons[2], "empty");
  EXPECT_EQ(reasons[3], "no_reply");
  EXPECT_EQ(reasons[4], "system_not_first");
  // A check can be switched off.
  auto o2 = RunSteps(R"([{"type":"validate","params":{"checks":["empty"]}}])", rows);
  EXPECT_EQ(o2->kept.size(), 3u);
}

TEST(Normalize, CleansWhitespaceButKeepsIndentation) {
  std::vector<Example> rows;
  rows.push_back(Chat("a\r\nb\xC2\xA0" "c\xE2\x80\x8B  \n\n\n\n\nd  ", "\n\n    indented()\n", 1));
  rows.push_back(Chat("clean", "clean", 2));
  auto o = RunSteps(R"([{"type":"normalize"}])", rows);
  ASSERT_EQ(o->kept.size(), 2u);
  EXPECT_EQ(UserOf(o->kept[0]), "a\nb c\n\n\nd");
  EXPECT_EQ(o->kept[0]["messages"][1]["content"], "    indented()");
  EXPECT_EQ(o->report["steps"][0]["report"]["rows_changed"], 1);
}

// Alpaca rows hold instruction + "\n" + input in one message with the split point beside it: a
// trimmed instruction must move the split, or the writer cuts the input's first byte off (a
// multi-byte character then becomes invalid UTF-8).
TEST(Normalize, TrimsAlpacaInstructionAndInputApart) {
  std::vector<Example> rows;
  Example a;
  a.source_format = Format::Alpaca;
  a.origin.line = 1;
  a.messages = {Message{Role::User, "Translate this please.  \n  \xE8\xBE\x93\xE5\x85\xA5 world \t"},
                Message{Role::Assistant, "Bonjour"}};
  a.input_split = 24;  // "Translate this please.  "
  rows.push_back(a);
  Example clean = a;
  clean.origin.line = 2;
  clean.messages[0].content = "Translate.\nHello";
  clean.input_split = 10;
  rows.push_back(clean);
  auto o = RunSteps(R"([{"type":"normalize"}])", rows);
  ASSERT_EQ(o->kept.size(), 2u);
  EXPECT_EQ(o->kept[0]["instruction"], "Translate this please.");
  // Trimming keeps a first line's indentation (code), so only the trailing blanks go.
  EXPECT_EQ(o->kept[0]["input"], "  \xE8\xBE\x93\xE5\x85\xA5 world");
  EXPECT_EQ(o->kept[0]["output"], "Bonjour");
  EXPECT_EQ(o->kept[1]["instruction"], "Translate.");
  EXPECT_EQ(o->kept[1]["input"], "Hello");
  EXPECT_EQ(o->report["steps"][0]["report"]["rows_changed"], 1);
}

TEST(Example, SetMessageContentKeepsTheAlpacaSplitTrue) {
  Example a;
  a.messages = {Message{Role::User, "Sum these.\n1 2 3"}, Message{Role::Assistant, "6"}};
  a.input_split = 10;  // "Sum these."
  Example b = a;
  SetMessageContent(&b, 0, "Sum these.\n1 2 3 4");  // the input edited: the split stays
  EXPECT_EQ(b.input_split, 10);
  b = a;
  SetMessageContent(&b, 0, "Add up these numbers.\n1 2 3");  // the instruction edited: before the input
  EXPECT_EQ(b.input_split, 21);
  b = a;
  SetMessageContent(&b, 0, "Something else entirely");  // neither part survives: all instruction
  EXPECT_EQ(b.input_split, -1);
  EXPECT_EQ(b.messages[0].content, "Something else entirely");
  b = a;
  SetMessageContent(&b, 1, "seven");  // another message: the split is not touched
  EXPECT_EQ(b.input_split, 10);
  EXPECT_EQ(b.messages[1].content, "seven");
}

// privacy-strict does what its description says: a row with many personal-data hits is dropped,
// not patched; a row with a few is kept with placeholders, its tool-call arguments scrubbed too.
TEST(Presets, PrivacyStrictDropsRowsWithManyHitsAndScrubsToolCalls) {
  std::string path = std::string(WINNOW_SOURCE_DIR) + "/assets/presets/privacy-strict.json";
  FILE* f = std::fopen(path.c_str(), "rb");
  ASSERT_NE(f, nullptr) << path;
  std::string text(1 << 16, '\0');
  text.resize(std::fread(text.data(), 1, text.size(), f));
  std::fclose(f);
  nlohmann::json preset = nlohmann::json::parse(text);
  std::vector<Example> rows;
  rows.push_back(Chat("Write to a1@example.com, a2@example.com, a3@example.com, a4@example.com, a5@example.com "
                      "and a6@example.com about the refund.", "Done, all six were told.", 1));
  Example tool = Chat("Please e-mail my manager about the outage tonight.", "", 2);
  tool.messages[1].tool_calls = R"([{"name":"send_email","arguments":{"to":"boss.person@example.com"}}])";
  tool.messages.push_back(Message{Role::Assistant, "I sent the e-mail to your manager."});
  rows.push_back(tool);
  auto o = RunSteps(preset["steps"].dump(), rows);
  ASSERT_EQ(o->rejected.size(), 1u);
  EXPECT_EQ(o->rejected[0]["line"], 1);
  EXPECT_EQ(o->rejected[0]["reason"], "pii_over_limit");
  EXPECT_EQ(o->rejected[0].dump().find("a1@example.com"), std::string::npos) << "a dropped row still travels scrubbed";
  ASSERT_EQ(o->kept.size(), 1u);
  std::string kept = o->kept[0].dump();
  EXPECT_EQ(kept.find("boss.person@example.com"), std::string::npos) << kept;
  EXPECT_NE(kept.find("[EMAIL]"), std::string::npos) << kept;
}

// Messages with typed content parts keep them verbatim in `extra`; an edit to the flattened text
// (here a scrubbed e-mail) must reach the parts the writer emits, or the value survives.
TEST(PiiScrub, EditsReachTypedContentParts) {
  Example ex = Chat("mail alice.smith@example.com today", "ok, I will write to alice.smith@example.com", 1);
  ex.messages[0].extra = R"({"content":[{"type":"text","value":"mail alice.smith@example.com today"},{"type":"image","url":"x.png"}],"loss_weight":0.5})";
  ex.messages[1].extra = R"({"content":[{"type":"text","value":"ok, I will write to "},{"type":"text","value":"alice.smith@example.com"}]})";
  ex.messages[1].content = "ok, I will write to \nalice.smith@example.com";
  Example plain = Chat("no personal data here", "fine", 2);
  plain.messages[0].extra = R"({"content":[{"type":"text","value":"no personal data here"}]})";
  auto o = RunSteps(R"([{"type":"pii.scrub"}])", {ex, plain});
  ASSERT_EQ(o->kept.size(), 2u);
  std::string row = o->kept[0].dump();
  EXPECT_EQ(row.find("alice.smith@example.com"), std::string::npos) << row;
  const auto& user = o->kept[0]["messages"][0];
  ASSERT_TRUE(user["content"].is_array()) << row;
  EXPECT_EQ(user["content"][0]["value"], "mail [EMAIL] today");
  EXPECT_EQ(user["content"][1]["type"], "image");  // other parts stay
  EXPECT_EQ(user["loss_weight"], 0.5);
  // Two text parts, edited: the first carries the whole new text.
  EXPECT_EQ(o->kept[0]["messages"][1]["content"].size(), 1u);
  EXPECT_EQ(o->kept[0]["messages"][1]["content"][0]["value"], "ok, I will write to \n[EMAIL]");
  // Untouched parts are written as they were.
  EXPECT_EQ(o->kept[1]["messages"][0]["content"][0]["value"], "no personal data here");
}

TEST(DedupExact, ViewsDecideWhatCountsAsDuplicate) {
  std::vector<Example> rows = {Chat("Question one?", "Answer A", 1), Chat("question ONE?", "Answer B", 2),
                               Chat("Question two", "Answer A", 3)};
  auto whole = RunSteps(R"([{"type":"dedup.exact"}])", rows);
  EXPECT_EQ(whole->kept.size(), 3u);
  auto user = RunSteps(R"([{"type":"dedup.exact","params":{"view":"user"}}])", rows);
  EXPECT_EQ(user->kept.size(), 2u);
  EXPECT_EQ(user->rejected[0]["line"], 2);
  auto asst = RunSteps(R"([{"type":"dedup.exact","params":{"view":"assistant"}}])", rows);
  EXPECT_EQ(asst->kept.size(), 2u);
  EXPECT_EQ(asst->rejected[0]["line"], 3);
  // Case matters when lowercase is off.
  auto cased = RunSteps(R"([{"type":"dedup.exact","params":{"view":"user","normalize":{"lowercase":false}}}])", rows);
  EXPECT_EQ(cased->kept.size(), 3u);
  // action flag keeps the row and records the flag.
  auto flag = RunSteps(R"([{"type":"dedup.exact","params":{"view":"user","action":"flag"}}])", rows);
  EXPECT_EQ(flag->kept.size(), 3u);
  EXPECT_EQ(flag->report["steps"][0]["flagged"], 1);
}

TEST(DedupExact, InstructionViewUsesTheAlpacaInstructionOnly) {
  Example a = Chat("Translate\nhello", "bonjour", 1);
  a.input_split = 9;
  a.source_format = Format::Alpaca;
  Example b = Chat("Translate\ngoodbye", "au revoir", 2);
  b.input_split = 9;
  b.source_format = Format::Alpaca;
  auto o = RunSteps(R"([{"type":"dedup.exact","params":{"view":"instruction"}}])", {a, b});
  EXPECT_EQ(o->kept.size(), 1u);
}

TEST(DedupNear, ClustersKeepPoliciesAndReport) {
  std::string base = RandomWords(5, 150);
  std::vector<Example> rows = {Chat(base, "short", 1), Chat("unrelated " + RandomWords(6, 150), "x", 2),
                               Chat(base + " tail words here", "a much longer answer than the first one", 3),
                               Chat("more " + base, "mid answer", 4)};
  auto first = RunSteps(R"([{"type":"dedup.near","params":{"threshold":0.8}}])", rows);
  ASSERT_EQ(first->kept.size(), 2u);
  EXPECT_EQ(first->rejected.size(), 2u);
  const nlohmann::json& rep = first->report["steps"][0]["report"];
  EXPECT_EQ(rep["clusters"], 1);
  EXPECT_EQ(rep["duplicates"], 2);
  EXPECT_EQ(rep["lsh"]["bands"], 12);  // recall-weighted choice for a verifying index
  EXPECT_EQ(rep["lsh"]["rows"], 10);
  ASSERT_EQ(rep["largest_clusters"].size(), 1u);
  EXPECT_EQ(rep["largest_clusters"][0]["size"], 3);
  EXPECT_GT(rep["largest_clusters"][0]["pairs"][0]["jaccard"].get<double>(), 0.8);

  auto longest = RunSteps(R"([{"type":"dedup.near","params":{"threshold":0.8,"keep":"longest"}}])", rows);
  ASSERT_EQ(longest->kept.size(), 2u);
  EXPECT_EQ(longest->kept[0]["messages"][1]["content"], "x");
  EXPECT_EQ(longest->kept[1]["messages"][1]["content"], "a much longer answer than the first one");

  auto none = RunSteps(R"([{"type":"dedup.near","params":{"threshold":0.8,"keep":"none"}}])", rows);
  EXPECT_EQ(none->kept.size(), 1u);

  auto flag = RunSteps(R"([{"type":"dedup.near","params":{"threshold":0.8,"action":"flag"}}])", rows);
  EXPECT_EQ(flag->kept.size(), 4u);
  EXPECT_EQ(flag->report["steps"][0]["flagged"], 2);

  // Without verification (signature estimate) the same cluster is found.
  auto est = RunSteps(R"([{"type":"dedup.near","params":{"threshold":0.8,"verify":false}}])", rows);
  EXPECT_EQ(est->kept.size(), 2u);
}

TEST(Decontaminate, MatchesReferenceNgramsAndNamesTheReference) {
  std::string q = "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May.";
  std::string refs = R"({"question": ")" + q + R"(", "answer": "72"})" "\n" R"({"question_id": 81, "category": "writing", "turns": ["Compose an engaging travel blog post"]})" "\n";
  RunOptions opts;
  opts.read_file = [&](const std::string& path) -> Result<std::string> {
    if (path == "refs/test.jsonl") return refs;
    return Error{"io_error", "missing " + path};
  };
  std::vector<Example> rows = {Chat("Solve: " + q + " How many clips?", "72", 1), Chat("What is 2+2?", "4", 2),
                               Chat("Please compose an ENGAGING travel blog post!", "...", 3),
                               Chat("Some writing tips, please", "Write daily.", 4)};
  auto o = RunSteps(R"([{"type":"decontaminate","params":{"references":["refs/test.jsonl"],"min_ref_words":5}}])", rows, opts);
  // Line 4 shares only the one-word "category" value, which is too short to be indexed.
  ASSERT_EQ(o->kept.size(), 2u);
  EXPECT_EQ(UserOf(o->kept[0]), "What is 2+2?");
  // With the default min_ref_words (8) the six-word MT-Bench-style question is not indexed either.
  auto d = RunSteps(R"([{"type":"decontaminate","params":{"references":["refs/test.jsonl"]}}])", rows, opts);
  EXPECT_EQ(d->kept.size(), 3u);
  ASSERT_EQ(o->rejected.size(), 2u);
  EXPECT_EQ(o->rejected[0]["reason"], "contaminated");
  EXPECT_NE(o->rejected[0]["detail"].get<std::string>().find("test.jsonl:1"), std::string::npos);
  EXPECT_NE(o->rejected[1]["detail"].get<std::string>().find("question_id 81"), std::string::npos)
      << o->rejected[1]["detail"];
  EXPECT_EQ(o->report["steps"][0]["report"]["references"]["test.jsonl"], 2);
}

TEST(Split, RatiosSeedAndDeterminism) {
  std::vector<Example> rows;
  for (int i = 0; i < 1000; ++i) rows.push_back(Chat("q " + std::to_string(i), "a", i + 1));
  auto o = RunSteps(R"([{"type":"split"}])", rows, {}, 42);
  const nlohmann::json& counts = o->report["steps"][0]["report"]["counts"];
  EXPECT_EQ(counts["train"], 800);
  EXPECT_EQ(counts["validation"], 100);
  EXPECT_EQ(counts["test"], 100);
  EXPECT_EQ(JsonLines(o->files.Get("train.jsonl")).size(), 800u);
  EXPECT_EQ(JsonLines(o->files.Get("test.jsonl")).size(), 100u);
  auto again = RunSteps(R"([{"type":"split"}])", rows, {}, 42);
  EXPECT_EQ(o->files.Text("test.jsonl"), again->files.Text("test.jsonl"));
  auto other = RunSteps(R"([{"type":"split"}])", rows, {}, 43);
  EXPECT_NE(o->files.Text("test.jsonl"), other->files.Text("test.jsonl"));
  EXPECT_EQ(o->report["steps"][0]["report"]["leakage"]["exact_overlap"], 0);
}

TEST(Split, NearDuplicateClustersNeverStraddle) {
  std::vector<Example> rows;
  for (int c = 0; c < 60; ++c) {
    std::string base = RandomWords(100 + c, 80);
    for (int k = 0; k < 4; ++k) rows.push_back(Chat(base + " v" + std::to_string(k), "a", rows.size() + 1));
  }
  auto o = RunSteps(R"([{"type":"dedup.near","params":{"threshold":0.8,"action":"flag"}},
                   {"type":"split","params":{"ratios":{"train":0.5,"validation":0.25,"test":0.25}}}])",
               rows, {}, 7);
  const nlohmann::json& rep = o->report["steps"][1]["report"];
  EXPECT_EQ(rep["units"], 60);
  EXPECT_EQ(rep["leakage"]["clusters_across_splits"], 0);
  // Every cluster of 4 lands whole: split sizes are multiples of 4.
  for (const char* s : {"train", "validation", "test"}) EXPECT_EQ(rep["counts"][s].get<int>() % 4, 0) << s;
  // Without grouping, some clusters straddle (the check sees it).
  auto loose = RunSteps(R"([{"type":"dedup.near","params":{"threshold":0.8,"action":"flag"}},
                       {"type":"split","params":{"group_near_duplicates":false}}])",
                   rows, {}, 7);
  EXPECT_GT(loose->report["steps"][1]["report"]["leakage"]["clusters_across_splits"].get<int>(), 0);
}

TEST(Split, StratifiedAndTimeBased) {
  std::vector<Example> rows;
  for (int i = 0; i < 200; ++i) {
    std::string meta = R"({"category":")" + std::string(i % 4 == 0 ? "math" : "chat") + R"(","created":")" +
                       (i < 100 ? "2023-" : "2024-") + std::to_string(10 + i % 50) + R"("})";
    rows.push_back(Chat("q" + std::to_string(i), "a", i + 1, meta));
  }
  auto st = RunSteps(R"([{"type":"split","params":{"method":"stratified","field":"category"}}])", rows);
  const nlohmann::json& strata = st->report["steps"][0]["report"]["strata"];
  EXPECT_EQ(strata["math"]["train"], 40);
  EXPECT_EQ(strata["math"]["test"], 5);
  EXPECT_EQ(strata["chat"]["train"], 120);
  auto tm = RunSteps(R"([{"type":"split","params":{"method":"time","field":"created"}}])", rows);
  const nlohmann::json& ranges = tm->report["steps"][0]["report"]["time_ranges"];
  EXPECT_LT(ranges["train"]["to"].get<std::string>(), ranges["validation"]["from"].get<std::string>());
  EXPECT_LE(ranges["validation"]["to"].get<std::string>(), ranges["test"]["from"].get<std::string>());
  EXPECT_EQ(tm->report["steps"][0]["report"]["rows_missing_field"], 0);
}
