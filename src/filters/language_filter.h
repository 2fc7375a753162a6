// LanguageFilter: the logic of the filter.language step. Identifies the language of each field of
// an Example (system, user turns, assistant turns, raw text) with CLD2 and checks it against the
// allowed languages and a minimum confidence. Keeps its report. Not thread-safe.
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/example.h"
#include "core/result.h"

namespace winnow {

enum class LanguageField : uint8_t { System, User, Assistant, Text, kCount };
constexpr size_t kLanguageFieldCount = static_cast<size_t>(LanguageField::kCount);
std::string_view LanguageFieldName(LanguageField f);  // "system", "user", "assistant", "text"

struct LanguageOutcome {
  bool failed = false;
  std::string reason;  // "language_not_allowed" or "language_uncertain" (first failing field)
  std::string detail;  // e.g. "assistant: fr (97%) not in [en]"
  nlohmann::json annotation;  // {field: {"lang", "percent", "reliable"} | {"lang": "und", "skipped": ...}}
};

class LanguageFilter {
 public:
  LanguageFilter();
  // params: {"fields": ["user", "assistant", "text"], "allowed": ["en", ...] | {field: [...]},
  //          "min_confidence": 0..100, "min_letters": n, "max_bytes": n, "action": "drop" | "flag"}
  // Errors: bad_config naming the key, the value and what is allowed (e.g. an unknown language code).
  Status Configure(const nlohmann::json& params);
  nlohmann::json Params() const;
  bool FlagOnly() const { return m_flag_only; }

  void Evaluate(const Example& ex, LanguageOutcome* out);
  // {"rows", "failed_rows", "reasons": {code: n}, "fields": {field: {"languages": {code: n},
  //  "skipped": n, "percent_histogram": {"edges", "counts"}}}}
  nlohmann::json Report() const;

 private:
  struct Config {
    std::array<bool, kLanguageFieldCount> fields{};
    std::array<std::vector<std::string>, kLanguageFieldCount> allowed;  // empty = any language
    bool allowed_per_field = false;
    int min_confidence = 50;
    int min_letters = 20;
    int max_bytes = 16384;
  };
  Config m_cfg;
  bool m_flag_only = false;

  uint64_t m_rows = 0, m_failed_rows = 0;
  std::map<std::string, uint64_t> m_reasons;
  struct FieldReport {
    std::map<std::string, uint64_t> languages;
    uint64_t skipped = 0;
    std::array<uint64_t, 10> percent_bins{};  // [0,10), ..., [90,100]
  };
  std::array<FieldReport, kLanguageFieldCount> m_fields;
};

}  // namespace winnow
