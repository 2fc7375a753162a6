// LanguageId: language identification over CLD2 (Debian's libcld2 natively; the same source set
// compiled with emcc for the web, so both builds give the same answer). Stateless, thread-safe.
#pragma once
#include <string>
#include <string_view>

namespace winnow {

struct LanguageGuess {
  std::string code = "un";  // CLD2 code: ISO 639-1 where one exists ("en", "de"), "zh-Hant",
                            // "un" when unknown
  int percent = 0;          // 0..100: share of the scored text in that language
  bool reliable = false;    // CLD2's own reliability verdict
  int text_bytes = 0;       // bytes of letters CLD2 scored
};

// Detects the main language of UTF-8 text. Invalid UTF-8 is repaired (U+FFFD) first.
// max_bytes > 0 looks only at the first max_bytes bytes (cut at a code point boundary).
LanguageGuess DetectLanguage(std::string_view text, size_t max_bytes = 0);

// True when `code` names a language CLD2 knows ("en", "pt", "zh-Hant", ...; not "un").
bool IsKnownLanguageCode(std::string_view code);

}  // namespace winnow
