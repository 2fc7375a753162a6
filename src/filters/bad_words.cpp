// Word-boundary matching of bad-word lists over UTF-8 text (see bad_words.h).
#include "filters/bad_words.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace winnow {

// Defined in the file cmake/naughty_words.cmake generates into the build folder.
extern const EmbeddedWordList kNaughtyWordsLists[];
extern const size_t kNaughtyWordsListCount;

namespace {

constexpr uint32_t kSpace = ' ';
constexpr uint32_t kInvalid = 0xFFFFFFFFu;

// Decodes one code point at s[i]; *len gets its byte length (1 for an invalid byte -> kInvalid).
uint32_t Decode(std::string_view s, size_t i, size_t* len) {
  const unsigned char b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    *len = 1;
    return b0;
  }
  int n = b0 >= 0xF0 && b0 < 0xF8 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC2 && b0 < 0xE0 ? 2 : 0;
  if (n == 0 || i + static_cast<size_t>(n) > s.size()) {
    *len = 1;
    return kInvalid;
  }
  uint32_t cp = n == 2 ? (b0 & 0x1F) : n == 3 ? (b0 & 0x0F) : (b0 & 0x07);
  for (int k = 1; k < n; ++k) {
    const unsigned char b = static_cast<unsigned char>(s[i + static_cast<size_t>(k)]);
    if ((b & 0xC0) != 0x80) {
      *len = 1;
      return kInvalid;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  *len = static_cast<size_t>(n);
  return cp;
}

bool IsSpace(uint32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f' || cp == 0xA0 ||
         cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200A);
}

uint32_t Fold(uint32_t cp) {
  if (cp >= 'A' && cp <= 'Z') return cp + 32;
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 32;   // Latin-1 capitals
  if (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2) return cp + 32;  // Greek capitals
  if (cp >= 0x410 && cp <= 0x42F) return cp + 32;  // Cyrillic А..Я
  if (cp >= 0x400 && cp <= 0x40F) return cp + 80;  // Cyrillic Ѐ..Џ
  return cp;
}

// Scripts written without spaces between words: a term in them may sit inside a longer run.
bool IsUnspacedScript(uint32_t cp) {
  return (cp >= 0x0E00 && cp <= 0x0E7F) ||   // Thai
         (cp >= 0x1100 && cp <= 0x11FF) ||   // Hangul Jamo
         (cp >= 0x3040 && cp <= 0x30FF) ||   // Hiragana, Katakana
         (cp >= 0x3400 && cp <= 0x4DBF) ||   // CJK extension A
         (cp >= 0x4E00 && cp <= 0x9FFF) ||   // CJK unified
         (cp >= 0xAC00 && cp <= 0xD7AF) ||   // Hangul syllables
         (cp >= 0xF900 && cp <= 0xFAFF) ||   // CJK compatibility
         (cp >= 0xFF66 && cp <= 0xFF9F) ||   // half-width katakana
         (cp >= 0x20000 && cp <= 0x2FFFF);   // CJK extensions
}

// A letter or digit of a spaced script, i.e. something a word boundary must not cut through.
// Outside ASCII we do not have Unicode categories here: every code point above U+007F that is not
// whitespace, general punctuation, a symbol block or an unspaced script counts as a letter.
bool IsSpacedWordChar(uint32_t cp) {
  if (cp == kInvalid) return false;
  if (cp < 0x80) return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  if (IsSpace(cp) || IsUnspacedScript(cp)) return false;
  if (cp >= 0xA1 && cp <= 0xBF && cp != 0xAA && cp != 0xB5 && cp != 0xBA) return false;  // Latin-1 punctuation
  if (cp == 0xD7 || cp == 0xF7) return false;
  if (cp >= 0x2010 && cp <= 0x2BFF) return false;  // punctuation, symbols, arrows, math, dingbats
  if (cp >= 0x3000 && cp <= 0x303F) return false;  // CJK punctuation
  if (cp >= 0xFF00 && cp <= 0xFF65) {
    // Full-width forms: letters and digits are word chars, the rest punctuation.
    return (cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) || (cp >= 0xFF41 && cp <= 0xFF5A);
  }
  if (cp >= 0x1F000) return false;  // emoji and pictographs
  return true;
}

}  // namespace

const std::vector<EmbeddedWordList>& NaughtyWordsLists() {
  static const std::vector<EmbeddedWordList> lists(kNaughtyWordsLists, kNaughtyWordsLists + kNaughtyWordsListCount);
  return lists;
}

std::vector<std::string> NaughtyWordsLanguages() {
  std::vector<std::string> out;
  for (const auto& l : NaughtyWordsLists()) out.emplace_back(l.language);
  std::sort(out.begin(), out.end());
  return out;
}

