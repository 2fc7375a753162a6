// Schema: which source fields and role names make up a dataset format. Sniffed from the first rows,
// given by a forced format, or built from a LLaMA-Factory column mapping. Internal to src/io.
#pragma once
#include <string>
#include <vector>

#include "core/example.h"
#include "io/column_mapping.h"

namespace winnow {

struct Schema {
  Format format = Format::Unknown;
  bool oasst_tree = false;  // OpenAssistant message trees (flattened to the best-ranked path)
  // alpaca
  std::string instruction = "instruction", input = "input", output = "output";
  std::string system = "system", history = "history";
  // conversations
  std::string messages = "messages";
  std::string role_tag, content_tag;  // empty = accept from/value and role/content per message
  std::string user_tag = "human", assistant_tag = "gpt", observation_tag = "observation",
              function_tag = "function_call", system_tag = "system";
  // preference / kto / text / tools
  std::string prompt = "prompt", chosen = "chosen", rejected = "rejected", label = "label";
  std::string text = "text", tools = "tools";
  // Human description of how the schema was chosen, e.g. "sniffed: alpaca (question/answer columns)".
  std::string note;
};

Schema DefaultSchema(Format f);
Schema SchemaFromMapping(const ColumnMapping& m);
// Chooses a schema from the keys seen in the first rows (each inner vector one row's keys).
// Returns Format::Unknown when nothing fits; *why then lists the keys seen.
Schema SniffSchema(const std::vector<std::vector<std::string>>& row_keys, std::string* why);

}  // namespace winnow
