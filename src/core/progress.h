// Cancellation and progress for long work. Work runs in bounded chunks; between chunks it checks
// the token and reports progress, so the same code runs on a worker thread or sliced across frames.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <string_view>

namespace winnow {

// Thread-safe: Cancel() may be called from any thread.
class CancelToken {
 public:
  void Cancel() { m_cancelled.store(true, std::memory_order_relaxed); }
  bool Cancelled() const { return m_cancelled.load(std::memory_order_relaxed); }
  void Reset() { m_cancelled.store(false, std::memory_order_relaxed); }

 private:
  std::atomic<bool> m_cancelled{false};
};

// done / total in the unit named by `unit` ("bytes", "rows"); total 0 when unknown.
// Called from the thread doing the work; implementations must be cheap.
using ProgressSink = std::function<void(std::string_view stage, uint64_t done, uint64_t total)>;

}  // namespace winnow
