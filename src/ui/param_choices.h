// Parameter choices for the pipeline view's widgets: a step's default parameters, and the values a
// string (or list-of-strings) parameter accepts, read from the step's own validation message.
// Pure logic (no ImGui), so it is unit-tested; results are cached per step type and key.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace winnow::ui {

// The step type's Params() with no parameters given; an empty object for an unknown type.
const nlohmann::json& DefaultParams(const std::string& type);

// The values `key` accepts: the steps name them when a value is wrong ("must be one of: a, b" or
// "allowed: a, b"), so the step's validation is the one source of truth. `list` asks about a list
// parameter (each element one of the values). Empty when the parameter takes free text.
const std::vector<std::string>& AllowedValues(const std::string& type, const std::string& key, bool list);

// The allowed values named in a validation message for `key`, or empty (exposed for tests).
std::vector<std::string> AllowedFromMessage(const std::string& message, const std::string& key);

}  // namespace winnow::ui
