// PiiScanner: finds PII spans in a string_view with every detector of detector.h. One cheap pass
// marks the regions where some pattern could match (digit groups, '@', "://", long tokens, ...);
// only the patterns of those regions run, validators accept candidates with a confidence, and
// overlapping hits are resolved so spans never overlap.
// Needs RE2 (hidden behind the .cpp). Thread-safe: Find() may be called concurrently.
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "pii/detector.h"
#include "pii/pii_type.h"

namespace winnow::pii {

// One detected entity: bytes [begin, end) of the scanned text.
struct PiiSpan {
  uint32_t begin = 0;
  uint32_t end = 0;
  PiiType type = PiiType::Email;
  uint8_t confidence = 0;  // 0..100
  bool operator==(const PiiSpan&) const = default;
};

struct ScanOptions {
  std::array<bool, kPiiTypeCount> enabled;  // all true by default
  int min_confidence = 50;                  // spans below this are not reported
  DetectOptions detect;
  ScanOptions() { enabled.fill(true); }
};

class PiiScanner {
 public:
  PiiScanner();
  ~PiiScanner();
  PiiScanner(const PiiScanner&) = delete;
  PiiScanner& operator=(const PiiScanner&) = delete;

  // The process-wide scanner (patterns compiled once, on first use).
  static const PiiScanner& Get();

  // Appends the spans found in text to *out, sorted by begin, non-overlapping. Texts longer than
  // 4 GiB are not supported (offsets are 32-bit); such text yields no spans.
  void Find(std::string_view text, const ScanOptions& opt, std::vector<PiiSpan>* out) const;

  // Number of patterns that failed to compile (0 in a correct build; checked by the tests).
  int BadPatterns() const { return m_bad_patterns; }

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
  int m_bad_patterns = 0;
};

}  // namespace winnow::pii
