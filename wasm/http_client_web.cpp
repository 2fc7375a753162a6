#include "http_client_web.h"

#include <emscripten.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

namespace winnow {
namespace {

EM_JS(int, JsHttpPresent, (), { return (typeof window !== 'undefined' && window.winnowHttp) ? 1 : 0; });
EM_JS(void, JsHttpStart, (double id, const char* method, const char* url, const char* headers, const char* body, int body_len, int timeout_ms), {
  window.winnowHttp.start(id, UTF8ToString(method), UTF8ToString(url), UTF8ToString(headers),
                          UTF8ToString(body, body_len), timeout_ms);
});
EM_JS(void, JsHttpCancel, (double id), { window.winnowHttp.cancel(id); });
EM_JS(void, JsCachePut, (const char* key, const char* value), {
  if (typeof window !== 'undefined' && window.winnowHttp) window.winnowHttp.cachePut(UTF8ToString(key), UTF8ToString(value));
});
EM_JS(void, JsCacheClear, (), { if (typeof window !== 'undefined' && window.winnowHttp) window.winnowHttp.cacheClear(); });

// Callbacks by request id; a cancelled or finished id is gone, so a late answer is dropped.
std::map<uint64_t, HttpClient::Callback>& Pending() {
  static std::map<uint64_t, HttpClient::Callback> p;
  return p;
}
uint64_t g_next_id = 1;

}  // namespace

FetchHttpClient::FetchHttpClient() = default;

FetchHttpClient::~FetchHttpClient() {
  // Abort what this client started (one client per page in practice).
  for (auto& [id, cb] : Pending()) JsHttpCancel(static_cast<double>(id));
  Pending().clear();
}

bool FetchHttpClient::Available() { return JsHttpPresent() != 0; }

uint64_t FetchHttpClient::Start(HttpRequest request, Callback done) {
  uint64_t id = g_next_id++;
  ++m_started;
  Pending()[id] = std::move(done);
  nlohmann::json h = nlohmann::json::array();
  for (const auto& [k, v] : request.headers) h.push_back(nlohmann::json::array({k, v}));
  JsHttpStart(static_cast<double>(id), request.method.c_str(), request.url.c_str(), h.dump().c_str(), request.body.data(),
              static_cast<int>(request.body.size()), static_cast<int>(request.timeout_ms));
  return id;
}

void FetchHttpClient::Cancel(uint64_t id) {
  if (Pending().erase(id)) JsHttpCancel(static_cast<double>(id));
}

size_t FetchHttpClient::InFlight() const { return Pending().size(); }

std::optional<std::string> WebResponseStore::Get(const std::string& key) {
  auto it = m_map.find(key);
  if (it == m_map.end()) return std::nullopt;
  return it->second;
}

void WebResponseStore::Put(const std::string& key, const std::string& value) {
  m_map[key] = value;
  JsCachePut(key.c_str(), value.c_str());
}

void WebResponseStore::Clear() {
  m_map.clear();
  JsCacheClear();
}

WebResponseStore& PageResponseStore() {
  static WebResponseStore s;
  return s;
}

// The page has fetch, but the wasm CLI under Node runs a pipeline to completion without returning
// to the event loop, so no answer could ever arrive: no client there (synth steps say so in Prepare).
std::unique_ptr<HttpClient> NewCliHttpClient() { return nullptr; }
std::unique_ptr<ResponseStore> NewDirResponseStore(const std::string&) { return nullptr; }

}  // namespace winnow

extern "C" {
// Called by web/http_client.js when a request settles. status 0 = transport error (`error` says
// which: timeout, network, cancelled); headers as a JSON array of [lower-case name, value].
EMSCRIPTEN_KEEPALIVE void winnow_http_done(double id, int status, const char* error, const char* headers,
                                           const char* body, int body_len) {
  auto& p = winnow::Pending();
  auto it = p.find(static_cast<uint64_t>(id));
  if (it == p.end()) return;
  winnow::HttpClient::Callback cb = std::move(it->second);
  p.erase(it);
  winnow::HttpResponse r;
  r.status = status;
  r.error = error ? error : "";
  if (!r.error.empty()) r.error_detail = "fetch failed: " + r.error;
  nlohmann::json h = nlohmann::json::parse(headers ? headers : "[]", nullptr, false);
  if (h.is_array()) {
    for (const auto& kv : h)
      if (kv.is_array() && kv.size() == 2 && kv[0].is_string() && kv[1].is_string())
        r.headers.emplace_back(kv[0].get<std::string>(), kv[1].get<std::string>());
  }
  if (body && body_len > 0) r.body.assign(body, static_cast<size_t>(body_len));
  cb(std::move(r));
}

// Called by web/http_client.js for each cache entry read back from IndexedDB at start.
EMSCRIPTEN_KEEPALIVE void winnow_cache_loaded(const char* key, const char* value) {
  winnow::PageResponseStore().Loaded(key, value);
}
}
