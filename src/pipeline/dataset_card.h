// Dataset card: README.md in the Hugging Face dataset-card form (YAML front matter with configs /
// data_files per split, language, size category, task categories), rendered from report.json so
// `winnow card` can re-render it from a saved report.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

namespace winnow {

// Renders the card from a report produced by PipelineRun (keys it does not find are left out).
std::string RenderDatasetCard(const nlohmann::json& report);

// Hugging Face size category for a row count: "n<1K", "1K<n<10K", ..., "n>1T".
std::string SizeCategory(uint64_t rows);

}  // namespace winnow
