// The toxicity featurizer: tokenization rules by hand, and equality with the training script's
// featurizer on the held-out tweets (fixture written by scripts/train_toxicity.py).
#include "filters/toxicity_featurizer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "filters_test_util.h"
#include "toxicity_test_util.h"

namespace winnow {
namespace {

using Words = std::vector<std::string>;

std::string AssetDir() { return std::string(WINNOW_SOURCE_DIR) + "/assets/models/toxicity"; }

TEST(ToxicityFeaturizer, Fnv1a64KnownVectors) {
  EXPECT_EQ(Fnv1a64(""), 0xCBF29CE484222325ull);
  EXPECT_EQ(Fnv1a64("a"), 0xAF63DC4C8601EC8Cull);
  EXPECT_EQ(Fnv1a64("foobar"), 0x85944171F73967E8ull);
}

TEST(ToxicityFeaturizer, TokenizeMentionsUrlsCaseAndApostrophes) {
  ToxicityFeaturizer f;
  EXPECT_EQ(f.Tokenize("RT @some_user: Check https://t.co/XyZ NOW!!!"),
            (Words{"rt", "<user>", "check", "<url>", "now"}));
  EXPECT_EQ(f.Tokenize("see WWW.Example.com/a?b=c, ok"), (Words{"see", "<url>", "ok"}));
  // "http" inside a word is not a URL start.
  EXPECT_EQ(f.Tokenize("xhttp://y"), (Words{"xhttp", "y"}));
  EXPECT_EQ(f.Tokenize("Don't can't 'quoted'"), (Words{"dont", "cant", "quoted"}));
  EXPECT_EQ(f.Tokenize("soooooo goooood!!! 1000000"), (Words{"sooo", "goood", "1000000"}));
  EXPECT_EQ(f.Tokenize("  \t\n"), Words{});
  EXPECT_EQ(f.Tokenize("@"), Words{});
  // Bytes >= 0x80 are word bytes and are not lowercased (ASCII only).
  EXPECT_EQ(f.Tokenize("\xC3\x84pfel-SAFT"), (Words{"\xC3\x84pfel", "saft"}));
}

TEST(ToxicityFeaturizer, FeaturesSortedUniqueAndUnitNorm) {
  ToxicityFeaturizer f;
  SparseFeatures a = f.Featurize("You are a wonderful person, really wonderful.");
  ASSERT_FALSE(a.indices.empty());
  ASSERT_EQ(a.indices.size(), a.values.size());
  double ss = 0;
  for (size_t i = 0; i < a.indices.size(); ++i) {
    if (i > 0) {
      EXPECT_LT(a.indices[i - 1], a.indices[i]);
    }
    EXPECT_GE(a.indices[i], 0);
    EXPECT_LT(a.indices[i], int64_t{1} << 18);
    EXPECT_GT(a.values[i], 0.0f);
    ss += double(a.values[i]) * a.values[i];
  }
  EXPECT_NEAR(ss, 1.0, 1e-6);
  EXPECT_TRUE(f.Featurize("").indices.empty());
  EXPECT_TRUE(f.Featurize("!!! ,,, ...").indices.empty());
  // Case and letter runs are normalised away.
  EXPECT_EQ(f.Featurize("YOU are so COOOOOOL!").indices, f.Featurize("you are so coool").indices);
  EXPECT_NE(f.Featurize("you are so cool").indices, f.Featurize("you are so coool").indices);
}

TEST(ToxicityFeaturizer, ParamsFromShippedJson) {
  std::string text;
  ASSERT_TRUE(test::ReadFileBytes(AssetDir() + "/featurizer.json", &text)) << "assets/models/toxicity/featurizer.json";
  auto p = ParseToxicityFeaturizerParams(text);
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->buckets, 1u << 18);
  EXPECT_EQ(p->labels, (std::vector<std::string>{"hate", "offensive", "neither"}));
  EXPECT_EQ(p->char_n_min, 3);
  EXPECT_EQ(p->char_n_max, 5);

