#include "synth/cost.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace winnow::synth {

uint64_t EstimateTokens(std::string_view text) { return (text.size() + 3) / 4; }

uint64_t EstimateTokens(const std::vector<ChatMessage>& messages) {
  uint64_t n = 0;
  for (const ChatMessage& m : messages) n += EstimateTokens(m.content) + 4;
  return n;
}

Result<PriceTable> PriceTable::Parse(std::string_view text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Error{"bad_config", "the price table is not a JSON object"};
  PriceTable t;
  if (j.contains("currency")) {
    if (!j["currency"].is_string()) return Error{"bad_config", "price table: \"currency\" must be a string"};
    t.m_currency = j["currency"].get<std::string>();
  }
  if (!j.contains("models") || !j["models"].is_object())
    return Error{"bad_config", "price table: \"models\" must be an object of {\"input\": n, \"output\": n} per model"};
  for (auto& [name, p] : j["models"].items()) {
    if (!p.is_object() || !p.contains("input") || !p.contains("output") || !p["input"].is_number() ||
        !p["output"].is_number() || p["input"].get<double>() < 0 || p["output"].get<double>() < 0)
      return Error{"bad_config", "price table: model \"" + name + "\" needs non-negative numbers \"input\" and \"output\" (per million tokens)"};
    t.m_prices[name] = Price{p["input"].get<double>(), p["output"].get<double>()};
  }
  return t;
}

const Price* PriceTable::Find(std::string_view model) const {
  auto it = m_prices.find(model);
  if (it != m_prices.end()) return &it->second;
  const Price* best = nullptr;
  size_t best_len = 0;
  for (const auto& [name, p] : m_prices) {
    if (name.size() > best_len && model.substr(0, name.size()) == name) {
      best = &p;
      best_len = name.size();
    }
  }
  return best;
}

double EstimateCost(const PriceTable& table, std::string_view model, uint64_t in, uint64_t out) {
  const Price* p = table.Find(model);
  if (!p) return -1;
  return (static_cast<double>(in) * p->input_per_million + static_cast<double>(out) * p->output_per_million) / 1e6;
}

std::string FormatMoney(double amount, std::string_view currency) {
  // Integer arithmetic on ten-thousandths: no locale, same digits everywhere.
  int64_t u = static_cast<int64_t>(std::llround(amount * 10000.0));
  char buf[64];
  std::snprintf(buf, sizeof buf, "%lld.%04lld", static_cast<long long>(u / 10000), static_cast<long long>(u % 10000));
  return (currency == "USD" ? std::string("$") : std::string(currency) + " ") + buf;
}

}  // namespace winnow::synth
