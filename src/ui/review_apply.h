// Review overrides: a person's keep / drop decisions, message edits and 1-5 ratings on rows, applied
// to a finished run's outputs (kept.jsonl, rejected.jsonl) and recorded in report.json ("review")
// and the dataset card ("Human review"). Split files follow: a dropped row leaves its split, an edit
// changes it there, a row kept against the pipeline joins train.
#pragma once
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "core/result.h"
#include "ui/dataset_loader.h"
#include "ui/run_driver.h"

namespace winnow::ui {

struct ReviewOverride {
  int verdict = -1;  // -1 as the pipeline decided, 0 drop, 1 keep
  int rating = 0;    // 0 none, 1..5
  std::map<size_t, std::string> edits;  // message index -> new content
  std::string note;
  bool Active() const { return verdict >= 0 || rating > 0 || !edits.empty() || !note.empty(); }
};

// Returns the outputs with the overrides (keyed by dataset row index of `loaded`) applied.
// A reviewer's drop moves the row to rejected.jsonl with step "review", reason "reviewer_drop";
// a keep moves a rejected row back into kept.jsonl at its input position; edits re-encode the kept
// row in its source format; split files change the same way (kept-against-pipeline rows join train).
// Errors: bad_input when the outputs do not match the loaded data.
Result<std::vector<RunOutput>> ApplyReview(const std::vector<RunOutput>& outputs, const DatasetLoader& loaded,
                                           const std::map<size_t, ReviewOverride>& overrides);

}  // namespace winnow::ui
