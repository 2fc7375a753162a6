// Chat templates: loading (.jinja, tokenizer_config.json, built-ins), rendering Examples, spans.
#include "template/chat_template.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "template/builtin_templates.h"

namespace winnow {

using nlohmann::ordered_json;

namespace {

void AddUnique(std::vector<std::string>* v, const std::string& s) {
  if (s.empty()) return;
  if (std::find(v->begin(), v->end(), s) == v->end()) v->push_back(s);
}

// Special-token-looking literals in a template's source: <|...|>, <｜...｜> and known markers.
void ScanSpecialTokens(std::string_view src, std::vector<std::string>* out) {
  const std::pair<std::string_view, std::string_view> kDelims[] = {{"<|", "|>"}, {"<\xEF\xBD\x9C", "\xEF\xBD\x9C>"}};
  for (const auto& [open, close] : kDelims) {
    size_t pos = 0;
    while ((pos = src.find(open, pos)) != std::string_view::npos) {
      size_t end = src.find(close, pos + open.size());
      if (end == std::string_view::npos) break;
      std::string_view tok = src.substr(pos, end + close.size() - pos);
      bool plain = tok.size() <= 64;
      for (char c : tok) {
        if (c == ' ' || c == '\n' || c == '\'' || c == '"' || c == '{' || c == '}') plain = false;
      }
      if (plain) AddUnique(out, std::string(tok));
      pos = plain ? end + close.size() : pos + open.size();
    }
  }
  static const char* kKnown[] = {"[INST]", "[/INST]", "<<SYS>>", "<</SYS>>", "<start_of_turn>", "<end_of_turn>",
                                 "[TOOL_CALLS]", "[AVAILABLE_TOOLS]", "[/AVAILABLE_TOOLS]", "[TOOL_RESULTS]",
                                 "[/TOOL_RESULTS]", "[SYSTEM_PROMPT]", "[/SYSTEM_PROMPT]"};
  for (const char* k : kKnown) {
    if (src.find(k) != std::string_view::npos) AddUnique(out, k);
  }
}

std::string ReadFile(const std::string& path, bool* ok) {
  std::ifstream f(path, std::ios::binary);
  *ok = static_cast<bool>(f);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace

Result<ChatTemplate> MakeChatTemplate(std::string name, std::string_view source, std::string bos, std::string eos) {
  auto compiled = jinja::Template::Parse(source);
  if (!compiled.ok()) return Error{compiled.error().code, name + ": " + compiled.error().message};
  ChatTemplate t;
  t.name = std::move(name);
  t.source = std::string(source);
  t.bos_token = std::move(bos);
  t.eos_token = std::move(eos);
  t.compiled = std::move(compiled.value());
  AddUnique(&t.special_tokens, t.bos_token);
  AddUnique(&t.special_tokens, t.eos_token);
  ScanSpecialTokens(source, &t.special_tokens);
  return t;
}

static std::string TokenString(const ordered_json& j) {
  if (j.is_string()) return j.get<std::string>();
  if (j.is_object() && j.contains("content") && j["content"].is_string()) return j["content"].get<std::string>();
  return {};
}

Result<ChatTemplate> ChatTemplateFromConfig(std::string name, std::string_view config_json, std::string_view which) {
  ordered_json cfg = ordered_json::parse(config_json, nullptr, false);
  if (cfg.is_discarded() || !cfg.is_object()) return Error{"bad_config", name + ": not a JSON object"};
  if (!cfg.contains("chat_template")) return Error{"bad_config", name + ": no \"chat_template\" key"};
  const ordered_json& ct = cfg["chat_template"];
  std::string source;
  if (ct.is_string()) {
    source = ct.get<std::string>();
  } else if (ct.is_array()) {
    std::string want = which.empty() ? "default" : std::string(which);
    std::string names;
    for (const auto& e : ct) {
      if (!e.is_object() || !e.contains("name") || !e.contains("template") || !e["template"].is_string()) continue;
      std::string n = e["name"].is_string() ? e["name"].get<std::string>() : "";
      names += (names.empty() ? "" : ", ") + n;
      if (n == want) source = e["template"].get<std::string>();
    }
    if (source.empty()) {
      if (!which.empty() || ct.empty()) return Error{"bad_config", name + ": no chat_template named \"" + want + "\" (have: " + names + ")"};
      for (const auto& e : ct) {
        if (e.is_object() && e.contains("template") && e["template"].is_string()) {
          source = e["template"].get<std::string>();
          break;
        }
      }
    }
  } else {
    return Error{"bad_config", name + ": \"chat_template\" must be a string or a list of {name, template}"};
  }
  std::string bos = cfg.contains("bos_token") ? TokenString(cfg["bos_token"]) : "";
  std::string eos = cfg.contains("eos_token") ? TokenString(cfg["eos_token"]) : "";
  auto t = MakeChatTemplate(std::move(name), source, bos, eos);
  if (!t.ok()) return t;
  if (cfg.contains("added_tokens_decoder") && cfg["added_tokens_decoder"].is_object()) {
    for (const auto& [id, tok] : cfg["added_tokens_decoder"].items()) {
      if (tok.is_object() && tok.value("special", false)) AddUnique(&t.value().special_tokens, TokenString(tok));
    }
  }
  for (const char* k : {"pad_token", "unk_token"}) {
    if (cfg.contains(k)) AddUnique(&t.value().special_tokens, TokenString(cfg[k]));
  }
  return t;
}

Result<ChatTemplate> LoadChatTemplateFile(const std::string& path, std::string_view which) {
  bool ok = false;
  std::string text = ReadFile(path, &ok);
  if (!ok) return Error{"io_error", "cannot read " + path};
  return ChatTemplateFromText(path, text, which);
}

Result<ChatTemplate> ChatTemplateFromText(const std::string& name, std::string_view text, std::string_view which) {
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && text[first] == '{' && text.compare(first, 2, "{{") != 0 && text.compare(first, 2, "{%") != 0 &&
      text.compare(first, 2, "{#") != 0) {
    return ChatTemplateFromConfig(name, text, which);
  }
  return MakeChatTemplate(name, text);
}

Result<ChatTemplate> BuiltinChatTemplate(std::string_view name) {
  std::string_view src = BuiltinChatTemplateSource(name);
  if (src.empty()) {
    std::string names;
    for (const auto& n : BuiltinChatTemplateNames()) names += (names.empty() ? "" : ", ") + n;
    return Error{"bad_config", "unknown built-in template \"" + std::string(name) + "\" (have: " + names + ")"};
  }
  // Metadata header: {#- winnow: {json} -#}
  std::string bos, eos, checked;
  std::vector<std::string> extra;
  if (src.rfind("{#- winnow:", 0) == 0) {
    size_t end = src.find("-#}");
    ordered_json meta = ordered_json::parse(src.substr(11, end - 11), nullptr, false);
    if (!meta.is_discarded() && meta.is_object()) {
      bos = meta.value("bos_token", "");
      eos = meta.value("eos_token", "");
      checked = meta.value("checked_against", "");
      if (meta.contains("special_tokens")) {
        for (const auto& s : meta["special_tokens"]) {
          if (s.is_string()) extra.push_back(s.get<std::string>());
        }
      }
    }
  }
  auto t = MakeChatTemplate(std::string(name), src, bos, eos);
  if (!t.ok()) return t;
  t.value().checked_against = checked;
  for (const auto& s : extra) AddUnique(&t.value().special_tokens, s);
  return t;
}

std::vector<std::string> BuiltinChatTemplateNames() {
  std::vector<std::string> names;
  for (size_t i = 0; i < kBuiltinTemplateCount; ++i) names.emplace_back(kBuiltinTemplates[i].name);
  return names;
}

std::string_view BuiltinChatTemplateSource(std::string_view name) {
  for (size_t i = 0; i < kBuiltinTemplateCount; ++i) {
    if (name == kBuiltinTemplates[i].name) return kBuiltinTemplates[i].source;
  }
  return {};
}

static ordered_json MessageJson(const Message& m) {
  ordered_json j = ordered_json::object();
  j["role"] = std::string(RoleName(m.role));
  j["content"] = m.content;
  if (!m.name.empty()) j["name"] = m.name;
  if (!m.tool_calls.empty()) {
    ordered_json calls = ordered_json::parse(m.tool_calls, nullptr, false);
    if (!calls.is_discarded() && calls.is_array()) {
      for (auto& c : calls) {
        // OpenAI form carries arguments as a JSON string; templates expect the object.
        ordered_json* fn = c.is_object() && c.contains("function") ? &c["function"] : &c;
        if (fn->is_object() && fn->contains("arguments") && (*fn)["arguments"].is_string()) {
          ordered_json args = ordered_json::parse((*fn)["arguments"].get<std::string>(), nullptr, false);
          if (!args.is_discarded() && args.is_object()) (*fn)["arguments"] = args;
        }
      }
      j["tool_calls"] = calls;
    }
  }
  if (!m.tool_call_id.empty()) j["tool_call_id"] = m.tool_call_id;
  if (!m.extra.empty()) {
    ordered_json extra = ordered_json::parse(m.extra, nullptr, false);
    if (!extra.is_discarded() && extra.is_object()) {
      for (auto it = extra.begin(); it != extra.end(); ++it) {
        if (!j.contains(it.key())) j[it.key()] = it.value();
      }
    }
  }
  return j;
}

ordered_json ExampleMessagesJson(const Example& ex) {
  ordered_json msgs = ordered_json::array();
  for (const auto& m : ex.messages) msgs.push_back(MessageJson(m));
  return msgs;
}

std::vector<jinja::Span> FindSpecialTokens(std::string_view text, const std::vector<std::string>& tokens) {
  std::vector<std::string> sorted;
  for (const auto& t : tokens) {
    if (!t.empty()) sorted.push_back(t);
  }
  std::sort(sorted.begin(), sorted.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() > b.size() : a < b;
  });
  std::vector<jinja::Span> spans;
  for (size_t i = 0; i < text.size();) {
    bool hit = false;
    if (text[i] == '<' || text[i] == '[' || !sorted.empty()) {
      for (const auto& t : sorted) {
        if (text.compare(i, t.size(), t) == 0) {
          spans.push_back({i, i + t.size()});
          i += t.size();
          hit = true;
          break;
        }
      }
    }
    if (!hit) ++i;
  }
  return spans;
}

size_t CodePointOffset(std::string_view text, size_t byte_offset) {
  size_t n = 0;
  for (size_t i = 0; i < byte_offset && i < text.size(); ++i) n += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
  return n;
}

Result<RenderedExample> RenderExample(const ChatTemplate& t, const Example& ex, const RenderExampleOptions& opt) {
  ordered_json ctx = ordered_json::object();
  ctx["messages"] = ExampleMessagesJson(ex);
  if (!ex.tools.empty()) {
    ordered_json tools = ordered_json::parse(ex.tools, nullptr, false);
    if (!tools.is_discarded()) ctx["tools"] = tools;
  }
  ctx["add_generation_prompt"] = opt.add_generation_prompt;
  ctx["bos_token"] = t.bos_token;
  ctx["eos_token"] = t.eos_token;
  if (opt.extra_context.is_object()) {
    for (auto it = opt.extra_context.begin(); it != opt.extra_context.end(); ++it) ctx[it.key()] = it.value();
  }
  auto out = t.compiled.RenderJson(ctx, opt.render);
  if (!out.ok()) return out.error();
  RenderedExample r;
  r.text = std::move(out.value().text);
  if (!out.value().generation.empty()) {
    r.assistant = std::move(out.value().generation);
    r.assistant_from_generation = true;
  } else {
    // Walk all messages in order so an assistant reply is never matched inside an earlier turn
    // (e.g. "hi" inside the user's "Say hi"). Templates often trim content: search the trimmed form.
    size_t pos = 0;
    for (const auto& m : ex.messages) {
      std::string_view c = m.content;
      while (!c.empty() && (c.front() == ' ' || c.front() == '\n' || c.front() == '\t' || c.front() == '\r')) c.remove_prefix(1);
      while (!c.empty() && (c.back() == ' ' || c.back() == '\n' || c.back() == '\t' || c.back() == '\r')) c.remove_suffix(1);
      if (c.empty()) continue;
      size_t at = r.text.find(c, pos);
      if (m.role != Role::Assistant) {
        if (at != std::string::npos) pos = at + c.size();
        continue;
      }
      if (at == std::string::npos) {
        ++r.assistant_messages_missing;
        continue;
      }
      r.assistant.push_back({at, at + c.size()});
      pos = at + c.size();
    }
  }
  r.special = FindSpecialTokens(r.text, t.special_tokens);
  for (const auto& m : ex.messages) {
    if (m.role != Role::System) continue;
    std::string_view c = m.content;
    while (!c.empty() && (c.front() == ' ' || c.front() == '\n')) c.remove_prefix(1);
    while (!c.empty() && (c.back() == ' ' || c.back() == '\n')) c.remove_suffix(1);
    if (!c.empty() && r.text.find(c) == std::string::npos) r.system_dropped = true;
  }
  return r;
}

}  // namespace winnow