Result<BadWordsMatcher> BadWordsMatcher::FromLanguages(const std::vector<std::string>& languages) {
  const auto& lists = NaughtyWordsLists();
  if (lists.empty()) {
    return Error{"bad_config",
                 "bad-word lists: none were embedded in this build (npm install naughty-words into node_modules/ "
                 "and rebuild)"};
  }
  std::vector<const EmbeddedWordList*> chosen;
  for (const auto& lang : languages) {
    bool found = false;
    for (const auto& l : lists) {
      if (lang == "all" || lang == l.language) {
        if (std::find(chosen.begin(), chosen.end(), &l) == chosen.end()) chosen.push_back(&l);
        found = true;
      }
    }
    if (!found) {
      std::string known;
      for (const auto& k : NaughtyWordsLanguages()) known += (known.empty() ? "" : ", ") + k;
      return Error{"bad_config", "bad-word lists: no list for language \"" + lang + "\" (known: all, " + known + ")"};
    }
  }
  std::sort(chosen.begin(), chosen.end(),
            [](const EmbeddedWordList* a, const EmbeddedWordList* b) { return std::string_view(a->language) < b->language; });
  BadWordsMatcher m;
  for (const EmbeddedWordList* l : chosen) {
    const char* begin = reinterpret_cast<const char*>(l->json);
    auto j = nlohmann::json::parse(begin, begin + l->size, nullptr, false);
    if (j.is_discarded() || !j.is_array()) {
      return Error{"bad_config", std::string("bad-word lists: the embedded list \"") + l->language + "\" is not a JSON array"};
    }
    for (const auto& t : j) {
      if (t.is_string()) m.AddTerm(t.get<std::string>());
    }
  }
  return m;
}

int32_t BadWordsMatcher::Child(int32_t node, uint32_t cp) const {
  auto it = m_edges.find((static_cast<uint64_t>(static_cast<uint32_t>(node)) << 32) | cp);
  return it == m_edges.end() ? -1 : it->second;
}

void BadWordsMatcher::AddTerm(std::string_view term) {
  // Folded code points, whitespace runs as one space, trimmed.
  std::vector<uint32_t> cps;
  for (size_t i = 0; i < term.size();) {
    size_t len = 1;
    uint32_t cp = Decode(term, i, &len);
    i += len;
    if (cp == kInvalid) continue;
    if (IsSpace(cp)) {
      if (!cps.empty() && cps.back() != kSpace) cps.push_back(kSpace);
      continue;
    }
    cps.push_back(Fold(cp));
  }
  while (!cps.empty() && cps.back() == kSpace) cps.pop_back();
  if (cps.empty()) return;
  int32_t node = 0;
  for (uint32_t cp : cps) {
    const uint64_t key = (static_cast<uint64_t>(static_cast<uint32_t>(node)) << 32) | cp;
    auto it = m_edges.find(key);
    if (it == m_edges.end()) {
      m_nodes.push_back(Node{});
      it = m_edges.emplace(key, static_cast<int32_t>(m_nodes.size() - 1)).first;
    }
    node = it->second;
  }
  if (m_nodes[static_cast<size_t>(node)].term >= 0) return;  // duplicate across lists
  m_nodes[static_cast<size_t>(node)].term = static_cast<int32_t>(m_terms.size());
  m_nodes[static_cast<size_t>(node)].spaced_start = IsSpacedWordChar(cps.front());
  m_nodes[static_cast<size_t>(node)].spaced_end = IsSpacedWordChar(cps.back());
  m_terms.emplace_back(term);
}

void BadWordsMatcher::Find(std::string_view text, std::vector<BadWordMatch>* out) const {
  out->clear();
  if (m_terms.empty()) return;
  uint32_t prev = kSpace;  // the code point before the start position
  size_t i = 0;
  while (i < text.size()) {
    size_t len0 = 1;
    const uint32_t first = Decode(text, i, &len0);
    // Walk the trie from i; remember the longest term whose boundaries hold.
    int32_t node = 0;
    size_t j = i;
    int32_t best_term = -1;
    size_t best_end = 0;
    while (j < text.size()) {
      size_t len = 1;
      uint32_t cp = Decode(text, j, &len);
      if (cp == kInvalid) break;
      size_t next = j + len;
      if (IsSpace(cp)) {
        cp = kSpace;
        while (next < text.size()) {
          size_t l2 = 1;
          uint32_t c2 = Decode(text, next, &l2);
          if (!IsSpace(c2)) break;
          next += l2;
        }
      }
      node = Child(node, Fold(cp));
      if (node < 0) break;
      j = next;
      const Node& n = m_nodes[static_cast<size_t>(node)];
      if (n.term < 0) continue;
      if (n.spaced_start && IsSpacedWordChar(prev)) continue;
      if (n.spaced_end && j < text.size()) {
        size_t l3 = 1;
        if (IsSpacedWordChar(Decode(text, j, &l3))) continue;
      }
      best_term = n.term;
      best_end = j;
    }
    if (best_term >= 0) {
      out->push_back(BadWordMatch{i, best_end, static_cast<uint32_t>(best_term)});
      // The code point before the next start is the match's last one.
      size_t k = best_end - 1;
      while (k > i && (static_cast<unsigned char>(text[k]) & 0xC0) == 0x80) --k;
      size_t lk = 1;
      prev = Decode(text, k, &lk);
      i = best_end;
      continue;
    }
    prev = first;
    i += len0;
  }
}

size_t BadWordsMatcher::Count(std::string_view text) const {
  std::vector<BadWordMatch> m;
  Find(text, &m);
  return m.size();
}

std::string MaskMatches(std::string_view text, const std::vector<BadWordMatch>& matches) {
  std::string out;
  out.reserve(text.size());
  size_t at = 0;
  for (const auto& m : matches) {
    if (m.begin < at || m.end > text.size()) continue;
    out.append(text.substr(at, m.begin - at));
    size_t len = 1;
    Decode(text, m.begin, &len);
    out.append(text.substr(m.begin, len));
    // One '*' per remaining code point.
    for (size_t k = m.begin + len; k < m.end; ++k) {
      if ((static_cast<unsigned char>(text[k]) & 0xC0) != 0x80) out.push_back('*');
    }
    at = m.end;
  }
  out.append(text.substr(at));
  return out;
}

}  // namespace winnow
