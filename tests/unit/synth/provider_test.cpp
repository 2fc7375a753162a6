#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "synth/cost.h"
#include "synth/json_reply.h"
#include "synth/prompt_template.h"
#include "synth/provider.h"
#include "synth/retry_policy.h"

namespace winnow::synth {
namespace {

using nlohmann::json;

TEST(Provider, OpenAiRequestPutsTheKeyInAHeaderOnly) {
  ProviderConfig cfg;
  cfg.base_url = "http://127.0.0.1:9/v1/";
  cfg.model = "m1";
  cfg.json_mode = true;
  HttpRequest r = BuildChatRequest(cfg, {{"system", "be brief"}, {"user", "hi"}}, "sk-SECRET");
  EXPECT_EQ(r.url, "http://127.0.0.1:9/v1/chat/completions");
  EXPECT_EQ(r.url.find("SECRET"), std::string::npos);
  EXPECT_EQ(r.body.find("SECRET"), std::string::npos);
  bool auth = false;
  for (auto& [k, v] : r.headers) auth |= k == "Authorization" && v == "Bearer sk-SECRET";
  EXPECT_TRUE(auth);
  json b = json::parse(r.body);
  EXPECT_EQ(b["model"], "m1");
  ASSERT_EQ(b["messages"].size(), 2u);
  EXPECT_EQ(b["messages"][0]["role"], "system");
  EXPECT_EQ(b["response_format"]["type"], "json_object");
}

TEST(Provider, AnthropicRequestMovesTheSystemPromptOut) {
  ProviderConfig cfg;
  cfg.kind = ProviderKind::Anthropic;
  cfg.model = "claude-x";
  HttpRequest r = BuildChatRequest(cfg, {{"system", "rules"}, {"user", "hi"}}, "ak");
  EXPECT_EQ(r.url, "https://api.anthropic.com/v1/messages");
  json b = json::parse(r.body);
  EXPECT_EQ(b["system"], "rules");
  ASSERT_EQ(b["messages"].size(), 1u);
  EXPECT_EQ(b["messages"][0]["role"], "user");
  bool key = false, version = false;
  for (auto& [k, v] : r.headers) {
    key |= k == "x-api-key" && v == "ak";
    version |= k == "anthropic-version";
  }
  EXPECT_TRUE(key);
  EXPECT_TRUE(version);
}

TEST(Provider, NoKeyNoAuthHeader) {
  ProviderConfig cfg;
  cfg.base_url = "http://localhost:8080/v1";
  HttpRequest r = BuildChatRequest(cfg, {{"user", "hi"}}, "");
  for (auto& [k, v] : r.headers) EXPECT_NE(k, "Authorization");
}

TEST(Provider, ParsesBothWireFormats) {
  auto o = ParseChatReply(ProviderKind::OpenAI,
                          R"({"choices":[{"message":{"role":"assistant","content":"hello"},"finish_reason":"stop"}],"usage":{"prompt_tokens":7,"completion_tokens":2}})");
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o.value().text, "hello");
  EXPECT_EQ(o.value().input_tokens, 7u);
  EXPECT_EQ(o.value().output_tokens, 2u);
  auto a = ParseChatReply(ProviderKind::Anthropic,
                          R"({"content":[{"type":"text","text":"he"},{"type":"text","text":"llo"}],"stop_reason":"end_turn","usage":{"input_tokens":3,"output_tokens":4}})");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a.value().text, "hello");
  EXPECT_EQ(a.value().finish_reason, "end_turn");
  EXPECT_EQ(a.value().output_tokens, 4u);
  EXPECT_FALSE(ParseChatReply(ProviderKind::OpenAI, "{\"choices\": [ oops").ok());
  EXPECT_FALSE(ParseChatReply(ProviderKind::OpenAI, R"({"content":[{"type":"text","text":"x"}]})").ok());
  EXPECT_FALSE(ParseChatReply(ProviderKind::Anthropic, R"({"choices":[]})").ok());
}

TEST(Provider, CacheKeyDependsOnEverythingButTheKey) {
  ProviderConfig a;
  a.model = "m";
  std::vector<ChatMessage> p = {{"user", "x"}};
  std::string k = CacheKey(a, p);
  EXPECT_EQ(k.size(), 32u);
  EXPECT_EQ(k, CacheKey(a, p));
  ProviderConfig b = a;
  b.model = "m2";
  EXPECT_NE(k, CacheKey(b, p));
  b = a;
  b.temperature = 0.2;
  EXPECT_NE(k, CacheKey(b, p));
  b = a;
  b.kind = ProviderKind::Anthropic;
  EXPECT_NE(k, CacheKey(b, p));
  b = a;
  b.base_url = "http://localhost:1/v1";
  EXPECT_NE(k, CacheKey(b, p));
  EXPECT_NE(k, CacheKey(a, {{"user", "y"}}));
  // The timeout does not change the answer.
  b = a;
  b.timeout_ms = 5;
  EXPECT_EQ(k, CacheKey(b, p));
}

TEST(RetryPolicy, RetriesTheRightAnswers) {
  HttpResponse r;
  for (int s : {429, 500, 502, 503, 529, 408}) {
    r.status = s;
    EXPECT_TRUE(IsRetryable(r)) << s;
  }
  for (int s : {400, 401, 403, 404, 422}) {
    r.status = s;
    EXPECT_FALSE(IsRetryable(r)) << s;
  }
  r.status = 0;
  r.error = "timeout";
  EXPECT_TRUE(IsRetryable(r));
  r.error = "cancelled";
  EXPECT_FALSE(IsRetryable(r));
}

