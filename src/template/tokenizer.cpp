// Tokenizer implementation: byte-level BPE (tiktoken ranks or Hugging Face merges) and WordPiece.
//
// [SECTION] index: hash tables, BPE, WordPiece, loading (tiktoken, tokenizer.json, vocab list).
#include "template/tokenizer.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <nlohmann/json.hpp>

#include "core/hash.h"
#include "core/utf8.h"
#include "template/pretokenizer.h"
#include "template/unicode_tables.h"

namespace winnow {

namespace {

// [SECTION] hash tables (open addressing; keys are byte strings or id pairs)

class BytesMap {
 public:
  void Insert(std::string_view key, uint32_t value) {
    if ((m_count + 1) * 2 > m_slots.size()) Grow();
    uint64_t h = H(key);
    size_t i = Probe(key, h);
    if (!m_slots[i].used) {
      m_slots[i].off = static_cast<uint32_t>(m_bytes.size());
      m_slots[i].len = static_cast<uint16_t>(std::min<size_t>(key.size(), 0xFFFF));
      m_slots[i].used = 1;
      m_slots[i].tag = static_cast<uint32_t>(h >> 32);
      m_bytes.append(key);
      ++m_count;
    }
    m_slots[i].value = value;
  }
  bool Find(std::string_view key, uint32_t* value) const {
    if (m_slots.empty() || key.size() >= 0xFFFF) return false;
    size_t i = Probe(key, H(key));
    if (!m_slots[i].used) return false;
    *value = m_slots[i].value;
    return true;
  }
  size_t size() const { return m_count; }
  void Clear() {
    m_bytes.clear();
    std::fill(m_slots.begin(), m_slots.end(), Slot{});
    m_count = 0;
  }

 private:
  // 16 bytes; the hash tag rejects almost every mismatch without touching the key bytes.
  struct Slot {
    uint32_t off = 0, value = 0, tag = 0;
    uint16_t len = 0, used = 0;
  };
  static uint64_t H(std::string_view k) {
    // FNV-1a, then a multiply-xorshift finish so low and high bits are both mixed.
    uint64_t h = 1469598103934665603ull;
    for (unsigned char c : k) h = (h ^ c) * 1099511628211ull;
    h ^= h >> 32;
    h *= 0xD6E8FEB86659FD93ull;
    return h ^ (h >> 29);
  }
  size_t Probe(std::string_view key, uint64_t h) const {
    size_t mask = m_slots.size() - 1;
    size_t i = h & mask;
    uint32_t tag = static_cast<uint32_t>(h >> 32);
    while (m_slots[i].used) {
      const Slot& s = m_slots[i];
      if (s.tag == tag && s.len == key.size() && std::memcmp(m_bytes.data() + s.off, key.data(), key.size()) == 0) return i;
      i = (i + 1) & mask;
    }
    return i;
  }
  void Grow() {
    std::vector<Slot> old = std::move(m_slots);
    m_slots.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
    for (const Slot& s : old) {
      if (!s.used) continue;
      std::string_view k(m_bytes.data() + s.off, s.len);
      m_slots[Probe(k, H(k))] = s;
    }
  }
  std::string m_bytes;
  std::vector<Slot> m_slots;
  size_t m_count = 0;
};

class PairMap {
 public:
  void Insert(uint32_t a, uint32_t b, uint32_t rank, uint32_t merged) {
    if ((m_count + 1) * 2 > m_slots.size()) Grow();
    uint64_t key = (static_cast<uint64_t>(a) << 32) | b;
    size_t i = Probe(key);
    if (m_slots[i].key == kEmpty) {
      ++m_count;
      m_slots[i] = {key, rank, merged};
    } else if (rank < m_slots[i].rank) {
      m_slots[i].rank = rank;
      m_slots[i].merged = merged;
    }
  }
  bool Find(uint32_t a, uint32_t b, uint32_t* rank, uint32_t* merged) const {
    if (m_slots.empty()) return false;
    const Slot& s = m_slots[Probe((static_cast<uint64_t>(a) << 32) | b)];
    if (s.key == kEmpty) return false;
    *rank = s.rank;
    *merged = s.merged;
    return true;
  }

