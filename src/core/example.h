// Example: one training example in Winnow's canonical chat form (DESIGN.md "Data model").
// Owning form used while a batch is processed; Dataset (dataset.h) stores many compactly.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace winnow {

enum class Role : uint8_t { System, User, Assistant, Tool };

// "system" / "user" / "assistant" / "tool".
std::string_view RoleName(Role r);
// Accepts the OpenAI names above; returns false for anything else.
bool ParseRole(std::string_view s, Role* out);

// The dataset formats Winnow reads and writes.
enum class Format : uint8_t { Unknown, Alpaca, ShareGPT, Messages, Preference, KTO, Text };
std::string_view FormatName(Format f);  // "alpaca", "sharegpt", "messages", "preference", "kto", "text"
bool ParseFormat(std::string_view s, Format* out);

struct Message {
  Role role = Role::User;
  std::string content;       // plain text (typed content parts are flattened; originals in `extra`)
  std::string name;          // optional participant / tool name
  std::string tool_calls;    // JSON array text in OpenAI form, empty when none
  std::string tool_call_id;  // for role tool, optional
  std::string extra;         // JSON object text of other keys of the message, verbatim; empty when none
  bool operator==(const Message&) const = default;
};

// Where a row came from. line is 1-based (0 when unknown); index is the 0-based row number
// within the file (JSONL line count of non-blank rows, JSON array index, CSV record);
// offset is the byte offset of the row's first byte in the (decompressed) input.
struct Origin {
  uint32_t file = 0;  // index into the run's list of input files
  uint64_t line = 0;
  uint64_t index = 0;
  uint64_t offset = 0;
  bool operator==(const Origin&) const = default;
};

// How chosen / rejected were given in the source.
enum class PrefForm : uint8_t { None, String, Messages, Message };

enum ShapeFlag : uint8_t {
  kShapeSystemField = 1,     // system prompt was a separate "system" field (alpaca / sharegpt)
  kShapeSystemInTurns = 2,   // system prompt was the first turn of the conversation list
  kShapeInputPresent = 4,    // alpaca "input" key was present (even if empty)
  kShapeToolsString = 8,     // tools were given as a JSON string (sharegpt) rather than a list
  kShapeKtoLabelInMeta = 16, // reserved
};

struct Example {
  uint64_t id = 0;                  // XXH3-64 of the source row's bytes
  std::vector<Message> messages;    // system first when present
  PrefForm pref = PrefForm::None;   // String: one assistant message each; Message: one message object
  std::vector<Message> chosen;
  std::vector<Message> rejected;
  bool has_text = false;
  std::string text;                 // raw pretraining text (format "text")
  std::string tools;                // JSON text of a tools list, empty when none
  int8_t label = -1;                // KTO label: -1 none, 0 false, 1 true
  // Alpaca keeps instruction and input apart: when >= 0, the last user message is
  // instruction + "\n" + input and this is the byte length of the instruction part.
  int32_t input_split = -1;
  std::string meta;                 // JSON object text of every other source field, verbatim ("" = none)
  // How the source laid the row out, so a same-format round trip keeps its shape (ShapeFlag bits).
  uint8_t shape = 0;
  Origin origin;
  Format source_format = Format::Unknown;
  bool operator==(const Example&) const = default;
};

// The index of the message that holds the alpaca instruction + input (the last user message), or
// messages.size() when there is none or the row has no split (input_split < 0).
size_t AlpacaSplitMessage(const Example& ex);

// Applies edit(std::string*) -> bool (true when it changed the text) to messages[i]'s content; for
// the message holding an alpaca instruction + input, to each part apart, moving input_split with
// the instruction's new length. Returns whether anything changed. Used by every step that edits text.
template <class Edit>
bool EditMessageContent(Example* ex, size_t i, Edit&& edit) {
  std::string& c = ex->messages[i].content;
  if (i != AlpacaSplitMessage(*ex) || static_cast<size_t>(ex->input_split) >= c.size()) return edit(&c);
  std::string instruction = c.substr(0, static_cast<size_t>(ex->input_split));
  std::string input = c.substr(static_cast<size_t>(ex->input_split) + 1);
  bool changed = edit(&instruction);
  changed |= edit(&input);
  if (changed) {
    ex->input_split = static_cast<int32_t>(instruction.size());
    c = instruction + "\n" + input;
  }
  return changed;
}

// Replaces the text of messages[i], keeping input_split true when that message holds an alpaca
// instruction + input: the split stays where the old instruction still ends the new text's first
// part, or before the old input when the text still ends with it; otherwise the whole text
// becomes the instruction (input_split = -1). Nothing is lost either way.
void SetMessageContent(Example* ex, size_t i, std::string text);

}  // namespace winnow
