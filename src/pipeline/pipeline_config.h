// PipelineConfig: the versioned pipeline JSON shared by the studio, the desktop app and the CLI
// (DESIGN.md "Pipeline"), its parser / validator with messages that name the key and the allowed
// values, and the instantiation of its steps from the registry (step.h).
//
//   {"version": 1, "name": "sft-default", "description": "...", "seed": 42, "annotations": "flagged",
//    "steps": [{"type": "dedup.near", "id": "near", "params": {"threshold": 0.8}}, ...]}
//
// "version" is the schema version (only 1 exists); "id" defaults to the type, with "#2", "#3"...
// appended when a type repeats; "params" defaults to {}. "annotations" chooses what the run writes
// to annotations.jsonl (pipeline_run.h): "flagged" (the default), "all" or "none". "row_bytes" chooses
// how kept rows are written: "canonical" (the default: re-encoded from the row) or "source" (a JSONL
// row's own source line, with only the string values a step changed replaced; see pipeline_run.h).
#pragma once
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "pipeline/step.h"

namespace winnow {

inline constexpr int kPipelineSchemaVersion = 1;

struct StepSpec {
  std::string id;
  std::string type;
  nlohmann::json params = nlohmann::json::object();
};

// Which rows get a line in annotations.jsonl: those a step flagged, every row, or none (no file).
enum class AnnotationsOutput { Flagged, All, None };
std::string_view AnnotationsOutputName(AnnotationsOutput a);
// "flagged", "all" or "none" into *out; false (out untouched) for anything else.
bool ParseAnnotationsOutput(std::string_view name, AnnotationsOutput* out);

// How kept rows are written: re-encoded from the Example (Canonical), or as the row's JSONL source
// line with only the changed string values patched (Source; rows it cannot patch exactly, JSON-array
// and CSV rows, rows a step created and rows of a source without files — the studio's loaded
// dataset — are re-encoded).
enum class RowBytes { Canonical, Source };
std::string_view RowBytesName(RowBytes r);
// "canonical" or "source" into *out; false (out untouched) for anything else.
bool ParseRowBytes(std::string_view name, RowBytes* out);

struct PipelineConfig {
  int version = kPipelineSchemaVersion;
  std::string name;
  std::string description;
  uint64_t seed = 0;
  AnnotationsOutput annotations = AnnotationsOutput::Flagged;
  RowBytes row_bytes = RowBytes::Canonical;
  std::vector<StepSpec> steps;
};

// Errors: bad_config — not JSON, a missing / unknown key, a value of the wrong type, an unknown step
// type (the message lists the registered types) or a duplicate step id. Params are not checked here
// (see InstantiateSteps).
Result<PipelineConfig> ParsePipeline(std::string_view json_text);
Result<PipelineConfig> PipelineFromJson(const nlohmann::json& doc);

// The document form; with `steps` given, each step's params are its effective Params() (defaults
// filled in), as written into report.json and the dataset card.
nlohmann::json PipelineToJson(const PipelineConfig& config,
                              const std::vector<std::unique_ptr<Step>>* steps = nullptr);

// Creates and configures every step. Errors: bad_config naming the step ("steps[2] (dedup.near): ...")
// with the step's own message about the key and its allowed values.
Result<std::vector<std::unique_ptr<Step>>> InstantiateSteps(const PipelineConfig& config);

// A one-step pipeline (the CLI verbs scrub / dedup / filter / split / stats / card).
PipelineConfig SingleStepPipeline(std::string_view type, const nlohmann::json& params, uint64_t seed = 0);

// Helpers for steps validating their params (messages name the key and what is allowed).
// Returns bad_config when params has a key not in `allowed`, or is not an object.
Status CheckParamKeys(std::string_view step_type, const nlohmann::json& params,
                      const std::vector<std::string_view>& allowed);
// Typed getters: leave *out untouched when the key is absent; Error on a wrong type or range.
Status GetParam(std::string_view step_type, const nlohmann::json& params, const char* key, bool* out);
Status GetParam(std::string_view step_type, const nlohmann::json& params, const char* key, std::string* out,
                const std::vector<std::string_view>& allowed = {});
Status GetParam(std::string_view step_type, const nlohmann::json& params, const char* key, double* out,
                double min, double max);
Status GetParam(std::string_view step_type, const nlohmann::json& params, const char* key, int64_t* out,
                int64_t min, int64_t max);
Status GetParam(std::string_view step_type, const nlohmann::json& params, const char* key,
                std::vector<std::string>* out);

}  // namespace winnow
