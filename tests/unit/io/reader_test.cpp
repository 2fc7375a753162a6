// Reader and writer behaviour on small hand-written inputs: every malformed-input case the
// foundation issue names, format sniffing, conversions and round trips.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "io/memory_io.h"
#include "io/reader.h"
#include "io/writer.h"

using namespace winnow;

namespace {

struct ReadAll {
  std::vector<Example> rows;
  std::vector<RowProblem> problems;
  Format format = Format::Unknown;
  FileKind kind = FileKind::Auto;
  std::string note;
  std::string error;
};

ReadAll Read(const std::string& name, const std::string& data, ReadOptions opts = {}) {
  ReadAll out;
  MemorySource src(name, data);
  auto r = ExampleReader::Open(src, opts);
  if (!r.ok()) {
    out.error = r.error().code + ": " + r.error().message;
    return out;
  }
  auto& reader = *r.value();
  out.format = reader.format();
  out.kind = reader.kind();
  out.note = std::string(reader.SchemaNote());
  while (true) {
    Example ex;
    RowProblem p;
    auto n = reader.Read(&ex, &p);
    EXPECT_TRUE(n.ok());
    if (!n.ok() || n.value() == ExampleReader::Next::End) break;
    if (n.value() == ExampleReader::Next::Row) out.rows.push_back(ex);
    else out.problems.push_back(p);
  }
  return out;
}

std::string Encode(const Example& ex, Format f) {
  std::string out, why;
  EXPECT_TRUE(EncodeExample(ex, f, &out, &why)) << why;
  return out;
}

}  // namespace

TEST(Reader, JsonlAlpacaWithOriginsAndMeta) {
  std::string data =
      "{\"instruction\":\"Add\",\"input\":\"2+2\",\"output\":\"4\",\"source\":{\"n\":1.50}}\n"
      "\n"
      "{\"instruction\":\"Hi\",\"output\":\"Hello\"}\r\n";
  auto r = Read("a.jsonl", data);
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.format, Format::Alpaca);
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_TRUE(r.problems.empty());
  const Example& a = r.rows[0];
  ASSERT_EQ(a.messages.size(), 2u);
  EXPECT_EQ(a.messages[0].content, "Add\n2+2");
  EXPECT_EQ(a.input_split, 3);
  EXPECT_EQ(a.meta, "{\"source\":{\"n\":1.50}}");  // number token kept verbatim
  EXPECT_EQ(r.rows[1].origin.line, 3u);
  EXPECT_EQ(r.rows[1].origin.index, 1u);
  EXPECT_EQ(r.rows[1].origin.offset, data.find("{\"instruction\":\"Hi\""));
  // Same-format round trip: unknown fields survive at the top level, instruction/input kept apart.
  EXPECT_EQ(Encode(a, Format::Alpaca),
            "{\"instruction\":\"Add\",\"input\":\"2+2\",\"output\":\"4\",\"source\":{\"n\":1.50}}");
  EXPECT_EQ(Encode(a, Format::Messages),
            "{\"messages\":[{\"role\":\"user\",\"content\":\"Add\\n2+2\"},{\"role\":\"assistant\",\"content\":\"4\"}],"
            "\"source\":{\"n\":1.50}}");
}

