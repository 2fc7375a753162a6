// Tests of the studio's synthesis panel without drawing: the panel's commands (the code behind its
// buttons) against an in-process scripted HTTP client on a host with a fake clock. The key typed into
// the panel goes out in a request header and nowhere else (pipeline, share link, outputs, status);
// a second run is served from the cache with zero requests; Cancel aborts what is in flight and
// keeps what finished, so the re-run sends only the rest; the rows become the dataset.
#include <gtest/gtest.h>

#include <cstdio>
#include <vector>

#include <nlohmann/json.hpp>

#include "../synth/scripted_http_client.h"
#include "synth/response_store.h"
#include "ui/app.h"
#include "ui/share_link.h"
#include "ui/studio.h"

namespace winnow::ui {
namespace {

using nlohmann::json;
const char* kKey = "sk-panel-test-RECOGNISABLE-0042";

class TestHost final : public Host {
 public:
  explicit TestHost(HttpClient* http) : m_http(http) {}
  double Now() override { return m_now += 0.001; }
  bool NativeFiles() const override { return true; }
  Status SaveFile(const std::string& name, const std::vector<std::string_view>& parts, std::string* where) override {
    std::string& f = saved[name];
    f.clear();
    for (std::string_view p : parts) f += p;
    if (where) *where = "memory";
    return Status::Ok();
  }
  void CopyText(const std::string& text) override { copied = text; }
  void DatasetOpened(const std::string& path) override { opened.push_back(path); }
  void SetFragment(const std::string& fragment) override { this->fragment = fragment; }
  HttpClient* Http() override { return m_http; }
  std::string PlatformName() const override { return "test"; }

  std::map<std::string, std::string> saved;
  std::string copied, fragment;
  std::vector<std::string> opened;

