// Source-row patching ("row_bytes": "source"): a kept JSONL row is written as its own source line,
// with only the JSON string values a step changed replaced by the JSON escape of the new value.
// Needs the row's source line and a decoder that reads it back the way the reader did.
#pragma once
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/example.h"

namespace winnow {

// One JSON string literal of a source line: [begin, end) covers the quotes; value is unescaped.
struct JsonStringToken {
  size_t begin = 0, end = 0;
  bool is_key = false;
  std::string value;
};

// Every string literal of one JSON text, in order. False when the text is not JSON this scanner can
// follow (bad escape, lone surrogate, unterminated string or a stray byte outside any token) — the
// caller then falls back to re-encoding. A hand scanner rather than simdjson's on-demand raw tokens:
// on-demand hands out a value's raw token but no byte range for keys, and walking every nested value
// of an unknown shape through it costs more code than this; the patch is checked by decoding it
// again anyway (PatchSourceRow).
bool ScanJsonStrings(std::string_view json, std::vector<JsonStringToken>* out);

// One changed string value: the old value (as the source decodes) and the new one.
struct StringEdit {
  std::string before, after;
};

// Replaces, in the JSON text `json`, the value tokens (never keys) whose unescaped value is an edit's
// `before` with the minimal JSON escape of its `after` (AppendJsonString). Every edit must be found:
// the value tokens equal to a `before` must be exactly as many as the edits with that `before`, and
// those edits must agree on `after` — otherwise (a value that appears twice with different
// treatment, or once in a field that did not change) nothing is written and false is returned.
// An edit whose `before` is no whole token is tried as the one changed middle (common prefix and
// suffix of before / after removed) inside exactly one value token.
bool PatchJsonStrings(std::string_view json, const std::vector<StringEdit>& edits, std::string* out);

// The string edits that turn `before` (the source row as read) into `after` (the row now): message
// contents (an alpaca instruction and input apart), names, tool call ids, tool_calls / tools / meta /
// extra string leaves, text. False when the rows differ in anything else (roles, turn count, a JSON
// structure, the format): such a row cannot be patched.
bool DiffExamples(const Example& before, const Example& after, std::vector<StringEdit>* edits);

// Decodes one source line into an Example the way the input's reader does; false when it does not.
using SourceRowDecoder = std::function<bool(std::string_view line, Example* ex)>;

// Appends to *out the source line `line` (no newline) patched to say what `now` says, and returns
// true; or returns false, appending nothing, when that cannot be done exactly: the line does not
// decode, the rows differ in more than string values, an edit cannot be located, or the patched line
// does not decode back to `now` (id and origin aside). The caller re-encodes the row then.
bool PatchSourceRow(std::string_view line, const Example& now, const SourceRowDecoder& decode, std::string* out);

}  // namespace winnow
