// Native tests against the fake provider (tests/synth/fake_provider.py, started by run_with_fake.sh):
// the libcurl client (status, headers, timeout, connect error, cancel) and a synth pipeline that is
// cancelled half way — it stops within a few runner slices, and what finished is kept in the cache
// so the re-run pays only for the rest.
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "http_client_native.h"
#include "pipeline/example_source.h"
#include "pipeline/pipeline_config.h"
#include "pipeline/pipeline_run.h"
#include "synth/provider.h"
#include "synth/response_store.h"

namespace winnow {
namespace {

using nlohmann::json;

std::string FakeUrl() {
  const char* u = std::getenv("WINNOW_FAKE_PROVIDER");
  return u ? u : "";
}

#define REQUIRE_FAKE()                                                                          \
  if (FakeUrl().empty()) GTEST_SKIP() << "WINNOW_FAKE_PROVIDER is not set: run through tests/synth/run_with_fake.sh (ctest synth_live)"

HttpResponse Fetch(CurlHttpClient& http, HttpRequest req) {
  HttpResponse out;
  bool done = false;
  http.Start(std::move(req), [&](HttpResponse r) {
    out = std::move(r);
    done = true;
  });
  for (int i = 0; i < 2000 && !done; ++i) http.Poll(20);
  EXPECT_TRUE(done);
  return out;
}

json Count(CurlHttpClient& http) {
  HttpRequest r;
  r.method = "GET";
  r.url = FakeUrl() + "/count";
  HttpResponse resp = Fetch(http, r);
  return json::parse(resp.body, nullptr, false);
}

TEST(CurlHttpClient, ChatRoundTripAndHeaders) {
  REQUIRE_FAKE();
  CurlHttpClient http;
  synth::ProviderConfig cfg;
  cfg.base_url = FakeUrl() + "/v1";
  cfg.model = "m";
  HttpResponse r = Fetch(http, synth::BuildChatRequest(cfg, {{"user", "Say hello"}}, ""));
  ASSERT_EQ(r.status, 200) << r.error_detail;
  EXPECT_EQ(r.Header("access-control-allow-origin"), "*");
  auto reply = synth::ParseChatReply(synth::ProviderKind::OpenAI, r.body);
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply.value().text.rfind("Rewritten text ", 0), 0u);
  EXPECT_GT(reply.value().input_tokens, 0u);
}

TEST(CurlHttpClient, RetryAfterHeaderArrives) {
  REQUIRE_FAKE();
  CurlHttpClient http;
  synth::ProviderConfig cfg;
  cfg.base_url = FakeUrl() + "/v1";
  HttpResponse r = Fetch(http, synth::BuildChatRequest(cfg, {{"user", "live [[429]] header test"}}, ""));
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.Header("retry-after"), "1");
}

TEST(CurlHttpClient, TimeoutAndConnectErrors) {
  REQUIRE_FAKE();
  CurlHttpClient http;
  synth::ProviderConfig cfg;
  cfg.base_url = FakeUrl() + "/v1";
  cfg.timeout_ms = 300;
  HttpResponse t = Fetch(http, synth::BuildChatRequest(cfg, {{"user", "live [[timeout]] test"}}, ""));
  EXPECT_EQ(t.status, 0);
  EXPECT_EQ(t.error, "timeout");
  HttpRequest closed;
  closed.url = "http://127.0.0.1:1/v1/chat/completions";
  HttpResponse c = Fetch(http, closed);
  EXPECT_EQ(c.status, 0);
  EXPECT_EQ(c.error, "connect");
}

TEST(CurlHttpClient, CancelledRequestNeverCallsBack) {
  REQUIRE_FAKE();
  CurlHttpClient http;
  synth::ProviderConfig cfg;
  cfg.base_url = FakeUrl() + "/v1";
  bool called = false;
  uint64_t id = http.Start(synth::BuildChatRequest(cfg, {{"user", "live [[slow]] cancel"}}, ""), [&](HttpResponse) { called = true; });
  http.Poll(10);
  http.Cancel(id);
  EXPECT_EQ(http.InFlight(), 0u);
  for (int i = 0; i < 30; ++i) http.Poll(20);
  EXPECT_FALSE(called);
}

PipelineConfig SlowQa(int topics) {
  json topics_json = json::array();
  for (int i = 0; i < topics; ++i) topics_json.push_back("topic " + std::to_string(i) + " [[slow]]");
  json params{{"base_url", FakeUrl() + "/v1"}, {"model", "fake-model"}, {"api_key_env", ""},
              {"concurrency", 2}, {"topics", topics_json}, {"per_topic", 1}};
  return SingleStepPipeline("synth.qa", params, 1);
}

TEST(SynthPipeline, CancelStopsSoonAndKeepsWhatFinished) {
  REQUIRE_FAKE();
  CurlHttpClient http;
  MemoryResponseStore cache;
  http.cache = &cache;
  CurlHttpClient probe;
  uint64_t before = Count(probe)["completions"].get<uint64_t>();
  const int kCalls = 20;
  MemoryOutputs out;
  RunOptions opts;
  opts.http = &http;
  auto run = PipelineRun::Start(SlowQa(kCalls), MakeVectorSource({}), &out, opts);
  ASSERT_TRUE(run.ok()) << run.error().message;
  PipelineRun& r = *run.value();
  int slices = 0;
  while (cache.size() < 4 && r.Step(1000) && ++slices < 100000) {
  }
  ASSERT_GE(cache.size(), 4u);
  ASSERT_LT(cache.size(), static_cast<size_t>(kCalls));
  r.Cancel();
  int after_cancel = 0;
  while (r.Step(1000)) ++after_cancel;
  EXPECT_LE(after_cancel, 2);  // slices, not seconds: each waits at most ~50 ms natively
  EXPECT_EQ(r.status().error().code, "cancelled");
  size_t kept = cache.size();
  // What finished before the cancel is in the cache; the re-run pays only for the rest.
  uint64_t mid = Count(probe)["completions"].get<uint64_t>();
  EXPECT_GE(mid - before, kept);
  MemoryOutputs out2;
  auto run2 = RunPipeline(SlowQa(kCalls), MakeVectorSource({}), &out2, opts);
  ASSERT_TRUE(run2.ok()) << run2.error().message;
  EXPECT_EQ(run2.value().kept, static_cast<uint64_t>(kCalls));
  const json& rep = run2.value().report["steps"][0]["report"];
  EXPECT_EQ(rep["cache_hits"].get<uint64_t>(), kept);
  EXPECT_EQ(rep["requests"].get<uint64_t>(), static_cast<uint64_t>(kCalls) - kept);
  // The server agrees; requests aborted by the cancel may still have finished there (at most
  // `concurrency` = 2 of them).
  uint64_t end = Count(probe)["completions"].get<uint64_t>();
  EXPECT_GE(end - mid, static_cast<uint64_t>(kCalls) - kept);
  EXPECT_LE(end - mid, static_cast<uint64_t>(kCalls) - kept + 2);
}

}  // namespace
}  // namespace winnow
