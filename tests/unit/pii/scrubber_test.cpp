// Operators: placeholders, masks, keyed pseudonyms; every byte outside a hit unchanged.
#include <gtest/gtest.h>

#include "pii/pii_scrubber.h"
#include "pii/sha256.h"

namespace winnow::pii {
namespace {

TEST(PiiScrubber, ReplaceWithTypedPlaceholders) {
  ScrubOptions opt;
  std::vector<PiiSpan> spans;
  std::string out = ScrubText("Mail jane@example.com or call (415) 555-2671 today.", opt, &spans);
  EXPECT_EQ(out, "Mail [EMAIL] or call [PHONE] today.");
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].begin, 5u);
  EXPECT_EQ(spans[0].end, 21u);
}

TEST(PiiScrubber, EveryOtherByteUnchanged) {
  // Non-ASCII text, CRLF, tabs and odd spacing around the hits survive byte for byte.
  std::string in = "Grüße\r\n\tan  jane@example.com\u00a0—  ok\x01 \xff end";
  std::string out = ScrubText(in, ScrubOptions());
  EXPECT_EQ(out, "Grüße\r\n\tan  [EMAIL]\u00a0—  ok\x01 \xff end");
  std::string clean = "Nothing to see: 2024-01-01, $12.50, v1.2.3, 978-3-16-148410-0.";
  EXPECT_EQ(ScrubText(clean, ScrubOptions()), clean);
}

TEST(PiiScrubber, Mask) {
  ScrubOptions opt;
  opt.op = PiiOperator::Mask;
  EXPECT_EQ(ScrubText("card 4111-1111-1111-1111.", opt), "card ****-****-****-****.");
  opt.mask_keep_last = 4;
  opt.mask_char = '#';
  EXPECT_EQ(ScrubText("card 4111-1111-1111-1111.", opt), "card ####-####-####-1111.");
}

TEST(PiiScrubber, PseudonymsAreConsistentAndKeyed) {
  ScrubOptions a;
  a.op = PiiOperator::Pseudonym;
  a.pseudonym_key = DerivePseudonymKey("key-one");
  std::string x = ScrubText("jane@example.com", a);
  std::string y = ScrubText("Reply to JANE@Example.com!", a);
  ASSERT_EQ(x.size(), std::string("[EMAIL_123456789abc]").size());
  EXPECT_EQ(x.substr(0, 7), "[EMAIL_");
  EXPECT_EQ(y, "Reply to " + x + "!");  // same address, other case -> same token
  // Differently formatted copies of one number share a token; other numbers do not.
  std::string p1 = ScrubText("(415) 555-2671", a), p2 = ScrubText("415-555-2671", a), p3 = ScrubText("415-555-2672", a);
  EXPECT_EQ(p1, p2);
  EXPECT_NE(p1, p3);
  ScrubOptions b = a;
  b.pseudonym_key = DerivePseudonymKey("key-two");
  EXPECT_NE(ScrubText("jane@example.com", b), x);
  EXPECT_EQ(x.find("key-one"), std::string::npos);
}

TEST(Sha256, HmacMatchesRfc4231) {
  auto hex = [](const Sha256Digest& d) {
    std::string s;
    const char* k = "0123456789abcdef";
    for (uint8_t b : d) {
      s.push_back(k[b >> 4]);
      s.push_back(k[b & 15]);
    }
    return s;
  };
  // RFC 4231 test cases 2 and 6 (a key longer than the block is hashed first).
  EXPECT_EQ(hex(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(hex(HmacSha256(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(PiiScrubber, DropRowLeavesTextAlone) {
  ScrubOptions opt;
  opt.op = PiiOperator::DropRow;
  std::vector<PiiSpan> spans;
  EXPECT_EQ(ScrubText("jane@example.com", opt, &spans), "jane@example.com");
  EXPECT_EQ(spans.size(), 1u);
}

TEST(PiiScrubber, ReportMasking) {
  EXPECT_EQ(MaskForReport("jane@example.com"), "j***@*******.***");
  EXPECT_EQ(MaskForReport("415-555-2671"), "4**-***-****");
  std::string pem = "-----BEGIN PRIVATE KEY-----\n" + std::string(200, 'A') + "\n-----END PRIVATE KEY-----";
  std::string m = MaskForReport(pem);
  EXPECT_LE(m.size(), 80u);
  EXPECT_EQ(m.find('\n'), std::string::npos);
}

TEST(PiiScrubber, OperatorNames) {
  PiiOperator op;
  EXPECT_TRUE(ParsePiiOperator("mask", &op));
  EXPECT_EQ(op, PiiOperator::Mask);
  EXPECT_FALSE(ParsePiiOperator("redact", &op));
  std::vector<PiiType> ts;
  EXPECT_TRUE(ExpandPiiTypeOrGroup("secret", &ts));
  EXPECT_EQ(ts.size(), 11u);
  EXPECT_FALSE(ExpandPiiTypeOrGroup("PASSPORT", &ts));
}

}  // namespace
}  // namespace winnow::pii
