#include "synth/synth_engine.h"

#include <gtest/gtest.h>

#include "scripted_http_client.h"
#include "synth/response_store.h"

namespace winnow::synth {
namespace {

using nlohmann::json;
using test::OpenAiAnswer;
using test::ScriptedHttpClient;

ProviderConfig Cfg() {
  ProviderConfig c;
  c.base_url = "http://fake/v1";
  c.model = "m";
  return c;
}

std::string UserText(const HttpRequest& r) {
  json b = json::parse(r.body);
  return b["messages"].back()["content"].get<std::string>();
}

void RunToIdle(SynthEngine& e) {
  for (int i = 0; i < 100000 && !e.Idle(); ++i) e.Poll(10);
  ASSERT_TRUE(e.Idle());
}

const JsonShape kQa{{{"question", "string"}, {"answer", "string"}}};

TEST(SynthEngine, ConcurrencyLimitAndUsage) {
  ScriptedHttpClient http([](const HttpRequest& r) { return OpenAiAnswer("{\"question\":\"q\",\"answer\":\"" + UserText(r) + "\"}", 11, 3); });
  EngineOptions o;
  o.concurrency = 3;
  SynthEngine e(&http, nullptr, Cfg(), "k", o);
  for (int i = 0; i < 10; ++i) e.Add(CallSpec{{{"user", "p" + std::to_string(i)}}, kQa});
  RunToIdle(e);
  EXPECT_EQ(http.requests.size(), 10u);
  EXPECT_EQ(http.max_in_flight, 3u);
  for (size_t i = 0; i < 10; ++i) {
    ASSERT_TRUE(e.outcome(i).ok);
    EXPECT_EQ(e.outcome(i).value["answer"], "p" + std::to_string(i));
    EXPECT_EQ(e.outcome(i).input_tokens, 11u);
    EXPECT_EQ(e.outcome(i).requests, 1);
  }
  EXPECT_EQ(e.stats().input_tokens, 110u);
  EXPECT_EQ(e.stats().output_tokens, 30u);
  auto done = e.TakeCompleted();
  EXPECT_EQ(done.size(), 10u);
  EXPECT_TRUE(e.TakeCompleted().empty());
}

TEST(SynthEngine, RetriesHonourRetryAfterOnTheFakeClock) {
  int calls = 0;
  ScriptedHttpClient* hp = nullptr;
  std::vector<uint64_t> times;
  ScriptedHttpClient http([&](const HttpRequest&) {
    times.push_back(hp->now);
    if (++calls <= 2) {
      HttpResponse r;
      r.status = 429;
      r.headers.emplace_back("retry-after", "3");
      return r;
    }
    return OpenAiAnswer("plain");
  });
  hp = &http;
  SynthEngine e(&http, nullptr, Cfg(), "k", EngineOptions{});
  e.Add(CallSpec{{{"user", "x"}}, {}});
  RunToIdle(e);
  ASSERT_TRUE(e.outcome(0).ok);
  EXPECT_EQ(e.outcome(0).text, "plain");
  EXPECT_EQ(e.outcome(0).requests, 3);
  EXPECT_EQ(e.stats().retries, 2u);
  ASSERT_EQ(times.size(), 3u);
  EXPECT_GE(times[1] - times[0], 3000u);  // fake milliseconds, not wall-clock
  EXPECT_GE(times[2] - times[1], 3000u);
}

TEST(SynthEngine, GivesUpAfterMaxRetriesAndDoesNotRetry400) {
  ScriptedHttpClient http([](const HttpRequest& r) {
    HttpResponse x;
    x.status = UserText(r) == "bad" ? 400 : 503;
    x.body = "{\"error\":\"nope\"}";
    return x;
  });
  EngineOptions o;
  o.retry.max_retries = 2;
  o.retry.base_delay_ms = 100;
  SynthEngine e(&http, nullptr, Cfg(), "k", o);
  e.Add(CallSpec{{{"user", "busy"}}, {}});
  e.Add(CallSpec{{{"user", "bad"}}, {}});
  RunToIdle(e);
  EXPECT_FALSE(e.outcome(0).ok);
  EXPECT_EQ(e.outcome(0).reason, "http_503");
  EXPECT_EQ(e.outcome(0).requests, 3);
  EXPECT_FALSE(e.outcome(1).ok);
  EXPECT_EQ(e.outcome(1).reason, "http_400");
  EXPECT_EQ(e.outcome(1).requests, 1);
  EXPECT_EQ(e.stats().failures.at("http_503"), 1u);
}

TEST(SynthEngine, TransportTimeoutIsRetried) {
  int n = 0;
  ScriptedHttpClient http([&](const HttpRequest&) {
    if (n++ == 0) {
      HttpResponse r;
      r.error = "timeout";
      return r;
    }
    return OpenAiAnswer("ok");
  });
  SynthEngine e(&http, nullptr, Cfg(), "k", EngineOptions{});
  e.Add(CallSpec{{{"user", "x"}}, {}});
  RunToIdle(e);
  EXPECT_TRUE(e.outcome(0).ok);
  EXPECT_EQ(e.outcome(0).requests, 2);
}

TEST(SynthEngine, OneRepairRequestThenRejectedWithTheRawReply) {
  ScriptedHttpClient http([](const HttpRequest& r) {
    json b = json::parse(r.body);
    bool repair = b["messages"].size() > 1;
    std::string u = b["messages"][0]["content"];
    if (u == "fixable" && repair) return OpenAiAnswer("{\"question\":\"q\",\"answer\":\"a\"}");
    return OpenAiAnswer("no json here, sorry");
  });
  SynthEngine e(&http, nullptr, Cfg(), "k", EngineOptions{});
  e.Add(CallSpec{{{"user", "fixable"}}, kQa});
  e.Add(CallSpec{{{"user", "hopeless"}}, kQa});
  RunToIdle(e);
  ASSERT_TRUE(e.outcome(0).ok);
  EXPECT_TRUE(e.outcome(0).repaired);
  EXPECT_EQ(e.outcome(0).requests, 2);
  EXPECT_EQ(e.outcome(0).first_reply, "no json here, sorry");
  ASSERT_FALSE(e.outcome(1).ok);
  EXPECT_EQ(e.outcome(1).reason, "bad_json");
  EXPECT_EQ(e.outcome(1).requests, 2);  // one repair, not more
  EXPECT_EQ(e.outcome(1).text, "no json here, sorry");
  // The repair request shows the model its reply and what was wrong.
  bool saw_repair = false;
  for (const HttpRequest& r : http.requests) {
    json b = json::parse(r.body);
    if (b["messages"].size() == 3) {
      saw_repair = true;
      EXPECT_EQ(b["messages"][1]["role"], "assistant");
      EXPECT_NE(b["messages"][2]["content"].get<std::string>().find("\"question\": string"), std::string::npos);
    }
  }
  EXPECT_TRUE(saw_repair);
}

TEST(SynthEngine, CacheMakesTheSecondRunFree) {
  MemoryResponseStore cache;
  auto answer = [](const HttpRequest& r) { return OpenAiAnswer("{\"question\":\"q\",\"answer\":\"" + UserText(r) + "\"}"); };
  ScriptedHttpClient first(answer);
  {
    SynthEngine e(&first, &cache, Cfg(), "k", EngineOptions{});
    for (int i = 0; i < 5; ++i) e.Add(CallSpec{{{"user", "p" + std::to_string(i)}}, kQa});
    RunToIdle(e);
  }
  EXPECT_EQ(first.requests.size(), 5u);
  EXPECT_EQ(cache.size(), 5u);
  ScriptedHttpClient second(answer);
  SynthEngine e(&second, &cache, Cfg(), "k", EngineOptions{});
  for (int i = 0; i < 6; ++i) e.Add(CallSpec{{{"user", "p" + std::to_string(i)}}, kQa});  // one new prompt
  RunToIdle(e);
  EXPECT_EQ(second.requests.size(), 1u);
  EXPECT_EQ(e.stats().cache_hits, 5u);
  for (size_t i = 0; i < 6; ++i) EXPECT_EQ(e.outcome(i).value["answer"], "p" + std::to_string(i));
  // The cache holds replies, never the key.
  for (const auto& [k, v] : cache.entries()) EXPECT_EQ(v.find("\"k\""), std::string::npos);
}

TEST(SynthEngine, AuthFailureStopsEveryOtherCallAndTheKeyIsRedacted) {
  ScriptedHttpClient http([](const HttpRequest&) {
    HttpResponse r;
    r.status = 401;
    r.body = "{\"error\":\"Incorrect API key provided: sk-VERYSECRET\"}";
    return r;
  });
  EngineOptions o;
  o.concurrency = 1;
  SynthEngine e(&http, nullptr, Cfg(), "sk-VERYSECRET", o);
  for (int i = 0; i < 5; ++i) e.Add(CallSpec{{{"user", std::to_string(i)}}, {}});
  RunToIdle(e);
  EXPECT_EQ(http.requests.size(), 1u);
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(e.outcome(i).reason, "auth");
    EXPECT_EQ(e.outcome(i).detail.find("VERYSECRET"), std::string::npos) << e.outcome(i).detail;
  }
}

TEST(SynthEngine, CancelKeepsWhatFinished) {
  ScriptedHttpClient http([](const HttpRequest& r) { return OpenAiAnswer(UserText(r)); });
  MemoryResponseStore cache;
  EngineOptions o;
  o.concurrency = 2;
  SynthEngine e(&http, &cache, Cfg(), "k", o);
  for (int i = 0; i < 10; ++i) e.Add(CallSpec{{{"user", std::to_string(i)}}, {}});
  for (int i = 0; i < 4; ++i) e.Poll(1);
  size_t finished = 0;
  for (size_t i = 0; i < 10; ++i) finished += e.outcome(i).ok;
  ASSERT_GT(finished, 0u);
  ASSERT_LT(finished, 10u);
  e.Cancel();
  EXPECT_TRUE(e.Idle());
  EXPECT_GT(http.cancelled, 0u);
  size_t ok = 0, cancelled = 0;
  for (size_t i = 0; i < 10; ++i) {
    ok += e.outcome(i).ok;
    cancelled += e.outcome(i).reason == "cancelled";
  }
  EXPECT_EQ(ok, finished);
  EXPECT_EQ(ok + cancelled, 10u);
  EXPECT_EQ(cache.size(), finished);
  size_t before = http.requests.size();
  e.Poll(1);
  EXPECT_EQ(http.requests.size(), before);  // nothing more is sent
}

TEST(SynthEngine, DryRunSendsNothing) {
  SynthEngine e(nullptr, nullptr, Cfg(), "", EngineOptions{.concurrency = 4, .retry = {}, .repair_json = true, .dry_run = true, .seed = 0});
  e.Add(CallSpec{{{"user", "a"}}, kQa});
  e.Add(CallSpec{{{"user", "b"}}, kQa});
  e.Poll(0);
  EXPECT_TRUE(e.Idle());
  EXPECT_EQ(e.outcome(0).reason, "dry_run");
  EXPECT_EQ(e.stats().requests, 0u);
}

TEST(SynthEngine, DestroyedWhileInFlightCancelsTheRequests) {
  ScriptedHttpClient http([](const HttpRequest&) { return OpenAiAnswer("x"); });
  {
    SynthEngine e(&http, nullptr, Cfg(), "k", EngineOptions{});
    for (int i = 0; i < 3; ++i) e.Add(CallSpec{{{"user", std::to_string(i)}}, {}});
    e.Poll(0);  // starts all three; the scripted client answers one of them
    ASSERT_EQ(http.InFlight(), 2u);
  }
  EXPECT_EQ(http.InFlight(), 0u);
  http.Poll(1);  // nothing left to call back into
}

TEST(SynthEngine, UtcNowIsoShape) {
  std::string t = UtcNowIso();
  ASSERT_EQ(t.size(), 20u);
  EXPECT_EQ(t[4], '-');
  EXPECT_EQ(t[10], 'T');
  EXPECT_EQ(t[19], 'Z');
  EXPECT_GE(t.substr(0, 4), "2024");
}

}  // namespace
}  // namespace winnow::synth
