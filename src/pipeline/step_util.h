// Helpers shared by the steps of src/pipeline: where a row came from in words, per-step seeds,
// the "normalize" params object of the dedup steps, rounding for report numbers.
#pragma once
#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/example.h"
#include "core/result.h"
#include "dedup/text_normalize.h"
#include "pipeline/step.h"

namespace winnow {

// "line 12 of a.jsonl" (or "row 12 of a.jsonl" when the line is unknown).
std::string RowWhere(const Origin& o, const StepContext& ctx);
// "a.jsonl:12" — compact form for report samples.
std::string RowRef(const Origin& o, const StepContext& ctx);
// A seed for this step derived from the pipeline seed and the step id.
uint64_t StepSeed(const StepContext& ctx);
// Parses params[key] = {"nfkc","lowercase","whitespace","punctuation","digits": bool}.
Status ParseNormalizeParam(std::string_view step_type, const nlohmann::json& params, const char* key,
                           NormalizeOptions* out);
nlohmann::json NormalizeParamJson(const NormalizeOptions& o);
// Rounds to 4 decimals so reports print short, platform-independent numbers.
inline double Round4(double x) { return std::round(x * 10000.0) / 10000.0; }

}  // namespace winnow
