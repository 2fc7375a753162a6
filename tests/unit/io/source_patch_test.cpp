// The source-row patcher (io/source_patch.h): the string scanner's byte ranges and unescaping, the
// edits it applies, and the rows it refuses (then the runner re-encodes them).
#include <gtest/gtest.h>

#include "io/memory_io.h"
#include "io/reader.h"
#include "io/source_patch.h"

using namespace winnow;

namespace {

// The first row of `line` as its reader reads it, and that reader's line decoder.
struct Read1 {
  Example ex;
  SourceRowDecoder decode;
};

Read1 ReadLine(const std::string& line, Format format = Format::Unknown) {
  Read1 out;
  MemorySource src("in.jsonl", line + "\n");
  ReadOptions opts;
  opts.format = format;
  auto r = ExampleReader::Open(src, opts);
  EXPECT_TRUE(r.ok());
  if (!r.ok()) return out;
  RowProblem p;
  auto n = r.value()->Read(&out.ex, &p);
  EXPECT_TRUE(n.ok() && n.value() == ExampleReader::Next::Row) << p.reason << " " << p.detail;
  EXPECT_EQ(r.value()->LastRaw(), line);
  out.decode = r.value()->LineDecoder();
  return out;
}

TEST(JsonStringScan, RangesKeysAndEscapes) {
  std::string j = R"({ "a" : "caf\u00e9", "b":[ "x\"y\\z\n", 1, true, {"c":"\ud83d\ude00"} ] })";
  std::vector<JsonStringToken> t;
  ASSERT_TRUE(ScanJsonStrings(j, &t));
  ASSERT_EQ(t.size(), 6u);
  EXPECT_TRUE(t[0].is_key);
  EXPECT_EQ(t[0].value, "a");
  EXPECT_FALSE(t[1].is_key);
  EXPECT_EQ(t[1].value, "caf\xC3\xA9");
  EXPECT_EQ(j.substr(t[1].begin, t[1].end - t[1].begin), R"("caf\u00e9")");
  EXPECT_TRUE(t[2].is_key);
  EXPECT_EQ(t[3].value, "x\"y\\z\n");
  EXPECT_FALSE(t[3].is_key);
  EXPECT_TRUE(t[4].is_key);
  EXPECT_EQ(t[5].value, "\xF0\x9F\x98\x80");  // U+1F600 from its surrogate pair
}

TEST(JsonStringScan, RejectsWhatItCannotFollow) {
  std::vector<JsonStringToken> t;
  EXPECT_FALSE(ScanJsonStrings(R"({"a":"\ud83d"})", &t));  // lone high surrogate
  EXPECT_FALSE(ScanJsonStrings(R"({"a":"\ude00"})", &t));  // lone low surrogate
  EXPECT_FALSE(ScanJsonStrings(R"({"a":"\q"})", &t));
  EXPECT_FALSE(ScanJsonStrings(R"({"a":"open)", &t));
  EXPECT_FALSE(ScanJsonStrings(R"({"a":["x"})", &t));
}

TEST(PatchJsonStrings, ReplacesOnlyTheValueToken) {
  std::string j = R"({"email" : "a@b.io",  "note":"caf\u00e9 \ud83d\ude00", "email2":"x"})";
  std::string out;
  ASSERT_TRUE(PatchJsonStrings(j, {{"a@b.io", "[EMAIL] \"q\"\n"}}, &out));
  EXPECT_EQ(out, R"({"email" : "[EMAIL] \"q\"\n",  "note":"caf\u00e9 \ud83d\ude00", "email2":"x"})");
  // A key equal to the old value is never touched.
  out.clear();
  ASSERT_TRUE(PatchJsonStrings(R"({"x":"x"})", {{"x", "y"}}, &out));
  EXPECT_EQ(out, R"({"x":"y"})");
}

TEST(PatchJsonStrings, AValueThatAppearsTwice) {
  std::string j = R"({"a":"same","b":"same"})";
  std::string out;
  // Both changed the same way: both replaced.
  ASSERT_TRUE(PatchJsonStrings(j, {{"same", "S"}, {"same", "S"}}, &out));
  EXPECT_EQ(out, R"({"a":"S","b":"S"})");
  // Two treatments, or one occurrence changed and one not: cannot tell which token is which.
  out.clear();
  EXPECT_FALSE(PatchJsonStrings(j, {{"same", "S"}, {"same", "T"}}, &out));
  EXPECT_FALSE(PatchJsonStrings(j, {{"same", "S"}}, &out));
  EXPECT_TRUE(out.empty());
}

