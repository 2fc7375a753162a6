// UTF-8 validation and repair (invalid sequences -> U+FFFD), Unicode-aware helpers used by
// readers and text steps.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace winnow {

// True when s is well-formed UTF-8 (no overlongs, surrogates or code points above U+10FFFF).
bool IsValidUtf8(std::string_view s);
// Byte offset of the first invalid sequence, or s.size() when valid.
size_t FirstInvalidUtf8(std::string_view s);
// Appends s to *out with every maximal invalid subsequence replaced by U+FFFD.
void RepairUtf8(std::string_view s, std::string* out);
// Decodes one code point at s[*i] (advancing *i); returns 0xFFFD for an invalid byte (advancing 1).
char32_t DecodeUtf8(std::string_view s, size_t* i);
void AppendUtf8(char32_t cp, std::string* out);

}  // namespace winnow
