#include "synth/retry_policy.h"

namespace winnow::synth {

bool IsRetryable(const HttpResponse& r) {
  if (r.status == 0) return r.error != "cancelled";
  return r.status == 408 || r.status == 409 || r.status == 429 || (r.status >= 500 && r.status <= 599);
}

int64_t ParseRetryAfterMs(std::string_view v) {
  size_t i = 0;
  while (i < v.size() && v[i] == ' ') ++i;
  if (i == v.size()) return -1;
  int64_t whole = 0;
  size_t digits = 0;
  while (i < v.size() && v[i] >= '0' && v[i] <= '9' && digits < 9) {
    whole = whole * 10 + (v[i] - '0');
    ++i;
    ++digits;
  }
  if (digits == 0) return -1;
  int64_t ms = whole * 1000;
  if (i < v.size() && v[i] == '.') {
    ++i;
    int64_t scale = 100;
    while (i < v.size() && v[i] >= '0' && v[i] <= '9') {
      ms += (v[i] - '0') * scale;
      scale /= 10;
      ++i;
    }
  }
  while (i < v.size() && v[i] == ' ') ++i;
  return i == v.size() ? ms : -1;
}

uint64_t SplitMix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

uint64_t BackoffMs(const RetryPolicy& p, int attempt, const HttpResponse& r, uint64_t jitter_seed) {
  int64_t ra = ParseRetryAfterMs(r.Header("retry-after"));
  if (ra >= 0) return static_cast<uint64_t>(ra) < p.max_delay_ms ? static_cast<uint64_t>(ra) : p.max_delay_ms;
  uint64_t d = p.base_delay_ms;
  for (int k = 1; k < attempt && d < p.max_delay_ms; ++k) d *= 2;
  if (d > p.max_delay_ms) d = p.max_delay_ms;
  uint64_t half = d / 2;
  uint64_t jitter = half ? SplitMix64(jitter_seed ^ static_cast<uint64_t>(attempt)) % (half + 1) : 0;
  return half + jitter;
}

}  // namespace winnow::synth
