// ScriptedHttpClient: an in-process HttpClient for the synth unit tests. Each request is answered by
// a test-given function at the next Poll(); time is a fake clock that Poll() advances by wait_ms, so
// backoff and Retry-After cost no real time.
#pragma once
#include <deque>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>

#include "platform/http_client.h"

namespace winnow::test {

class ScriptedHttpClient final : public HttpClient {
 public:
  using Answer = std::function<HttpResponse(const HttpRequest&)>;
  explicit ScriptedHttpClient(Answer answer) : m_answer(std::move(answer)) {}
  uint64_t Start(HttpRequest request, Callback done) override {
    uint64_t id = m_next++;
    requests.push_back(request);
    m_pending.push_back({id, std::move(request), std::move(done)});
    if (m_pending.size() > max_in_flight) max_in_flight = m_pending.size();
    return id;
  }
  void Cancel(uint64_t id) override {
    for (auto it = m_pending.begin(); it != m_pending.end(); ++it)
      if (it->id == id) {
        m_pending.erase(it);
        ++cancelled;
        return;
      }
  }
  void Poll(int wait_ms) override {
    now += static_cast<uint64_t>(wait_ms > 0 ? wait_ms : 1);
    // Answer one request per poll, the oldest first, so the concurrency limit is visible.
    if (m_pending.empty()) return;
    Pending p = std::move(m_pending.front());
    m_pending.pop_front();
    p.done(m_answer(p.request));
  }
  size_t InFlight() const override { return m_pending.size(); }
  uint64_t NowMs() override { return now; }

  std::vector<HttpRequest> requests;
  size_t max_in_flight = 0;
  size_t cancelled = 0;
  uint64_t now = 1000;

 private:
  struct Pending {
    uint64_t id;
    HttpRequest request;
    Callback done;
  };
  Answer m_answer;
  std::deque<Pending> m_pending;
  uint64_t m_next = 1;
};

// An OpenAI chat-completions 200 answer with `content`.
inline HttpResponse OpenAiAnswer(const std::string& content, int in = 10, int out = 5) {
  nlohmann::json j{{"choices", nlohmann::json::array({nlohmann::json{{"message", {{"role", "assistant"}, {"content", content}}}, {"finish_reason", "stop"}}})},
                   {"usage", {{"prompt_tokens", in}, {"completion_tokens", out}}}};
  HttpResponse r;
  r.status = 200;
  r.body = j.dump();
  return r;
}

}  // namespace winnow::test
