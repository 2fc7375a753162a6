// Text views of an Example that steps hash, shingle or compare: the whole example, the user turns,
// the instruction only, or the assistant turns. Turns are joined with "\n".
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/example.h"
#include "core/result.h"

namespace winnow {

enum class TextView : uint8_t { Example, User, Instruction, Assistant };
inline const std::vector<std::string_view>& TextViewNames() {
  static const std::vector<std::string_view> names = {"example", "user", "instruction", "assistant"};
  return names;
}
std::string_view TextViewName(TextView v);
bool ParseTextView(std::string_view s, TextView* out);

// Appends the view's text to *out (cleared first).
//  example:     every message as "role: content" lines, then chosen / rejected, then text
//  user:        the user turns
//  instruction: the first user turn (for alpaca rows, the instruction without its input)
//  assistant:   the assistant turns, plus chosen / rejected replies of preference rows
void ViewText(const Example& ex, TextView view, std::string* out);

// Total characters (code points) and words (runs of non-whitespace) over all message contents,
// chosen / rejected and text.
void CountChars(const Example& ex, uint64_t* chars, uint64_t* words);
uint64_t CodePoints(std::string_view s);

}  // namespace winnow
