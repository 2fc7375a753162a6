// Cost estimates before running: prompt tokens counted approximately (4 bytes per token, plus a few
// per message, the rule of thumb OpenAI documents for English) and an editable price table in USD
// per million tokens (assets/synth/prices.json; the user's own file with --prices or in the studio).
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "synth/provider.h"

namespace winnow::synth {

// Approximate tokens of a prompt: ceil(bytes / 4) per message + 4 per message.
uint64_t EstimateTokens(const std::vector<ChatMessage>& messages);
uint64_t EstimateTokens(std::string_view text);

struct Price {
  double input_per_million = 0;   // USD per 1M prompt tokens
  double output_per_million = 0;  // USD per 1M completion tokens
};

class PriceTable {
 public:
  // {"currency":"USD","models":{"gpt-4o-mini":{"input":0.15,"output":0.6}, ...}}. A model matches
  // an entry by exact name, else by the longest entry that prefixes it ("gpt-4o-mini-2024-07-18"
  // uses "gpt-4o-mini"). Errors: bad_config.
  static Result<PriceTable> Parse(std::string_view json_text);
  // Nothing when the model has no price (the estimate then shows tokens only).
  const Price* Find(std::string_view model) const;
  const std::string& currency() const { return m_currency; }

 private:
  std::string m_currency = "USD";
  std::map<std::string, Price, std::less<>> m_prices;
};

// Cost in the table's currency, or -1 when the model has no price.
double EstimateCost(const PriceTable& table, std::string_view model, uint64_t input_tokens, uint64_t output_tokens);

// "$0.0123" style, 4 decimals, no locale.
std::string FormatMoney(double amount, std::string_view currency);

}  // namespace winnow::synth
