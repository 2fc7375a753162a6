// LLM providers: building chat requests and parsing replies for the OpenAI-compatible chat
// completions API (OpenAI, vLLM, llama.cpp server, Ollama, OpenRouter) and Anthropic's Messages API.
// Pure functions over HttpRequest / HttpResponse: no I/O here (synth_engine.h sends them).
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "platform/http_client.h"

namespace winnow::synth {

enum class ProviderKind : uint8_t { OpenAI, Anthropic };
std::string_view ProviderName(ProviderKind k);             // "openai" / "anthropic"
bool ParseProvider(std::string_view s, ProviderKind* out);

struct ChatMessage {
  std::string role;  // "system", "user", "assistant"
  std::string content;
};

// Everything that decides a reply, except the key. Part of the cache key (see CacheKey).
struct ProviderConfig {
  ProviderKind kind = ProviderKind::OpenAI;
  std::string base_url;     // e.g. "https://api.openai.com/v1" (… + "/chat/completions"),
                            // "https://api.anthropic.com" (… + "/v1/messages")
  std::string model;
  double temperature = 0.7;
  int64_t max_tokens = 1024;
  bool json_mode = false;   // OpenAI: response_format json_object when a JSON reply is asked for
  uint32_t timeout_ms = 60000;
};

// Default base URL of a provider.
std::string DefaultBaseUrl(ProviderKind k);

// The HTTP request for a chat. `api_key` may be empty (local servers); it goes only into a header
// (Authorization: Bearer / x-api-key), never into the URL or the body.
HttpRequest BuildChatRequest(const ProviderConfig& cfg, const std::vector<ChatMessage>& messages,
                             const std::string& api_key);

struct ChatReply {
  std::string text;            // the assistant's text (content parts joined)
  uint64_t input_tokens = 0;   // as the provider reported (0 when absent)
  uint64_t output_tokens = 0;
  std::string finish_reason;   // "stop", "length", "end_turn", "max_tokens", ...
};

// Parses a 200 reply body. Errors: "bad_reply" (not JSON, or no assistant text where the wire
// format puts it) with a short description.
Result<ChatReply> ParseChatReply(ProviderKind kind, std::string_view body);

// The cache key: hex XXH3-128 of a canonical JSON of provider, base URL, model, parameters and
// messages (32 hex digits). The key is not part of it.
std::string CacheKey(const ProviderConfig& cfg, const std::vector<ChatMessage>& messages);
// Short hash of the prompt alone (16 hex digits), for provenance in generated rows.
std::string PromptHash(const std::vector<ChatMessage>& messages);

}  // namespace winnow::synth