TEST(Reader, BadRowsAreProblemsWithOriginsAndReadingGoesOn) {
  std::string data =
      "\xEF\xBB\xBF{\"text\":\"ok\"}\n"            // BOM
      "{\"text\": \"broken\"\n"                     // parse error
      "[1,2]\n"                                     // not an object
      "{\"text\":\"a\",\"text\":\"b\"}\n"           // duplicate key
      "{\"text\":\"bad \xFF utf8\"}\n"              // invalid UTF-8
      "{\"text\":5}\n"                              // wrong type
      "{\"text\":\"fine\",\"x\":tru}\n"             // bad literal hidden in meta
      "{\"text\":\"last\"";                         // truncated last line
  auto r = Read("t.jsonl", data);
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.format, Format::Text);
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0].text, "ok");
  EXPECT_EQ(r.rows[0].origin.offset, 3u);
  ASSERT_EQ(r.problems.size(), 7u);
  std::vector<std::string> reasons;
  for (const auto& p : r.problems) reasons.push_back(p.reason);
  EXPECT_EQ(reasons, (std::vector<std::string>{"parse_error", "not_an_object", "duplicate_key", "invalid_utf8",
                                               "wrong_type", "parse_error", "truncated"}));
  EXPECT_EQ(r.problems[0].origin.line, 2u);
  EXPECT_EQ(r.problems[0].origin.offset, data.find("{\"text\": \"broken\""));
  EXPECT_EQ(r.problems[0].raw, "{\"text\": \"broken\"");
  EXPECT_EQ(r.problems[6].origin.line, 8u);
  // Row conservation: every non-blank line is a row or a problem.
  EXPECT_EQ(r.rows.size() + r.problems.size(), 8u);
}

TEST(Reader, RepairUtf8WhenAsked) {
  ReadOptions o;
  o.repair_utf8 = true;
  auto r = Read("t.jsonl", "{\"text\":\"bad \xFF utf8\"}\n", o);
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0].text, "bad \xEF\xBF\xBD utf8");
}

TEST(Reader, JsonArrayStreamsElementsWithLinesAndIndexes) {
  std::string data = "[\n  {\"conversations\":[{\"from\":\"human\",\"value\":\"hi\"},{\"from\":\"gpt\",\"value\":\"yo\"}]},\n"
                     "  {\"conversations\": 3},\n"
                     "  {\"conversations\":[{\"from\":\"alien\",\"value\":\"x\"}]}\n]\n";
  auto r = Read("c.json", data);
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.kind, FileKind::JsonArray);
  EXPECT_EQ(r.format, Format::ShareGPT);
  ASSERT_EQ(r.rows.size(), 1u);
  ASSERT_EQ(r.problems.size(), 2u);
  EXPECT_EQ(r.problems[0].reason, "wrong_type");
  EXPECT_EQ(r.problems[0].origin.line, 3u);
  EXPECT_EQ(r.problems[0].origin.index, 1u);
  EXPECT_EQ(r.problems[1].reason, "bad_role");
}

TEST(Reader, JsonArrayTruncated) {
  auto r = Read("c.json", "[{\"text\":\"a\"},{\"text\":\"b\"},{\"text\":\"c");
  ASSERT_EQ(r.rows.size(), 2u);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].reason, "truncated");
  EXPECT_EQ(r.problems[0].origin.index, 2u);
}

TEST(Reader, DotJsonThatIsJsonl) {
  auto r = Read("x.json", "{\"text\":\"a\"}\n{\"text\":\"b\"}\n");
  EXPECT_EQ(r.kind, FileKind::Jsonl);
  EXPECT_EQ(r.rows.size(), 2u);
}

TEST(Reader, CsvQuotingEmbeddedNewlinesAndFieldCounts) {
  std::string data = "instruction,output,note\r\n"
                     "\"Say \"\"hi\"\"\",\"Hi,\nthere\",x\r\n"
                     "short,row\r\n"
                     "\"open quote,never closed\n";
  auto r = Read("d.csv", data);
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.kind, FileKind::Csv);
  EXPECT_EQ(r.format, Format::Alpaca);
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0].messages[0].content, "Say \"hi\"");
  EXPECT_EQ(r.rows[0].messages[1].content, "Hi,\nthere");
  EXPECT_EQ(r.rows[0].meta, "{\"note\":\"x\"}");
  EXPECT_EQ(r.rows[0].origin.line, 2u);
  ASSERT_EQ(r.problems.size(), 2u);
  EXPECT_EQ(r.problems[0].reason, "csv_error");
  EXPECT_EQ(r.problems[0].origin.line, 4u);
  EXPECT_EQ(r.problems[0].raw, "short,row");
  EXPECT_EQ(r.problems[1].reason, "csv_error");
}

