// Text normalization for duplicate detection: compatibility folding, case folding, whitespace,
// punctuation and digit handling, applied before exact keys or shingles are hashed.
// Pure and deterministic (no locale): the same bytes give the same output natively and in wasm.
#pragma once
#include <string>
#include <string_view>

namespace winnow {

struct NormalizeOptions {
  // Unicode NFKC (nfkc.h: fullwidth forms, compatibility spaces, ligatures, super/subscripts,
  // circled and squared forms, composed accents, ...); zero-width characters (U+200B..U+200D,
  // U+2060, U+FEFF) are removed as well.
  bool nfkc = true;
  // Simple lower-casing of ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic.
  bool lowercase = true;
  // Runs of whitespace become one space; leading and trailing whitespace is removed.
  bool whitespace = true;
  // ASCII and General Punctuation / CJK punctuation are removed.
  bool punctuation = false;
  // Every run of ASCII digits becomes a single "0".
  bool digits = false;
};

// Writes the normalized form of `in` into *out (cleared first). Invalid UTF-8 bytes pass through
// unchanged as single bytes.
void NormalizeText(std::string_view in, const NormalizeOptions& opts, std::string* out);

// Simple (one-to-one) lower-case mapping used by NormalizeText.
char32_t SimpleLower(char32_t c);

}  // namespace winnow
