#include "ui/text_diff.h"

#include <algorithm>
#include <cstdint>

namespace winnow::ui {

namespace {
std::vector<std::string_view> Tokens(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  auto space = [](char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; };
  while (i < s.size()) {
    size_t start = i;
    while (i < s.size() && !space(s[i])) ++i;
    while (i < s.size() && space(s[i])) ++i;
    out.push_back(s.substr(start, i - start));
  }
  return out;
}
std::string_view Word(std::string_view t) {
  size_t e = t.size();
  while (e > 0 && (t[e - 1] == ' ' || t[e - 1] == '\n' || t[e - 1] == '\t' || t[e - 1] == '\r')) --e;
  return t.substr(0, e);
}
}  // namespace

WordDiff DiffWords(std::string_view a, std::string_view b, size_t max_words) {
  std::vector<std::string_view> ta = Tokens(a), tb = Tokens(b);
  WordDiff d;
  for (auto t : ta) d.left.push_back({t, false});
  for (auto t : tb) d.right.push_back({t, false});
  size_t n = std::min(ta.size(), max_words), m = std::min(tb.size(), max_words);
  // LCS lengths, (n+1) x (m+1), row-major.
  std::vector<uint32_t> L((n + 1) * (m + 1), 0);
  auto at = [&](size_t i, size_t j) -> uint32_t& { return L[i * (m + 1) + j]; };
  for (size_t i = n; i-- > 0;) {
    for (size_t j = m; j-- > 0;) {
      at(i, j) = Word(ta[i]) == Word(tb[j]) ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
    }
  }
  size_t i = 0, j = 0;
  while (i < n && j < m) {
    if (Word(ta[i]) == Word(tb[j])) {
      d.left[i].common = d.right[j].common = true;
      ++d.common_words;
      ++i;
      ++j;
    } else if (at(i + 1, j) >= at(i, j + 1)) {
      ++i;
    } else {
      ++j;
    }
  }
  return d;
}

}  // namespace winnow::ui
