#include "synth/prompt_template.h"

#include <algorithm>

namespace winnow::synth {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

Result<std::vector<std::string>> TemplateNames(std::string_view t) {
  std::vector<std::string> names;
  size_t i = 0;
  while ((i = t.find("{{", i)) != std::string_view::npos) {
    size_t e = t.find("}}", i + 2);
    if (e == std::string_view::npos) return Error{"bad_config", "unclosed \"{{\" in the prompt template"};
    std::string n(Trim(t.substr(i + 2, e - i - 2)));
    if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
    i = e + 2;
  }
  return names;
}

Status CheckTemplate(std::string_view tmpl, const std::vector<std::string>& allowed, std::string_view what) {
  auto names = TemplateNames(tmpl);
  if (!names.ok()) return Error{"bad_config", std::string(what) + ": " + names.error().message};
  for (const std::string& n : names.value()) {
    if (std::find(allowed.begin(), allowed.end(), n) == allowed.end()) {
      std::string list;
      for (const std::string& a : allowed) list += (list.empty() ? "" : ", ") + ("{{" + a + "}}");
      return Error{"bad_config", std::string(what) + ": unknown placeholder {{" + n + "}} (allowed: " + list + ")"};
    }
  }
  return Status::Ok();
}

std::string RenderTemplate(std::string_view t, const TemplateVars& vars) {
  std::string out;
  out.reserve(t.size() + 256);
  size_t i = 0;
  while (i < t.size()) {
    size_t b = t.find("{{", i);
    if (b == std::string_view::npos) break;
    size_t e = t.find("}}", b + 2);
    if (e == std::string_view::npos) break;
    out.append(t.substr(i, b - i));
    auto it = vars.find(Trim(t.substr(b + 2, e - b - 2)));
    if (it != vars.end()) out += it->second;
    else out.append(t.substr(b, e + 2 - b));
    i = e + 2;
  }
  out.append(t.substr(i));
  return out;
}

}  // namespace winnow::synth