  EXPECT_FALSE(ParseToxicityFeaturizerParams("{").ok());
  EXPECT_EQ(ParseToxicityFeaturizerParams(R"({"featurizer_version": 2, "buckets": 8, "hash": "fnv1a64",
      "max_repeat": 3, "char_ngram": [3, 5], "labels": ["a"]})").error().code, "bad_model");
  EXPECT_FALSE(ParseToxicityFeaturizerParams(R"({"featurizer_version": 1, "buckets": 8, "hash": "xxh3",
      "max_repeat": 3, "char_ngram": [3, 5], "labels": ["a"]})").ok());
  EXPECT_TRUE(ParseToxicityFeaturizerParams(R"({"featurizer_version": 1, "buckets": 8, "hash": "fnv1a64",
      "max_repeat": 3, "char_ngram": [3, 5], "labels": ["a"]})").ok());
}

// Every held-out row of the fixture: the same feature indices (exact digest and count) and values
// (sums to 1e-9) as the Python featurizer.
TEST(ToxicityFeaturizer, EqualsTrainingFeaturizerOnHeldOutRows) {
  const std::string csv = std::string(WINNOW_SHARED_DATA) + "/toxicity/labeled_data.csv";
  std::vector<test::LabeledTweet> tweets;
  if (!test::ReadLabeledTweets(csv, &tweets)) {
    GTEST_SKIP() << "shared dataset not found at " << csv << " (../shared/data); skipping the featurizer comparison";
  }
  std::vector<test::HeldOutRef> refs;
  ASSERT_TRUE(test::ReadHeldOutRef(std::string(WINNOW_SOURCE_DIR) + "/tests/unit/filters/data/toxicity_heldout_ref.tsv",
                                   &refs));
  ASSERT_GE(refs.size(), 100u);
  ASSERT_EQ(tweets.size(), 24783u);
  std::map<int64_t, const test::LabeledTweet*> by_id;
  for (const auto& t : tweets) by_id[t.id] = &t;
  std::string params_text;
  ASSERT_TRUE(test::ReadFileBytes(AssetDir() + "/featurizer.json", &params_text));
  auto params = ParseToxicityFeaturizerParams(params_text);
  ASSERT_TRUE(params.ok());
  ToxicityFeaturizer f(*params);
  SparseFeatures feats;
  size_t checked = 0;
  for (const auto& r : refs) {
    auto it = by_id.find(r.id);
    ASSERT_NE(it, by_id.end()) << "row " << r.id;
    f.Featurize(it->second->text, &feats);
    ASSERT_EQ(feats.indices.size(), r.nnz) << "row " << r.id;
    ASSERT_EQ(test::IndexDigest(feats.indices), r.index_digest) << "row " << r.id;
    double vsum = 0, vdot = 0;
    for (size_t i = 0; i < feats.indices.size(); ++i) {
      vsum += feats.values[i];
      vdot += double(feats.values[i]) * double(feats.indices[i] % 1000);
    }
    EXPECT_NEAR(vsum, r.value_sum, 1e-9) << "row " << r.id;
    EXPECT_NEAR(vdot, r.value_dot, 1e-6) << "row " << r.id;
    ++checked;
  }
  EXPECT_EQ(checked, refs.size());
}

// The fixture's rows are the first rows of the held-out split as recomputed here.
TEST(ToxicityFeaturizer, HeldOutSplitMatchesScript) {
  const std::string csv = std::string(WINNOW_SHARED_DATA) + "/toxicity/labeled_data.csv";
  std::vector<test::LabeledTweet> tweets;
  if (!test::ReadLabeledTweets(csv, &tweets)) {
    GTEST_SKIP() << "shared dataset not found at " << csv << " (../shared/data); skipping the split check";
  }
  std::vector<test::HeldOutRef> refs;
  ASSERT_TRUE(test::ReadHeldOutRef(std::string(WINNOW_SOURCE_DIR) + "/tests/unit/filters/data/toxicity_heldout_ref.tsv",
                                   &refs));
  std::string params_text;
  ASSERT_TRUE(test::ReadFileBytes(AssetDir() + "/featurizer.json", &params_text));
  auto card = nlohmann::json::parse(params_text, nullptr, false);
  ASSERT_FALSE(card.is_discarded());
  const auto& split = card["training"]["split"];
  auto held = test::HeldOutSplit(tweets, split["seed"].get<uint64_t>(), split["heldout_percent"].get<int>(), 3);
  EXPECT_EQ(held.size(), card["training"]["heldout_rows"].get<size_t>());
  ASSERT_GE(held.size(), refs.size());
  for (size_t i = 0; i < refs.size(); ++i) EXPECT_EQ(tweets[held[i]].id, refs[i].id) << "position " << i;
}

}  // namespace
}  // namespace winnow
