#include "io/schema.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

namespace winnow {

Schema DefaultSchema(Format f) {
  Schema s;
  s.format = f;
  if (f == Format::ShareGPT) s.messages = "conversations";
  return s;
}

Schema SchemaFromMapping(const ColumnMapping& m) {
  Schema s;
  if (m.formatting == Format::ShareGPT) {
    s.format = m.kto_tag.empty() ? Format::ShareGPT : Format::KTO;
    s.messages = m.messages.empty() ? "conversations" : m.messages;
    s.role_tag = m.role_tag;
    s.content_tag = m.content_tag;
    s.user_tag = m.user_tag;
    s.assistant_tag = m.assistant_tag;
    s.observation_tag = m.observation_tag;
    s.function_tag = m.function_tag;
    s.system_tag = m.system_tag;
  } else {
    s.format = Format::Alpaca;
    s.instruction = m.prompt.empty() ? "instruction" : m.prompt;
    s.input = m.query.empty() ? "input" : m.query;
    s.output = m.response.empty() ? "output" : m.response;
    s.history = m.history.empty() ? "history" : m.history;
  }
  if (!m.system.empty()) s.system = m.system;
  if (!m.tools.empty()) s.tools = m.tools;
  if (!m.chosen.empty()) s.chosen = m.chosen;
  if (!m.rejected.empty()) s.rejected = m.rejected;
  if (!m.kto_tag.empty()) s.label = m.kto_tag;
  s.note = "column mapping from dataset_info.json";
  return s;
}

Schema SniffSchema(const std::vector<std::vector<std::string>>& row_keys, std::string* why) {
  // Count in how many rows each key occurs; a key counts when it is in at least half the rows.
  std::map<std::string, size_t> count;
  for (const auto& keys : row_keys) {
    for (const auto& k : keys) ++count[k];
  }
  size_t rows = row_keys.size();
  auto has = [&](const char* k) {
    auto it = count.find(k);
    return it != count.end() && it->second * 2 >= rows;
  };
  Schema s;
  if (has("message_tree_id") && has("prompt")) {
    s.format = Format::Messages;
    s.oasst_tree = true;
    s.note = "sniffed: OpenAssistant message trees, flattened to the best-ranked path";
  } else if (has("conversations")) {
    s = DefaultSchema(Format::ShareGPT);
    s.note = has("chosen") && has("rejected") ? "sniffed: sharegpt with chosen/rejected (preference pairs)"
                                              : "sniffed: sharegpt";
  } else if (has("messages")) {
    if (has("label")) {
      s = DefaultSchema(Format::KTO);
      s.note = "sniffed: kto (messages + label)";
    } else if (has("chosen") && has("rejected")) {
      s = DefaultSchema(Format::Preference);
      s.prompt = "messages";
      s.note = "sniffed: preference (messages as prompt + chosen/rejected)";
    } else {
      s = DefaultSchema(Format::Messages);
      s.note = "sniffed: messages";
    }
  } else if (has("chosen") && has("rejected") && !has("instruction")) {
    s = DefaultSchema(Format::Preference);
    s.note = has("prompt") ? "sniffed: preference (prompt/chosen/rejected)"
                           : "sniffed: preference (chosen/rejected with implicit prompt)";
  } else if (has("instruction") && (has("output") || (has("chosen") && has("rejected")))) {
    s = DefaultSchema(Format::Alpaca);
    s.note = "sniffed: alpaca";
  } else {
    // Common two-column instruction layouts, read as alpaca.
    static const char* kPairs[][2] = {{"question", "answer"}, {"prompt", "response"}, {"prompt", "completion"},
                                      {"query", "response"},  {"input", "output"},   {"instruction", "response"}};
    for (auto& p : kPairs) {
      if (has(p[0]) && has(p[1])) {
        s = DefaultSchema(Format::Alpaca);
        s.instruction = p[0];
        s.output = p[1];
        if (std::string(p[0]) == "input") s.input = "\x01unused";
        s.note = std::string("sniffed: alpaca (") + p[0] + "/" + p[1] + " columns)";
        return s;
      }
    }
    if (has("text")) {
      s = DefaultSchema(Format::Text);
      s.note = "sniffed: text";
    }
  }
  if (s.format == Format::Unknown && !s.oasst_tree) {
    std::string keys;
    for (const auto& [k, n] : count) {
      if (!keys.empty()) keys += ", ";
      keys += k;
    }
    *why = "no known dataset format in the first " + std::to_string(rows) + " rows (fields seen: " +
           (keys.empty() ? std::string("none") : keys) +
           "); force one with --from, or map fields with --field NAME=SOURCE or --map dataset_info.json:NAME";
  }
  return s;
}

Result<ColumnMapping> LoadColumnMapping(std::string_view dataset_info_json, std::string_view name) {
  auto j = nlohmann::json::parse(dataset_info_json, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Error{"bad_config", "dataset_info.json is not a JSON object"};
  }
  std::string key(name);
  if (!j.contains(key)) {
    std::string names;
    size_t n = 0;
    for (auto it = j.begin(); it != j.end() && n < 30; ++it, ++n) {
      names += (names.empty() ? "" : ", ") + it.key();
    }
    return Error{"bad_config", "dataset_info.json has no entry \"" + key + "\"; entries: " + names};
  }
  const auto& e = j[key];
  if (!e.is_object()) return Error{"bad_config", "dataset_info.json entry \"" + key + "\" is not an object"};
  ColumnMapping m;
  std::string formatting = e.value("formatting", "alpaca");
  if (formatting == "alpaca") {
    m.formatting = Format::Alpaca;
  } else if (formatting == "sharegpt") {
    m.formatting = Format::ShareGPT;
  } else {
    return Error{"bad_config", "entry \"" + key + "\": formatting \"" + formatting +
                                   "\" is not supported (allowed: alpaca, sharegpt)"};
  }
  m.ranking = e.value("ranking", false);
  auto str = [](const nlohmann::json& o, const char* k, std::string* out) {
    if (o.contains(k) && o[k].is_string()) *out = o[k].get<std::string>();
  };
  if (e.contains("columns") && e["columns"].is_object()) {
    const auto& c = e["columns"];
    str(c, "prompt", &m.prompt);
    str(c, "query", &m.query);
    str(c, "response", &m.response);
    str(c, "history", &m.history);
    str(c, "messages", &m.messages);
    str(c, "system", &m.system);
    str(c, "tools", &m.tools);
    str(c, "chosen", &m.chosen);
    str(c, "rejected", &m.rejected);
    str(c, "kto_tag", &m.kto_tag);
  }
  if (e.contains("tags") && e["tags"].is_object()) {
    const auto& t = e["tags"];
    str(t, "role_tag", &m.role_tag);
    str(t, "content_tag", &m.content_tag);
    str(t, "user_tag", &m.user_tag);
    str(t, "assistant_tag", &m.assistant_tag);
    str(t, "observation_tag", &m.observation_tag);
    str(t, "function_tag", &m.function_tag);
    str(t, "system_tag", &m.system_tag);
  }
  return m;
}

}  // namespace winnow
