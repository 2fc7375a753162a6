#include "core/example.h"

namespace winnow {

std::string_view RoleName(Role r) {
  switch (r) {
    case Role::System: return "system";
    case Role::User: return "user";
    case Role::Assistant: return "assistant";
    case Role::Tool: return "tool";
  }
  return "user";
}

bool ParseRole(std::string_view s, Role* out) {
  if (s == "system") { *out = Role::System; return true; }
  if (s == "user") { *out = Role::User; return true; }
  if (s == "assistant") { *out = Role::Assistant; return true; }
  if (s == "tool") { *out = Role::Tool; return true; }
  return false;
}

std::string_view FormatName(Format f) {
  switch (f) {
    case Format::Alpaca: return "alpaca";
    case Format::ShareGPT: return "sharegpt";
    case Format::Messages: return "messages";
    case Format::Preference: return "preference";
    case Format::KTO: return "kto";
    case Format::Text: return "text";
    case Format::Unknown: break;
  }
  return "unknown";
}

bool ParseFormat(std::string_view s, Format* out) {
  for (Format f : {Format::Alpaca, Format::ShareGPT, Format::Messages, Format::Preference,
                   Format::KTO, Format::Text}) {
    if (s == FormatName(f)) { *out = f; return true; }
  }
  if (s == "openai") { *out = Format::Messages; return true; }
  return false;
}

size_t AlpacaSplitMessage(const Example& ex) {
  if (ex.input_split < 0) return ex.messages.size();
  for (size_t i = ex.messages.size(); i-- > 0;) {
    if (ex.messages[i].role == Role::User) return i;
  }
  return ex.messages.size();
}

void SetMessageContent(Example* ex, size_t i, std::string text) {
  if (i >= ex->messages.size()) return;
  std::string& old = ex->messages[i].content;
  if (i == AlpacaSplitMessage(*ex) && static_cast<size_t>(ex->input_split) < old.size()) {
    size_t split = static_cast<size_t>(ex->input_split);
    std::string_view instruction = std::string_view(old).substr(0, split + 1);  // with its '\n'
    std::string_view input = std::string_view(old).substr(split);                // from the '\n'
    if (text.size() >= instruction.size() && std::string_view(text).substr(0, instruction.size()) == instruction) {
      // The instruction is unchanged: the split stays.
    } else if (text.size() >= input.size() && std::string_view(text).substr(text.size() - input.size()) == input) {
      ex->input_split = static_cast<int32_t>(text.size() - input.size());
    } else {
      ex->input_split = -1;
    }
  }
  old = std::move(text);
}

}  // namespace winnow
