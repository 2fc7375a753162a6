// MarkupChecks: structural damage in replies — unbalanced Markdown code fences, leftover HTML
// tags and entities, mojibake (UTF-8 decoded as Latin-1 / Windows-1252), and tool-call JSON that
// does not parse.
#pragma once
#include <span>
#include <string>
#include <string_view>

namespace winnow {

// True when a ``` or ~~~ fence is opened (CommonMark: up to 3 spaces of indent, 3+ fence chars)
// and never closed by a fence of the same character that is at least as long.
bool HasUnbalancedCodeFence(std::string_view text);

// Number of HTML tags of common elements (<p>, </div>, <br/>, <span class="x">, ...) and HTML
// entities (&nbsp;, &amp;, &#39;, ...) outside fenced code blocks and inline `code` spans.
// Angle brackets that are not tags of a known element ("a < b", "List<T>") do not count.
int CountHtmlLeftovers(std::string_view text);

// Number of mojibake sequences: a Latin-1 rendering of a UTF-8 lead byte (Â, Ã, â, ð, ...)
// followed by as many renderings of continuation bytes as that lead needs (e.g. "Ã©", "â€™"),
// plus every U+FFFD replacement character.
int CountMojibake(std::string_view text);

// Copy of text without fenced code blocks (fence lines included), so that prose statistics are
// not skewed by code. An unclosed fence hides the rest of the text, as a renderer would.
std::string RemoveFencedCode(std::string_view text);

// Number of JSON documents that do not parse: each non-empty string of `tool_calls` (a JSON array
// of calls; a call's function.arguments, when a string, must itself be JSON) and `tools`.
int CountInvalidToolJson(std::span<const std::string_view> tool_calls, std::string_view tools);

}  // namespace winnow
