// ColumnMapping: one entry of LLaMA-Factory's dataset_info.json (formatting, columns, tags),
// which says which source fields hold the prompt, response, messages, roles, and so on.
#pragma once
#include <string>

#include "core/example.h"
#include "core/result.h"

namespace winnow {

struct ColumnMapping {
  Format formatting = Format::Alpaca;  // "alpaca" or "sharegpt" (+ ranking -> preference, kto_tag -> kto)
  bool ranking = false;
  // columns (LLaMA-Factory names and defaults)
  std::string prompt = "instruction", query = "input", response = "output", history, system, tools;
  std::string messages = "conversations", chosen, rejected, kto_tag;
  // tags (sharegpt)
  std::string role_tag = "from", content_tag = "value";
  std::string user_tag = "human", assistant_tag = "gpt", observation_tag = "observation",
              function_tag = "function_call", system_tag = "system";
};

// Parses dataset_info.json text and returns the entry `name`.
// Errors: bad_config (not JSON, no such entry — the message lists the names present —, or a
// formatting other than alpaca / sharegpt).
Result<ColumnMapping> LoadColumnMapping(std::string_view dataset_info_json, std::string_view name);

}  // namespace winnow