 private:
  static constexpr uint64_t kEmpty = ~0ull;
  struct Slot {
    uint64_t key = kEmpty;
    uint32_t rank = 0, merged = 0;
  };
  size_t Probe(uint64_t key) const {
    size_t mask = m_slots.size() - 1;
    uint64_t h = key * 0x9E3779B97F4A7C15ull;
    size_t i = (h >> 20) & mask;
    while (m_slots[i].key != kEmpty && m_slots[i].key != key) i = (i + 1) & mask;
    return i;
  }
  void Grow() {
    std::vector<Slot> old = std::move(m_slots);
    m_slots.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
    for (const Slot& s : old) {
      if (s.key != kEmpty) m_slots[Probe(s.key)] = s;
    }
  }
  std::vector<Slot> m_slots;
  size_t m_count = 0;
};

constexpr uint32_t kNoRank = 0xFFFFFFFFu;

// GPT-2's byte ↔ printable-character table used by byte-level BPE vocabularies.
void ByteLevelAlphabet(char32_t byte_to_cp[256]) {
  int n = 0;
  for (int b = 0; b < 256; ++b) {
    bool printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
    byte_to_cp[b] = printable ? static_cast<char32_t>(b) : static_cast<char32_t>(256 + n++);
  }
}

std::string Base64Decode(std::string_view s, bool* ok) {
  auto val = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  *ok = true;
  for (char c : s) {
    if (c == '=') break;
    int v = val(c);
    if (v < 0) {
      *ok = false;
      return {};
    }
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return out;
}

bool IsBertPunct(char32_t c) {
  if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)) return true;
  if (c < 0x80) return false;
  uni::Category g = uni::CategoryOf(c);
  return g >= uni::Pc && g <= uni::Po;
}

bool IsCjk(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF) ||
         (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B820 && c <= 0x2CEAF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

}  // namespace

// Per-thread cache of multi-token pieces (words recur: most BPE work is repeated work). Keyed by
// the tokenizer that filled it; bounded, cleared when full. Results never depend on it.
struct PieceCache {
  uint64_t owner = 0;  // TokenizerImpl::cache_key (unique per instance, never reused)
  BytesMap index;              // piece → entry number
  std::vector<uint32_t> ids;   // token ids of all cached pieces, back to back
  std::vector<std::pair<uint32_t, uint32_t>> entries;  // (offset into ids, count)
  static constexpr size_t kMaxEntries = 1 << 16;

  bool Get(uint64_t who, std::string_view piece, std::vector<uint32_t>* out) {
    if (who != owner) return false;
    uint32_t e;
    if (!index.Find(piece, &e)) return false;
    out->insert(out->end(), ids.begin() + entries[e].first, ids.begin() + entries[e].first + entries[e].second);
    return true;
  }
  void Put(uint64_t who, std::string_view piece, const uint32_t* first, size_t n) {
    if (who != owner || entries.size() >= kMaxEntries) {
      owner = who;
      index.Clear();
      ids.clear();
      entries.clear();
    }
    index.Insert(piece, static_cast<uint32_t>(entries.size()));
    entries.emplace_back(static_cast<uint32_t>(ids.size()), static_cast<uint32_t>(n));
    ids.insert(ids.end(), first, first + n);
  }
};

// [SECTION] implementation

// An added token as matched in text: its pattern (the content, or its normalized form) and flags.
struct AddedTok {
  std::string pattern;
  uint32_t id = 0;
  bool lstrip = false, rstrip = false, single_word = false;
};

struct TokenizerImpl {
  static uint64_t NextKey() {
    static std::atomic<uint64_t> next{1};
    return next.fetch_add(1, std::memory_order_relaxed);
  }
  const uint64_t cache_key = NextKey();
  enum class Model { Tiktoken, HfBpe, WordPiece } model = Model::Tiktoken;
  std::string name;
  PreTokenizerKind pre = PreTokenizerKind::Cl100k;
  BytesMap vocab;                        // token bytes → id
  std::vector<std::string> id_to_token;  // id → bytes (BPE) or token string (WordPiece)
  PairMap merges;                        // HF BPE: (left id, right id) → rank, merged id
  uint32_t byte_id[256] = {};
  bool ignore_merges = false;
  bool add_prefix_space = false;
  bool nfc = false;
  bool lowercase = false;
  // Special / added tokens (all of them, for TokenToId / SpecialTokens), longest first.
  std::vector<std::pair<std::string, uint32_t>> specials;
  // Added tokens as Hugging Face's AddedVocabulary matches them: `raw` ones (normalized: false,
  // and every tiktoken / vocab-list special) in the text as given, then `norm` ones (normalized:
  // true; the pattern is the token's normalized form) in the normalized text between those.
  struct AddedSet {
    std::vector<AddedTok> tokens;  // longest pattern first
    bool first_byte[256] = {};
    bool any_flags = false;        // some token has lstrip / rstrip / single_word
    void Add(AddedTok t) {
      if (t.pattern.empty()) return;
      for (auto& e : tokens) {
        if (e.pattern == t.pattern) {
          e = std::move(t);
          return;
        }
      }
      first_byte[static_cast<unsigned char>(t.pattern[0])] = true;
      any_flags |= t.lstrip || t.rstrip || t.single_word;
      tokens.push_back(std::move(t));
      std::stable_sort(tokens.begin(), tokens.end(), [](const AddedTok& a, const AddedTok& b) { return a.pattern.size() > b.pattern.size(); });
    }
  };
  AddedSet raw_added, norm_added;
  // WordPiece.
  uint32_t unk_id = 0;
  std::string continuing = "##";
  size_t max_word_chars = 100;
  bool clean_text = true, chinese_chars = true, strip_accents = true;

