#include "synth/synth_engine.h"

#include <algorithm>
#include <chrono>

#include "synth/response_store.h"

namespace winnow::synth {

using nlohmann::json;

namespace {

enum class Phase : uint8_t { Queued, Waiting, InFlight, Finished };

struct Call {
  CallSpec spec;
  CallOutcome out;
  Phase phase = Phase::Queued;
  std::vector<ChatMessage> messages;  // what is sent: the spec's, or the repair conversation
  bool in_repair = false;
  int attempt = 0;                    // retries of the current request
  uint64_t not_before = 0;
  uint64_t http_id = 0;
};

constexpr size_t kDetailMax = 300;

}  // namespace

std::string UtcNowIso() {
  int64_t t = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  int64_t days = t / 86400, sec = t % 86400;
  // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  char buf[32];
  auto two = [](char* p, int64_t v) { p[0] = static_cast<char>('0' + v / 10); p[1] = static_cast<char>('0' + v % 10); };
  int64_t yy = y;
  for (int k = 3; k >= 0; --k) { buf[k] = static_cast<char>('0' + yy % 10); yy /= 10; }
  buf[4] = '-'; two(buf + 5, m); buf[7] = '-'; two(buf + 8, d); buf[10] = 'T';
  two(buf + 11, sec / 3600); buf[13] = ':'; two(buf + 14, (sec / 60) % 60); buf[16] = ':'; two(buf + 17, sec % 60);
  buf[19] = 'Z';
  return std::string(buf, 20);
}

struct SynthEngine::State : std::enable_shared_from_this<SynthEngine::State> {
  HttpClient* http = nullptr;
  ResponseStore* cache = nullptr;
  ProviderConfig cfg;
  std::string key;
  EngineOptions opts;
  std::vector<Call> calls;
  size_t cursor = 0;              // calls[cursor..] were never started
  std::vector<size_t> waiting;    // retries and repairs, ready at their not_before
  size_t in_flight = 0;
  std::vector<size_t> completed;
  EngineStats stats;
  bool auth_failed = false;
  std::string auth_detail;

  uint64_t Now() { return http ? http->NowMs() : 0; }

  std::string Redact(std::string s) const {
    if (key.size() >= 4) {
      for (size_t p; (p = s.find(key)) != std::string::npos;) s.replace(p, key.size(), "[REDACTED]");
    }
    if (s.size() > kDetailMax) s = s.substr(0, kDetailMax) + "...";
    return s;
  }

  void Finish(size_t i, bool ok, std::string reason, std::string detail) {
    Call& c = calls[i];
    c.phase = Phase::Finished;
    c.out.done = true;
    c.out.ok = ok;
    c.out.reason = std::move(reason);
    c.out.detail = Redact(std::move(detail));
    completed.push_back(i);
    if (ok) {
      ++stats.succeeded;
    } else {
      ++stats.rejected;
      ++stats.failures[c.out.reason];
    }
  }

  void HandleReply(size_t i, const ChatReply& reply) {
    Call& c = calls[i];
    c.out.input_tokens += reply.input_tokens;
    c.out.output_tokens += reply.output_tokens;
    stats.input_tokens += reply.input_tokens;
    stats.output_tokens += reply.output_tokens;
    c.out.text = reply.text;
    if (c.spec.shape.empty()) {
      if (reply.text.empty()) return Finish(i, false, "empty_reply", "the model replied with no text");
      return Finish(i, true, "", "");
    }
    auto parsed = ParseJsonReply(reply.text, c.spec.shape);
    if (parsed.ok()) {
      c.out.value = std::move(parsed.value());
      c.out.repaired = c.in_repair;
      return Finish(i, true, "", "");
    }
    if (opts.repair_json && !c.in_repair) {
      // One repair attempt: the model sees its reply and what was wrong with it.
      c.in_repair = true;
      c.out.first_reply = reply.text;
      c.messages = c.spec.messages;
      c.messages.push_back(ChatMessage{"assistant", reply.text});
      c.messages.push_back(ChatMessage{"user", "Your reply could not be used: " + parsed.error().message +
                                                   ". Reply again with only the JSON, in the shape " +
                                                   c.spec.shape.Describe() + ", and nothing else."});
      c.attempt = 0;
      c.not_before = 0;
      c.phase = Phase::Waiting;
      waiting.push_back(i);
      ++stats.repairs;
      return;
    }
    Finish(i, false, parsed.error().code, parsed.error().message);
  }

