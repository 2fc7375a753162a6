#include "filters/language_id.h"

#include <climits>
#include <cstring>
#include <string>

#include "compact_lang_det.h"
#include "core/utf8.h"

namespace winnow {

namespace {

bool IsNonInterchange(char32_t cp) {
  if (cp < 0x20) return cp != '\t' && cp != '\n' && cp != '\r';
  if (cp >= 0x7F && cp <= 0x9F) return true;
  if (cp >= 0xFDD0 && cp <= 0xFDEF) return true;
  return (cp & 0xFFFE) == 0xFFFE;
}

bool NeedsInterchangeCleanup(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return true;
    if (c == 0x7F || c == 0xC2 || c == 0xEF || c >= 0xF0) {
      size_t j = i;
      char32_t cp = DecodeUtf8(s, &j);
      if (IsNonInterchange(cp)) return true;
    }
  }
  return false;
}

}  // namespace

LanguageGuess DetectLanguage(std::string_view text, size_t max_bytes) {
  if (max_bytes > 0 && text.size() > max_bytes) {
    size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text = text.substr(0, cut);
  }
  if (text.size() > static_cast<size_t>(INT_MAX / 2)) text = text.substr(0, INT_MAX / 2);
  std::string clean;
  if (!IsValidUtf8(text)) {
    RepairUtf8(text, &clean);
    text = clean;
  }
  // CLD2 wants interchange-valid UTF-8 (no C0 / C1 controls but whitespace, no noncharacters):
  // blank those out rather than let the checking entry point stop at them.
  if (NeedsInterchangeCleanup(text)) {
    std::string tmp;
    size_t i = 0;
    while (i < text.size()) {
      size_t at = i;
      char32_t cp = DecodeUtf8(text, &i);
      if (IsNonInterchange(cp)) {
        tmp.push_back(' ');
      } else {
        tmp.append(text.substr(at, i - at));
      }
    }
    clean = std::move(tmp);
    text = clean;
  }
  CLD2::Language lang3[3];
  int percent3[3] = {0, 0, 0};
  double score3[3];
  int text_bytes = 0, valid_prefix = 0;
  bool reliable = false;
  CLD2::Language top = CLD2::ExtDetectLanguageSummaryCheckUTF8(
      text.data(), static_cast<int>(text.size()), true, nullptr, 0, lang3, percent3, score3, nullptr,
      &text_bytes, &reliable, &valid_prefix);
  if (valid_prefix < static_cast<int>(text.size()) && valid_prefix > 0) {
    top = CLD2::ExtDetectLanguageSummaryCheckUTF8(text.data(), valid_prefix, true, nullptr, 0, lang3, percent3,
                                                  score3, nullptr, &text_bytes, &reliable, &valid_prefix);
  }
  LanguageGuess g;
  g.code = CLD2::LanguageCode(top);
  g.reliable = reliable;
  g.text_bytes = text_bytes;
  g.percent = (lang3[0] == top) ? percent3[0] : 0;
  if (top == CLD2::UNKNOWN_LANGUAGE) {
    g.code = "un";
    g.percent = 0;
    g.reliable = false;
  }
  return g;
}

bool IsKnownLanguageCode(std::string_view code) {
  if (code.empty() || code.size() > 15 || code == "un") return false;
  std::string c(code);
  CLD2::Language l = CLD2::GetLanguageFromName(c.c_str());
  if (l == CLD2::UNKNOWN_LANGUAGE) return false;
  // GetLanguageFromName also accepts full names ("ENGLISH"); require the code form.
  return std::strcmp(CLD2::LanguageCode(l), c.c_str()) == 0;
}

}  // namespace winnow