  // A special token matched literally (no flags).
  void AddSpecial(const std::string& s, uint32_t id) {
    if (s.empty()) return;
    AddedTok a;
    a.pattern = s;
    a.id = id;
    raw_added.Add(std::move(a));
    AddToken(s, id);
  }
  // A tokenizer.json added token with its flags; normalized ones are matched by their normalized form.
  void AddAdded(const std::string& s, uint32_t id, bool lstrip, bool rstrip, bool single_word, bool normalized) {
    if (s.empty()) return;
    AddedTok a;
    a.pattern = normalized ? Normalize(s) : s;
    a.id = id;
    a.lstrip = lstrip;
    a.rstrip = rstrip;
    a.single_word = single_word;
    (normalized ? norm_added : raw_added).Add(std::move(a));
    AddToken(s, id);
  }
  void AddToken(const std::string& s, uint32_t id) {
    for (auto& [t, i] : specials) {
      if (t == s) {
        i = id;
        return;
      }
    }
    specials.emplace_back(s, id);
    std::stable_sort(specials.begin(), specials.end(), [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
    if (id >= id_to_token.size()) id_to_token.resize(id + 1);
    if (id_to_token[id].empty()) id_to_token[id] = s;
  }

  void SetToken(uint32_t id, std::string bytes) {
    if (id >= id_to_token.size()) id_to_token.resize(id + 1);
    vocab.Insert(bytes, id);
    id_to_token[id] = std::move(bytes);
  }

  // tiktoken's merge loop: the lowest-ranked adjacent pair (by the rank of its concatenated
  // bytes) merges first, leftmost on ties.
  // The caller has checked that piece is not a single token.
  void TiktokenPiece(std::string_view piece, std::vector<uint32_t>* out) const {
    thread_local std::vector<std::pair<size_t, uint32_t>> parts;
    parts.clear();
    auto rank_of = [&](size_t b, size_t e) {
      uint32_t r;
      return vocab.Find(piece.substr(b, e - b), &r) ? r : kNoRank;
    };
    for (size_t i = 0; i + 1 < piece.size(); ++i) parts.emplace_back(i, rank_of(i, i + 2));
    parts.emplace_back(piece.size() - 1, kNoRank);
    parts.emplace_back(piece.size(), kNoRank);
    auto get_rank = [&](size_t i) { return i + 3 < parts.size() ? rank_of(parts[i].first, parts[i + 3].first) : kNoRank; };
    while (true) {
      uint32_t best = kNoRank;
      size_t bi = 0;
      for (size_t i = 0; i + 1 < parts.size(); ++i) {
        if (parts[i].second < best) {
          best = parts[i].second;
          bi = i;
        }
      }
      if (best == kNoRank) break;
      if (bi > 0) parts[bi - 1].second = get_rank(bi - 1);
      parts[bi].second = get_rank(bi);
      parts.erase(parts.begin() + static_cast<long>(bi) + 1);
    }
    for (size_t i = 0; i + 1 < parts.size(); ++i) {
      uint32_t t = 0;
      vocab.Find(piece.substr(parts[i].first, parts[i + 1].first - parts[i].first), &t);
      out->push_back(t);
    }
  }

  // Hugging Face BPE: start from byte tokens, apply the lowest-ranked merge, leftmost first.
  void HfPiece(std::string_view piece, std::vector<uint32_t>* out) const {
    uint32_t id;
    if (ignore_merges && vocab.Find(piece, &id)) {
      out->push_back(id);
      return;
    }
    thread_local std::vector<uint32_t> ids;
    ids.clear();
    for (unsigned char c : piece) ids.push_back(byte_id[c]);
    while (ids.size() > 1) {
      uint32_t best = kNoRank, merged = 0;
      size_t bi = 0;
      for (size_t i = 0; i + 1 < ids.size(); ++i) {
        uint32_t r, m;
        if (merges.Find(ids[i], ids[i + 1], &r, &m) && r < best) {
          best = r;
          merged = m;
          bi = i;
        }
      }
      if (best == kNoRank) break;
      ids[bi] = merged;
      ids.erase(ids.begin() + static_cast<long>(bi) + 1);
    }
    out->insert(out->end(), ids.begin(), ids.end());
  }

  void WordPieceWord(std::string_view word, std::vector<uint32_t>* out) const {
    size_t nchars = 0;
    for (unsigned char c : word) nchars += (c & 0xC0) != 0x80;
    if (nchars > max_word_chars) {
      out->push_back(unk_id);
      return;
    }
    size_t start = 0;
    size_t mark = out->size();
    std::string buf;
    while (start < word.size()) {
      size_t end = word.size();
      bool found = false;
      uint32_t id = 0;
      while (end > start) {
        buf.assign(start > 0 ? continuing : std::string());
        buf.append(word.substr(start, end - start));
        if (vocab.Find(buf, &id)) {
          found = true;
          break;
        }
        // Step back one code point.
        --end;
        while (end > start && (static_cast<unsigned char>(word[end]) & 0xC0) == 0x80) --end;
      }
      if (!found) {
        out->resize(mark);
        out->push_back(unk_id);
        return;
      }
      out->push_back(id);
      start = end;
    }
  }

  // The normalizer: WordPiece's BertNormalizer (clean text, pad CJK, strip accents, lowercase),
  // else NFC and / or Lowercase. Idempotent for these normalizers.
  std::string Normalize(std::string_view text) const {
    if (model != Model::WordPiece) {
      std::string out(text);
      if (nfc && !uni::IsAscii(out)) out = uni::Nfc(out);
      if (lowercase) {
        std::string l;
        for (size_t i = 0; i < out.size();) uni::AppendLower(DecodeUtf8(out, &i), &l);
        out = std::move(l);
      }
      return out;
    }
    std::string norm;
    norm.reserve(text.size());
    for (size_t i = 0; i < text.size();) {
      char32_t c = DecodeUtf8(text, &i);
      if (clean_text) {
        if (c == 0 || c == 0xFFFD) continue;
        if (c == '\t' || c == '\n' || c == '\r' || uni::IsWhiteSpace(c)) {
          norm.push_back(' ');
          continue;
        }
        uni::Category g = uni::CategoryOf(c);
        if (g == uni::Cc || g == uni::Cf) continue;
      }
      if (chinese_chars && IsCjk(c)) {
        norm.push_back(' ');
        AppendUtf8(c, &norm);
        norm.push_back(' ');
        continue;
      }
      AppendUtf8(c, &norm);
    }
    if (strip_accents) {
      std::string d = uni::Nfd(norm), s;
      for (size_t i = 0; i < d.size();) {
        size_t st = i;
        char32_t c = DecodeUtf8(d, &i);
        if (c >= 0x80 && uni::CategoryOf(c) == uni::Mn) continue;
        s.append(d, st, i - st);
      }
      norm = std::move(s);
    }
    if (lowercase) {
      std::string l;
      for (size_t i = 0; i < norm.size();) uni::AppendLower(DecodeUtf8(norm, &i), &l);
      norm = std::move(l);
    }
    return norm;
  }

  // BertPreTokenizer over normalized text: split on whitespace and isolate punctuation.
  void WordPieceText(std::string_view text, std::vector<uint32_t>* out, bool normalized) const {
    std::string norm = normalized ? std::string(text) : Normalize(text);
    size_t word_start = std::string::npos;
    for (size_t i = 0; i < norm.size();) {
      size_t st = i;
      char32_t c = DecodeUtf8(norm, &i);
      bool space = uni::IsWhiteSpace(c);
      bool punct = IsBertPunct(c);
      if (space || punct) {
        if (word_start != std::string::npos) WordPieceWord(std::string_view(norm).substr(word_start, st - word_start), out);
        word_start = std::string::npos;
        if (punct) WordPieceWord(std::string_view(norm).substr(st, i - st), out);
      } else if (word_start == std::string::npos) {
        word_start = st;
      }
    }
    if (word_start != std::string::npos) WordPieceWord(std::string_view(norm).substr(word_start), out);
  }

  // Text without added tokens; `normalized`: the normalizer has already run on it.
  void EncodeOrdinary(std::string_view text, std::vector<uint32_t>* out, bool is_normalized = false) const {
    if (text.empty()) return;
    if (model == Model::WordPiece) {
      WordPieceText(text, out, is_normalized);
      return;
    }
    std::string normalized;
    if (!is_normalized && ((nfc && !uni::IsAscii(text)) || lowercase)) {
      normalized = Normalize(text);
      text = normalized;
    }
    if (add_prefix_space && !text.empty() && text[0] != ' ') {
      normalized = " " + std::string(text);
      text = normalized;
    }
    thread_local PieceCache cache;
    PreTokenize(pre, text, [&](size_t b, size_t e) {
      std::string_view piece = text.substr(b, e - b);
      uint32_t id;
      if ((model == Model::Tiktoken || ignore_merges) && vocab.Find(piece, &id)) {
        out->push_back(id);
        return;
      }
      if (piece.size() <= 64 && cache.Get(cache_key, piece, out)) return;
      size_t before = out->size();
      if (model == Model::Tiktoken) TiktokenPiece(piece, out);
      else HfPiece(piece, out);
      if (piece.size() <= 64) cache.Put(cache_key, piece, out->data() + before, out->size() - before);
    });
  }
};

Tokenizer::Tokenizer() : m_impl(std::make_unique<TokenizerImpl>()) {}
Tokenizer::~Tokenizer() = default;
Tokenizer::Tokenizer(Tokenizer&&) noexcept = default;
Tokenizer& Tokenizer::operator=(Tokenizer&&) noexcept = default;

namespace {

// Regex \w (Unicode): letters, marks, decimal and letter numbers, connector punctuation, joiners.
bool IsWordChar(char32_t c) {
  if (c < 0x80) return (c | 0x20) >= 'a' && (c | 0x20) <= 'z' ? true : (c >= '0' && c <= '9') || c == '_';
  if (c == 0x200C || c == 0x200D) return true;
  uni::Category g = uni::CategoryOf(c);
  return (g >= uni::Lu && g <= uni::Lo) || (g >= uni::Mn && g <= uni::Me) || g == uni::Nd || g == uni::Nl || g == uni::Pc;
}

// The code point that ends text[0, end) (a valid UTF-8 prefix).
char32_t LastCodePoint(std::string_view text, size_t end, size_t* begin) {
  size_t b = end;
  while (b > 0 && (static_cast<unsigned char>(text[b - 1]) & 0xC0) == 0x80) --b;
  if (b > 0) --b;
  *begin = b;
  size_t i = b;
  return DecodeUtf8(text, &i);
}

struct Split {
  size_t begin, end;
  int64_t id;  // -1: ordinary text
};

// Hugging Face's AddedVocabulary::find_matches: leftmost-longest non-overlapping matches of the
// set's patterns; single_word rejects a match touching a word character (the scan goes on after
// it); lstrip / rstrip take the whitespace on that side into the token (lstrip never reaches back
// into the previous match).
void FindAdded(const TokenizerImpl::AddedSet& set, std::string_view text, std::vector<Split>* out) {
  size_t seg = 0;
  for (size_t i = 0; i < text.size();) {
    if (!set.first_byte[static_cast<unsigned char>(text[i])]) {
      ++i;
      continue;
    }
    const AddedTok* hit = nullptr;
    for (const AddedTok& t : set.tokens) {
      if (text.compare(i, t.pattern.size(), t.pattern) == 0) {
        hit = &t;
        break;
      }
    }
    if (!hit) {
      ++i;
      continue;
    }
    size_t start = i, stop = i + hit->pattern.size();
    if (hit->single_word) {
      size_t b = 0;
      bool word_before = start > 0 && IsWordChar(LastCodePoint(text, start, &b));
      size_t k = stop;
      bool word_after = stop < text.size() && IsWordChar(DecodeUtf8(text, &k));
      if (word_before || word_after) {
        i = stop;
        continue;
      }
    }
    if (hit->lstrip) {
      while (start > seg) {
        size_t b = 0;
        if (!uni::IsWhiteSpace(LastCodePoint(text, start, &b))) break;
        start = b;
      }
    }
    if (hit->rstrip) {
      while (stop < text.size()) {
        size_t k = stop;
        if (!uni::IsWhiteSpace(DecodeUtf8(text, &k))) break;
        stop = k;
      }
    }
    if (seg < start) out->push_back({seg, start, -1});
    out->push_back({start, stop, hit->id});
    seg = i = stop;
  }
  if (seg < text.size()) out->push_back({seg, text.size(), -1});
}

}  // namespace

std::vector<uint32_t> Tokenizer::Encode(std::string_view text, bool allow_special) const {
  std::vector<uint32_t> out;
  out.reserve(text.size() / 3 + 4);
  const TokenizerImpl& t = *m_impl;
  if (!allow_special || (t.raw_added.tokens.empty() && t.norm_added.tokens.empty())) {
    t.EncodeOrdinary(text, &out);
    return out;
  }
  std::vector<Split> splits, inner;
  FindAdded(t.raw_added, text, &splits);
  for (const Split& sp : splits) {
    if (sp.id >= 0) {
      out.push_back(static_cast<uint32_t>(sp.id));
      continue;
    }
    std::string_view piece = text.substr(sp.begin, sp.end - sp.begin);
    if (t.norm_added.tokens.empty()) {
      t.EncodeOrdinary(piece, &out);
      continue;
    }
    // Normalized added tokens are found in the normalized text (Hugging Face's second pass).
    std::string norm = t.Normalize(piece);
    inner.clear();
    FindAdded(t.norm_added, norm, &inner);
    for (const Split& q : inner) {
      if (q.id >= 0) out.push_back(static_cast<uint32_t>(q.id));
      else t.EncodeOrdinary(std::string_view(norm).substr(q.begin, q.end - q.begin), &out, /*is_normalized=*/true);
    }
  }
  return out;
}

std::string Tokenizer::Decode(const std::vector<uint32_t>& ids) const {
  std::string out;
  const TokenizerImpl& t = *m_impl;
  for (uint32_t id : ids) {
    if (id >= t.id_to_token.size()) continue;
    const std::string& tok = t.id_to_token[id];
    if (t.model == TokenizerImpl::Model::WordPiece) {
      if (tok.rfind(t.continuing, 0) == 0 && !t.continuing.empty()) {
        out += tok.substr(t.continuing.size());
      } else {
        if (!out.empty()) out += ' ';
        out += tok;
      }
    } else {
      out += tok;
    }
  }
  return out;
}

bool Tokenizer::TokenToId(std::string_view token, uint32_t* id) const {
  for (const auto& [s, i] : m_impl->specials) {
    if (s == token) {
      *id = i;
      return true;
    }
  }
  return m_impl->vocab.Find(token, id);
}

std::vector<std::string> Tokenizer::SpecialTokens() const {
  std::vector<std::string> out;
  for (const auto& [s, id] : m_impl->specials) out.push_back(s);
  std::sort(out.begin(), out.end());
  return out;
}

size_t Tokenizer::VocabSize() const { return m_impl->id_to_token.size(); }
const std::string& Tokenizer::Name() const { return m_impl->name; }

// [SECTION] loading

Result<Tokenizer> Tokenizer::FromTiktoken(std::string_view rank_file, std::string_view encoding) {
  Tokenizer tok;
  TokenizerImpl& t = *tok.m_impl;
  t.model = TokenizerImpl::Model::Tiktoken;
  t.name = std::string(encoding);
  std::vector<std::pair<const char*, uint32_t>> specials;
  if (encoding == "cl100k_base") {
    t.pre = PreTokenizerKind::Cl100k;
    specials = {{"<|endoftext|>", 100257}, {"<|fim_prefix|>", 100258}, {"<|fim_middle|>", 100259}, {"<|fim_suffix|>", 100260}, {"<|endofprompt|>", 100276}};
  } else if (encoding == "o200k_base") {
    t.pre = PreTokenizerKind::O200k;
    specials = {{"<|endoftext|>", 199999}, {"<|endofprompt|>", 200018}};
  } else if (encoding == "r50k_base" || encoding == "p50k_base") {
    t.pre = PreTokenizerKind::Gpt2;
    specials = {{"<|endoftext|>", 50256}};
  } else {
    return Error{"bad_config", "unknown tiktoken encoding \"" + std::string(encoding) + "\" (have: cl100k_base, o200k_base, r50k_base, p50k_base)"};
  }
  size_t line_no = 0;
  for (size_t pos = 0; pos < rank_file.size();) {
    size_t nl = rank_file.find('\n', pos);
    if (nl == std::string_view::npos) nl = rank_file.size();
    std::string_view line = rank_file.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    size_t sp = line.find(' ');
    bool ok = sp != std::string_view::npos;
    std::string bytes = ok ? Base64Decode(line.substr(0, sp), &ok) : std::string();
    uint32_t rank = 0;
    if (ok) {
      std::string_view r = line.substr(sp + 1);
      ok = !r.empty();
      for (char c : r) {
        if (c < '0' || c > '9') ok = false;
        rank = rank * 10 + static_cast<uint32_t>(c - '0');
      }
    }
    if (!ok) return Error{"bad_config", "tiktoken rank file: malformed line " + std::to_string(line_no)};
    t.SetToken(rank, std::move(bytes));
  }
  if (t.vocab.size() < 256) return Error{"bad_config", "tiktoken rank file: fewer than 256 tokens"};
  for (const auto& [s, id] : specials) t.AddSpecial(s, id);
  return tok;
}

static bool ParseNormalizer(const nlohmann::json& n, TokenizerImpl* t, std::string* err) {
  if (n.is_null()) return true;
  std::string type = n.value("type", "");
  if (type == "NFC") {
    t->nfc = true;
    return true;
  }
  if (type == "Lowercase") {
    t->lowercase = true;
    return true;
  }
  if (type == "BertNormalizer") {
    t->clean_text = n.value("clean_text", true);
    t->chinese_chars = n.value("handle_chinese_chars", true);
    t->lowercase = n.value("lowercase", true);
    t->strip_accents = n.contains("strip_accents") && n["strip_accents"].is_boolean() ? n["strip_accents"].get<bool>() : t->lowercase;
    return true;
  }
  if (type == "Sequence" && n.contains("normalizers")) {
    for (const auto& s : n["normalizers"]) {
      if (!ParseNormalizer(s, t, err)) return false;
    }
    return true;
  }
  *err = "unsupported normalizer \"" + type + "\"";
  return false;
}

static bool ParsePreTokenizer(const nlohmann::json& p, TokenizerImpl* t, bool* saw_split, std::string* err) {
  if (p.is_null()) return true;
  std::string type = p.value("type", "");
  if (type == "Sequence") {
    for (const auto& s : p["pretokenizers"]) {
      if (!ParsePreTokenizer(s, t, saw_split, err)) return false;
    }
    return true;
  }
  if (type == "Split") {
    std::string re = p.contains("pattern") && p["pattern"].contains("Regex") ? p["pattern"]["Regex"].get<std::string>() : "";
    if (!PreTokenizerFromRegex(re, &t->pre)) {
      *err = "unsupported pre-tokenizer regex: " + re;
      return false;
    }
    *saw_split = true;
    return true;
  }
  if (type == "ByteLevel") {
    t->add_prefix_space = p.value("add_prefix_space", false);
    if (p.value("use_regex", true)) {
      t->pre = PreTokenizerKind::Gpt2;
      *saw_split = true;
    }
    return true;
  }
  if (type == "BertPreTokenizer") return true;
  *err = "unsupported pre-tokenizer \"" + type + "\"";
  return false;
}

Result<Tokenizer> Tokenizer::FromHuggingFaceJson(std::string_view tokenizer_json) {
  nlohmann::json j = nlohmann::json::parse(tokenizer_json, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("model")) return Error{"bad_config", "tokenizer.json: not a tokenizer (no \"model\")"};
  Tokenizer tok;
  TokenizerImpl& t = *tok.m_impl;
  const nlohmann::json& m = j["model"];
  std::string type = m.value("type", "");
  std::string err;
  if (j.contains("normalizer") && !ParseNormalizer(j["normalizer"], &t, &err)) return Error{"bad_config", "tokenizer.json: " + err};
  bool saw_split = false;
  if (j.contains("pre_tokenizer") && !ParsePreTokenizer(j["pre_tokenizer"], &t, &saw_split, &err)) return Error{"bad_config", "tokenizer.json: " + err};
  if (!m.contains("vocab") || !m["vocab"].is_object()) return Error{"bad_config", "tokenizer.json: model has no vocab object"};
  if (type == "BPE") {
    t.model = TokenizerImpl::Model::HfBpe;
    t.name = "bpe";
    if (!saw_split) return Error{"bad_config", "tokenizer.json: only byte-level BPE is supported (no ByteLevel / Split pre-tokenizer)"};
    if (m.value("byte_fallback", false)) return Error{"bad_config", "tokenizer.json: byte_fallback (SentencePiece-style) BPE is not supported"};
    t.ignore_merges = m.value("ignore_merges", false);
    char32_t b2c[256];
    ByteLevelAlphabet(b2c);
    char32_t max_cp = 0;
    for (char32_t c : b2c) max_cp = std::max(max_cp, c);
    std::vector<int> c2b(max_cp + 1, -1);
    for (int b = 0; b < 256; ++b) c2b[b2c[b]] = b;
    auto to_bytes = [&](const std::string& s, std::string* out) {
      out->clear();
      for (size_t i = 0; i < s.size();) {
        char32_t c = DecodeUtf8(s, &i);
        if (c > max_cp || c2b[c] < 0) return false;
        out->push_back(static_cast<char>(c2b[c]));
      }
      return true;
    };
    std::string bytes;
    for (const auto& [k, v] : m["vocab"].items()) {
      if (!v.is_number_unsigned() && !v.is_number_integer()) continue;
      if (!to_bytes(k, &bytes)) continue;  // not byte-level text (e.g. a special token)
      t.SetToken(v.get<uint32_t>(), bytes);
    }
    for (int b = 0; b < 256; ++b) {
      uint32_t id;
      if (!t.vocab.Find(std::string(1, static_cast<char>(b)), &id)) return Error{"bad_config", "tokenizer.json: byte-level vocab lacks byte " + std::to_string(b)};
      t.byte_id[b] = id;
    }
    if (m.contains("merges") && m["merges"].is_array()) {
      uint32_t rank = 0;
      std::string a, b;
      for (const auto& mg : m["merges"]) {
        std::string sa, sb;
        if (mg.is_string()) {
          std::string s = mg.get<std::string>();
          size_t sp = s.find(' ');
          if (sp == std::string::npos) return Error{"bad_config", "tokenizer.json: malformed merge \"" + s + "\""};
          sa = s.substr(0, sp);
          sb = s.substr(sp + 1);
        } else if (mg.is_array() && mg.size() == 2 && mg[0].is_string() && mg[1].is_string()) {
          sa = mg[0].get<std::string>();
          sb = mg[1].get<std::string>();
        } else {
          return Error{"bad_config", "tokenizer.json: malformed merge at rank " + std::to_string(rank)};
        }
        uint32_t ia, ib, im;
        if (to_bytes(sa, &a) && to_bytes(sb, &b) && t.vocab.Find(a, &ia) && t.vocab.Find(b, &ib) && t.vocab.Find(a + b, &im)) {
          t.merges.Insert(ia, ib, rank, im);
        }
        ++rank;
      }
    }
  } else if (type == "WordPiece") {
    t.model = TokenizerImpl::Model::WordPiece;
    t.name = "wordpiece";
    t.continuing = m.value("continuing_subword_prefix", "##");
    t.max_word_chars = m.value("max_input_chars_per_word", 100);
    for (const auto& [k, v] : m["vocab"].items()) {
      if (v.is_number()) t.SetToken(v.get<uint32_t>(), k);
    }
    std::string unk = m.value("unk_token", "[UNK]");
    if (!t.vocab.Find(unk, &t.unk_id)) return Error{"bad_config", "tokenizer.json: unk_token " + unk + " not in vocab"};
  } else {
    return Error{"bad_config", "tokenizer.json: unsupported model type \"" + type + "\" (BPE and WordPiece are supported)"};
  }
  if (j.contains("added_tokens") && j["added_tokens"].is_array()) {
    for (const auto& a : j["added_tokens"]) {
      if (!a.contains("content") || !a["content"].is_string() || !a.contains("id") || !a["id"].is_number_unsigned()) continue;
      auto flag = [&](const char* k, bool def) { return a.contains(k) && a[k].is_boolean() ? a[k].get<bool>() : def; };
      bool special = flag("special", false);
      t.AddAdded(a["content"].get<std::string>(), a["id"].get<uint32_t>(), flag("lstrip", false), flag("rstrip", false),
                 flag("single_word", false), flag("normalized", !special));
    }
  }
  return tok;
}

Result<Tokenizer> Tokenizer::FromFileText(const std::string& path, std::string_view text, std::string_view encoding) {
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && text[first] == '{') {
    auto t = FromHuggingFaceJson(text);
    if (t.ok()) t.value().m_impl->name = path;
    return t;
  }
  if (first != std::string_view::npos && text[first] == '[') return FromWordPieceVocab(text);
  std::string enc(encoding);
  if (enc.empty()) {
    size_t slash = path.find_last_of("/\\");
    enc = path.substr(slash == std::string::npos ? 0 : slash + 1);
    size_t dot = enc.find('.');
    if (dot != std::string::npos) enc.resize(dot);
  }
  return FromTiktoken(text, enc);
}

Result<Tokenizer> Tokenizer::FromWordPieceVocab(std::string_view vocab_json, bool lowercase) {
  nlohmann::json j = nlohmann::json::parse(vocab_json, nullptr, false);
  if (j.is_discarded() || !j.is_array()) return Error{"bad_config", "WordPiece vocab: expected a JSON list of tokens"};
  Tokenizer tok;
  TokenizerImpl& t = *tok.m_impl;
  t.model = TokenizerImpl::Model::WordPiece;
  t.name = "wordpiece";
  t.lowercase = lowercase;
  t.strip_accents = lowercase;
  bool sentencepiece_form = false, has_hash = false;
  const std::string kMark = "\xE2\x96\x81";  // ▁
  for (const auto& e : j) {
    if (!e.is_string()) return Error{"bad_config", "WordPiece vocab: non-string entry"};
    const std::string& s = e.get_ref<const std::string&>();
    if (s.rfind(kMark, 0) == 0 && s.size() > kMark.size()) sentencepiece_form = true;
    if (s.rfind("##", 0) == 0 && s.size() > 2) has_hash = true;
  }
  bool convert = sentencepiece_form && !has_hash;
  uint32_t id = 0;
  for (const auto& e : j) {
    std::string s = e.get<std::string>();
    if (convert) {
      bool special = s.size() >= 2 && s.front() == '[' && s.back() == ']';
      if (s.rfind(kMark, 0) == 0 && s.size() > kMark.size()) s = s.substr(kMark.size());
      else if (!special && s != kMark) s = "##" + s;
    }
    if (!t.vocab.Find(s, &t.unk_id)) t.SetToken(id, s);
    else if (id >= t.id_to_token.size()) t.id_to_token.resize(id + 1);
    ++id;
  }
  if (!t.vocab.Find("[UNK]", &t.unk_id)) return Error{"bad_config", "WordPiece vocab: no [UNK] token"};
  for (const char* s : {"[CLS]", "[SEP]", "[MASK]", "[PAD]"}) {
    uint32_t sid;
    if (t.vocab.Find(s, &sid)) t.AddSpecial(s, sid);
  }
  t.AddSpecial("[UNK]", t.unk_id);
  return tok;
}

}  // namespace winnow