  void Send(size_t i) {
    Call& c = calls[i];
    std::string ck = CacheKey(cfg, c.messages);
    if (cache) {
      if (auto v = cache->Get(ck)) {
        json j = json::parse(*v, nullptr, false);
        if (!j.is_discarded() && j.is_object() && j.contains("text") && j["text"].is_string()) {
          ChatReply r;
          r.text = j["text"].get<std::string>();
          r.input_tokens = j.value("input_tokens", uint64_t{0});
          r.output_tokens = j.value("output_tokens", uint64_t{0});
          c.out.created = j.value("created", std::string());
          ++c.out.cache_hits;
          ++stats.cache_hits;
          return HandleReply(i, r);
        }
      }
    }
    if (opts.dry_run) return Finish(i, false, "dry_run", "dry run: nothing was sent");
    if (!http) return Finish(i, false, "network", "no HTTP client in this front end");
    c.phase = Phase::InFlight;
    ++in_flight;
    ++c.out.requests;
    ++stats.requests;
    std::weak_ptr<State> weak = weak_from_this();
    c.http_id = http->Start(BuildChatRequest(cfg, c.messages, key), [weak, i, ck](HttpResponse r) {
      if (auto s = weak.lock()) s->OnResponse(i, ck, std::move(r));
    });
  }

  void Retry(size_t i, const HttpResponse& r, const std::string& reason, const std::string& detail) {
    Call& c = calls[i];
    if (c.attempt >= opts.retry.max_retries) {
      return Finish(i, false, reason, detail + " (after " + std::to_string(c.attempt + 1) + " attempts)");
    }
    ++c.attempt;
    ++stats.retries;
    uint64_t seed = SplitMix64(opts.seed ^ (static_cast<uint64_t>(i) * 0x9E3779B97F4A7C15ull));
    c.not_before = Now() + BackoffMs(opts.retry, c.attempt, r, seed);
    c.phase = Phase::Waiting;
    waiting.push_back(i);
  }

  void OnResponse(size_t i, const std::string& ck, HttpResponse r) {
    Call& c = calls[i];
    if (c.phase != Phase::InFlight) return;
    --in_flight;
    c.http_id = 0;
    if (r.status == 200) {
      auto reply = ParseChatReply(cfg.kind, r.body);
      if (!reply.ok()) return Retry(i, r, "bad_reply", reply.error().message);
      c.out.created = UtcNowIso();
      if (cache) {
        cache->Put(ck, json{{"text", reply.value().text},
                            {"input_tokens", reply.value().input_tokens},
                            {"output_tokens", reply.value().output_tokens},
                            {"created", c.out.created}}.dump());
      }
      return HandleReply(i, reply.value());
    }
    std::string reason = r.status ? "http_" + std::to_string(r.status) : r.error;
    std::string detail = r.status ? "HTTP " + std::to_string(r.status) + ": " + r.body : r.error_detail;
    if (r.status == 401 || r.status == 403) {
      // The key is wrong or lacks access: every other call would fail the same way.
      auth_failed = true;
      auth_detail = detail;
      return Finish(i, false, "auth", detail);
    }
    if (IsRetryable(r)) return Retry(i, r, reason, detail);
    Finish(i, false, reason, detail);
  }

