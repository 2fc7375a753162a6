#include "pipeline/example_view.h"

#include <algorithm>

namespace winnow {

std::string_view TextViewName(TextView v) { return TextViewNames()[static_cast<size_t>(v)]; }

bool ParseTextView(std::string_view s, TextView* out) {
  const auto& names = TextViewNames();
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == s) {
      *out = static_cast<TextView>(i);
      return true;
    }
  }
  return false;
}

namespace {
void Sep(std::string* out) {
  if (!out->empty()) out->push_back('\n');
}
void AddTurns(const std::vector<Message>& ms, std::string_view prefix, std::string* out) {
  for (const Message& m : ms) {
    Sep(out);
    if (!prefix.empty()) {
      out->append(prefix);
      out->append(": ");
    }
    out->append(m.content);
  }
}
}  // namespace

void ViewText(const Example& ex, TextView view, std::string* out) {
  out->clear();
  switch (view) {
    case TextView::Example:
      for (const Message& m : ex.messages) {
        Sep(out);
        out->append(RoleName(m.role));
        out->append(": ");
        out->append(m.content);
      }
      AddTurns(ex.chosen, "chosen", out);
      AddTurns(ex.rejected, "rejected", out);
      if (ex.has_text) {
        Sep(out);
        out->append(ex.text);
      }
      break;
    case TextView::User:
      for (const Message& m : ex.messages) {
        if (m.role != Role::User) continue;
        Sep(out);
        out->append(m.content);
      }
      if (out->empty() && ex.has_text) out->append(ex.text);
      break;
    case TextView::Instruction:
      // Alpaca rows: the last user message is instruction + "\n" + input (earlier user messages
      // are history), so the instruction is its first input_split bytes.
      if (ex.input_split >= 0) {
        for (auto it = ex.messages.rbegin(); it != ex.messages.rend(); ++it) {
          if (it->role != Role::User) continue;
          size_t cut = std::min(static_cast<size_t>(ex.input_split), it->content.size());
          out->append(it->content, 0, cut);
          return;
        }
      }
      for (const Message& m : ex.messages) {
        if (m.role != Role::User) continue;
        out->append(m.content);
        return;
      }
      if (ex.has_text) out->append(ex.text);
      break;
    case TextView::Assistant:
      for (const Message& m : ex.messages) {
        if (m.role != Role::Assistant) continue;
        Sep(out);
        out->append(m.content);
      }
      AddTurns(ex.chosen, "", out);
      AddTurns(ex.rejected, "", out);
      if (out->empty() && ex.has_text) out->append(ex.text);
      break;
  }
}

uint64_t CodePoints(std::string_view s) {
  uint64_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

namespace {
void CountOne(std::string_view s, uint64_t* chars, uint64_t* words) {
  *chars += CodePoints(s);
  bool in = false;
  for (char c : s) {
    bool sp = c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
    if (!sp && !in) ++*words;
    in = !sp;
  }
}
}  // namespace

void CountChars(const Example& ex, uint64_t* chars, uint64_t* words) {
  *chars = 0;
  *words = 0;
  for (const Message& m : ex.messages) CountOne(m.content, chars, words);
  for (const Message& m : ex.chosen) CountOne(m.content, chars, words);
  for (const Message& m : ex.rejected) CountOne(m.content, chars, words);
  if (ex.has_text) CountOne(ex.text, chars, words);
}

}  // namespace winnow