TEST(Reader, FieldRenamesForUnknownLayouts) {
  std::string data = ",count,tweet\n0,3,hello world\n";
  auto plain = Read("t.csv", data);
  EXPECT_NE(plain.error.find("unknown_format"), std::string::npos) << plain.error;
  EXPECT_NE(plain.error.find("tweet"), std::string::npos) << "the error lists the fields seen";
  ReadOptions o;
  o.format = Format::Text;
  o.fields = {{"text", "tweet"}};
  auto r = Read("t.csv", data, o);
  ASSERT_EQ(r.rows.size(), 1u) << r.error;
  EXPECT_EQ(r.rows[0].text, "hello world");
  EXPECT_EQ(r.rows[0].meta, "{\"\":\"0\",\"count\":\"3\"}");
}

TEST(Reader, BinaryAndGzipAreClearErrors) {
  auto r = Read("x.jsonl", std::string("\x1f\x8b\x08\x00\x00\x00", 6));
  EXPECT_NE(r.error.find("gzip"), std::string::npos) << r.error;
}

// One pretty-printed JSON object is not a dataset: one clear error, not a problem per line; a
// LLaMA-Factory registry is named as such with the --map usage.
TEST(Reader, SingleJsonObjectIsOneClearError) {
  ReadAll reg = Read("data/dataset_info.json",
                     "{\n  \"alpaca_en_demo\": {\n    \"file_name\": \"alpaca_en_demo.json\"\n  },\n"
                     "  \"glaive\": {\"file_name\": \"g.json\", \"formatting\": \"sharegpt\"}\n}\n");
  EXPECT_TRUE(reg.rows.empty());
  EXPECT_TRUE(reg.problems.empty());
  EXPECT_NE(reg.error.find("LLaMA-Factory dataset registry (2 datasets"), std::string::npos) << reg.error;
  EXPECT_NE(reg.error.find("--map dataset_info.json:NAME (NAME one of: alpaca_en_demo, glaive)"), std::string::npos)
      << reg.error;
  ReadAll other = Read("config.json", "{\n  \"lr\": 0.001,\n  \"epochs\": 3\n}\n");
  EXPECT_NE(other.error.find("config.json is one JSON object spread over several lines, not a dataset"), std::string::npos)
      << other.error;
  // JSONL whose first row happens to be one object per line still reads.
  ReadAll jsonl = Read("x.json", "{\"instruction\": \"a\", \"output\": \"b\"}\n");
  EXPECT_EQ(jsonl.error, "");
  EXPECT_EQ(jsonl.rows.size(), 1u);
}

TEST(Reader, ShareGptToolCallsRoundTrip) {
  std::string row =
      "{\"conversations\":[{\"from\":\"human\",\"value\":\"weather?\"},"
      "{\"from\":\"function_call\",\"value\":\"{\\\"name\\\": \\\"get_weather\\\", \\\"arguments\\\": {\\\"city\\\": \\\"Oslo\\\"}}\"},"
      "{\"from\":\"observation\",\"value\":\"{\\\"t\\\": 3}\"},{\"from\":\"gpt\",\"value\":\"3 degrees\"}],"
      "\"system\":\"sys\",\"tools\":\"[{\\\"name\\\": \\\"get_weather\\\"}]\"}\n";
  auto r = Read("g.jsonl", row);
  ASSERT_EQ(r.rows.size(), 1u);
  const Example& ex = r.rows[0];
  ASSERT_EQ(ex.messages.size(), 5u);
  EXPECT_EQ(ex.messages[0].role, Role::System);
  EXPECT_EQ(ex.messages[2].role, Role::Assistant);
  EXPECT_EQ(ex.messages[2].tool_calls,
            "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}}]");
  EXPECT_EQ(ex.messages[3].role, Role::Tool);
  std::string back = Encode(ex, Format::ShareGPT);
  auto again = Read("g2.jsonl", back + "\n");
  ASSERT_EQ(again.rows.size(), 1u);
  Example a = again.rows[0], b = ex;
  a.id = b.id = 0;
  a.origin = b.origin = Origin{};
  EXPECT_EQ(a, b) << back;
  // OpenAI messages keep the tool list as JSON.
  std::string m = Encode(ex, Format::Messages);
  auto j = nlohmann::json::parse(m);
  EXPECT_EQ(j["messages"][2]["tool_calls"][0]["function"]["name"], "get_weather");
  EXPECT_TRUE(j["tools"].is_array());
  // Alpaca refuses tool turns with a reason.
  std::string out, why;
  EXPECT_FALSE(EncodeExample(ex, Format::Alpaca, &out, &why));
  EXPECT_NE(why.find("tool"), std::string::npos);
  EXPECT_TRUE(out.empty());
}