  void Pump() {
    if (auth_failed) {
      for (size_t w : waiting)
        if (calls[w].phase == Phase::Waiting) Finish(w, false, "auth", "not sent: an earlier call was refused (" + auth_detail + ")");
      waiting.clear();
      while (cursor < calls.size()) Finish(cursor++, false, "auth", "not sent: an earlier call was refused (" + auth_detail + ")");
      return;
    }
    uint64_t now = Now();
    // Bounded by the number of calls: each iteration starts or finishes one.
    while (in_flight < static_cast<size_t>(std::max(1, opts.concurrency))) {
      size_t best = SIZE_MAX, best_pos = 0;
      for (size_t k = 0; k < waiting.size(); ++k) {
        size_t w = waiting[k];
        if (calls[w].not_before <= now && w < best) {
          best = w;
          best_pos = k;
        }
      }
      if (best != SIZE_MAX) {
        waiting.erase(waiting.begin() + static_cast<std::ptrdiff_t>(best_pos));
      } else if (cursor < calls.size()) {
        best = cursor++;
      } else {
        break;
      }
      Send(best);
      if (auth_failed) return Pump();
    }
  }
};

SynthEngine::SynthEngine(HttpClient* http, ResponseStore* cache, ProviderConfig cfg, std::string api_key, EngineOptions opts)
    : m_state(std::make_shared<State>()) {
  m_state->http = http;
  m_state->cache = cache;
  m_state->cfg = std::move(cfg);
  m_state->key = std::move(api_key);
  m_state->opts = opts;
}

SynthEngine::~SynthEngine() {
  if (!m_state->http) return;
  for (Call& c : m_state->calls)
    if (c.phase == Phase::InFlight) m_state->http->Cancel(c.http_id);
}

size_t SynthEngine::Add(CallSpec spec) {
  Call c;
  c.messages = spec.messages;
  c.out.prompt_hash = PromptHash(spec.messages);
  c.spec = std::move(spec);
  m_state->calls.push_back(std::move(c));
  ++m_state->stats.calls;
  return m_state->calls.size() - 1;
}

void SynthEngine::Poll(int wait_ms) {
  State& s = *m_state;
  s.Pump();
  if (s.http && (s.in_flight > 0 || !s.waiting.empty())) {
    int wait = wait_ms;
    if (s.in_flight == 0) {
      // Only retries are pending: sleep until the first is due (at most wait_ms).
      uint64_t now = s.Now(), due = UINT64_MAX;
      for (size_t w : s.waiting) due = std::min(due, s.calls[w].not_before);
      wait = due <= now ? 0 : static_cast<int>(std::min<uint64_t>(due - now, static_cast<uint64_t>(wait_ms)));
    }
    s.http->Poll(wait);
    s.Pump();
  }
}

std::vector<size_t> SynthEngine::TakeCompleted() {
  std::vector<size_t> out;
  out.swap(m_state->completed);
  std::sort(out.begin(), out.end());
  return out;
}

bool SynthEngine::Idle() const {
  const State& s = *m_state;
  return s.cursor == s.calls.size() && s.waiting.empty() && s.in_flight == 0;
}

void SynthEngine::Cancel() {
  State& s = *m_state;
  for (size_t i = 0; i < s.calls.size(); ++i) {
    Call& c = s.calls[i];
    if (c.phase == Phase::Finished) continue;
    if (c.phase == Phase::InFlight) {
      if (s.http) s.http->Cancel(c.http_id);
      --s.in_flight;
    }
    s.Finish(i, false, "cancelled", "the run was cancelled");
  }
  s.waiting.clear();
  s.cursor = s.calls.size();
}

size_t SynthEngine::size() const { return m_state->calls.size(); }
const CallSpec& SynthEngine::spec(size_t i) const { return m_state->calls[i].spec; }
const CallOutcome& SynthEngine::outcome(size_t i) const { return m_state->calls[i].out; }
const EngineStats& SynthEngine::stats() const { return m_state->stats; }
const ProviderConfig& SynthEngine::config() const { return m_state->cfg; }

}  // namespace winnow::synth
