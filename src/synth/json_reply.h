// Strict parsing of the JSON a model was asked for: find the JSON in the reply (a bare value or a
// fenced ```json block), repair the common slips (trailing commas, smart quotes, a missing closing
// bracket), and check it against the expected shape (required keys and their types).
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace winnow::synth {

// The expected shape of a reply: an object with these keys (or, with `array_of`, an array of such
// objects, at least `min_items` long). Types: "string", "integer", "number", "array", "object".
struct JsonShape {
  struct Field {
    std::string key;
    std::string type;
  };
  std::vector<Field> fields;
  bool array_of = false;
  size_t min_items = 1;
  bool empty() const { return fields.empty() && !array_of; }
  // "{"question": string, "answer": string}" — for prompts and messages.
  std::string Describe() const;
};

// Parses `text` as the reply. Errors: "bad_json" (no parsable JSON, even after the mechanical
// repairs) or "wrong_schema" (JSON, but a required key is missing or of the wrong type), with a
// message that says what is wrong (it goes back to the model in the repair attempt).
Result<nlohmann::json> ParseJsonReply(std::string_view text, const JsonShape& shape);

// Only the mechanical repairs (exposed for tests): the JSON text found in `text`, repaired.
std::string ExtractJsonText(std::string_view text);

}  // namespace winnow::synth
