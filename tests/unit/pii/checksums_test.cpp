// Check-digit validators against published example numbers and single-digit corruptions.
#include <gtest/gtest.h>

#include "pii/checksums.h"
#include "pii/sha256.h"

namespace winnow::pii {
namespace {

std::string Hex(const Sha256Digest& d) {
  static const char* k = "0123456789abcdef";
  std::string s;
  for (uint8_t b : d) {
    s.push_back(k[b >> 4]);
    s.push_back(k[b & 15]);
  }
  return s;
}

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(Hex(Sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Hex(Sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // 56 bytes: the padding spills into a second block.
  EXPECT_EQ(Hex(Sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  std::string million(1000000, 'a');
  EXPECT_EQ(Hex(Sha256(million)), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Checksums, Luhn) {
  EXPECT_TRUE(LuhnValid("4111111111111111"));
  EXPECT_TRUE(LuhnValid("378282246310005"));
  EXPECT_FALSE(LuhnValid("4111111111111112"));
  EXPECT_FALSE(LuhnValid("41111111x1111111"));
  EXPECT_FALSE(LuhnValid(""));
}

TEST(Checksums, CardBrands) {
  EXPECT_STREQ(CardBrand("4111111111111111"), "visa");
  EXPECT_STREQ(CardBrand("5500000000000004"), "mastercard");
  EXPECT_STREQ(CardBrand("2221000000000009"), "mastercard");
  EXPECT_STREQ(CardBrand("378282246310005"), "amex");
  EXPECT_STREQ(CardBrand("6011111111111117"), "discover");
  EXPECT_STREQ(CardBrand("3530111333300000"), "jcb");
  EXPECT_EQ(CardBrand("37828224631000"), nullptr);    // Amex prefix, wrong length
  EXPECT_EQ(CardBrand("9783161484100"), nullptr);     // an ISBN
  EXPECT_EQ(CardBrand("1000000000000008"), nullptr);
}

TEST(Checksums, Iban) {
  EXPECT_TRUE(IbanValid("DE89370400440532013000"));
  EXPECT_TRUE(IbanValid("GB82WEST12345698765432"));
  EXPECT_TRUE(IbanValid("FR1420041010050500013M02606"));
  EXPECT_TRUE(IbanValid("NL91ABNA0417164300"));
  EXPECT_FALSE(IbanValid("DE89370400440532013001"));   // check digits
  EXPECT_FALSE(IbanValid("DE8937040044053201300"));    // length
  EXPECT_FALSE(IbanValid("XX89370400440532013000"));   // country
  EXPECT_EQ(IbanLength("DE"), 22);
  EXPECT_EQ(IbanLength("US"), 0);
}

TEST(Checksums, Verhoeff) {
  EXPECT_TRUE(VerhoeffValid("2363"));  // the textbook example: 236 -> check digit 3
  EXPECT_FALSE(VerhoeffValid("2364"));
  EXPECT_TRUE(AadhaarValid("291390996030"));
  EXPECT_FALSE(AadhaarValid("291390996031"));
  EXPECT_FALSE(AadhaarValid("191390996030"));  // Aadhaar never starts with 0 or 1
}

TEST(Checksums, Ssn) {
  EXPECT_TRUE(SsnValid("536228726"));
  EXPECT_FALSE(SsnValid("000228726"));
  EXPECT_FALSE(SsnValid("666228726"));
  EXPECT_FALSE(SsnValid("912228726"));
  EXPECT_FALSE(SsnValid("536008726"));
  EXPECT_FALSE(SsnValid("536220000"));
  EXPECT_FALSE(SsnValid("078051120"));  // the Woolworth wallet card
}

TEST(Checksums, NationalIds) {
  EXPECT_TRUE(NhsValid("9434765919"));
  EXPECT_FALSE(NhsValid("9434765918"));
  EXPECT_TRUE(NifValid("12345678Z"));
  EXPECT_TRUE(NifValid("12345678z"));
  EXPECT_FALSE(NifValid("12345678A"));
  EXPECT_TRUE(NieValid("X1234567L"));
  EXPECT_FALSE(NieValid("X1234567T"));
  EXPECT_FALSE(NieValid("A1234567L"));
  EXPECT_TRUE(PeselValid("44051401359"));
  EXPECT_FALSE(PeselValid("44051401358"));
  EXPECT_FALSE(PeselValid("44153101354"));  // month 15 does not exist
  EXPECT_TRUE(AbnValid("51824753556"));
  EXPECT_FALSE(AbnValid("51824753557"));
  EXPECT_TRUE(TfnValid("123456782"));
  EXPECT_FALSE(TfnValid("123456783"));
  EXPECT_TRUE(SinValid("626018154"));
  EXPECT_FALSE(SinValid("626018155"));
  EXPECT_FALSE(SinValid("046454286"));  // Luhn-valid, but 0 is not an issued first digit
  EXPECT_TRUE(DeTaxIdValid("29314170583"));
  EXPECT_FALSE(DeTaxIdValid("29314170584"));
  EXPECT_FALSE(DeTaxIdValid("12345678903"));  // no repeated digit among the first ten
}

TEST(Checksums, Bitcoin) {
  EXPECT_TRUE(Base58CheckBitcoinValid("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"));
  EXPECT_TRUE(Base58CheckBitcoinValid("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"));
  EXPECT_FALSE(Base58CheckBitcoinValid("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb"));
  EXPECT_FALSE(Base58CheckBitcoinValid("1A1zP1eP5QGefi2DMPTfTL5SLmv7Divf0a"));  // '0' not in alphabet
  EXPECT_TRUE(Bech32BitcoinValid("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4"));  // BIP 173
  EXPECT_TRUE(Bech32BitcoinValid("bc1qqqqsyqcyq5rqwzqfpg9scrgwpugpzysn4v0345"));
  EXPECT_TRUE(Bech32BitcoinValid("bc1pqqqsyqcyq5rqwzqfpg9scrgwpugpzysnzs23v9ccrydpk8qarc0sg5tmnz"));
  EXPECT_FALSE(Bech32BitcoinValid("bc1qqqqsyqcyq5rqwzqfpg9scrgwpugpzysn4v0346"));
  EXPECT_FALSE(Bech32BitcoinValid("bc1qqqqsyqcyq5rqwzqfpg9scrgwpugpZysn4v0345"));  // mixed case
}

}  // namespace
}  // namespace winnow::pii