TEST(RetryPolicy, RetryAfterAndBackoff) {
  EXPECT_EQ(ParseRetryAfterMs("2"), 2000);
  EXPECT_EQ(ParseRetryAfterMs(" 1.5 "), 1500);
  EXPECT_EQ(ParseRetryAfterMs("Wed, 21 Oct 2015 07:28:00 GMT"), -1);
  EXPECT_EQ(ParseRetryAfterMs(""), -1);
  RetryPolicy p;
  p.base_delay_ms = 1000;
  p.max_delay_ms = 30000;
  HttpResponse r;
  r.status = 429;
  r.headers.emplace_back("retry-after", "7");
  EXPECT_EQ(BackoffMs(p, 1, r, 1), 7000u);
  r.headers[0].second = "999";
  EXPECT_EQ(BackoffMs(p, 1, r, 1), 30000u);  // capped
  r.headers.clear();
  for (int attempt = 1; attempt <= 4; ++attempt) {
    uint64_t full = 1000ull << (attempt - 1);
    for (uint64_t seed = 0; seed < 50; ++seed) {
      uint64_t d = BackoffMs(p, attempt, r, seed);
      EXPECT_GE(d, full / 2);
      EXPECT_LE(d, full);
    }
  }
  // Jitter: different calls wait different times.
  EXPECT_NE(BackoffMs(p, 3, r, 1), BackoffMs(p, 3, r, 2));
  EXPECT_EQ(BackoffMs(p, 3, r, 1), BackoffMs(p, 3, r, 1));
}

TEST(JsonReply, FindsFencedAndEmbeddedJson) {
  JsonShape qa{{{"question", "string"}, {"answer", "string"}}};
  auto a = ParseJsonReply("```json\n{\"question\": \"q\", \"answer\": \"a\"}\n```", qa);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a.value()["answer"], "a");
  auto b = ParseJsonReply("Here you go: {\"question\": \"q\", \"answer\": \"a\",} hope it helps", qa);
  ASSERT_TRUE(b.ok()) << b.error().message;
  auto c = ParseJsonReply("{\"question\": \"q\", \"answer\": \"cut off", qa);  // max_tokens cut
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c.value()["answer"], "cut off");
  auto d = ParseJsonReply("\xE2\x80\x9Cquestion\xE2\x80\x9D", qa);
  EXPECT_FALSE(d.ok());
}

TEST(JsonReply, RejectsWhatIsNotThere) {
  JsonShape qa{{{"question", "string"}, {"answer", "string"}}};
  auto a = ParseJsonReply("I cannot answer that.", qa);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().code, "bad_json");
  auto b = ParseJsonReply("{\"q\": \"x\", \"a\": \"y\"}", qa);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().code, "wrong_schema");
  EXPECT_NE(b.error().message.find("question"), std::string::npos);
  auto c = ParseJsonReply("{\"question\": 3, \"answer\": \"y\"}", qa);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, "wrong_schema");
  JsonShape list{{{"role", "string"}, {"content", "string"}}, true, 4};
  auto d = ParseJsonReply("[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"assistant\",\"content\":\"b\"}]", list);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.error().message.find("at least 4"), std::string::npos);
  auto e = ParseJsonReply("{\"conversation\": [{\"role\":\"user\",\"content\":\"a\"}]}", JsonShape{{{"role", "string"}, {"content", "string"}}, true, 1});
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(e.value().is_array());
}

TEST(PromptTemplate, RendersAndChecksNames) {
  EXPECT_EQ(RenderTemplate("Q about {{topic}} ({{ difficulty }}), {{unknown}}", {{"topic", "tea"}, {"difficulty", "easy"}}),
            "Q about tea (easy), {{unknown}}");
  EXPECT_TRUE(CheckTemplate("{{a}} {{b}}", {"a", "b"}, "p").ok());
  Status st = CheckTemplate("{{a}} {{topc}}", {"a", "topic"}, "synth.qa: \"prompt\"");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("{{topc}}"), std::string::npos);
  EXPECT_NE(st.error().message.find("{{topic}}"), std::string::npos);
  EXPECT_FALSE(CheckTemplate("{{a", {"a"}, "p").ok());
}

TEST(Cost, PriceTableAndEstimate) {
  auto t = PriceTable::Parse(R"({"currency":"USD","models":{"gpt-4o":{"input":2.5,"output":10},"gpt-4o-mini":{"input":0.15,"output":0.6}}})");
  ASSERT_TRUE(t.ok());
  ASSERT_NE(t.value().Find("gpt-4o-mini-2024-07-18"), nullptr);
  EXPECT_DOUBLE_EQ(t.value().Find("gpt-4o-mini-2024-07-18")->input_per_million, 0.15);  // longest prefix
  EXPECT_DOUBLE_EQ(t.value().Find("gpt-4o-2024")->input_per_million, 2.5);
  EXPECT_EQ(t.value().Find("llama3"), nullptr);
  EXPECT_DOUBLE_EQ(EstimateCost(t.value(), "gpt-4o", 1000000, 100000), 3.5);
  EXPECT_LT(EstimateCost(t.value(), "other", 1, 1), 0);
  EXPECT_EQ(FormatMoney(3.5, "USD"), "$3.5000");
  EXPECT_EQ(FormatMoney(0.00012, "EUR"), "EUR 0.0001");
  EXPECT_FALSE(PriceTable::Parse(R"({"models":{"x":{"input":-1,"output":1}}})").ok());
  EXPECT_EQ(EstimateTokens("abcdefgh"), 2u);
  EXPECT_EQ(EstimateTokens(std::vector<ChatMessage>{{"user", "abcd"}}), 5u);
}

}  // namespace
}  // namespace winnow::synth
