#include "ui/param_choices.h"

#include <map>

#include "pipeline/step.h"

namespace winnow::ui {

const nlohmann::json& DefaultParams(const std::string& type) {
  static std::map<std::string, nlohmann::json> cache;
  auto it = cache.find(type);
  if (it != cache.end()) return it->second;
  nlohmann::json params = nlohmann::json::object();
  if (const StepInfo* info = FindStep(type)) {
    auto st = info->make();
    if (st->Configure(nlohmann::json::object()).ok()) params = st->Params();
  }
  return cache.emplace(type, std::move(params)).first->second;
}

std::vector<std::string> AllowedFromMessage(const std::string& message, const std::string& key) {
  std::vector<std::string> out;
  if (message.find("\"" + key + "\"") == std::string::npos) return out;  // about another key
  size_t at = std::string::npos, end = std::string::npos;
  if ((at = message.find("one of: ")) != std::string::npos) {
    at += 8;
    end = message.find(", got", at);
  } else if ((at = message.find("allowed: ")) != std::string::npos) {
    at += 9;
    end = message.find_first_of(")\n;", at);
  } else {
    return out;
  }
  std::string list = message.substr(at, end == std::string::npos ? std::string::npos : end - at);
  while (!list.empty() && (list.back() == '.' || list.back() == ' ')) list.pop_back();
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(", ", start);
    std::string v = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
    // A value list has plain tokens; prose ("1 to 8 characters") means it is not a list of choices.
    if (v.empty() || v.find(' ') != std::string::npos) return {};
    out.push_back(v);
    if (comma == std::string::npos) break;
    start = comma + 2;
  }
  return out;
}

const std::vector<std::string>& AllowedValues(const std::string& type, const std::string& key, bool list) {
  static std::map<std::string, std::vector<std::string>> cache;
  std::string ck = type + "\n" + key + (list ? "[]" : "");
  auto it = cache.find(ck);
  if (it != cache.end()) return it->second;
  std::vector<std::string> values;
  if (const StepInfo* info = FindStep(type)) {
    // A value no step accepts: the step's message then lists the ones it does.
    const char* probe = "\x01not-a-value";
    nlohmann::json params = nlohmann::json::object();
    params[key] = list ? nlohmann::json::array({probe}) : nlohmann::json(probe);
    auto st = info->make();
    Status s = st->Configure(params);
    if (!s.ok()) values = AllowedFromMessage(s.error().message, key);
  }
  return cache.emplace(ck, std::move(values)).first->second;
}

}  // namespace winnow::ui