TEST(Reader, MultiTurnToAlpacaUsesHistory) {
  auto r = Read("m.jsonl",
                "{\"messages\":[{\"role\":\"system\",\"content\":\"S\"},{\"role\":\"user\",\"content\":\"q1\"},"
                "{\"role\":\"assistant\",\"content\":\"a1\"},{\"role\":\"user\",\"content\":\"q2\"},"
                "{\"role\":\"assistant\",\"content\":\"a2\"}]}\n");
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(Encode(r.rows[0], Format::Alpaca),
            "{\"instruction\":\"q2\",\"input\":\"\",\"output\":\"a2\",\"system\":\"S\",\"history\":[[\"q1\",\"a1\"]]}");
  // Not alternating: refused with the turn named.
  auto bad = Read("m.jsonl",
                  "{\"messages\":[{\"role\":\"user\",\"content\":\"q1\"},{\"role\":\"user\",\"content\":\"q2\"}]}\n");
  std::string out, why;
  EXPECT_FALSE(EncodeExample(bad.rows.at(0), Format::Alpaca, &out, &why));
  EXPECT_NE(why.find("turn 2"), std::string::npos) << why;
}

TEST(Reader, PreferenceShapes) {
  // TRL standard (strings) round trip.
  auto r = Read("p.jsonl", "{\"prompt\":\"Q\",\"chosen\":\"good\",\"rejected\":\"bad\",\"id\":7}\n");
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.format, Format::Preference);
  EXPECT_EQ(Encode(r.rows[0], Format::Preference), "{\"prompt\":\"Q\",\"chosen\":\"good\",\"rejected\":\"bad\",\"id\":7}");
  std::string out, why;
  EXPECT_FALSE(EncodeExample(r.rows[0], Format::Messages, &out, &why));
  EXPECT_NE(why.find("rejected"), std::string::npos);
  // Implicit prompt: the shared leading turns become the prompt.
  auto imp = Read("p.jsonl",
                  "{\"chosen\":[{\"role\":\"user\",\"content\":\"Q\"},{\"role\":\"assistant\",\"content\":\"good\"}],"
                  "\"rejected\":[{\"role\":\"user\",\"content\":\"Q\"},{\"role\":\"assistant\",\"content\":\"bad\"}]}\n");
  ASSERT_EQ(imp.rows.size(), 1u);
  ASSERT_EQ(imp.rows[0].messages.size(), 1u);
  EXPECT_EQ(imp.rows[0].chosen.at(0).content, "good");
  // LLaMA-Factory sharegpt shape with chosen/rejected message objects.
  auto lf = Read("d.json",
                 "[{\"conversations\":[{\"from\":\"human\",\"value\":\"Q\"}],\"chosen\":{\"from\":\"gpt\",\"value\":\"good\"},"
                 "\"rejected\":{\"from\":\"gpt\",\"value\":\"bad\"}}]");
  ASSERT_EQ(lf.rows.size(), 1u);
  EXPECT_EQ(lf.format, Format::ShareGPT);
  EXPECT_EQ(lf.rows[0].pref, PrefForm::Message);
  EXPECT_EQ(Encode(lf.rows[0], Format::ShareGPT),
            "{\"conversations\":[{\"from\":\"human\",\"value\":\"Q\"}],\"chosen\":{\"from\":\"gpt\",\"value\":\"good\"},"
            "\"rejected\":{\"from\":\"gpt\",\"value\":\"bad\"}}");
  auto trl = nlohmann::json::parse(Encode(lf.rows[0], Format::Preference));
  EXPECT_EQ(trl["chosen"][0]["content"], "good");
}

