#include <gtest/gtest.h>

#include "io/dataset_stats.h"

using namespace winnow;

namespace {
Example Conversation(int turns) {
  Example ex;
  for (int i = 0; i < turns; ++i) ex.messages.push_back(Message{i % 2 ? Role::Assistant : Role::User, "x"});
  return ex;
}
}  // namespace

// Turn counts are listed in numeric order ("2" before "10+"), not string order.
TEST(DatasetStats, TurnCountsInNumericOrder) {
  DatasetStats stats;
  for (int t : {12, 2, 10, 4, 2, 9, 30}) stats.AddRow(Conversation(t));
  nlohmann::ordered_json turns = stats.ToJson()["turns"];
  std::vector<std::string> keys;
  for (auto it = turns.begin(); it != turns.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"2", "4", "9", "10+"}));
  EXPECT_EQ(turns["2"], 2);
  EXPECT_EQ(turns["10+"], 3);
}
