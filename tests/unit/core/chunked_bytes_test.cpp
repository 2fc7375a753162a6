#include "core/chunked_bytes.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace winnow {
namespace {

// Lines of a contiguous string, as RunDriver read outputs before they were chunked.
std::vector<std::string> SplitLines(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t nl = s.find('\n', start);
    if (nl == std::string::npos) nl = s.size();
    out.emplace_back(s, start, nl - start);
    start = nl + 1;
  }
  return out;
}

std::vector<std::string> LinesOf(const ChunkedBytes& b) {
  std::vector<std::string> out;
  b.ForEachLine([&](std::string_view l) { out.emplace_back(l); });
  return out;
}

TEST(ChunkedBytes, LargeOutputIsStoredInSeveralPartsAndReadsBackIdentical) {
  // 64-byte parts; rows of varying length appended one write at a time, like a JSONL sink.
  ChunkedBytes b(64);
  std::string want;
  for (int i = 0; i < 200; ++i) {
    std::string row = "{\"row\":" + std::to_string(i) + ",\"text\":\"" + std::string(static_cast<size_t>(i % 37), 'x') + "\"}\n";
    b.Append(row);
    want += row;
  }
  ASSERT_GT(want.size(), 64u * 10);
  EXPECT_EQ(b.size(), want.size());
  EXPECT_EQ(b.Parts().size(), (want.size() + 63) / 64);
  for (size_t i = 0; i + 1 < b.Parts().size(); ++i) {
    EXPECT_EQ(b.Parts()[i].size(), 64u) << "part " << i;
    EXPECT_LE(b.Parts()[i].capacity(), 64u + 16) << "part " << i << " grew past its bound";
  }
  EXPECT_EQ(b.ToString(), want);
  EXPECT_TRUE(b == want);
  std::string joined;
  for (std::string_view v : b.Views()) joined += v;
  EXPECT_EQ(joined, want);
  EXPECT_EQ(b.Count('\n'), 200u);
  EXPECT_EQ(LinesOf(b), SplitLines(want));
  // The same bytes in other part sizes compare equal; one byte different does not.
  EXPECT_TRUE(b == ChunkedBytes::From(want, 7));
  std::string other = want;
  other[100] = 'y';
  EXPECT_FALSE(b == ChunkedBytes::From(other, 7));
  EXPECT_TRUE(b.Contains("\"row\":199,"));
  EXPECT_FALSE(b.Contains("\"row\":200,"));
}

TEST(ChunkedBytes, ForEachLineJoinsALineThatStraddlesTwoParts) {
  ChunkedBytes b(8);
  b.Append("ab\ncdefghijk\nl");  // parts "ab\ncdefg", "hijk\nl"
  ASSERT_EQ(b.Parts().size(), 2u);
  EXPECT_EQ(b.Parts()[0], "ab\ncdefg");
  EXPECT_EQ(LinesOf(b), (std::vector<std::string>{"ab", "cdefghijk", "l"}));
  // A line spanning three parts, a '\n' that ends a part, empty lines and no last '\n'.
  ChunkedBytes c(4);
  std::string s = "0123456789\n\nabc\nd\n\nxyz";
  c.Append(s);
  EXPECT_GE(c.Parts().size(), 3u);
  EXPECT_EQ(LinesOf(c), SplitLines(s));
  EXPECT_EQ(LinesOf(c), (std::vector<std::string>{"0123456789", "", "abc", "d", "", "xyz"}));
  // Every split point of the same text gives the same lines.
  for (size_t part = 1; part <= s.size() + 1; ++part) {
    EXPECT_EQ(LinesOf(ChunkedBytes::From(s, part)), SplitLines(s)) << "parts of " << part;
  }
}

TEST(ChunkedBytes, SmallOutputIsOnePartAndMovesLeaveTheSourceEmpty) {
  ChunkedBytes b;
  EXPECT_TRUE(b.empty());
  EXPECT_EQ(b.Address(), nullptr);
  b.Append("{\"rows\":3}\n");
  EXPECT_EQ(b.Parts().size(), 1u);
  const void* at = b.Address();
  ChunkedBytes moved = std::move(b);
  EXPECT_EQ(moved.Address(), at);  // no byte copied
  EXPECT_EQ(moved, std::string_view("{\"rows\":3}\n"));
  EXPECT_TRUE(b.empty());  // NOLINT(bugprone-use-after-move): the move leaves it empty, by contract
  EXPECT_EQ(b.size(), 0u);
  b.Append("x");
  EXPECT_EQ(b.ToString(), "x");
}

}  // namespace
}  // namespace winnow
