// Structural checks of one Example (the `winnow validate` verb and the pipeline's `validate` step):
// empty replies, roles out of order, misplaced system prompts, tool calls whose arguments are not
// JSON, tool results without a call. Each finding has a stable code and a human sentence.
#pragma once
#include <string>
#include <vector>

#include "core/example.h"

namespace winnow {

struct ValidationIssue {
  std::string code;    // see kValidationCodes
  std::string detail;  // names the turn, e.g. "turn 3 (assistant) is empty"
};

// Stable codes, in the order reports list them.
inline constexpr const char* kValidationCodes[] = {
    "empty_conversation",  // no messages (and no text)
    "empty_reply",         // an assistant turn (or chosen / rejected) that is empty or whitespace
    "empty_turn",          // a user / system / tool turn that is empty or whitespace
    "system_not_first",    // a system message after the first position
    "roles_not_alternating",  // user/assistant do not alternate (tool turns may follow calls)
    "no_assistant_reply",  // an SFT conversation without any assistant turn
    "ends_with_user",      // an SFT conversation whose last turn is the user's
    "bad_tool_call",       // tool_calls not a list of {function:{name, arguments}} or arguments not JSON
    "orphan_tool_result",  // a tool turn with no preceding assistant tool call
    "empty_text",          // a text row whose text is empty or whitespace
};

// Appends every issue found in ex to *out (nothing when the example is sound).
void ValidateExample(const Example& ex, std::vector<ValidationIssue>* out);

bool IsWhitespaceOnly(std::string_view s);

}  // namespace winnow