TEST(Reader, KtoAndTypedContentParts) {
  auto r = Read("k.jsonl",
                "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"value\":\"hi\"}],\"loss_weight\":0.0},"
                "{\"role\":\"assistant\",\"content\":\"yo\"}],\"label\":true}\n");
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.format, Format::KTO);
  EXPECT_EQ(r.rows[0].label, 1);
  EXPECT_EQ(r.rows[0].messages[0].content, "hi");
  EXPECT_EQ(Encode(r.rows[0], Format::KTO),
            "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"value\":\"hi\"}],\"loss_weight\":0.0},"
            "{\"role\":\"assistant\",\"content\":\"yo\"}],\"label\":true}");
  std::string out, why;
  EXPECT_FALSE(EncodeExample(r.rows[0], Format::Text, &out, &why));
}

TEST(Reader, ColumnMappingFromDatasetInfo) {
  std::string info = R"({"kto_demo": {"file_name": "k.json", "formatting": "sharegpt",
    "columns": {"messages": "msgs", "kto_tag": "ok"},
    "tags": {"role_tag": "who", "content_tag": "said", "user_tag": "u", "assistant_tag": "a"}}})";
  auto m = LoadColumnMapping(info, "kto_demo");
  ASSERT_TRUE(m.ok()) << m.error().message;
  ReadOptions o;
  o.mapping = &m.value();
  auto r = Read("k.jsonl", "{\"msgs\":[{\"who\":\"u\",\"said\":\"q\"},{\"who\":\"a\",\"said\":\"r\"}],\"ok\":false}\n", o);
  ASSERT_EQ(r.rows.size(), 1u) << (r.problems.empty() ? r.error : r.problems[0].detail);
  EXPECT_EQ(r.format, Format::KTO);
  EXPECT_EQ(r.rows[0].label, 0);
  EXPECT_EQ(r.rows[0].messages[1].role, Role::Assistant);
  auto missing = LoadColumnMapping(info, "nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("kto_demo"), std::string::npos);
}

TEST(Reader, OpenAssistantTreeBestRankedPath) {
  std::string tree = R"({"message_tree_id":"t1","prompt":{"text":"Q","role":"prompter","replies":[
    {"text":"second","role":"assistant","rank":1,"replies":[]},
    {"text":"best","role":"assistant","rank":0,"replies":[{"text":"follow","role":"prompter","replies":[]}]},
    {"text":"gone","role":"assistant","rank":-1,"deleted":true,"replies":[]}]}})";
  std::string line;
  for (char c : tree) if (c != '\n') line.push_back(c);
  auto r = Read("o.jsonl", line + "\n");
  ASSERT_EQ(r.rows.size(), 1u) << (r.problems.empty() ? r.error : r.problems[0].detail);
  // The unanswered follow-up ends no training turn: the path stops at the last assistant reply.
  ASSERT_EQ(r.rows[0].messages.size(), 2u);
  EXPECT_EQ(r.rows[0].messages[0].content, "Q");
  EXPECT_EQ(r.rows[0].messages[1].content, "best");
  EXPECT_EQ(r.rows[0].meta, "{\"message_tree_id\":\"t1\"}");
}

