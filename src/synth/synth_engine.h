// SynthEngine: runs many chat calls against one provider through an HttpClient — a concurrency
// limit, retries with exponential backoff and jitter on 429 / 5xx / transport errors (honouring
// Retry-After), the reply cache (ResponseStore), strict JSON parsing with one repair request, a dry
// run that records prompts without sending, cancel, and token usage per call. Driven by Poll():
// once per frame in the page, in a loop natively. Not thread-safe.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "platform/http_client.h"
#include "synth/json_reply.h"
#include "synth/provider.h"
#include "synth/retry_policy.h"

namespace winnow::synth {

struct CallSpec {
  std::vector<ChatMessage> messages;
  JsonShape shape;  // empty: the reply is plain text
};

struct CallOutcome {
  bool done = false;
  bool ok = false;
  std::string text;           // the reply that was used (or the last one, when rejected)
  nlohmann::json value;       // the parsed JSON (when a shape was asked for)
  std::string first_reply;    // the reply before the repair request, when one was made
  // When !ok: "bad_json", "wrong_schema", "bad_reply", "http_<status>", "timeout", "connect",
  // "network", "cancelled", "dry_run", "auth" (a 401 / 403 stops all further calls).
  std::string reason;
  std::string detail;         // human-readable (the key, if a server echoes it, is redacted)
  int requests = 0;           // HTTP requests sent for this call (retries and repair included)
  int cache_hits = 0;         // replies taken from the cache
  bool repaired = false;      // the JSON came from the repair request
  uint64_t input_tokens = 0;  // provider-reported usage, summed over the call's replies
  uint64_t output_tokens = 0;
  std::string prompt_hash;    // PromptHash(spec.messages)
  std::string created;        // UTC time the used reply first arrived ("2026-01-31T12:00:00Z"); kept
                              // in the cache, so a re-run from the cache writes the same rows
};

// The current UTC time as "YYYY-MM-DDTHH:MM:SSZ" (integer arithmetic, no locale).
std::string UtcNowIso();

struct EngineOptions {
  int concurrency = 4;
  RetryPolicy retry;
  bool repair_json = true;
  bool dry_run = false;  // record prompts, send nothing: every call ends with reason "dry_run"
  uint64_t seed = 0;     // for the backoff jitter
};

struct EngineStats {
  uint64_t calls = 0, succeeded = 0, rejected = 0;
  uint64_t requests = 0, cache_hits = 0, retries = 0, repairs = 0;
  uint64_t input_tokens = 0, output_tokens = 0;
  std::map<std::string, uint64_t> failures;  // reason -> calls
};

class SynthEngine {
 public:
  // `http` must outlive the engine; may be null only for a dry run. `cache` may be null.
  SynthEngine(HttpClient* http, ResponseStore* cache, ProviderConfig cfg, std::string api_key, EngineOptions opts);
  ~SynthEngine();  // cancels what is in flight: no callback reaches a destroyed engine
  SynthEngine(const SynthEngine&) = delete;
  SynthEngine& operator=(const SynthEngine&) = delete;

  // Queues a call; returns its index (0, 1, ...).
  size_t Add(CallSpec spec);
  // Starts what the limit and the backoff allow, lets the client run (waiting up to wait_ms
  // natively) and handles replies. Replies from the cache are handled here without a request.
  void Poll(int wait_ms);
  // Indices of calls finished since the last TakeCompleted(), ascending.
  std::vector<size_t> TakeCompleted();
  // Nothing queued, waiting for a retry or in flight.
  bool Idle() const;
  // Ends every unfinished call with reason "cancelled" (in-flight requests are aborted).
  void Cancel();

  size_t size() const;
  const CallSpec& spec(size_t i) const;
  const CallOutcome& outcome(size_t i) const;
  const EngineStats& stats() const;
  const ProviderConfig& config() const;

 private:
  struct State;
  std::shared_ptr<State> m_state;
};

}  // namespace winnow::synth
