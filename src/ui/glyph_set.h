// GlyphSet: the characters of the loaded data that the studio's base font (DejaVu: Latin, Greek,
// Cyrillic, symbols) lacks — CJK above all — collected so the font atlas can add them from a
// fallback font (Droid Sans Fallback) on demand, instead of baking tens of thousands of glyphs
// that most datasets never show. Portable: no ImGui; the App turns Ranges() into an atlas.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace winnow::ui {

// Columns a character takes in the monospace views (template preview): 2 for the East Asian wide
// ones (CJK ideographs, kana, Hangul, fullwidth forms: their glyphs are about two Latin cells
// wide), else 1.
int CharColumns(char32_t cp);

class GlyphSet {
 public:
  // The base font's ranges: pairs of inclusive [first, last] code points ending with 0, as ImGui
  // takes them (the App bakes exactly these from DejaVu).
  static const uint16_t* BaseRanges();
  // True when `cp` is drawn by the base ranges.
  static bool InBase(char32_t cp);

  // max_glyphs: at most this many extra characters are kept (the atlas must stay a texture a
  // WebGL2 page can hold); later ones are counted in dropped().
  explicit GlyphSet(size_t max_glyphs = 9000) : m_max(max_glyphs) {}
  // Notes every character of UTF-8 `text` outside the base ranges that a 16-bit ImWchar can name
  // (above U+FFFF, e.g. emoji, cannot be in this ImGui's atlas: they stay U+FFFD). Returns true
  // when it added one. Invalid UTF-8 is skipped byte by byte.
  bool Note(std::string_view text);
  // True when characters were added since the last TakeDirty().
  bool TakeDirty();
  bool dirty() const { return m_dirty; }
  size_t size() const { return m_sorted.size(); }
  uint64_t dropped() const { return m_dropped; }
  bool Contains(char32_t cp) const;
  // The extra characters as ImGui glyph ranges: [first, last] pairs of runs, then 0.
  std::vector<uint16_t> Ranges() const;

 private:
  size_t m_max;
  std::vector<uint16_t> m_sorted;  // extra code points, ascending
  uint64_t m_dropped = 0;
  bool m_dirty = false;
};

}  // namespace winnow::ui
