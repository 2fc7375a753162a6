// QualityFilter: the heuristics behind the filter.quality step. Computes every enabled signal of
// one Example (length, refusal, boilerplate, repetition, markup damage, ...), compares each value
// with its threshold, and combines them into a 0..1 score with a per-signal breakdown. Keeps the
// counts and histograms of its report. Not thread-safe (one instance per worker).
#pragma once
#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/example.h"
#include "core/result.h"

namespace winnow {

// The signals, in the order they are evaluated and reported. The first failing signal gives the
// verdict's reason code.
enum class QualitySignal : uint8_t {
  EmptyReply,               // reason empty_reply
  Length,                   // too_short / too_long (chars, words)
  Refusal,                  // refusal
  Boilerplate,              // ai_boilerplate
  DontKnow,                 // dont_know
  InstructionEqualsOutput,  // instruction_equals_output
  OutputRepeatsInput,       // output_repeats_input
  GopherRepetition,         // gopher_repetition
  SymbolRatio,              // symbol_ratio
  MeanWordLength,           // mean_word_length
  CodeFence,                // unbalanced_code_fence
  HtmlTags,                 // html_tags
  Mojibake,                 // mojibake
  ToolJson,                 // invalid_tool_json
  LanguageDrift,            // language_drift
  kCount
};
constexpr size_t kQualitySignalCount = static_cast<size_t>(QualitySignal::kCount);
std::string_view QualitySignalName(QualitySignal s);  // "empty_reply", "length", ... (params keys)

struct QualityOutcome {
  bool failed = false;
  std::string reason;                // reason code of the first failing signal ("" when none)
  std::string detail;                // every failure, e.g. "too_long: chars 120034 > 100000"
  std::vector<std::string> reasons;  // reason codes of all failures, in signal order
  // Composite 0..1 (4 decimals). Each signal scores 1 far inside its threshold, 0.5 at it, 0 past
  // it (the annotation's "breakdown"). A row passing every signal scores 0.5 + 0.5 x the harmonic
  // mean of the margins (2 x score - 1) of its graded signals (those with a measured value and a
  // threshold; 1 when none applies), so one signal near its threshold pulls the row down; a
  // failing row scores half the mean of its signals' scores. score >= 0.5 exactly when every
  // signal passes.
  double score = 1;
  nlohmann::json annotation;         // {"score", "failed", "values", "breakdown"[, "languages"]}
};

class QualityFilter {
 public:
  QualityFilter();
  // params: {"<signal>": true | false | {"enabled": bool, "<setting>": number, ...},
  //          "min_score": 0..1, "action": "drop" | "flag"}. Errors: bad_config, naming the key and
  // the allowed keys / range. On error the filter keeps its previous configuration.
  Status Configure(const nlohmann::json& params);
  nlohmann::json Params() const;
  bool FlagOnly() const { return m_flag_only; }

  // Evaluates one example and adds it to the report.
  void Evaluate(const Example& ex, QualityOutcome* out);
  // {"rows", "failed_rows", "low_score_rows", "signals": {name: {"failed", "not_applicable"}},
  //  "reasons": {code: count}, "histograms": {measure: {"edges", "counts"}}}
  nlohmann::json Report() const;

  // A setting of a signal: a threshold or an applicability limit.
  struct Setting {
    QualitySignal signal;
    std::string_view key;
    double def, lo, hi;
    bool integer;
  };

 private:
  struct Config {
    std::array<bool, kQualitySignalCount> enabled{};
    std::vector<double> values;  // parallel to the settings table
  };
  void AddHistogram(std::string_view measure, double value);

  Config m_cfg;
  double m_min_score = 0;
  bool m_flag_only = false;
  // Report.
  uint64_t m_rows = 0, m_failed_rows = 0, m_low_score_rows = 0;
  std::array<uint64_t, kQualitySignalCount> m_signal_failed{}, m_signal_na{};
  std::vector<std::pair<std::string, uint64_t>> m_reason_counts;  // in first-seen order, sorted on output
  struct Histogram {
    std::string measure;
    std::vector<double> edges;
    std::vector<uint64_t> counts;
  };
  std::vector<Histogram> m_histograms;
};

}  // namespace winnow
