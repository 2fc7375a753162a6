// Jinja parser: source text → AST (jinja_ast.h), with the lexing rules of the environment that
// Hugging Face transformers uses (trim_blocks, lstrip_blocks, newline normalization, no trailing
// newline). Internal to src/template; the public API is jinja_template.h.
#pragma once
#include <string_view>

#include "core/result.h"
#include "template/jinja_ast.h"

namespace winnow::jinja {

// Parses a template. Errors: code "template_syntax", message "<what> (line L, column C)".
Result<Body> ParseTemplate(std::string_view source);

// Python-style whitespace (str.isspace) at s[i], returning its byte length (0 when not space).
size_t PySpaceAt(std::string_view s, size_t i);

}  // namespace winnow::jinja
