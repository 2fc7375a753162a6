// validate: drops rows that cannot be training examples — nothing in them, empty turns, no reply
// to learn from, a system message that is not first.
#include <algorithm>
#include <map>

#include "pipeline/pipeline_config.h"
#include "pipeline/step.h"
#include "pipeline/step_util.h"

namespace winnow {

namespace {

const std::vector<std::string_view> kChecks = {"empty", "empty_turn", "no_reply", "system_not_first"};

bool Blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; });
}

class ValidateStep final : public Step {
 public:
  std::string_view Type() const override { return "validate"; }
  Status Configure(const nlohmann::json& params) override {
    Status st = CheckParamKeys(Type(), params, {"checks"});
    if (!st.ok()) return st;
    std::vector<std::string> checks(kChecks.begin(), kChecks.end());
    if (!(st = GetParam(Type(), params, "checks", &checks)).ok()) return st;
    for (const std::string& c : checks) {
      if (std::find(kChecks.begin(), kChecks.end(), c) == kChecks.end()) {
        return Error{"bad_config", "validate: unknown check \"" + c + "\" in \"checks\"; allowed: empty, empty_turn, no_reply, system_not_first"};
      }
    }
    m_checks = checks;
    return Status::Ok();
  }
  nlohmann::json Params() const override { return nlohmann::json{{"checks", m_checks}}; }
  void Process(std::span<Row*> rows, StepContext&) override {
    for (Row* r : rows) {
      std::string reason, detail;
      if (Check(r->ex, &reason, &detail)) {
        r->verdict = Verdict{VerdictKind::Drop, "", reason, detail};
        ++m_counts[reason];
      }
    }
  }
  nlohmann::json Report() const override { return nlohmann::json{{"dropped_by_check", m_counts}}; }

 private:
  bool On(const char* c) const { return std::find(m_checks.begin(), m_checks.end(), c) != m_checks.end(); }
  bool Check(const Example& ex, std::string* reason, std::string* detail) const {
    bool pref = !ex.chosen.empty() || !ex.rejected.empty();
    if (On("empty") && ex.messages.empty() && !pref && (!ex.has_text || Blank(ex.text))) {
      *reason = "empty";
      *detail = "the row has no messages and no text";
      return true;
    }
    if (On("empty_turn")) {
      for (size_t i = 0; i < ex.messages.size(); ++i) {
        const Message& m = ex.messages[i];
        if ((m.role == Role::User || m.role == Role::Assistant) && Blank(m.content) && m.tool_calls.empty()) {
          *reason = "empty_turn";
          *detail = std::string(RoleName(m.role)) + " message " + std::to_string(i + 1) + " is empty";
          return true;
        }
      }
      for (const auto* side : {&ex.chosen, &ex.rejected}) {
        for (const Message& m : *side) {
          if (Blank(m.content) && m.tool_calls.empty()) {
            *reason = "empty_turn";
            *detail = std::string(side == &ex.chosen ? "chosen" : "rejected") + " reply is empty";
            return true;
          }
        }
      }
    }
    if (On("system_not_first")) {
      for (size_t i = 1; i < ex.messages.size(); ++i) {
        if (ex.messages[i].role == Role::System) {
          *reason = "system_not_first";
          *detail = "system message at position " + std::to_string(i + 1);
          return true;
        }
      }
    }
    if (On("no_reply") && !pref && !ex.messages.empty()) {
      // The last non-system turn must be the assistant's (or a tool-calling assistant turn's result).
      auto last = std::find_if(ex.messages.rbegin(), ex.messages.rend(), [](const Message& m) { return m.role != Role::System; });
      bool any_assistant = std::any_of(ex.messages.begin(), ex.messages.end(), [](const Message& m) { return m.role == Role::Assistant; });
      if (last == ex.messages.rend() || !any_assistant || last->role == Role::User) {
        *reason = "no_reply";
        *detail = any_assistant ? "the conversation ends with a user turn" : "no assistant turn to learn from";
        return true;
      }
    }
    return false;
  }
  std::vector<std::string> m_checks = std::vector<std::string>(kChecks.begin(), kChecks.end());
  std::map<std::string, uint64_t> m_counts;
};

}  // namespace

WINNOW_REGISTER_STEP(ValidateStep, "validate", "Drop rows that cannot train: empty, empty turns, no reply, misplaced system message");

}  // namespace winnow
