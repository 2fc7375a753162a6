#include "synth/provider.h"

#include "core/hash.h"

namespace winnow::synth {

using nlohmann::json;

std::string_view ProviderName(ProviderKind k) { return k == ProviderKind::Anthropic ? "anthropic" : "openai"; }

bool ParseProvider(std::string_view s, ProviderKind* out) {
  if (s == "openai") *out = ProviderKind::OpenAI;
  else if (s == "anthropic") *out = ProviderKind::Anthropic;
  else return false;
  return true;
}

std::string DefaultBaseUrl(ProviderKind k) {
  return k == ProviderKind::Anthropic ? "https://api.anthropic.com" : "https://api.openai.com/v1";
}

namespace {

std::string TrimSlash(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

}  // namespace

HttpRequest BuildChatRequest(const ProviderConfig& cfg, const std::vector<ChatMessage>& messages,
                             const std::string& api_key) {
  HttpRequest r;
  r.method = "POST";
  r.timeout_ms = cfg.timeout_ms;
  r.headers.emplace_back("Content-Type", "application/json");
  std::string base = TrimSlash(cfg.base_url.empty() ? DefaultBaseUrl(cfg.kind) : cfg.base_url);
  json body = json::object();
  body["model"] = cfg.model;
  body["max_tokens"] = cfg.max_tokens;
  body["temperature"] = cfg.temperature;
  if (cfg.kind == ProviderKind::Anthropic) {
    // The Messages API takes the system prompt apart from the turns.
    r.url = base + "/v1/messages";
    std::string system;
    json msgs = json::array();
    for (const ChatMessage& m : messages) {
      if (m.role == "system") {
        system += (system.empty() ? "" : "\n\n") + m.content;
      } else {
        msgs.push_back(json{{"role", m.role}, {"content", m.content}});
      }
    }
    if (!system.empty()) body["system"] = system;
    body["messages"] = std::move(msgs);
    if (!api_key.empty()) r.headers.emplace_back("x-api-key", api_key);
    r.headers.emplace_back("anthropic-version", "2023-06-01");
    // Anthropic answers CORS preflights only with this header; harmless outside the browser.
    r.headers.emplace_back("anthropic-dangerous-direct-browser-access", "true");
  } else {
    r.url = base + "/chat/completions";
    json msgs = json::array();
    for (const ChatMessage& m : messages) msgs.push_back(json{{"role", m.role}, {"content", m.content}});
    body["messages"] = std::move(msgs);
    if (cfg.json_mode) body["response_format"] = json{{"type", "json_object"}};
    if (!api_key.empty()) r.headers.emplace_back("Authorization", "Bearer " + api_key);
  }
  r.body = body.dump();
  return r;
}

namespace {

uint64_t U64(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number_unsigned()) {
    if (it != j.end() && it->is_number_integer() && it->get<int64_t>() > 0) return static_cast<uint64_t>(it->get<int64_t>());
    return 0;
  }
  return it->get<uint64_t>();
}

// Content given as a string or as a list of typed parts ({"type":"text","text":...}).
bool ContentText(const json& c, std::string* out) {
  if (c.is_string()) {
    *out = c.get<std::string>();
    return true;
  }
  if (!c.is_array()) return false;
  bool any = false;
  for (const json& part : c) {
    if (part.is_object() && part.value("type", "") == "text" && part.contains("text") && part["text"].is_string()) {
      *out += part["text"].get<std::string>();
      any = true;
    }
  }
  return any;
}

}  // namespace

Result<ChatReply> ParseChatReply(ProviderKind kind, std::string_view body) {
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Error{"bad_reply", "the reply body is not a JSON object"};
  ChatReply r;
  if (kind == ProviderKind::Anthropic) {
    if (!j.contains("content") || !ContentText(j["content"], &r.text))
      return Error{"bad_reply", "no text in \"content\" (Anthropic Messages format)"};
    if (j.contains("stop_reason") && j["stop_reason"].is_string()) r.finish_reason = j["stop_reason"].get<std::string>();
    if (j.contains("usage") && j["usage"].is_object()) {
      r.input_tokens = U64(j["usage"], "input_tokens");
      r.output_tokens = U64(j["usage"], "output_tokens");
    }
    return r;
  }
  if (!j.contains("choices") || !j["choices"].is_array() || j["choices"].empty() || !j["choices"][0].is_object())
    return Error{"bad_reply", "no \"choices\" (OpenAI chat completions format)"};
  const json& c = j["choices"][0];
  if (!c.contains("message") || !c["message"].is_object() || !c["message"].contains("content") ||
      !ContentText(c["message"]["content"], &r.text))
    return Error{"bad_reply", "no text in choices[0].message.content"};
  if (c.contains("finish_reason") && c["finish_reason"].is_string()) r.finish_reason = c["finish_reason"].get<std::string>();
  if (j.contains("usage") && j["usage"].is_object()) {
    r.input_tokens = U64(j["usage"], "prompt_tokens");
    r.output_tokens = U64(j["usage"], "completion_tokens");
  }
  return r;
}

namespace {

json MessagesJson(const std::vector<ChatMessage>& messages) {
  json a = json::array();
  for (const ChatMessage& m : messages) a.push_back(json::array({m.role, m.content}));
  return a;
}

std::string Hex128(const Hash128& h) {
  char buf[32];
  HexU64(h.hi, buf);
  HexU64(h.lo, buf + 16);
  return std::string(buf, 32);
}

}  // namespace

std::string CacheKey(const ProviderConfig& cfg, const std::vector<ChatMessage>& messages) {
  // Numbers as integers (milli-units) so the key text is the same on every platform.
  json k{{"provider", ProviderName(cfg.kind)},
         {"base_url", TrimSlash(cfg.base_url.empty() ? DefaultBaseUrl(cfg.kind) : cfg.base_url)},
         {"model", cfg.model},
         {"temperature_milli", static_cast<int64_t>(cfg.temperature * 1000.0 + 0.5)},
         {"max_tokens", cfg.max_tokens},
         {"json_mode", cfg.json_mode},
         {"messages", MessagesJson(messages)}};
  return Hex128(Hash128Of(k.dump()));
}

std::string PromptHash(const std::vector<ChatMessage>& messages) {
  char buf[16];
  HexU64(Hash64(MessagesJson(messages).dump()), buf);
  return std::string(buf, 16);
}

}  // namespace winnow::synth
