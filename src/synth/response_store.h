// ResponseStore: the per-request cache of LLM replies, keyed by provider_config CacheKey() (provider,
// base URL, model, parameters, prompt). A re-run after an edit pays only for the prompts that
// changed. Natively a directory (native/response_store_native.cpp); in the page a memory map that
// JS mirrors into IndexedDB (wasm/); MemoryResponseStore for tests.
#pragma once
#include <map>
#include <optional>
#include <string>

namespace winnow {

class ResponseStore {
 public:
  virtual ~ResponseStore() = default;
  // The stored value (a JSON text written by Put), or nothing.
  virtual std::optional<std::string> Get(const std::string& key) = 0;
  // Stores a value; failures to persist are ignored (the cache is an optimisation).
  virtual void Put(const std::string& key, const std::string& value) = 0;
  // Human-readable place ("/out/.synth-cache", "IndexedDB winnow-synth-cache").
  virtual std::string Where() const = 0;
};

class MemoryResponseStore final : public ResponseStore {
 public:
  std::optional<std::string> Get(const std::string& key) override {
    auto it = m_map.find(key);
    if (it == m_map.end()) return std::nullopt;
    return it->second;
  }
  void Put(const std::string& key, const std::string& value) override { m_map[key] = value; }
  std::string Where() const override { return "memory"; }
  size_t size() const { return m_map.size(); }
  const std::map<std::string, std::string>& entries() const { return m_map; }

 private:
  std::map<std::string, std::string> m_map;
};

}  // namespace winnow
