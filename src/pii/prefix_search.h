// SearchFromPrefixes: RE2's leftmost-first search for a pattern every match of which begins with
// one of a few literals (a secret's "ghp_", "sk-ant-", a JWT's "eyJ", a PEM block's "-----BEGIN "):
// an anchored match at each occurrence of a literal, in text order. The same result as an
// unanchored RE2::Match over the range, for less: an anchored match is one forward pass over the
// match, where the unanchored search also scans what comes before and runs a reverse pass to find
// the start — on long secrets that is most of the scanner's RE2 time (prefix_search_test checks
// the two agree).
#pragma once
#include <re2/re2.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace winnow::pii {

// The leftmost-first match of `re` inside text[pos, end) (bytes around are context), when every
// match of `re` begins with one of `prefixes`: true with [*b, *e) set, false when there is none.
// word_start: the pattern begins with \b and every prefix with a word byte, so an occurrence
// right after a word byte cannot start a match and is passed over without calling RE2.
bool SearchFromPrefixes(const RE2& re, const std::vector<std::string>& prefixes, bool word_start, std::string_view text,
                        size_t pos, size_t end, size_t* b, size_t* e);

// The word_start flag for a pattern and its prefixes: it begins with \b and every prefix (there is
// at least one) with an ASCII letter or digit.
bool PrefixesStartWords(std::string_view pattern, const std::vector<std::string>& prefixes);

}  // namespace winnow::pii
