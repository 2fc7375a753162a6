// FetchHttpClient: HttpClient over the page's fetch() with an AbortController per request (timeouts
// and cancel), bridged without Asyncify: an EM_JS call starts the request and returns; web/http_client.js
// calls the exported winnow_http_done() when it settles, between frames. WebResponseStore: the reply
// cache in memory, mirrored by JS into IndexedDB ("winnow-synth-cache") and loaded back at start.
#pragma once
#include <map>
#include <memory>

#include "platform/http_client.h"
#include "synth/response_store.h"

namespace winnow {

class FetchHttpClient final : public HttpClient {
 public:
  FetchHttpClient();
  ~FetchHttpClient() override;
  uint64_t Start(HttpRequest request, Callback done) override;
  void Cancel(uint64_t id) override;
  void Poll(int) override {}  // completions arrive from JS
  size_t InFlight() const override;
  // True when the page has web/http_client.js (not under Node).
  static bool Available();
  // Requests started (shown by the studio's synthesis panel).
  uint64_t Started() const { return m_started; }

 private:
  uint64_t m_started = 0;
};

class WebResponseStore final : public ResponseStore {
 public:
  std::optional<std::string> Get(const std::string& key) override;
  void Put(const std::string& key, const std::string& value) override;  // also to IndexedDB
  std::string Where() const override { return "this browser's IndexedDB (database winnow-synth-cache)"; }
  size_t size() const { return m_map.size(); }
  void Clear();  // memory and IndexedDB
  // Entries loaded from IndexedDB at start (called by JS through winnow_cache_loaded).
  void Loaded(const std::string& key, const std::string& value) { m_map[key] = value; }

 private:
  std::map<std::string, std::string> m_map;
};

// The studio's cache (one per page).
WebResponseStore& PageResponseStore();

}  // namespace winnow
