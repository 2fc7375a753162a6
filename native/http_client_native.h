// CurlHttpClient: HttpClient over libcurl's multi interface (transfers run inside Poll()).
#pragma once
#include <map>
#include <memory>

#include "platform/http_client.h"

namespace winnow {

class CurlHttpClient final : public HttpClient {
 public:
  CurlHttpClient();
  ~CurlHttpClient() override;
  uint64_t Start(HttpRequest request, Callback done) override;
  void Cancel(uint64_t id) override;
  void Poll(int wait_ms) override;
  size_t InFlight() const override { return m_transfers.size(); }
  // Requests started since construction (for the CLI's summary).
  uint64_t Started() const { return m_next_id - 1; }

 private:
  struct Transfer;
  void* m_multi = nullptr;  // CURLM*
  uint64_t m_next_id = 1;
  std::map<uint64_t, std::unique_ptr<Transfer>> m_transfers;
};

}  // namespace winnow
