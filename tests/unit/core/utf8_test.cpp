#include <gtest/gtest.h>

#include "core/dataset.h"
#include "core/hash.h"
#include "core/utf8.h"

using namespace winnow;

TEST(Utf8, ValidAndInvalid) {
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("abc\xE2\x82"));       // truncated
  EXPECT_EQ(FirstInvalidUtf8("0123456789\xFF"), 10u);
}

TEST(Utf8, RepairReplacesWithFffd) {
  std::string out;
  RepairUtf8("a\xFF" "b\xE2\x82" "c", &out);
  EXPECT_EQ(out, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c");
}

TEST(Hash, StableAcrossBuilds) {
  // XXH3-64 of "" with seed 0 is a published constant.
  EXPECT_EQ(Hash64(""), 0x2D06800538D394C2ull);
  char hex[16];
  HexU64(0x00ff, hex);
  EXPECT_EQ(std::string(hex, 16), "00000000000000ff");
}

TEST(Dataset, RoundTripsExamples) {
  Dataset ds;
  Example a;
  a.id = 42;
  a.messages.push_back(Message{Role::System, "be brief", "", "", "", ""});
  a.messages.push_back(Message{Role::User, "hi", "bob", "", "", "{\"loss_weight\":0}"});
  a.pref = PrefForm::String;
  a.chosen.push_back(Message{Role::Assistant, "yes", "", "", "", ""});
  a.rejected.push_back(Message{Role::Assistant, "no", "", "", "", ""});
  a.meta = "{\"k\":1}";
  a.origin = Origin{0, 3, 2, 120};
  a.label = 1;
  Example b;
  b.has_text = true;
  b.text = std::string(20u << 20, 'x');  // larger than an arena chunk
  ds.Append(a);
  ds.Append(b);
  EXPECT_EQ(ds.size(), 2u);
  EXPECT_EQ(ds.Get(0), a);
  EXPECT_EQ(ds.Get(1), b);
  EXPECT_EQ(ds.MessageContent(0, 1), "hi");
  EXPECT_EQ(ds.MessageRole(0, 0), Role::System);
}
