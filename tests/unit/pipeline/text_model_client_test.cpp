// TokenizerFromModelFile: which tokenizer file a user model comes with (no model runtime needed).
// A BERT vocab.txt starts with "[PAD]", so a leading '[' alone must not make it a JSON list.
#include <gtest/gtest.h>

#include "pipeline/text_model_client.h"

namespace winnow {
namespace {

const char* kVocabTxt = "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nthe\nfox\n##es\n";

TEST(TokenizerFromModelFile, VocabTxtStartingWithPadIsReadLineByLine) {
  auto tok = TokenizerFromModelFile("vocab.txt", kVocabTxt);
  ASSERT_TRUE(tok.ok()) << tok.error().message;
  uint32_t id = 99;
  ASSERT_TRUE(tok.value().TokenToId("[PAD]", &id));
  EXPECT_EQ(id, 0u);
  ASSERT_TRUE(tok.value().TokenToId("fox", &id));
  EXPECT_EQ(id, 6u);
  EXPECT_EQ(tok.value().Encode("The foxes"), (std::vector<uint32_t>{5, 6, 7}));
  // Windows line ends and a missing final newline give the same ids.
  auto crlf = TokenizerFromModelFile("vocab.txt", "[PAD]\r\n[UNK]\r\n[CLS]\r\n[SEP]\r\n[MASK]\r\nthe\r\nfox\r\n##es");
  ASSERT_TRUE(crlf.ok()) << crlf.error().message;
  EXPECT_EQ(crlf.value().Encode("The foxes"), (std::vector<uint32_t>{5, 6, 7}));
}

TEST(TokenizerFromModelFile, JsonListOfTokensIsStillAList) {
  auto tok = TokenizerFromModelFile("vocab.json", R"(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "fox", "##es"])");
  ASSERT_TRUE(tok.ok()) << tok.error().message;
  EXPECT_EQ(tok.value().Encode("the foxes"), (std::vector<uint32_t>{5, 6, 7}));
}

TEST(TokenizerFromModelFile, VocabWithoutUnkIsAConfigError) {
  auto tok = TokenizerFromModelFile("vocab.txt", "[PAD]\nthe\n");
  ASSERT_FALSE(tok.ok());
  EXPECT_EQ(tok.error().code, "bad_config");
}

}  // namespace
}  // namespace winnow
