#include "http_client_native.h"

#include <curl/curl.h>

#include <cctype>
#include <mutex>

namespace winnow {

namespace {
std::once_flag g_curl_init;
}

struct CurlHttpClient::Transfer {
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  HttpRequest request;
  HttpResponse response;
  Callback done;
  ~Transfer() {
    if (headers) curl_slist_free_all(headers);
    if (easy) curl_easy_cleanup(easy);
  }
};

namespace {

size_t OnBody(char* p, size_t size, size_t n, void* user) {
  static_cast<HttpResponse*>(user)->body.append(p, size * n);
  return size * n;
}

size_t OnHeader(char* p, size_t size, size_t n, void* user) {
  auto* r = static_cast<HttpResponse*>(user);
  std::string line(p, size * n);
  if (line.rfind("HTTP/", 0) == 0) r->headers.clear();  // a new response (after 100-continue / redirects)
  size_t colon = line.find(':');
  if (colon == std::string::npos) return size * n;
  std::string name = line.substr(0, colon);
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  size_t b = colon + 1, e = line.size();
  while (b < e && (line[b] == ' ' || line[b] == '\t')) ++b;
  while (e > b && (line[e - 1] == '\r' || line[e - 1] == '\n' || line[e - 1] == ' ')) --e;
  r->headers.emplace_back(std::move(name), line.substr(b, e - b));
  return size * n;
}

}  // namespace

CurlHttpClient::CurlHttpClient() {
  std::call_once(g_curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  m_multi = curl_multi_init();
}

CurlHttpClient::~CurlHttpClient() {
  for (auto& [id, t] : m_transfers) curl_multi_remove_handle(static_cast<CURLM*>(m_multi), t->easy);
  m_transfers.clear();
  curl_multi_cleanup(static_cast<CURLM*>(m_multi));
}

uint64_t CurlHttpClient::Start(HttpRequest request, Callback done) {
  uint64_t id = m_next_id++;
  auto t = std::make_unique<Transfer>();
  t->request = std::move(request);
  t->done = std::move(done);
  t->easy = curl_easy_init();
  CURL* e = t->easy;
  curl_easy_setopt(e, CURLOPT_URL, t->request.url.c_str());
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  if (t->request.method == "POST") {
    curl_easy_setopt(e, CURLOPT_POST, 1L);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, t->request.body.c_str());
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(t->request.body.size()));
  } else if (t->request.method != "GET") {
    curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, t->request.method.c_str());
  }
  for (const auto& [k, v] : t->request.headers) t->headers = curl_slist_append(t->headers, (k + ": " + v).c_str());
  // No "Expect: 100-continue" round trip on large prompts.
  t->headers = curl_slist_append(t->headers, "Expect:");
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &t->response);
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, &t->response);
  if (t->request.timeout_ms) curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(t->request.timeout_ms));
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, 15000L);
  curl_easy_setopt(e, CURLOPT_PRIVATE, reinterpret_cast<void*>(static_cast<uintptr_t>(id)));
  curl_multi_add_handle(static_cast<CURLM*>(m_multi), e);
  m_transfers.emplace(id, std::move(t));
  return id;
}

void CurlHttpClient::Cancel(uint64_t id) {
  auto it = m_transfers.find(id);
  if (it == m_transfers.end()) return;
  curl_multi_remove_handle(static_cast<CURLM*>(m_multi), it->second->easy);
  m_transfers.erase(it);
}

void CurlHttpClient::Poll(int wait_ms) {
  CURLM* multi = static_cast<CURLM*>(m_multi);
  int running = 0;
  curl_multi_perform(multi, &running);
  // curl_multi_poll also sleeps when nothing runs (a retry waiting for its backoff).
  if (wait_ms > 0) {
    curl_multi_poll(multi, nullptr, 0, wait_ms, nullptr);
    curl_multi_perform(multi, &running);
  }
  // Collect finished transfers first, then call back: a callback may Start() or Cancel().
  std::vector<std::unique_ptr<Transfer>> finished;
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
    if (msg->msg != CURLMSG_DONE) continue;
    void* priv = nullptr;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
    uint64_t id = static_cast<uint64_t>(reinterpret_cast<uintptr_t>(priv));
    auto it = m_transfers.find(id);
    if (it == m_transfers.end()) continue;
    Transfer& t = *it->second;
    CURLcode rc = msg->data.result;
    if (rc == CURLE_OK) {
      long code = 0;
      curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &code);
      t.response.status = static_cast<int>(code);
    } else {
      t.response.status = 0;
      t.response.error = rc == CURLE_OPERATION_TIMEDOUT ? "timeout"
                         : rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST ? "connect"
                                                                                             : "network";
      t.response.error_detail = curl_easy_strerror(rc);
    }
    curl_multi_remove_handle(multi, t.easy);
    finished.push_back(std::move(it->second));
    m_transfers.erase(it);
  }
  for (auto& t : finished) {
    Callback cb = std::move(t->done);
    HttpResponse r = std::move(t->response);
    t.reset();
    if (cb) cb(std::move(r));
  }
}

}  // namespace winnow

namespace winnow {
std::unique_ptr<HttpClient> NewCliHttpClient() { return std::make_unique<CurlHttpClient>(); }
}  // namespace winnow
