// BadWordsMatcher: finds terms of word lists (the multilingual lists of the `naughty-words` npm
// package, embedded at build time by cmake/naughty_words.cmake, or any list given) in text, on word
// boundaries so "Scunthorpe" or "classic" never match "cunt" / "ass". Used by filter.toxicity.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"

namespace winnow {

// The embedded lists: language code ("en", "de", "ja", ...) and the package's JSON array text.
// Empty when node_modules/naughty-words was absent at build time.
struct EmbeddedWordList {
  const char* language;
  const unsigned char* json;
  size_t size;
};
const std::vector<EmbeddedWordList>& NaughtyWordsLists();
std::vector<std::string> NaughtyWordsLanguages();  // sorted

struct BadWordMatch {
  size_t begin = 0, end = 0;  // byte span in the text
  uint32_t term = 0;          // index into BadWordsMatcher::terms()
};

class BadWordsMatcher {
 public:
  // The terms of the embedded lists of `languages` ("all" = every list). Errors: "bad_config" for an
  // unknown language (the message lists the known ones) or when no lists were embedded in this build.
  static Result<BadWordsMatcher> FromLanguages(const std::vector<std::string>& languages);

  // Adds one term (case-folded as the text is; inner whitespace runs match any whitespace run).
  void AddTerm(std::string_view term);
  const std::vector<std::string>& terms() const { return m_terms; }
  size_t size() const { return m_terms.size(); }

  // Non-overlapping matches, left to right, longest term at each start. A term that begins (ends)
  // with a letter or digit of a script written with spaces must not be preceded (followed) by one:
  // "ass" does not match in "classic", "cunt" not in "Scunthorpe". Terms in scripts written without
  // spaces (Han, kana, Thai, Hangul) match inside runs of those scripts. Case folding: ASCII,
  // Latin-1, Greek and Cyrillic capitals. Invalid UTF-8 bytes are treated as separators.
  void Find(std::string_view text, std::vector<BadWordMatch>* out) const;
  size_t Count(std::string_view text) const;

 private:
  struct Node {
    int32_t term = -1;          // term ending here
    bool spaced_start = false;  // the term's first code point needs a boundary before it
    bool spaced_end = false;    // its last code point needs a boundary after it
  };
  int32_t Child(int32_t node, uint32_t cp) const;

  std::vector<Node> m_nodes{Node{}};
  std::unordered_map<uint64_t, int32_t> m_edges;  // (node << 32 | code point) -> child; lookups only
  std::vector<std::string> m_terms;
};

// The text with every match replaced by its first character and '*'s ("f***"), for report samples.
std::string MaskMatches(std::string_view text, const std::vector<BadWordMatch>& matches);

}  // namespace winnow
