// Pre-tokenizers: split text into the pieces that BPE encodes, exactly as the regular
// expressions of GPT-2 / cl100k / o200k / Qwen2 do (hand-written matchers with the regexes'
// leftmost-alternative and backtracking semantics; RE2 cannot express their lookahead).
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace winnow {

enum class PreTokenizerKind : uint8_t {
  Gpt2,         // 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
  Cl100k,       // cl100k_base, Llama 3 (digits in runs of up to 3)
  Cl100kDigit,  // the cl100k pattern with single digits (Qwen2 / Qwen3)
  O200k,        // o200k_base (case-aware words, contractions attached)
};

// Calls piece(begin, end) (byte offsets into text) for each piece, in order. Pieces cover text
// exactly. Invalid UTF-8 bytes are treated as single "other" characters.
void PreTokenize(PreTokenizerKind kind, std::string_view text, const std::function<void(size_t, size_t)>& piece);
// The regex string (as in tiktoken / tokenizer.json) → kind; false when the pattern is unknown.
bool PreTokenizerFromRegex(std::string_view regex, PreTokenizerKind* out);

}  // namespace winnow
