// The pipeline view's choices come from the steps themselves: defaults from Params(), the allowed
// values of string and list parameters from the steps' validation messages.
#include <gtest/gtest.h>

#include "ui/param_choices.h"

namespace winnow::ui {
namespace {

TEST(ParamChoices, EnumStringsAndListsComeFromTheStepsMessages) {
  EXPECT_EQ(AllowedValues("pii.scrub", "operator", false),
            (std::vector<std::string>{"replace", "mask", "pseudonym", "drop_row"}));
  EXPECT_EQ(AllowedValues("pii.scrub", "fields", true),
            (std::vector<std::string>{"messages", "chosen", "rejected", "text", "meta", "tool_calls"}));
  EXPECT_EQ(AllowedValues("pii.scrub", "roles", true), (std::vector<std::string>{"system", "user", "assistant", "tool"}));
  // Free text has no choices; an unknown step or key has none either.
  EXPECT_TRUE(AllowedValues("pii.scrub", "pseudonym_key", false).empty());
  EXPECT_TRUE(AllowedValues("no.such.step", "x", false).empty());
}

TEST(ParamChoices, DefaultsAreTheStepsOwnParams) {
  const nlohmann::json& d = DefaultParams("pii.scrub");
  ASSERT_TRUE(d.is_object());
  EXPECT_EQ(d["operator"], "replace");
  EXPECT_EQ(d["max_hits"], -1);
  EXPECT_TRUE(DefaultParams("no.such.step").empty());
}

TEST(ParamChoices, MessagesParse) {
  EXPECT_EQ(AllowedFromMessage("split: \"method\" must be one of: random, stratified, time, got \"x\"", "method"),
            (std::vector<std::string>{"random", "stratified", "time"}));
  EXPECT_TRUE(AllowedFromMessage("split: \"method\" must be one of: random, got \"x\"", "other").empty());
  EXPECT_TRUE(AllowedFromMessage("x: \"k\" must be a string of 1 to 8 characters", "k").empty());
}

}  // namespace
}  // namespace winnow::ui
