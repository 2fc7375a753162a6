// Dataset round trips: every field of every Example comes back exactly, across record-block and
// arena-chunk boundaries, with and without the rare per-message fields (name, tool calls, extra).
#include <gtest/gtest.h>

#include <string>

#include "core/block_vector.h"
#include "core/dataset.h"

using namespace winnow;

namespace {

Example MakeExample(size_t i) {
  Example ex;
  ex.id = 0x9E3779B97F4A7C15ull * (i + 1);
  ex.origin = Origin{static_cast<uint32_t>(i % 3), i + 1, i, i * 97};
  ex.source_format = (i % 2) ? Format::Messages : Format::Alpaca;
  Message sys{Role::System, "system prompt " + std::to_string(i % 5)};
  Message user{Role::User, "question " + std::to_string(i)};
  Message asst{Role::Assistant, std::string(i % 41, 'a') + std::to_string(i)};
  if (i % 7 == 0) {
    asst.tool_calls = R"([{"id":"c)" + std::to_string(i) + R"(","type":"function"}])";
    user.name = "user" + std::to_string(i);
  }
  if (i % 11 == 0) asst.extra = R"({"weight":)" + std::to_string(i % 2) + "}";
  ex.messages = {sys, user, asst};
  if (i % 13 == 0) {
    Message tool{Role::Tool, "42"};
    tool.tool_call_id = "c" + std::to_string(i);
    ex.messages.push_back(tool);
  }
  if (i % 17 == 0) {
    ex.pref = PrefForm::Messages;
    ex.chosen = {Message{Role::Assistant, "good " + std::to_string(i)}};
    ex.rejected = {Message{Role::Assistant, "bad"}, Message{Role::Assistant, "worse", "n"}};
  }
  if (i % 19 == 0) {
    ex.has_text = true;
    ex.text = "raw text " + std::to_string(i);
  }
  if (i % 23 == 0) ex.tools = R"([{"name":"calc"}])";
  if (i % 3 == 0) ex.meta = R"({"source":")" + std::to_string(i) + R"("})";
  ex.label = static_cast<int8_t>(i % 3) - 1;
  ex.input_split = (i % 4 == 0) ? 8 : -1;
  ex.shape = static_cast<uint8_t>(i % 16);
  return ex;
}

}  // namespace

TEST(Dataset, RoundTripsEveryFieldAcrossBlocks) {
  Dataset ds;
  // More rows than one record block (32768) and more messages than two.
  const size_t n = 70000;
  for (size_t i = 0; i < n; ++i) ds.Append(MakeExample(i));
  ASSERT_EQ(ds.size(), n);
  for (size_t i : {size_t{0}, size_t{1}, size_t{7}, size_t{32767}, size_t{32768}, size_t{65535}, size_t{65536},
                   size_t{69999}}) {
    Example want = MakeExample(i);
    EXPECT_EQ(ds.Get(i), want) << "row " << i;
    EXPECT_EQ(ds.Id(i), want.id);
    EXPECT_EQ(ds.OriginOf(i), want.origin);
    EXPECT_EQ(ds.MessageCount(i), want.messages.size());
    EXPECT_EQ(ds.MessageContent(i, 1), want.messages[1].content);
    EXPECT_EQ(ds.MessageRole(i, 2), Role::Assistant);
    EXPECT_EQ(ds.Meta(i), want.meta);
    EXPECT_EQ(ds.Text(i), want.text);
  }
  for (size_t i = 0; i < n; i += 991) EXPECT_EQ(ds.Get(i), MakeExample(i)) << "row " << i;
}

TEST(Dataset, MemoryIsCompactAndClearFreesIt) {
  Dataset ds;
  const size_t n = 100000;
  Example ex;
  ex.messages = {Message{Role::User, std::string(100, 'u')}, Message{Role::Assistant, std::string(100, 'a')}};
  for (size_t i = 0; i < n; ++i) ds.Append(ex);
  // 200 bytes of text per row, 2 x 20 bytes of message records and 112 of row record, plus at most
  // one partly used block of each and one arena chunk.
  size_t per_row = ds.MemoryBytes() / n;
  EXPECT_LE(per_row, 200u + 40 + 112 + 120) << ds.MemoryBytes();
  EXPECT_GE(per_row, 200u);
  ds.Clear();
  EXPECT_EQ(ds.size(), 0u);
  EXPECT_LT(ds.MemoryBytes(), 4096u);
  ds.Append(ex);
  EXPECT_EQ(ds.Get(0).messages[1].content, std::string(100, 'a'));
}

TEST(BlockVector, ElementsNeverMove) {
  BlockVector<int, 4> v;  // blocks of 16
  v.push_back(0);
  const int* first = &v[0];
  for (int i = 1; i < 1000; ++i) v.push_back(i);
  EXPECT_EQ(first, &v[0]);
  EXPECT_EQ(v.size(), 1000u);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(v[static_cast<size_t>(i)], i);
  EXPECT_EQ(v.MemoryBytes() >= 1008 * sizeof(int), true);
  v.Clear();
  EXPECT_TRUE(v.empty());
}
