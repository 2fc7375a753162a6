// Typed content parts ("content": [{"type": "text", "text": ...}, ...]): which parts carry text and
// how they flatten into Message::content. One rule for the reader (flattening) and the writer
// (which checks that the verbatim parts still say what the edited content says).
#pragma once
#include <string>

namespace winnow {

// The text of a part (a string, {"text": s}, or {"type": "text", "value": s}), or null. J is
// nlohmann::json or nlohmann::ordered_json.
template <class J>
const J* ContentPartText(const J& p) {
  if (p.is_string()) return &p;
  if (!p.is_object()) return nullptr;
  auto t = p.find("text");
  if (t != p.end() && t->is_string()) return &*t;
  auto v = p.find("value");
  if (v != p.end() && v->is_string() && p.value("type", "text") == "text") return &*v;
  return nullptr;
}

// The text parts joined by '\n'.
template <class J>
std::string FlattenContentParts(const J& parts) {
  std::string text;
  for (const auto& p : parts) {
    if (const J* t = ContentPartText(p)) {
      if (!text.empty()) text.push_back('\n');
      text += t->template get<std::string>();
    }
  }
  return text;
}

}  // namespace winnow