TEST(PatchJsonStrings, ChangedMiddleInsideOneToken) {
  std::string j = R"({"v":"{\"to\": \"bob@x.io\"}"})";
  std::string out;
  ASSERT_TRUE(PatchJsonStrings(j, {{R"({"to":"bob@x.io"})", R"({"to":"[EMAIL]"})"}}, &out));
  EXPECT_EQ(out, R"({"v":"{\"to\": \"[EMAIL]\"}"})");
  out.clear();
  EXPECT_FALSE(PatchJsonStrings(R"({"v":"bob@x.io bob@x.io"})", {{"<bob@x.io>", "<[EMAIL]>"}}, &out));
}

TEST(PatchSourceRow, UnchangedRowKeepsItsBytes) {
  std::string line = R"({ "messages" : [ {"content": "caf\u00e9", "role":"user"}, {"role": "assistant", "content": "ok"} ], "z": 1 })";
  Read1 r = ReadLine(line);
  std::string out;
  ASSERT_TRUE(PatchSourceRow(line, r.ex, r.decode, &out));
  EXPECT_EQ(out, line);
}

TEST(PatchSourceRow, EditedContentAndAlpacaHalves) {
  std::string line = R"({"output": "fine", "instruction" : "mail a@b.io", "input": "caf\u00e9 call 555", "id": 7})";
  Read1 r = ReadLine(line);
  ASSERT_GE(r.ex.input_split, 0);
  Example now = r.ex;
  std::string& c = now.messages[AlpacaSplitMessage(now)].content;
  c = "mail [EMAIL]\ncaf\xC3\xA9 call [PHONE]";
  now.input_split = int32_t(std::string("mail [EMAIL]").size());
  std::string out;
  ASSERT_TRUE(PatchSourceRow(line, now, r.decode, &out));
  EXPECT_EQ(out, R"({"output": "fine", "instruction" : "mail [EMAIL]", "input": "café call [PHONE]", "id": 7})");
}

TEST(PatchSourceRow, ToolCallArguments) {
  std::string line =
      R"({"messages": [{"role": "user", "content": "mail my boss"}, {"role": "assistant", "content": "", "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "send", "arguments": "{\"to\": \"boss.person@example.com\"}"}}]}]})";
  Read1 r = ReadLine(line);
  Example now = r.ex;
  std::string& tc = now.messages[1].tool_calls;
  size_t p = tc.find("boss.person@example.com");
  ASSERT_NE(p, std::string::npos);
  tc.replace(p, std::strlen("boss.person@example.com"), "[EMAIL]");
  std::string out;
  ASSERT_TRUE(PatchSourceRow(line, now, r.decode, &out));
  std::string want = line;
  want.replace(want.find("boss.person@example.com"), std::strlen("boss.person@example.com"), "[EMAIL]");
  EXPECT_EQ(out, want);
}

TEST(PatchSourceRow, FallsBackWhenItCannotBeExact) {
  std::string line = R"({"messages": [{"role": "user", "content": "same"}, {"role": "assistant", "content": "same"}]})";
  Read1 r = ReadLine(line);
  std::string out;
  // One of two equal values changed: ambiguous.
  Example now = r.ex;
  now.messages[0].content = "other";
  EXPECT_FALSE(PatchSourceRow(line, now, r.decode, &out));
  // The structure changed (a turn removed).
  now = r.ex;
  now.messages.pop_back();
  EXPECT_FALSE(PatchSourceRow(line, now, r.decode, &out));
  // Converted to another format.
  now = r.ex;
  now.source_format = Format::ShareGPT;
  EXPECT_FALSE(PatchSourceRow(line, now, r.decode, &out));
  // A field with no string of its own changed (the role).
  now = r.ex;
  now.messages[0].role = Role::System;
  EXPECT_FALSE(PatchSourceRow(line, now, r.decode, &out));
  EXPECT_TRUE(out.empty());
}

}  // namespace