 private:
  HttpClient* m_http;
  double m_now = 0;
};

// A question / answer reply for every prompt (the number in the prompt makes each one distinct).
test::ScriptedHttpClient QaClient() {
  return test::ScriptedHttpClient([](const HttpRequest& r) {
    return test::OpenAiAnswer(json{{"question", "Q " + std::to_string(r.body.size())}, {"answer", "A"}}.dump());
  });
}

json Command(Studio& s, const json& c) { return json::parse(SynthCommand(s, c.dump())); }

// Pumps the panel (as frames do) until no synthesis run is going on.
void PumpUntilIdle(Studio& s) {
  for (int i = 0; i < 100000 && (s.synth.run.Running() || s.synth.preview.Running()); ++i) PumpSynth(s);
  ASSERT_FALSE(s.synth.run.Running());
}

json Configure(int topics, int64_t concurrency) {
  json t = json::array();
  for (int i = 0; i < topics; ++i) t.push_back("topic " + std::to_string(i));
  return json{{"cmd", "configure"}, {"base_url", "http://127.0.0.1:9/v1"}, {"model", "fake-model"}, {"recipe", "synth.qa"},
              {"concurrency", concurrency}, {"params", {{"topics", t}, {"per_topic", 2}}}};
}

TEST(SynthPanel, KeyOnlyInTheHeaderAndTheCacheMakesTheSecondRunFree) {
  auto http = QaClient();
  MemoryResponseStore cache;
  http.cache = &cache;
  TestHost host(&http);
  Studio s(host);
  s.pipeline = json{{"version", 1}, {"name", "p"}, {"seed", 0}, {"steps", json::array()}};
  ASSERT_TRUE(Command(s, Configure(3, 2))["ok"].get<bool>());
  EXPECT_FALSE(Command(s, {{"cmd", "configure"}, {"api_key", kKey}})["ok"].get<bool>());
  s.synth.api_key = kKey;  // what typing into the password field does

  ASSERT_TRUE(Command(s, {{"cmd", "dry_run"}})["ok"].get<bool>());
  PumpUntilIdle(s);
  EXPECT_EQ(http.requests.size(), 0u) << "a dry run sends nothing";
  EXPECT_EQ(s.synth.preview_report["estimate"]["calls"].get<uint64_t>(), 6u);
  EXPECT_EQ(s.synth.preview_report["prompts"].size(), 6u);
  EXPECT_EQ(SynthStatus(s)["estimate_cost"].get<std::string>().rfind("no price for fake-model", 0), 0u);

  ASSERT_TRUE(Command(s, {{"cmd", "run"}})["ok"].get<bool>());
  PumpUntilIdle(s);
  ASSERT_EQ(s.synth.run.state(), RunDriver::State::Done) << s.synth.run.error();
  EXPECT_EQ(http.requests.size(), 6u);
  EXPECT_LE(http.max_in_flight, 2u);
  for (const HttpRequest& r : http.requests) {
    bool in_header = false;
    for (const auto& [k, v] : r.headers) in_header |= v.find(kKey) != std::string::npos;
    EXPECT_TRUE(in_header);
    EXPECT_EQ(r.url.find(kKey), std::string::npos);
    EXPECT_EQ(r.body.find(kKey), std::string::npos);
  }
  EXPECT_EQ(s.synth.run_report["generated"].get<uint64_t>(), 6u);
  std::string kept = s.synth.run.Find("kept.jsonl")->bytes.ToString();

  // Second run: every reply from the cache.
  ASSERT_TRUE(Command(s, {{"cmd", "run"}})["ok"].get<bool>());
  PumpUntilIdle(s);
  EXPECT_EQ(http.requests.size(), 6u) << "the second run made requests";
  EXPECT_EQ(s.synth.run_report["cache_hits"].get<uint64_t>(), 6u);
  EXPECT_EQ(s.synth.run.Find("kept.jsonl")->bytes, kept);

  // Everything the panel can write: outputs, pipeline, share link, status. No key.
  ASSERT_TRUE(Command(s, {{"cmd", "download"}})["ok"].get<bool>());
  ASSERT_TRUE(Command(s, {{"cmd", "add_to_pipeline"}})["ok"].get<bool>());
  ASSERT_TRUE(Command(s, {{"cmd", "save_pipeline"}})["ok"].get<bool>());
  ASSERT_TRUE(Command(s, {{"cmd", "share"}})["ok"].get<bool>());
  EXPECT_EQ(host.saved.size(), 6u);  // synth-kept / rejected / annotations / report / README + pipeline.json
  for (const auto& [name, bytes] : host.saved) EXPECT_EQ(bytes.find(kKey), std::string::npos) << name;
  EXPECT_EQ(s.pipeline["steps"][0]["type"], "synth.qa");
  EXPECT_EQ(s.pipeline.dump().find(kKey), std::string::npos);
  EXPECT_NE(PipelineFromFragment(host.fragment).value_or("").find("synth.qa"), std::string::npos);
  EXPECT_EQ(PipelineFromFragment(host.fragment).value_or("").find(kKey), std::string::npos);
  EXPECT_EQ(SynthStatus(s).dump().find(kKey), std::string::npos);
  EXPECT_TRUE(SynthStatus(s)["key_set"].get<bool>());

  // The rows become the dataset.
  ASSERT_TRUE(Command(s, {{"cmd", "use"}})["ok"].get<bool>());
  for (int i = 0; i < 1000 && s.loader.Active(); ++i) s.loader.Pump(0.01, [&host] { return host.Now(); });
  ASSERT_EQ(s.loader.state(), DatasetLoader::State::Done) << s.loader.error();
  EXPECT_EQ(s.loader.dataset().size(), 6u);
}

TEST(SynthPanel, CancelAbortsInFlightAndTheRerunSendsOnlyTheRest) {
  auto http = QaClient();
  MemoryResponseStore cache;
  http.cache = &cache;
  TestHost host(&http);
  Studio s(host);
  ASSERT_TRUE(Command(s, Configure(10, 2))["ok"].get<bool>());  // 20 calls
  ASSERT_TRUE(Command(s, {{"cmd", "run"}})["ok"].get<bool>());
  for (int i = 0; i < 100000 && cache.size() < 5; ++i) PumpSynth(s);
  ASSERT_GE(cache.size(), 5u);
  ASSERT_LT(cache.size(), 20u);
  ASSERT_TRUE(Command(s, {{"cmd", "cancel"}})["ok"].get<bool>());
  PumpSynth(s);
  ASSERT_EQ(s.synth.run.state(), RunDriver::State::Cancelled);
  EXPECT_EQ(http.InFlight(), 0u) << "cancel aborts what is in flight";
  size_t sent = http.requests.size();
  for (int i = 0; i < 50; ++i) {
    PumpSynth(s);
    http.Poll(1);
  }
  EXPECT_EQ(http.requests.size(), sent) << "no request after the cancel";
  uint64_t finished = s.synth.run_report["succeeded"].get<uint64_t>();
  EXPECT_EQ(finished, cache.size()) << "the report's last view of the run counts what is cached";

  ASSERT_TRUE(Command(s, {{"cmd", "run"}})["ok"].get<bool>());
  PumpUntilIdle(s);
  ASSERT_EQ(s.synth.run.state(), RunDriver::State::Done) << s.synth.run.error();
  EXPECT_EQ(s.synth.run_report["generated"].get<uint64_t>(), 20u);
  EXPECT_EQ(s.synth.run_report["cache_hits"].get<uint64_t>(), finished);
  EXPECT_EQ(s.synth.run_report["requests"].get<uint64_t>(), 20u - finished);
  EXPECT_EQ(http.requests.size(), sent + (20u - finished));
}

TEST(SynthPanel, ConfigErrorsAreShownBeforeAnythingIsSent) {
  auto http = QaClient();
  TestHost host(&http);
  Studio s(host);
  json c = Configure(1, 1);
  c["params"]["per_topic"] = 0;
  json r = Command(s, c);
  EXPECT_FALSE(r["ok"].get<bool>());
  EXPECT_NE(r["message"].get<std::string>().find("per_topic"), std::string::npos) << r.dump();
  EXPECT_FALSE(Command(s, {{"cmd", "run"}})["ok"].get<bool>());
  json bad_prompt = Configure(1, 1);
  bad_prompt["prompt"] = "Write about {{nope}}";
  r = Command(s, bad_prompt);
  EXPECT_NE(r["message"].get<std::string>().find("nope"), std::string::npos) << r.dump();
  EXPECT_EQ(http.requests.size(), 0u);
}

// The desktop writes exports next to the dataset: the host must hear of every file opened by path,
// whichever way it was opened (command line, drop, or the in-app file browser, all App::OpenPath).
TEST(StudioHost, EveryDatasetOpenedByPathIsToldToTheHost) {
  TestHost host(nullptr);
  App app(host);
  std::string a = ::testing::TempDir() + "winnow_host_a.jsonl", b = ::testing::TempDir() + "winnow_host_b.jsonl";
  for (const std::string& p : {a, b}) {
    FILE* f = std::fopen(p.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::fputs("{\"instruction\": \"hi\", \"output\": \"hello\"}\n", f);
    std::fclose(f);
  }
  app.OpenPath(a);
  app.OpenPath(::testing::TempDir() + "winnow_host_missing.jsonl");  // unreadable: not opened, not told
  app.OpenPath(b);
  ASSERT_EQ(host.opened.size(), 2u);
  EXPECT_EQ(host.opened[0], a);
  EXPECT_EQ(host.opened[1], b);
  std::remove(a.c_str());
  std::remove(b.c_str());
}

}  // namespace
}  // namespace winnow::ui
