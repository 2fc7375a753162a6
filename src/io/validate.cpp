#include "io/validate.h"

#include <nlohmann/json.hpp>

namespace winnow {

bool IsWhitespaceOnly(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') return false;
  }
  return true;
}

namespace {

std::string Turn(size_t i, Role r) { return "turn " + std::to_string(i + 1) + " (" + std::string(RoleName(r)) + ")"; }

void CheckToolCalls(const Message& m, size_t i, std::vector<ValidationIssue>* out) {
  auto calls = nlohmann::json::parse(m.tool_calls, nullptr, false);
  if (calls.is_discarded() || !calls.is_array()) {
    out->push_back({"bad_tool_call", Turn(i, m.role) + ": tool_calls is not a JSON list"});
    return;
  }
  for (const auto& c : calls) {
    const nlohmann::json* fn = c.is_object() && c.contains("function") ? &c["function"] : &c;
    if (!fn->is_object() || !fn->contains("name") || !(*fn)["name"].is_string()) {
      out->push_back({"bad_tool_call", Turn(i, m.role) + ": a tool call has no function name"});
      continue;
    }
    if (fn->contains("arguments")) {
      const auto& a = (*fn)["arguments"];
      if (a.is_string()) {
        auto parsed = nlohmann::json::parse(a.get<std::string>(), nullptr, false);
        if (parsed.is_discarded()) {
          out->push_back({"bad_tool_call", Turn(i, m.role) + ": arguments of " + (*fn)["name"].get<std::string>() +
                                               " are not valid JSON"});
        }
      }
    }
  }
}

}  // namespace

void ValidateExample(const Example& ex, std::vector<ValidationIssue>* out) {
  if (ex.has_text && ex.messages.empty()) {
    if (IsWhitespaceOnly(ex.text)) out->push_back({"empty_text", "the text is empty or whitespace"});
    return;
  }
  const auto& ms = ex.messages;
  if (ms.empty() && ex.pref == PrefForm::None) {
    out->push_back({"empty_conversation", "the row has no messages"});
    return;
  }
  bool pending_call = false, any_assistant = false;
  Role prev = Role::System;
  bool have_prev = false;
  for (size_t i = 0; i < ms.size(); ++i) {
    const Message& m = ms[i];
    if (m.role == Role::System && i > 0) out->push_back({"system_not_first", Turn(i, m.role) + " is a system message"});
    bool blank = IsWhitespaceOnly(m.content) && m.tool_calls.empty();
    if (blank) {
      if (m.role == Role::Assistant) out->push_back({"empty_reply", Turn(i, m.role) + " is empty"});
      else out->push_back({"empty_turn", Turn(i, m.role) + " is empty"});
    }
    if (!m.tool_calls.empty()) {
      CheckToolCalls(m, i, out);
      pending_call = true;
    }
    if (m.role == Role::Tool) {
      if (!pending_call) out->push_back({"orphan_tool_result", Turn(i, m.role) + " follows no tool call"});
    }
    if (m.role == Role::Assistant) any_assistant = true;
    if (m.role == Role::User || m.role == Role::Assistant) {
      // Alternation between user and assistant; tool turns in between are fine, and an assistant
      // may speak again after tool results.
      if (have_prev && prev == m.role && !(m.role == Role::Assistant && pending_call)) {
        out->push_back({"roles_not_alternating", Turn(i, m.role) + " follows another " + std::string(RoleName(m.role)) + " turn"});
      }
      if (m.role == Role::User) pending_call = false;
      if (m.role == Role::Assistant && m.tool_calls.empty()) pending_call = false;
      prev = m.role;
      have_prev = true;
    }
  }
  if (ex.pref != PrefForm::None) {
    for (const auto* side : {&ex.chosen, &ex.rejected}) {
      bool empty = side->empty();
      for (const auto& m : *side) empty = empty || (m.role == Role::Assistant && IsWhitespaceOnly(m.content) && m.tool_calls.empty());
      if (empty) out->push_back({"empty_reply", std::string(side == &ex.chosen ? "chosen" : "rejected") + " answer is empty"});
    }
    return;
  }
  if (!any_assistant) {
    out->push_back({"no_assistant_reply", "the conversation has no assistant turn"});
  } else if (!ms.empty() && ms.back().role == Role::User) {
    out->push_back({"ends_with_user", "the last turn is the user's"});
  }
}

}  // namespace winnow
