#include "ui/glyph_set.h"

#include <algorithm>

#include "core/utf8.h"

namespace winnow::ui {

namespace {
// Latin (with extensions), Greek and Cyrillic, punctuation, arrows, shapes: what DejaVu Sans
// covers and datasets commonly hold; U+FFFD is what a character outside the atlas draws as.
const uint16_t kBaseRanges[] = {
    0x0020, 0x024F, 0x0370, 0x03FF, 0x0400, 0x052F, 0x1E00, 0x1FFF, 0x2000, 0x206F, 0x20A0, 0x20CF,
    0x2100, 0x214F, 0x2190, 0x21FF, 0x2200, 0x22FF, 0x2300, 0x23FF, 0x2500, 0x25FF, 0x2600, 0x26FF,
    0x2700, 0x27BF, 0xFFFD, 0xFFFD, 0};
}  // namespace

int CharColumns(char32_t cp) {
  const bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) || (cp >= 0x3041 && cp <= 0x33FF) ||
                    (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
                    (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
                    (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
  return wide ? 2 : 1;
}

const uint16_t* GlyphSet::BaseRanges() { return kBaseRanges; }

bool GlyphSet::InBase(char32_t cp) {
  for (const uint16_t* r = kBaseRanges; r[0]; r += 2) {
    if (cp >= r[0] && cp <= r[1]) return true;
  }
  return false;
}

bool GlyphSet::Note(std::string_view text) {
  bool added = false;
  for (size_t i = 0; i < text.size();) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {  // ASCII: all in the base font
      ++i;
      continue;
    }
    size_t at = i;
    char32_t cp = DecodeUtf8(text, &i);
    if (i <= at) i = at + 1;
    if (cp < 0x80 || cp > 0xFFFF || (cp >= 0xD800 && cp <= 0xDFFF) || InBase(cp)) continue;
    auto it = std::lower_bound(m_sorted.begin(), m_sorted.end(), static_cast<uint16_t>(cp));
    if (it != m_sorted.end() && *it == cp) continue;
    if (m_sorted.size() >= m_max) {
      ++m_dropped;
      continue;
    }
    m_sorted.insert(it, static_cast<uint16_t>(cp));
    added = true;
  }
  m_dirty = m_dirty || added;
  return added;
}

bool GlyphSet::TakeDirty() {
  bool d = m_dirty;
  m_dirty = false;
  return d;
}

bool GlyphSet::Contains(char32_t cp) const {
  return cp <= 0xFFFF && std::binary_search(m_sorted.begin(), m_sorted.end(), static_cast<uint16_t>(cp));
}

std::vector<uint16_t> GlyphSet::Ranges() const {
  std::vector<uint16_t> r;
  for (size_t i = 0; i < m_sorted.size();) {
    size_t j = i;
    while (j + 1 < m_sorted.size() && m_sorted[j + 1] == m_sorted[j] + 1) ++j;
    r.push_back(m_sorted[i]);
    r.push_back(m_sorted[j]);
    i = j + 1;
  }
  r.push_back(0);
  return r;
}

}  // namespace winnow::ui
