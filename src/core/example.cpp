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

}  // namespace winnow
