// Prompt templates of the synth recipes: text with {{name}} placeholders that the user edits in the
// pipeline ("prompt" params) or the studio. Unknown names are errors, so a typo shows before any
// request is paid for.
#pragma once
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace winnow::synth {

using TemplateVars = std::map<std::string, std::string, std::less<>>;

// Names used by a template, in order of first use. Errors: "bad_config" for an unclosed "{{".
Result<std::vector<std::string>> TemplateNames(std::string_view tmpl);
// Checks that every name is one of `allowed`. Errors: bad_config naming the unknown placeholder
// and listing the allowed ones.
Status CheckTemplate(std::string_view tmpl, const std::vector<std::string>& allowed, std::string_view what);
// Fills the placeholders ("{{ name }}" with optional spaces). A name not in vars stays as written.
std::string RenderTemplate(std::string_view tmpl, const TemplateVars& vars);

}  // namespace winnow::synth
