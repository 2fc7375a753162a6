// When to retry an LLM API call and how long to wait: 429 and 5xx answers and transport failures
// are retried with exponential backoff and jitter, honouring Retry-After; other answers are final.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "platform/http_client.h"

namespace winnow::synth {

struct RetryPolicy {
  int max_retries = 4;            // retries after the first attempt
  uint64_t base_delay_ms = 1000;  // first backoff; doubles per attempt
  uint64_t max_delay_ms = 60000;  // cap of the backoff and of Retry-After
};

// True for answers worth retrying: status 408, 409, 429, 5xx, and transport errors other than
// "cancelled".
bool IsRetryable(const HttpResponse& r);

// Retry-After as milliseconds: delta-seconds ("2", "1.5") are supported; an HTTP date or anything
// else gives -1 (the caller then uses its own backoff).
int64_t ParseRetryAfterMs(std::string_view value);

// The wait before retry number `attempt` (1 = first retry): Retry-After when the answer carries
// one (capped), else base * 2^(attempt-1) with "equal jitter" (half fixed, half random from
// `jitter_seed`, a deterministic per-call value).
uint64_t BackoffMs(const RetryPolicy& p, int attempt, const HttpResponse& r, uint64_t jitter_seed);

// A deterministic 64-bit mix (splitmix64), for per-call jitter and sampling.
uint64_t SplitMix64(uint64_t x);

}  // namespace winnow::synth
