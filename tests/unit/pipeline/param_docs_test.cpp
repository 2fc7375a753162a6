// Every parameter of the steps the presets use has a description (the studio's tooltips): the keys
// come from each step's own Params(), so a new parameter without a description fails here.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "pipeline/param_docs.h"
#include "pipeline/step.h"

using namespace winnow;

TEST(ParamDocs, EveryParameterOfThePresetStepsIsDescribed) {
  const std::pair<const char*, const char*> steps[] = {
      {"validate", "{}"},     {"normalize", "{}"},   {"pii.scrub", "{}"},
      {"filter.quality", "{}"}, {"filter.language", "{}"}, {"dedup.exact", "{}"},
      {"dedup.near", "{}"},   {"decontaminate", R"({"references": ["ref.jsonl"]})"}, {"split", "{}"},
  };
  size_t described = 0;
  for (const auto& [type, params] : steps) {
    const StepInfo* info = FindStep(type);
    ASSERT_NE(info, nullptr) << type;
    auto step = info->make();
    ASSERT_TRUE(step->Configure(nlohmann::json::parse(params)).ok()) << type;
    const nlohmann::json p = step->Params();
    for (auto it = p.begin(); it != p.end(); ++it) {
      EXPECT_FALSE(ParamDoc(type, it.key()).empty()) << type << " \"" << it.key() << "\" has no description";
      ++described;
      if (!it.value().is_object()) continue;
      const std::string inner = std::string(type) + "." + it.key();
      for (auto jt = it.value().begin(); jt != it.value().end(); ++jt) {
        EXPECT_FALSE(ParamDoc(inner, jt.key()).empty()) << inner << " \"" << jt.key() << "\" has no description";
        ++described;
      }
    }
  }
  EXPECT_GT(described, 100u);
  // pseudonym_key is never in Params() as a value, but it is a parameter people set.
  EXPECT_NE(ParamDoc("pii.scrub", "pseudonym_key").find("never written"), std::string_view::npos);
}

TEST(ParamDocs, StepEntriesWinOverSharedOnesAndUnknownKeysHaveNone) {
  EXPECT_NE(ParamDoc("dedup.near", "threshold"), ParamDoc("*", "threshold"));
  EXPECT_EQ(ParamDoc("split", "threshold"), ParamDoc("*", "threshold"));  // split.near_duplicates' own key
  EXPECT_TRUE(ParamDoc("dedup.near", "no_such_key").empty());
  EXPECT_NE(ParamDoc("filter.quality.gopher_repetition", "max_top_3gram_frac").find("n-gram"), std::string_view::npos);
}
