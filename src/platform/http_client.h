// HttpClient: asynchronous HTTP for LLM API calls (synthesis). Start a request with a completion
// callback; natively Poll() drives libcurl's multi interface (native/http_client_native.cpp), in the
// page fetch() with an AbortController does the work and JS calls back (wasm/http_client_web.cpp).
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace winnow {

struct HttpRequest {
  std::string method = "POST";
  std::string url;
  // Header names as sent (e.g. "Authorization"). Values may hold secrets: never log them.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  uint32_t timeout_ms = 60000;  // whole request; 0 = none
};

struct HttpResponse {
  int status = 0;  // HTTP status; 0 when the transfer failed (see error)
  // Transport failure, empty on any HTTP answer: "timeout", "cancelled", "connect", "network".
  std::string error;
  std::string error_detail;  // the platform's message (no header values)
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  // First value of a header by lower-case name, or "".
  std::string Header(const std::string& lower_name) const {
    for (const auto& [k, v] : headers)
      if (k == lower_name) return v;
    return {};
  }
};

class ResponseStore;  // synth/response_store.h

class HttpClient {
 public:
  using Callback = std::function<void(HttpResponse)>;
  virtual ~HttpClient() = default;
  // Starts a request and returns its id (> 0). `done` is called exactly once — from Poll()
  // natively, from the browser's event loop in the page — unless Cancel(id) is called first, in
  // which case it is never called. Never calls `done` from inside Start().
  virtual uint64_t Start(HttpRequest request, Callback done) = 0;
  // Aborts a request (no-op when it already finished).
  virtual void Cancel(uint64_t id) = 0;
  // Natively: runs transfers, waiting up to wait_ms for activity, and delivers completions. In the
  // page: nothing (completions arrive between frames). Must not block in the browser.
  virtual void Poll(int wait_ms) = 0;
  // Requests started and not yet completed or cancelled.
  virtual size_t InFlight() const = 0;
  // Monotonic milliseconds, for backoff and Retry-After. Tests override it with a fake clock.
  virtual uint64_t NowMs() {
    return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::steady_clock::now().time_since_epoch()).count());
  }

  // Services that travel with the client for the synthesis steps, set by the front end:
  // resolves the name a pipeline gives in "api_key_env" to a key (the CLI reads the environment,
  // the studio its in-memory key field); empty when unknown. Keys never leave through anything else.
  std::function<std::string(const std::string& name)> secret_lookup;
  // Where replies are cached (a directory natively, IndexedDB-backed memory in the page); may be null.
  ResponseStore* cache = nullptr;
};

// For the CLI: a client whose requests complete while a pipeline runs to completion (libcurl
// natively: native/http_client_native.cpp). Null in the wasm CLI under Node (wasm/http_client_web.cpp),
// where fetch needs the event loop that RunPipeline never returns to: synth steps then fail in
// Prepare with a message saying so.
std::unique_ptr<HttpClient> NewCliHttpClient();
// For the CLI: the reply cache as a directory (created when missing); null where there is none.
std::unique_ptr<ResponseStore> NewDirResponseStore(const std::string& dir);

}  // namespace winnow