TEST(Reader, OpenAssistantTreeKeepsAnsweredFollowUpsAndLonePrompts) {
  auto r = Read("o.jsonl",
                R"({"message_tree_id":"t2","prompt":{"text":"Q","role":"prompter","replies":[{"text":"A1","role":"assistant","replies":[)"
                R"({"text":"P2","role":"prompter","rank":0,"replies":[{"text":"A2","role":"assistant","replies":[)"
                R"({"text":"P3","role":"prompter","replies":[]}]}]}]}]}})"
                "\n"
                R"({"message_tree_id":"t3","prompt":{"text":"alone","role":"prompter","replies":[{"text":"x","role":"assistant","deleted":true}]}})"
                "\n");
  ASSERT_EQ(r.rows.size(), 2u) << (r.problems.empty() ? r.error : r.problems[0].detail);
  ASSERT_EQ(r.rows[0].messages.size(), 4u);
  EXPECT_EQ(r.rows[0].messages[3].content, "A2");
  EXPECT_EQ(r.rows[0].messages[3].role, Role::Assistant);
  // Nothing answered it: the prompt stays (validate then rejects it as no_reply, with its line).
  ASSERT_EQ(r.rows[1].messages.size(), 1u);
  EXPECT_EQ(r.rows[1].messages[0].content, "alone");
}

TEST(Reader, VeryLongLineAcrossChunks) {
  std::string big(3u << 20, 'x');
  auto r = Read("l.jsonl", "{\"text\":\"" + big + "\"}\n{\"text\":\"after\"}\n");
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0].text.size(), big.size());
  EXPECT_EQ(r.rows[1].origin.offset, big.size() + 12);
}

TEST(Writer, CsvAndJsonArrayContainers) {
  auto r = Read("a.jsonl", "{\"instruction\":\"a,b\",\"output\":\"line1\\nline2\"}\n{\"instruction\":\"q\",\"output\":\"\\\"x\\\"\"}\n");
  ASSERT_EQ(r.rows.size(), 2u);
  MemorySink csv;
  auto w = ExampleWriter::Create(csv, FileKind::Csv, Format::Alpaca);
  for (const auto& ex : r.rows) {
    std::string why;
    Status io;
    EXPECT_TRUE(w->Write(ex, &why, &io));
  }
  EXPECT_TRUE(w->Finish().ok());
  EXPECT_EQ(csv.data(), "instruction,output\r\n\"a,b\",\"line1\nline2\"\r\nq,\"\"\"x\"\"\"\r\n");
  // And the CSV reads back to the same examples.
  auto back = Read("b.csv", csv.data());
  ASSERT_EQ(back.rows.size(), 2u);
  EXPECT_EQ(back.rows[0].messages, r.rows[0].messages);
  MemorySink arr;
  auto wa = ExampleWriter::Create(arr, FileKind::JsonArray, Format::Text);
  std::string why;
  Status io;
  EXPECT_FALSE(wa->Write(r.rows[0], &why, &io));  // a conversation is not raw text
  EXPECT_TRUE(wa->Finish().ok());
  EXPECT_EQ(arr.data(), "[]\n");
}

TEST(Writer, MetaKeysThatClashWithFormatKeysMoveUnderMeta) {
  ReadOptions alpaca;
  alpaca.format = Format::Alpaca;  // the "messages" key would otherwise be sniffed as the format
  auto r = Read("a.jsonl", "{\"instruction\":\"q\",\"output\":\"a\",\"messages\":7,\"note\":\"x\"}\n", alpaca);
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(Encode(r.rows[0], Format::Messages),
            "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\"a\"}],"
            "\"note\":\"x\",\"meta\":{\"messages\":7}}");
  // A key that merely contains a format key's name is not a clash.
  auto r2 = Read("a.jsonl", "{\"instruction\":\"q\",\"output\":\"a\",\"old_messages\":1}\n");
  EXPECT_EQ(Encode(r2.rows.at(0), Format::Messages),
            "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\"a\"}],\"old_messages\":1}");
}
