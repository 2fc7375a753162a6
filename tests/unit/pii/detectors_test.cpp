// Detector behaviour on single strings: what fires, with which span, and what must not fire.
// (The labelled eval set in eval_set_test.cpp covers the bulk; these pin specific rules.)
#include <gtest/gtest.h>

#include <random>

#include "pii/detector.h"
#include "pii/pii_scanner.h"

namespace winnow::pii {
namespace {

struct Hit {
  std::string type, value;
  bool operator==(const Hit&) const = default;
};
std::ostream& operator<<(std::ostream& o, const Hit& h) { return o << h.type << ":" << h.value; }

std::vector<Hit> Scan(std::string_view text, ScanOptions opt = {}) {
  std::vector<PiiSpan> spans;
  PiiScanner::Get().Find(text, opt, &spans);
  std::vector<Hit> hits;
  for (const PiiSpan& s : spans) {
    hits.push_back(Hit{std::string(PiiTypeName(s.type)), std::string(text.substr(s.begin, s.end - s.begin))});
  }
  return hits;
}

TEST(PiiScanner, AllPatternsCompile) { EXPECT_EQ(PiiScanner::Get().BadPatterns(), 0); }

TEST(PiiScanner, EmptyAndPlainText) {
  EXPECT_TRUE(Scan("").empty());
  EXPECT_TRUE(Scan("The quick brown fox jumps over the lazy dog.").empty());
}

TEST(PiiScanner, SpansAreSortedAndDisjoint) {
  std::string t = "a@example.com, 415-555-2671, 203.0.113.9, 4111 1111 1111 1111, b@example.org";
  std::vector<PiiSpan> spans;
  PiiScanner::Get().Find(t, ScanOptions(), &spans);
  ASSERT_EQ(spans.size(), 5u);
  for (size_t i = 1; i < spans.size(); ++i) EXPECT_LE(spans[i - 1].end, spans[i].begin);
  for (const PiiSpan& s : spans) EXPECT_GE(s.confidence, 50);
}

TEST(PiiScanner, Email) {
  EXPECT_EQ(Scan("mail jane.doe@example.com."), (std::vector<Hit>{{"EMAIL", "jane.doe@example.com"}}));
  EXPECT_TRUE(Scan("logo@2x.png").empty());
  EXPECT_TRUE(Scan("user@localhost").empty());
  EXPECT_TRUE(Scan("git@github.com:owner/repo.git").empty());
  // Accented Latin letters in the local part are part of the address; other scripts end it.
  EXPECT_EQ(Scan("a josé.pérez@correo.es"), (std::vector<Hit>{{"EMAIL", "josé.pérez@correo.es"}}));
  EXPECT_EQ(Scan("\xe8\x81\x94\xe7\xb3\xbbjane@example.com"), (std::vector<Hit>{{"EMAIL", "jane@example.com"}}));
}

TEST(PiiScanner, PhoneNeedsShapeOrContext) {
  EXPECT_EQ(Scan("(415) 555-2671"), (std::vector<Hit>{{"PHONE", "(415) 555-2671"}}));
  EXPECT_EQ(Scan("+44 20 7946 0958"), (std::vector<Hit>{{"PHONE", "+44 20 7946 0958"}}));
  EXPECT_TRUE(Scan("invoice 4155552671").empty());
  EXPECT_EQ(Scan("cell: 4155552671"), (std::vector<Hit>{{"PHONE", "4155552671"}}));
  EXPECT_TRUE(Scan("ORD-2023-555-2671").empty());
  EXPECT_TRUE(Scan("2024-03-15 10:30").empty());
  EXPECT_EQ(Scan("sms to=+447700900123"), (std::vector<Hit>{{"PHONE", "+447700900123"}}));
  EXPECT_EQ(Scan("+1 (800) 555-0142"), (std::vector<Hit>{{"PHONE", "+1 (800) 555-0142"}}));
  EXPECT_TRUE(Scan("+1 800-555 0142").empty());  // two kinds of separator without the "(area)" print
  EXPECT_TRUE(Scan("sample 078-05-1120").empty());  // printed like an SSN
  EXPECT_TRUE(Scan("NHS number 943 476 5918").empty());  // another kind of number, mistyped
}

TEST(PiiScanner, CardNeedsLuhnAndIssuer) {
  EXPECT_EQ(Scan("4111-1111-1111-1111"), (std::vector<Hit>{{"CREDIT_CARD", "4111-1111-1111-1111"}}));
  EXPECT_TRUE(Scan("4111 1111 1111 1112").empty());
  EXPECT_TRUE(Scan("4111-1111 1111-1111").empty());  // mixed separators
  EXPECT_TRUE(Scan("ISBN 9783161484100").empty());
  EXPECT_TRUE(Scan("ran 4242424242424242 iterations").empty());  // a count, though Luhn-valid
  EXPECT_EQ(Scan("Jane,4111111111111111,04/27"), (std::vector<Hit>{{"CREDIT_CARD", "4111111111111111"}}));  // a CSV field
  EXPECT_EQ(Scan("card 4242424242424242 iterations"), (std::vector<Hit>{{"CREDIT_CARD", "4242424242424242"}}));
}

TEST(PiiScanner, SsnRules) {
  EXPECT_EQ(Scan("536-22-8726"), (std::vector<Hit>{{"US_SSN", "536-22-8726"}}));
  EXPECT_TRUE(Scan("666-22-8726").empty());
  EXPECT_TRUE(Scan("536228726").empty());  // bare 9 digits: only with a context word
  EXPECT_EQ(Scan("SSN 536228726"), (std::vector<Hit>{{"US_SSN", "536228726"}}));
}

TEST(PiiScanner, IbanTrimmedToCountryLength) {
  EXPECT_EQ(Scan("IBAN DE89 3704 0044 0532 0130 00 AND MORE"),
            (std::vector<Hit>{{"IBAN", "DE89 3704 0044 0532 0130 00"}}));
}

TEST(PiiScanner, IpAddresses) {
  EXPECT_EQ(Scan("from 203.0.113.45"), (std::vector<Hit>{{"IPV4", "203.0.113.45"}}));
  EXPECT_TRUE(Scan("version 10.2.0.1").empty());
  EXPECT_TRUE(Scan("1.2.3.4.5").empty());
  EXPECT_TRUE(Scan("999.1.1.1").empty());
  ScanOptions keep;
  keep.detect.keep_private_ip = true;
  EXPECT_EQ(Scan("10.0.0.1 and 8.8.8.8", keep), (std::vector<Hit>{{"IPV4", "8.8.8.8"}}));
  EXPECT_EQ(Scan("10.0.0.1 and 8.8.8.8").size(), 2u);
  EXPECT_EQ(Scan("at 2001:db8::1 now"), (std::vector<Hit>{{"IPV6", "2001:db8::1"}}));
  EXPECT_EQ(Scan("fe80::1ff:fe23:4567:890a", keep).size(), 0u);
  EXPECT_TRUE(Scan("std::vector<int> and a::b").empty());
  EXPECT_EQ(Scan("on 192.0.2.10:8080"), (std::vector<Hit>{{"IPV4", "192.0.2.10"}}));
  EXPECT_EQ(Scan("http://93.184.216.34/index.html"), (std::vector<Hit>{{"IPV4", "93.184.216.34"}}));
  EXPECT_TRUE(Scan("203.0.113.0/24").empty());  // a network, not a host
  EXPECT_EQ(Scan("203.0.113.5,198.51.100.3").size(), 2u);
  EXPECT_TRUE(Scan("1.2.3.4,5").empty());
  EXPECT_TRUE(Scan("192.0.2.10:8080:1").empty());
  EXPECT_EQ(Scan("listening on 192.0.2.10:8080."), (std::vector<Hit>{{"IPV4", "192.0.2.10"}}));
  EXPECT_TRUE(Scan("section 3.2.1.4").empty());
  EXPECT_TRUE(Scan("foo==1.2.3.4").empty());
  EXPECT_EQ(Scan("client ::ffff:192.0.2.128"), (std::vector<Hit>{{"IPV6", "::ffff:192.0.2.128"}}));
}

TEST(PiiScanner, UrlCredentialsAreTheUserinfo) {
  EXPECT_EQ(Scan("postgres://admin:S3cr3t@db.example.com/app"),
            (std::vector<Hit>{{"URL_CREDENTIALS", "admin:S3cr3t"}}));
  // Templates, not secrets.
  EXPECT_TRUE(Scan("postgres://USER:PASSWORD@HOST/DB").empty());
  EXPECT_TRUE(Scan("postgres://app:${DB_PASSWORD}@db/app").empty());
  EXPECT_TRUE(Scan("ftp://bob:****@ftp").empty());
  EXPECT_EQ(Scan("redis://x:%21pw9@cache"), (std::vector<Hit>{{"URL_CREDENTIALS", "x:%21pw9"}}));
}

TEST(PiiScanner, Secrets) {
  EXPECT_EQ(Scan("key AKIAIOSFODNN7EXAMPLE"), (std::vector<Hit>{{"AWS_ACCESS_KEY", "AKIAIOSFODNN7EXAMPLE"}}));
  EXPECT_EQ(Scan("sk_live_51HxYz2AbCdEfGhIjKlMnOpQr"), (std::vector<Hit>{{"STRIPE_KEY", "sk_live_51HxYz2AbCdEfGhIjKlMnOpQr"}}));
  EXPECT_TRUE(Scan("pk_live_51HxYz2AbCdEfGhIjKlMnOpQr").empty());  // publishable keys are public
  EXPECT_TRUE(Scan("sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx").empty());
  EXPECT_TRUE(Scan("https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX").empty());
  EXPECT_TRUE(Scan("sk-SK-translations-checkout-page-2024-v2").empty());
  EXPECT_TRUE(Scan("starts with -----BEGIN RSA PRIVATE KEY----- and ends with -----END RSA PRIVATE KEY-----").empty());
  // A 40-character secret right after its key id, with no "aws" / "secret" word in reach.
  EXPECT_EQ(Scan("The docs use AKIAIOSFODNN7EXAMPLE with wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY."),
            (std::vector<Hit>{{"AWS_ACCESS_KEY", "AKIAIOSFODNN7EXAMPLE"}, {"AWS_SECRET_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}}));
  EXPECT_TRUE(Scan("The docs use wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY.").empty());
  auto pem = Scan("x\n-----BEGIN PRIVATE KEY-----\nMIIBVAIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\ny");
  ASSERT_EQ(pem.size(), 1u);
  EXPECT_EQ(pem[0].type, "PRIVATE_KEY");
  EXPECT_EQ(pem[0].value.substr(0, 11), "-----BEGIN ");
}

// The token pass reads eight bytes at a time (two words a step in prose): a key must be found at
// every alignment, after words of every length up to 13 bytes (one short of a token run), and
// after a glued run of 8 to 13 non-token bytes, which no token run may borrow from.
TEST(PiiScanner, TokenAtEveryAlignment) {
  const std::string key = "AKIAIOSFODNN7EXAMPLE";
  for (size_t lead = 0; lead < 24; ++lead) {
    for (size_t word = 1; word <= 13; ++word) {
      std::string text(lead, 'a');
      for (size_t i = 0; i < text.size(); i += word + 1) {
        if (i + word < text.size()) text[i + word] = ' ';
      }
      text += " key " + key;
      auto hits = Scan(text);
      ASSERT_EQ(hits, (std::vector<Hit>{{"AWS_ACCESS_KEY", key}})) << "lead " << lead << ", word " << word << ": " << text;
      text = std::string(lead, 'w') + " " + std::string(word, '.') + " " + key + ".";
      hits = Scan(text);
      ASSERT_EQ(hits, (std::vector<Hit>{{"AWS_ACCESS_KEY", key}})) << text;
    }
  }
  // Thirteen token bytes are not a run; a key cut to 13 is no key.
  EXPECT_TRUE(Scan("note AKIAIOSFODNN7 and more words after it, long enough").empty());
}

TEST(PiiScanner, NationalIdsNeedContextWhenBare) {
  EXPECT_EQ(Scan("NHS number 943 476 5919"), (std::vector<Hit>{{"UK_NHS", "943 476 5919"}}));
  EXPECT_EQ(Scan("PESEL 44051401359"), (std::vector<Hit>{{"PL_PESEL", "44051401359"}}));
  EXPECT_TRUE(Scan("44051401359 rows").empty());
  EXPECT_EQ(Scan("DNI 12345678Z"), (std::vector<Hit>{{"ES_NIF", "12345678Z"}}));
  EXPECT_TRUE(Scan("12345678A").empty());
}

TEST(PiiScanner, AwsSecretKeyNeedsItsWordWithin32Bytes) {
  const std::string key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  const std::vector<Hit> found = {{"AWS_SECRET_KEY", key}};
  EXPECT_EQ(Scan("aws_secret_access_key = " + key), found);
  EXPECT_EQ(Scan("AWS secret access key: " + key + " (rotate it)"), found);
  EXPECT_EQ(Scan("AWS_SECRET:\"" + key + "\""), found);
  EXPECT_EQ(Scan("secret " + key), found);
  // The gap is 1 to 32 bytes: 32 is found, 33 is not.
  EXPECT_EQ(Scan("aws" + std::string(31, '_') + "=" + key), found);
  EXPECT_TRUE(Scan("aws" + std::string(32, '_') + "=" + key).empty());
  EXPECT_TRUE(Scan("the cloud bill this month, in detail: " + key).empty());  // no word
  EXPECT_TRUE(Scan("aws key: " + key + "X").empty());   // 41 characters: not a key
  EXPECT_TRUE(Scan("aws key: " + key + "=").empty());   // base64 padding: a longer blob
  EXPECT_TRUE(Scan("aws key: X" + key).empty());
  EXPECT_TRUE(Scan("aws key; " + key).empty());         // ';' is not a gap byte
}

TEST(PiiScanner, UrlCredentialsWhenTheSchemeHoldsADot) {
  // The "://" is found in the hex-run pass; here its ':' is not the first separator of its run.
  EXPECT_EQ(Scan("see coap.tcp://bob:Pa55word@host.example.org now"),
            (std::vector<Hit>{{"URL_CREDENTIALS", "bob:Pa55word"}}));
  EXPECT_EQ(Scan("fe80::1 then https://bob:Pa55word@host.example.org"),
            (std::vector<Hit>{{"IPV6", "fe80::1"}, {"URL_CREDENTIALS", "bob:Pa55word"}}));
}

// ContextWordSets::Near must be a superset of HasContext for every span inside the region it is
// asked about (the scanner skips a detector on a clear bit): random texts of words, context words,
// digits and newlines, random regions, every span inside them.
TEST(PiiScanner, ContextWordSetsNearIsASupersetOfHasContext) {
  const std::vector<std::string_view> a = {"nhs", "nhs number"}, b = {"pesel", "tin", "tax id"};
  ContextWordSets sets;
  ASSERT_EQ(sets.Add(a), 0);
  ASSERT_EQ(sets.Add(b), 1);
  const std::vector<std::string> pieces = {"NHS", "nhs", "Pesel", "tin", "tinker", "tax id", "xnhs", "the", "a",
                                           "943", "476", "5919", "-", " ", " ", "\n", ":", "(", "number"};
  std::mt19937 rng(7);
  size_t with_context = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    std::string text;
    for (int k = 0; k < 24; ++k) text += pieces[rng() % pieces.size()] + ((rng() & 1) ? " " : "");
    size_t rb = rng() % text.size(), re = rb + rng() % (text.size() - rb + 1);
    uint32_t bits = sets.Near(text, rb, re);
    for (size_t sb = rb; sb <= re; ++sb) {
      for (size_t se = sb; se <= re; ++se) {
        bool ha = HasContext(text, sb, se, a), hb = HasContext(text, sb, se, b);
        with_context += ha || hb;
        ASSERT_TRUE(!ha || (bits & 1)) << text << " [" << sb << "," << se << ")";
        ASSERT_TRUE(!hb || (bits & 2)) << text << " [" << sb << "," << se << ")";
        ASSERT_TRUE(!HasContext(text, sb, se, b, 24, 0) || (bits & 2));  // smaller windows too
      }
    }
  }
  EXPECT_GT(with_context, 1000u);  // the property was exercised, not vacuous
}

TEST(PiiScanner, EntitySelection) {
  ScanOptions only_email;
  only_email.enabled.fill(false);
  only_email.enabled[size_t(PiiType::Email)] = true;
  EXPECT_EQ(Scan("a@example.com 536-22-8726", only_email), (std::vector<Hit>{{"EMAIL", "a@example.com"}}));
}

TEST(PiiScanner, MinConfidence) {
  ScanOptions low;
  low.min_confidence = 30;
  // Without a context word a checksum-valid bare PESEL scores below the default threshold only.
  EXPECT_EQ(Scan("44051401359 rows", low), (std::vector<Hit>{{"PL_PESEL", "44051401359"}}));
}

TEST(PiiScanner, CiscoMacBeforeAClockTime) {
  // Regression: hex regions around '.' and ':' were collected in two passes and merged out of
  // order, so a dotted MAC before a "hh:mm:ss" time was never scanned.
  EXPECT_EQ(Scan("switch port mac 00a1.b2c3.d4e5 logged at 10:30:45 today"),
            (std::vector<Hit>{{"MAC", "00a1.b2c3.d4e5"}}));
  EXPECT_EQ(Scan("at 10:30:45 the port mac was 00a1.b2c3.d4e5"), (std::vector<Hit>{{"MAC", "00a1.b2c3.d4e5"}}));
}

TEST(PiiScanner, SecondHitInOneRegion) {
  // The scanner skips RE2 calls when what is left of a region cannot hold a match; these put a
  // second value right after the first, in the same region, so those checks must let it through.
  EXPECT_EQ(Scan("mail a.one@example.com,b.two@example.org"),
            (std::vector<Hit>{{"EMAIL", "a.one@example.com"}, {"EMAIL", "b.two@example.org"}}));
  EXPECT_EQ(Scan("wallets 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa/3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"),
            (std::vector<Hit>{{"BITCOIN", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"},
                              {"BITCOIN", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"}}));
  EXPECT_EQ(Scan("keys AKIAIOSFODNN7EXAMPLE/AKIAI44QH8DHBEXAMPLE"),
            (std::vector<Hit>{{"AWS_ACCESS_KEY", "AKIAIOSFODNN7EXAMPLE"}, {"AWS_ACCESS_KEY", "AKIAI44QH8DHBEXAMPLE"}}));
  EXPECT_EQ(Scan("NIC 00:1A:2B:3C:4D:5E 00:1A:2B:3C:4D:5F").size(), 2u);
}

TEST(PiiScanner, LongTextLinear) {
  // A long mixed text: every planted value is found once; nothing else fires.
  std::string t;
  for (int i = 0; i < 2000; ++i) {
    t += "Row " + std::to_string(i) + " costs $" + std::to_string(i * 7) + ".99 on 2024-01-" +
         std::to_string(10 + i % 18) + "; ";
    if (i % 100 == 0) t += "mail ops" + std::to_string(i) + "@example.com; ";
  }
  std::vector<Hit> hits = Scan(t);
  ASSERT_EQ(hits.size(), 20u);
  for (const Hit& h : hits) EXPECT_EQ(h.type, "EMAIL");
}

}  // namespace
}  // namespace winnow::pii
