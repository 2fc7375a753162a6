// ExampleReader: records (record_source.h) -> Examples, through a Schema (schema.h), with every
// problem turned into a RowProblem carrying the row's origin.
//
// [SECTION] JSON value helpers (simdjson on-demand)
// [SECTION] Messages
// [SECTION] OpenAssistant trees
// [SECTION] Decoder
// [SECTION] ExampleReader
#include "io/reader.h"

#include <simdjson.h>

#include <algorithm>
#include <deque>
#include <nlohmann/json.hpp>

#include "core/hash.h"
#include "core/utf8.h"
#include "io/content_parts.h"
#include "io/record_source.h"
#include "io/schema.h"
#include "io/writer.h"

namespace winnow {

namespace sj = simdjson::ondemand;

std::string_view FileKindName(FileKind k) {
  switch (k) {
    case FileKind::Jsonl: return "jsonl";
    case FileKind::JsonArray: return "json";
    case FileKind::Csv: return "csv";
    case FileKind::Tsv: return "tsv";
    case FileKind::Auto: break;
  }
  return "auto";
}

FileKind FileKindFromPath(std::string_view path) {
  if (path.size() > 3 && path.substr(path.size() - 3) == ".gz") path.remove_suffix(3);
  auto ends = [&](std::string_view suf) {
    if (path.size() < suf.size()) return false;
    std::string tail(path.substr(path.size() - suf.size()));
    std::transform(tail.begin(), tail.end(), tail.begin(), [](unsigned char c) { return std::tolower(c); });
    return tail == suf;
  };
  if (ends(".jsonl") || ends(".ndjson")) return FileKind::Jsonl;
  if (ends(".json")) return FileKind::JsonArray;  // refined from the first byte: many .json are JSONL
  if (ends(".csv")) return FileKind::Csv;
  if (ends(".tsv") || ends(".tab")) return FileKind::Tsv;
  return FileKind::Auto;
}

namespace {

// ============================================================================================
// [SECTION] JSON value helpers (simdjson on-demand)
// ============================================================================================

// A problem found while decoding; `code` is a RowProblem reason.
struct DecodeError {
  std::string code, detail;
};

bool ValidJsonNumber(std::string_view t) {
  size_t i = 0, n = t.size();
  if (i < n && t[i] == '-') ++i;
  if (i >= n) return false;
  if (t[i] == '0') {
    ++i;
  } else if (t[i] >= '1' && t[i] <= '9') {
    while (i < n && t[i] >= '0' && t[i] <= '9') ++i;
  } else {
    return false;
  }
  if (i < n && t[i] == '.') {
    ++i;
    size_t d = i;
    while (i < n && t[i] >= '0' && t[i] <= '9') ++i;
    if (i == d) return false;
  }
  if (i < n && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < n && (t[i] == '+' || t[i] == '-')) ++i;
    size_t d = i;
    while (i < n && t[i] >= '0' && t[i] <= '9') ++i;
    if (i == d) return false;
  }
  return i == n;
}

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

const char* TypeName(sj::json_type t) {
  switch (t) {
    case sj::json_type::array: return "an array";
    case sj::json_type::object: return "an object";
    case sj::json_type::number: return "a number";
    case sj::json_type::string: return "a string";
    case sj::json_type::boolean: return "a boolean";
    case sj::json_type::null: return "null";
  }
  return "?";
}

// Validates a value completely and appends its canonical minified JSON (strings re-escaped
// canonically, number tokens verbatim). Used for every field kept "verbatim" (meta, extras, tools)
// so outputs are always valid JSON even when the input hid a bad token inside a skipped value.
bool CopyValue(sj::value v, std::string* out, DecodeError* err, int depth = 0) {
  if (depth > 256) {
    *err = {"parse_error", "nesting deeper than 256 levels"};
    return false;
  }
  sj::json_type t;
  if (auto e = v.type().get(t)) {
    *err = {"parse_error", simdjson::error_message(e)};
    return false;
  }
  switch (t) {
    case sj::json_type::object: {
      sj::object o;
      if (auto e = v.get_object().get(o)) {
        *err = {"parse_error", simdjson::error_message(e)};
        return false;
      }
      out->push_back('{');
      bool first = true;
      for (auto fr : o) {
        sj::field f;
        std::string_view k;
        if (auto e = std::move(fr).get(f)) {
          *err = {"parse_error", simdjson::error_message(e)};
          return false;
        }
        if (auto e = f.unescaped_key().get(k)) {
          *err = {"parse_error", simdjson::error_message(e)};
          return false;
        }
        if (!first) out->push_back(',');
        first = false;
        AppendJsonString(k, out);
        out->push_back(':');
        if (!CopyValue(f.value(), out, err, depth + 1)) return false;
      }
      out->push_back('}');
      return true;
    }
    case sj::json_type::array: {
      sj::array a;
      if (auto e = v.get_array().get(a)) {
        *err = {"parse_error", simdjson::error_message(e)};
        return false;
      }
      out->push_back('[');
      bool first = true;
      for (auto er : a) {
        sj::value ev;
        if (auto e = std::move(er).get(ev)) {
          *err = {"parse_error", simdjson::error_message(e)};
          return false;
        }
        if (!first) out->push_back(',');
        first = false;
        if (!CopyValue(ev, out, err, depth + 1)) return false;
      }
      out->push_back(']');
      return true;
    }
    case sj::json_type::string: {
      std::string_view s;
      if (auto e = v.get_string().get(s)) {
        *err = {"parse_error", simdjson::error_message(e)};
        return false;
      }
      AppendJsonString(s, out);
      return true;
    }
    case sj::json_type::number: {
      std::string_view tok = TrimRight(v.raw_json_token());
      if (!ValidJsonNumber(tok)) {
        *err = {"parse_error", "invalid number '" + std::string(tok.substr(0, 40)) + "'"};
        return false;
      }
      out->append(tok);
      return true;
    }
    case sj::json_type::boolean: {
      bool b;
      if (auto e = v.get_bool().get(b)) {
        *err = {"parse_error", simdjson::error_message(e)};
        return false;
      }
      out->append(b ? "true" : "false");
      return true;
    }
    case sj::json_type::null: {
      bool is_null = false;
      if (v.is_null().get(is_null) || !is_null) {
        *err = {"parse_error", "invalid literal"};
        return false;
      }
      out->append("null");
      return true;
    }
  }
  return false;
}

// Appends `"key":<canonical value>` to an object text being built in *obj ("" = not started).
bool AddMember(std::string_view key, sj::value v, std::string* obj, DecodeError* err) {
  obj->push_back(obj->empty() ? '{' : ',');
  AppendJsonString(key, obj);
  obj->push_back(':');
  return CopyValue(v, obj, err);
}

void CloseObject(std::string* obj) {
  if (!obj->empty()) obj->push_back('}');
}

bool GetType(sj::value& v, sj::json_type* t, DecodeError* err) {
  if (auto e = v.type().get(*t)) {
    *err = {"parse_error", simdjson::error_message(e)};
    return false;
  }
  return true;
}

// A string field; null reads as "" (LLaMA-Factory treats missing and null alike).
bool GetStringField(sj::value v, std::string_view field, std::string* out, DecodeError* err) {
  sj::json_type t;
  if (!GetType(v, &t, err)) return false;
  if (t == sj::json_type::null) {
    out->clear();
    return true;
  }
  if (t != sj::json_type::string) {
    *err = {"wrong_type", "field \"" + std::string(field) + "\" is " + TypeName(t) + ", expected a string"};
    return false;
  }
  std::string_view s;
  if (auto e = v.get_string().get(s)) {
    *err = {"parse_error", std::string("field \"") + std::string(field) + "\": " + simdjson::error_message(e)};
    return false;
  }
  out->assign(s);
  return true;
}

// ============================================================================================
// [SECTION] Messages
// ============================================================================================

struct RoleNames {
  const Schema* s;
  // Maps a role / from value; function_call turns are flagged through *is_call.
  bool Map(std::string_view r, Role* role, bool* is_call) const {
    *is_call = false;
    if (r == s->user_tag || r == "user" || r == "human") { *role = Role::User; return true; }
    if (r == s->assistant_tag || r == "assistant" || r == "gpt") { *role = Role::Assistant; return true; }
    if (r == s->system_tag || r == "system") { *role = Role::System; return true; }
    if (r == s->observation_tag || r == "observation" || r == "tool" || r == "function" || r == "ipython") {
      *role = Role::Tool;
      return true;
    }
    if (r == s->function_tag || r == "function_call") {
      *role = Role::Assistant;
      *is_call = true;
      return true;
    }
    return false;
  }
};

// A sharegpt function_call turn's value ({"name":..,"arguments":..}) as OpenAI tool_calls text.
// When the value is not such JSON it is kept as a JSON string so it round-trips and validate can
// report it.
void FunctionCallToToolCalls(const std::string& value, std::string* tool_calls) {
  auto j = nlohmann::ordered_json::parse(value, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("name")) {
    tool_calls->clear();
    AppendJsonString(value, tool_calls);
    return;
  }
  nlohmann::ordered_json fn = nlohmann::ordered_json::object();
  fn["name"] = j["name"];
  if (j.contains("arguments")) {
    fn["arguments"] = j["arguments"].is_string() ? j["arguments"] : nlohmann::ordered_json(j["arguments"].dump());
  } else {
    fn["arguments"] = "{}";
  }
  nlohmann::ordered_json call = nlohmann::ordered_json::object();
  call["type"] = "function";
  call["function"] = fn;
  *tool_calls = nlohmann::ordered_json::array({call}).dump();
}

bool DecodeMessage(sj::value v, const Schema& schema, size_t index, Message* m, DecodeError* err) {
  sj::object o;
  if (v.get_object().get(o) != simdjson::SUCCESS) {
    *err = {"wrong_type", "message " + std::to_string(index + 1) + " is not an object"};
    return false;
  }
  *m = Message{};
  std::string role_value;
  bool have_role = false, have_content = false;
  std::string extra;
  for (auto fr : o) {
    sj::field f;
    std::string_view k;
    if (auto e = std::move(fr).get(f)) {
      *err = {"parse_error", simdjson::error_message(e)};
      return false;
    }
    if (auto e = f.unescaped_key().get(k)) {
      *err = {"parse_error", simdjson::error_message(e)};
      return false;
    }
    bool is_role = schema.role_tag.empty() ? (k == "role" || k == "from") : (k == schema.role_tag);
    bool is_content = schema.content_tag.empty() ? (k == "content" || k == "value") : (k == schema.content_tag);
    if (is_role && !have_role) {
      if (!GetStringField(f.value(), k, &role_value, err)) return false;
      have_role = true;
    } else if (is_content && !have_content) {
      have_content = true;
      sj::json_type t;
      if (!GetType(f.value(), &t, err)) return false;
      if (t == sj::json_type::string) {
        std::string_view s;
        if (auto e = f.value().get_string().get(s)) {
          *err = {"parse_error", simdjson::error_message(e)};
          return false;
        }
        m->content.assign(s);
      } else if (t == sj::json_type::null || t == sj::json_type::array) {
        // Typed content parts (or null): keep the original verbatim in extra, flatten the text.
        std::string raw;
        if (!CopyValue(f.value(), &raw, err)) return false;
        extra.push_back(extra.empty() ? '{' : ',');
        extra.append("\"content\":");
        extra.append(raw);
        if (t == sj::json_type::array) {
          auto parts = nlohmann::json::parse(raw, nullptr, false);
          if (parts.is_array()) m->content = FlattenContentParts(parts);
        }
      } else {
        *err = {"wrong_type", "message " + std::to_string(index + 1) + ": content is " + TypeName(t)};
        return false;
      }
    } else if (k == "name") {
      if (!GetStringField(f.value(), k, &m->name, err)) return false;
    } else if (k == "tool_calls") {
      m->tool_calls.clear();
      if (!CopyValue(f.value(), &m->tool_calls, err)) return false;
      if (m->tool_calls == "null") m->tool_calls.clear();
    } else if (k == "tool_call_id") {
      if (!GetStringField(f.value(), k, &m->tool_call_id, err)) return false;
    } else {
      if (!AddMember(k, f.value(), &extra, err)) return false;
    }
  }
  CloseObject(&extra);
  m->extra = std::move(extra);
  if (!have_role) {
    *err = {"missing_field", "message " + std::to_string(index + 1) + " has no role"};
    return false;
  }
  bool is_call = false;
  if (!RoleNames{&schema}.Map(role_value, &m->role, &is_call)) {
    *err = {"bad_role", "message " + std::to_string(index + 1) + " has unknown role \"" + role_value +
                            "\" (known: system, user/human, assistant/gpt, tool/observation, function_call)"};
    return false;
  }
  if (is_call) {
    FunctionCallToToolCalls(m->content, &m->tool_calls);
    m->content.clear();
  }
  return true;
}

bool DecodeMessageList(sj::value v, std::string_view field, const Schema& schema, std::vector<Message>* out,
                       DecodeError* err) {
  sj::array a;
  sj::json_type t;
  if (!GetType(v, &t, err)) return false;
  if (t != sj::json_type::array) {
    *err = {"wrong_type", "field \"" + std::string(field) + "\" is " + TypeName(t) + ", expected a list of messages"};
    return false;
  }
  if (auto e = v.get_array().get(a)) {
    *err = {"parse_error", simdjson::error_message(e)};
    return false;
  }
  out->clear();
  size_t i = 0;
  for (auto er : a) {
    sj::value ev;
    if (auto e = std::move(er).get(ev)) {
      *err = {"parse_error", simdjson::error_message(e)};
      return false;
    }
    out->emplace_back();
    if (!DecodeMessage(ev, schema, i++, &out->back(), err)) return false;
  }
  return true;
}

// chosen / rejected: a string, one message object, or a message list.
bool DecodeSide(sj::value v, std::string_view field, const Schema& schema, std::vector<Message>* out, PrefForm* form,
                DecodeError* err) {
  sj::json_type t;
  if (!GetType(v, &t, err)) return false;
  out->clear();
  if (t == sj::json_type::string) {
    out->emplace_back();
    out->back().role = Role::Assistant;
    *form = PrefForm::String;
    return GetStringField(v, field, &out->back().content, err);
  }
  if (t == sj::json_type::object) {
    out->emplace_back();
    *form = PrefForm::Message;
    return DecodeMessage(v, schema, 0, &out->back(), err);
  }
  if (t == sj::json_type::array) {
    *form = PrefForm::Messages;
    return DecodeMessageList(v, field, schema, out, err);
  }
  *err = {"wrong_type", "field \"" + std::string(field) + "\" is " + TypeName(t) +
                            ", expected a string, a message or a list of messages"};
  return false;
}

// ============================================================================================
// [SECTION] OpenAssistant trees
// ============================================================================================
// Policy: one conversation per tree (every input row ends in exactly one output): from the prompt,
// repeatedly follow the reply with the best (lowest) rank, skipping deleted replies; unranked
// replies come after ranked ones; ties keep the first. Other paths are not emitted. The path ends
// at its last assistant message: a prompter message that no assistant answered (most leaves of
// these trees) is no training turn, and kept it would make the whole conversation end with the
// user (validate's no_reply). A prompt without any assistant reply stays as it is.

struct OasstNode {
  std::vector<Message> path;  // this node and its best descendants
  int64_t rank = INT64_MAX;
  bool deleted = false;
};

bool DecodeOasstNode(sj::value v, OasstNode* node, DecodeError* err, int depth) {
  if (depth > 200) {
    *err = {"parse_error", "OpenAssistant tree deeper than 200 messages"};
    return false;
  }
  sj::object o;
  if (v.get_object().get(o) != simdjson::SUCCESS) {
    *err = {"wrong_type", "OpenAssistant message is not an object"};
    return false;
  }
  Message self;
  std::string role;
  OasstNode best;
  bool have_best = false;
  for (auto fr : o) {
    sj::field f;
    std::string_view k;
    if (std::move(fr).get(f) || f.unescaped_key().get(k)) {
      *err = {"parse_error", "malformed OpenAssistant message"};
      return false;
    }
    if (k == "text") {
      if (!GetStringField(f.value(), k, &self.content, err)) return false;
    } else if (k == "role") {
      if (!GetStringField(f.value(), k, &role, err)) return false;
    } else if (k == "rank") {
      int64_t r;
      if (!f.value().get_int64().get(r)) node->rank = r;
    } else if (k == "deleted") {
      bool d;
      if (!f.value().get_bool().get(d)) node->deleted = d;
    } else if (k == "replies") {
      sj::array a;
      if (f.value().get_array().get(a)) {
        *err = {"wrong_type", "OpenAssistant replies is not a list"};
        return false;
      }
      for (auto er : a) {
        sj::value ev;
        if (std::move(er).get(ev)) {
          *err = {"parse_error", "malformed OpenAssistant reply"};
          return false;
        }
        OasstNode child;
        if (!DecodeOasstNode(ev, &child, err, depth + 1)) return false;
        if (child.deleted) continue;
        if (!have_best || child.rank < best.rank) {
          best = std::move(child);
          have_best = true;
        }
      }
    }
  }
  if (role == "prompter") self.role = Role::User;
  else if (role == "assistant") self.role = Role::Assistant;
  else {
    *err = {"bad_role", "OpenAssistant role \"" + role + "\" (expected prompter or assistant)"};
    return false;
  }
  node->path.clear();
  node->path.push_back(std::move(self));
  if (have_best) {
    for (auto& m : best.path) node->path.push_back(std::move(m));
  }
  return true;
}

// ============================================================================================
// [SECTION] Decoder
// ============================================================================================

enum class FieldRole : uint8_t {
  Meta, Instruction, Input, Output, System, History, Messages, Prompt, Chosen, Rejected, Label, Text, Tools, OasstPrompt
};

class Decoder {
 public:
  Decoder(Schema schema, bool repair) : m_schema(std::move(schema)), m_repair(repair) { BuildRoles(); }
  const Schema& schema() const { return m_schema; }

  // Returns true with *ex filled, or false with *p filled.
  bool Decode(const Record& r, Example* ex, RowProblem* p) {
    DecodeError err;
    bool ok = DecodeInner(r, ex, &err);
    if (!ok) {
      if (r.unterminated && err.code == "parse_error") {
        err.code = "truncated";
        err.detail = "the last line has no newline and is incomplete: " + err.detail;
      }
      p->reason = err.code;
      p->detail = err.detail;
      p->origin = r.origin;
      p->raw.assign(r.raw);
    }
    return ok;
  }

  // Top-level keys of a record, for sniffing. False when the record does not parse as an object.
  bool Keys(std::string_view json, std::vector<std::string>* keys) {
    keys->clear();
    sj::document doc;
    if (m_parser.iterate(json.data(), json.size(), json.size() + kRecordPadding).get(doc)) return false;
    sj::object o;
    if (doc.get_object().get(o)) return false;
    for (auto fr : o) {
      sj::field f;
      std::string_view k;
      if (std::move(fr).get(f) || f.unescaped_key().get(k)) return false;
      keys->emplace_back(k);
    }
    return true;
  }

 private:
  void BuildRoles() {
    const Schema& s = m_schema;
    auto add = [&](const std::string& k, FieldRole r) {
      if (!k.empty()) m_roles.emplace_back(k, r);
    };
    if (s.oasst_tree) {
      add("prompt", FieldRole::OasstPrompt);
      return;
    }
    switch (s.format) {
      case Format::Alpaca:
        add(s.instruction, FieldRole::Instruction);
        add(s.input, FieldRole::Input);
        add(s.output, FieldRole::Output);
        add(s.system, FieldRole::System);
        add(s.history, FieldRole::History);
        add(s.chosen, FieldRole::Chosen);
        add(s.rejected, FieldRole::Rejected);
        add(s.label, FieldRole::Label);
        add(s.tools, FieldRole::Tools);
        break;
      case Format::ShareGPT:
      case Format::Messages:
      case Format::KTO:
        add(s.messages, FieldRole::Messages);
        add(s.system, FieldRole::System);
        add(s.tools, FieldRole::Tools);
        add(s.chosen, FieldRole::Chosen);
        add(s.rejected, FieldRole::Rejected);
        if (s.format == Format::KTO || s.format == Format::ShareGPT) add(s.label, FieldRole::Label);
        break;
      case Format::Preference:
        add(s.prompt, FieldRole::Prompt);
        add(s.chosen, FieldRole::Chosen);
        add(s.rejected, FieldRole::Rejected);
        add(s.tools, FieldRole::Tools);
        break;
      case Format::Text:
        add(s.text, FieldRole::Text);
        break;
      case Format::Unknown:
        break;
    }
  }
  FieldRole RoleOf(std::string_view k) const {
    for (const auto& [name, role] : m_roles) {
      if (name == k) return role;
    }
    return FieldRole::Meta;
  }

  void Reset(Example* ex) {
    ex->messages.clear();
    ex->chosen.clear();
    ex->rejected.clear();
    ex->pref = PrefForm::None;
    ex->has_text = false;
    ex->text.clear();
    ex->tools.clear();
    ex->label = -1;
    ex->input_split = -1;
    ex->meta.clear();
    ex->shape = 0;
  }

  bool DecodeInner(const Record& r, Example* ex, DecodeError* err) {
    Reset(ex);
    ex->origin = r.origin;
    ex->id = Hash64(r.raw);
    ex->source_format = m_schema.format;
    if (!r.problem_reason.empty()) {
      *err = {r.problem_reason, r.problem_detail};
      return false;
    }
    std::string_view text = r.json;
    // simdjson validates UTF-8 while indexing (iterate runs that stage at once); only rows it
    // rejects for that are scanned again, to name the byte or to repair it.
    sj::document doc;
    simdjson::error_code perr = m_parser.iterate(text.data(), text.size(), text.size() + kRecordPadding).get(doc);
    if (perr == simdjson::UTF8_ERROR) {
      size_t bad = FirstInvalidUtf8(text);
      if (!m_repair) {
        *err = {"invalid_utf8", "invalid UTF-8 at byte " + std::to_string(bad) + " of the row (file offset " +
                                    std::to_string(r.origin.offset + bad) + "); use --repair-utf8 to replace it with U+FFFD"};
        return false;
      }
      m_repaired.clear();
      RepairUtf8(text, &m_repaired);
      size_t n = m_repaired.size();
      m_repaired.append(kRecordPadding, ' ');
      text = std::string_view(m_repaired.data(), n);
      perr = m_parser.iterate(text.data(), text.size(), text.size() + kRecordPadding).get(doc);
    }
    if (perr) {
      *err = {r.unterminated ? "truncated" : "parse_error", simdjson::error_message(perr)};
      return false;
    }
    sj::json_type top;
    if (auto e = doc.type().get(top)) {
      *err = {r.unterminated ? "truncated" : "parse_error", simdjson::error_message(e)};
      return false;
    }
    if (top != sj::json_type::object) {
      *err = {"not_an_object", std::string("the row is ") + TypeName(top) + ", not a JSON object"};
      return false;
    }
    sj::object obj;
    if (auto e = doc.get_object().get(obj)) {
      *err = {"parse_error", simdjson::error_message(e)};
      return false;
    }
    m_keys.clear();
    std::string meta;
    bool have_instruction = false, have_output = false, have_messages = false, have_prompt = false;
    bool have_chosen = false, have_rejected = false, have_text = false;
    std::string instruction, input, output, system;
    bool have_system = false, have_input = false;
    std::vector<std::pair<std::string, std::string>> history;
    PrefForm chosen_form = PrefForm::None, rejected_form = PrefForm::None, prompt_form = PrefForm::None;
    for (auto fr : obj) {
      sj::field f;
      std::string_view k;
      if (auto e = std::move(fr).get(f)) {
        *err = {r.unterminated ? "truncated" : "parse_error", simdjson::error_message(e)};
        return false;
      }
      if (auto e = f.unescaped_key().get(k)) {
        *err = {"parse_error", simdjson::error_message(e)};
        return false;
      }
      for (const auto& seen : m_keys) {
        if (seen == k) {
          *err = {"duplicate_key", "key \"" + std::string(k) + "\" appears more than once in the row"};
          return false;
        }
      }
      m_keys.emplace_back(k);
      switch (RoleOf(k)) {
        case FieldRole::Meta:
          if (!AddMember(k, f.value(), &meta, err)) return false;
          break;
        case FieldRole::Instruction:
          if (!GetStringField(f.value(), k, &instruction, err)) return false;
          have_instruction = true;
          break;
        case FieldRole::Input:
          if (!GetStringField(f.value(), k, &input, err)) return false;
          have_input = true;
          break;
        case FieldRole::Output:
          if (!GetStringField(f.value(), k, &output, err)) return false;
          have_output = true;
          break;
        case FieldRole::System:
          if (!GetStringField(f.value(), k, &system, err)) return false;
          have_system = true;
          break;
        case FieldRole::History:
          if (!DecodeHistory(f.value(), k, &history, err)) return false;
          break;
        case FieldRole::Messages:
          if (!DecodeMessageList(f.value(), k, m_schema, &ex->messages, err)) return false;
          have_messages = true;
          break;
        case FieldRole::Prompt: {
          sj::json_type t;
          if (!GetType(f.value(), &t, err)) return false;
          if (t == sj::json_type::string) {
            ex->messages.emplace_back();
            ex->messages.back().role = Role::User;
            if (!GetStringField(f.value(), k, &ex->messages.back().content, err)) return false;
            prompt_form = PrefForm::String;
          } else {
            if (!DecodeMessageList(f.value(), k, m_schema, &ex->messages, err)) return false;
            prompt_form = PrefForm::Messages;
          }
          have_prompt = true;
          break;
        }
        case FieldRole::Chosen:
          if (!DecodeSide(f.value(), k, m_schema, &ex->chosen, &chosen_form, err)) return false;
          have_chosen = true;
          break;
        case FieldRole::Rejected:
          if (!DecodeSide(f.value(), k, m_schema, &ex->rejected, &rejected_form, err)) return false;
          have_rejected = true;
          break;
        case FieldRole::Label: {
          bool b;
          sj::json_type t;
          if (!GetType(f.value(), &t, err)) return false;
          if (t != sj::json_type::boolean || f.value().get_bool().get(b)) {
            *err = {"wrong_type", "field \"" + std::string(k) + "\" is " + TypeName(t) + ", expected true or false"};
            return false;
          }
          ex->label = b ? 1 : 0;
          break;
        }
        case FieldRole::Text:
          if (!GetStringField(f.value(), k, &ex->text, err)) return false;
          have_text = true;
          break;
        case FieldRole::Tools: {
          sj::json_type t;
          if (!GetType(f.value(), &t, err)) return false;
          if (t == sj::json_type::string) {
            if (!GetStringField(f.value(), k, &ex->tools, err)) return false;
            ex->shape |= kShapeToolsString;
          } else if (t != sj::json_type::null) {
            if (!CopyValue(f.value(), &ex->tools, err)) return false;
          }
          break;
        }
        case FieldRole::OasstPrompt: {
          OasstNode root;
          if (!DecodeOasstNode(f.value(), &root, err, 0)) return false;
          while (root.path.size() > 1 && root.path.back().role == Role::User) root.path.pop_back();
          ex->messages = std::move(root.path);
          have_messages = true;
          break;
        }
      }
    }
    const char* trailing = nullptr;
    if (!doc.current_location().get(trailing)) {
      *err = {"parse_error", "unexpected content after the row's closing '}'"};
      return false;
    }
    CloseObject(&meta);
    ex->meta = std::move(meta);
    if (have_chosen != have_rejected) {
      *err = {"missing_field", have_chosen ? "row has \"chosen\" but no \"rejected\"" : "row has \"rejected\" but no \"chosen\""};
      return false;
    }
    if (have_chosen) {
      ex->pref = chosen_form == rejected_form ? chosen_form : PrefForm::Messages;
    }

    switch (m_schema.format) {
      case Format::Alpaca: {
        if (!have_instruction) {
          *err = {"missing_field", "alpaca row has no \"" + m_schema.instruction + "\" field"};
          return false;
        }
        if (!have_output && !have_chosen) {
          *err = {"missing_field", "alpaca row has no \"" + m_schema.output + "\" field"};
          return false;
        }
        if (have_system) {
          ex->messages.push_back(Message{Role::System, system, "", "", "", ""});
          ex->shape |= kShapeSystemField;
        }
        for (auto& [q, a] : history) {
          ex->messages.push_back(Message{Role::User, std::move(q), "", "", "", ""});
          ex->messages.push_back(Message{Role::Assistant, std::move(a), "", "", "", ""});
        }
        Message user{Role::User, instruction, "", "", "", ""};
        if (have_input) ex->shape |= kShapeInputPresent;
        if (!input.empty()) {
          if (instruction.empty()) {
            user.content = input;
          } else {
            user.content.push_back('\n');
            user.content += input;
            ex->input_split = static_cast<int32_t>(instruction.size());
          }
        }
        ex->messages.push_back(std::move(user));
        if (have_output && !have_chosen) ex->messages.push_back(Message{Role::Assistant, output, "", "", "", ""});
        break;
      }
      case Format::ShareGPT:
      case Format::Messages:
      case Format::KTO: {
        if (!have_messages) {
          *err = {"missing_field", "row has no \"" + m_schema.messages + "\" list"};
          return false;
        }
        if (!ex->messages.empty() && ex->messages[0].role == Role::System) ex->shape |= kShapeSystemInTurns;
        if (have_system && !system.empty()) {
          ex->messages.insert(ex->messages.begin(), Message{Role::System, system, "", "", "", ""});
          ex->shape |= kShapeSystemField;
        }
        if (m_schema.format == Format::KTO && ex->label < 0) {
          *err = {"missing_field", "kto row has no boolean \"" + m_schema.label + "\""};
          return false;
        }
        break;
      }
      case Format::Preference: {
        if (!have_chosen) {
          *err = {"missing_field", "preference row has no \"chosen\" / \"rejected\""};
          return false;
        }
        if (!have_prompt) {
          // Implicit prompt (TRL): chosen and rejected are whole conversations; their common
          // leading turns are the prompt.
          size_t n = 0;
          while (n < ex->chosen.size() && n < ex->rejected.size() && ex->chosen[n] == ex->rejected[n]) ++n;
          ex->messages.assign(ex->chosen.begin(), ex->chosen.begin() + n);
          ex->chosen.erase(ex->chosen.begin(), ex->chosen.begin() + n);
          ex->rejected.erase(ex->rejected.begin(), ex->rejected.begin() + n);
        } else if (prompt_form == PrefForm::String && ex->pref != PrefForm::String) {
          ex->pref = PrefForm::Messages;
        }
        break;
      }
      case Format::Text:
        if (!have_text) {
          *err = {"missing_field", "text row has no \"" + m_schema.text + "\" field"};
          return false;
        }
        ex->has_text = true;
        break;
      case Format::Unknown:
        *err = {"unknown_format", "no dataset format chosen"};
        return false;
    }
    return true;
  }

  bool DecodeHistory(sj::value v, std::string_view field, std::vector<std::pair<std::string, std::string>>* out,
                     DecodeError* err) {
    sj::json_type t;
    if (!GetType(v, &t, err)) return false;
    if (t == sj::json_type::null) return true;
    sj::array a;
    if (t != sj::json_type::array || v.get_array().get(a)) {
      *err = {"wrong_type", "field \"" + std::string(field) + "\" must be a list of [instruction, response] pairs"};
      return false;
    }
    for (auto pr : a) {
      sj::value pv;
      sj::array pair;
      if (std::move(pr).get(pv) || pv.get_array().get(pair)) {
        *err = {"wrong_type", "field \"" + std::string(field) + "\" must be a list of [instruction, response] pairs"};
        return false;
      }
      std::vector<std::string> items;
      for (auto ir : pair) {
        sj::value iv;
        if (std::move(ir).get(iv)) {
          *err = {"parse_error", "malformed history entry"};
          return false;
        }
        items.emplace_back();
        if (!GetStringField(iv, field, &items.back(), err)) return false;
      }
      if (items.size() != 2) {
        *err = {"wrong_type", "history entry " + std::to_string(out->size() + 1) + " has " +
                                  std::to_string(items.size()) + " items, expected 2"};
        return false;
      }
      out->emplace_back(std::move(items[0]), std::move(items[1]));
    }
    return true;
  }

  Schema m_schema;
  bool m_repair;
  sj::parser m_parser;
  std::string m_repaired;
  std::vector<std::string> m_keys;
  std::vector<std::pair<std::string, FieldRole>> m_roles;
};

// ============================================================================================
// [SECTION] ExampleReader
// ============================================================================================

struct OwnedRecord {
  std::string json;  // with kRecordPadding bytes appended
  size_t json_len = 0;
  std::string raw;
  Origin origin;
  bool unterminated = false;
  std::string problem_reason, problem_detail;
  Record View() const {
    Record r;
    r.json = std::string_view(json.data(), json_len);
    r.raw = raw;
    r.origin = origin;
    r.unterminated = unterminated;
    r.problem_reason = problem_reason;
    r.problem_detail = problem_detail;
    return r;
  }
};

class ReaderImpl final : public ExampleReader {
 public:
  ReaderImpl(std::unique_ptr<RecordSource> records, FileKind kind) : m_records(std::move(records)), m_kind(kind) {}

  Status Init(const ReadOptions& opts) {
    // Look ahead at the first rows to sniff the format; they are replayed afterwards.
    std::vector<std::vector<std::string>> keys;
    Decoder probe(Schema{}, opts.repair_utf8);
    Record r;
    while (m_pending.size() < opts.sniff_rows) {
      auto got = m_records->Next(&r);
      if (!got.ok()) return got.error();
      if (!got.value()) break;
      OwnedRecord o;
      o.json.assign(r.json);
      o.json_len = r.json.size();
      o.json.append(kRecordPadding, ' ');
      o.raw.assign(r.raw);
      o.origin = r.origin;
      o.unterminated = r.unterminated;
      o.problem_reason = r.problem_reason;
      o.problem_detail = r.problem_detail;
      std::vector<std::string> k;
      if (r.problem_reason.empty()) {
        // Sniff on repaired text so one bad byte does not hide a row's keys.
        std::string_view j = o.View().json;
        std::string fixed;
        if (!IsValidUtf8(j)) {
          RepairUtf8(j, &fixed);
          fixed.append(kRecordPadding, ' ');
          j = std::string_view(fixed.data(), fixed.size() - kRecordPadding);
        }
        if (probe.Keys(j, &k)) keys.push_back(std::move(k));
      }
      m_pending.push_back(std::move(o));
    }
    Schema schema;
    if (opts.mapping) {
      schema = SchemaFromMapping(*opts.mapping);
    } else {
      std::string why;
      Schema sniffed = SniffSchema(keys, &why);
      if (opts.format != Format::Unknown) {
        schema = DefaultSchema(opts.format);
        // Keep the sniffed field names where the sniffed layout is of the same family.
        bool conv = [](Format f) { return f == Format::ShareGPT || f == Format::Messages || f == Format::KTO; }(opts.format);
        bool sniffed_conv = sniffed.format == Format::ShareGPT || sniffed.format == Format::Messages ||
                            sniffed.format == Format::KTO;
        if ((conv && sniffed_conv) || (opts.format == sniffed.format)) {
          std::string note = sniffed.note;
          schema = sniffed;
          schema.format = opts.format;
        }
        schema.note = "forced: " + std::string(FormatName(opts.format));
      } else if (sniffed.format == Format::Unknown && !sniffed.oasst_tree) {
        if (keys.empty()) {
          schema = sniffed;  // no readable rows: every row will be rejected with its own problem
          schema.note = m_pending.empty() ? "empty input" : "no readable rows in the first lines";
        } else {
          return Error{"unknown_format", why};
        }
      } else {
        schema = sniffed;
      }
    }
    for (const auto& [canon, source] : opts.fields) ApplyField(&schema, canon, source);
    m_decoder = std::make_unique<Decoder>(schema, opts.repair_utf8);
    m_repair = opts.repair_utf8;
    return Status::Ok();
  }

  Result<Next> Read(Example* ex, RowProblem* problem) override {
    Record r;
    if (!m_pending.empty()) {
      m_current = std::move(m_pending.front());
      m_pending.pop_front();
      r = m_current.View();
    } else {
      auto got = m_records->Next(&r);
      if (!got.ok()) return got.error();
      if (!got.value()) return Next::End;
    }
    if (m_decoder->schema().format == Format::Unknown && !m_decoder->schema().oasst_tree && r.problem_reason.empty()) {
      r.problem_reason = "unknown_format";
      r.problem_detail = "no dataset format could be sniffed; force one with --from";
    }
    m_last_raw = r.raw;
    return m_decoder->Decode(r, ex, problem) ? Next::Row : Next::Problem;
  }
  std::string_view LastRaw() const override { return m_last_raw; }
  SourceRowDecoder LineDecoder() const override {
    auto d = std::make_shared<Decoder>(m_decoder->schema(), m_repair);
    return [d](std::string_view line, Example* ex) {
      std::string buf(line);
      buf.append(kRecordPadding, ' ');
      Record r;
      r.json = std::string_view(buf.data(), line.size());
      r.raw = r.json;
      RowProblem p;
      return d->Decode(r, ex, &p);
    };
  }
  Format format() const override { return m_decoder->schema().format; }
  FileKind kind() const override { return m_kind; }
  uint64_t BytesRead() const override { return m_records->BytesRead(); }
  std::string_view SchemaNote() const override { return m_decoder->schema().note; }

 private:
  static void ApplyField(Schema* s, const std::string& canon, const std::string& source) {
    if (canon == "instruction") s->instruction = source;
    else if (canon == "input") s->input = source;
    else if (canon == "output") s->output = source;
    else if (canon == "system") s->system = source;
    else if (canon == "history") s->history = source;
    else if (canon == "messages" || canon == "conversations") s->messages = source;
    else if (canon == "prompt") s->prompt = source;
    else if (canon == "chosen") s->chosen = source;
    else if (canon == "rejected") s->rejected = source;
    else if (canon == "label") s->label = source;
    else if (canon == "text") s->text = source;
    else if (canon == "tools") s->tools = source;
  }

  std::unique_ptr<RecordSource> m_records;
  FileKind m_kind;
  std::unique_ptr<Decoder> m_decoder;
  std::deque<OwnedRecord> m_pending;
  OwnedRecord m_current;
  std::string_view m_last_raw;
  bool m_repair = false;
};

}  // namespace

bool IsKnownFieldName(std::string_view canon) {
  static const char* kNames[] = {"instruction", "input",  "output",   "system", "history", "messages", "conversations",
                                 "prompt",      "chosen", "rejected", "label",  "text",    "tools"};
  for (const char* n : kNames) {
    if (canon == n) return true;
  }
  return false;
}

namespace {
// A file whose first line is a lone "{" is one JSON object spread over lines, never JSONL rows.
// Says once what it is instead of one "unreadable line" per line; recognises LLaMA-Factory's
// dataset registry (dataset_info.json), which users open by mistake, and says how to use it.
std::string SingleObjectMessage(const std::string& name, std::string_view prefix, size_t first) {
  size_t eol = prefix.find('\n', first);
  std::string_view line = prefix.substr(first, eol == std::string_view::npos ? prefix.size() - first : eol - first);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
  if (line != "{") return "";
  std::string msg = name + " is one JSON object spread over several lines, not a dataset (JSONL with one row per "
                           "line, or a JSON array of rows)";
  nlohmann::json j = nlohmann::json::parse(prefix, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.empty()) return msg;
  std::vector<std::string> names;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const nlohmann::json& v = it.value();
    if (!v.is_object() || !(v.contains("file_name") || v.contains("hf_hub_url") || v.contains("ms_hub_url"))) return msg;
    names.push_back(it.key());
  }
  std::string base = name.substr(name.find_last_of('/') == std::string::npos ? 0 : name.find_last_of('/') + 1);
  msg = name + " is a LLaMA-Factory dataset registry (" + std::to_string(names.size()) +
        " datasets: name -> file_name, formatting, columns), not a dataset. Read a dataset it lists with its column "
        "mapping: --map " + base + ":NAME (NAME one of: ";
  for (size_t i = 0; i < names.size() && i < 5; ++i) msg += (i ? ", " : "") + names[i];
  msg += names.size() > 5 ? ", ...)" : ")";
  return msg;
}
}  // namespace

Result<std::unique_ptr<ExampleReader>> ExampleReader::Open(FileSource& src, const ReadOptions& opts) {
  for (const auto& [canon, source] : opts.fields) {
    if (!IsKnownFieldName(canon)) {
      return Error{"bad_config", "unknown field name \"" + canon +
                                     "\" (known: instruction, input, output, system, history, messages, prompt, "
                                     "chosen, rejected, label, text, tools)"};
    }
  }
  auto prefix = ReadPrefix(src, 1 << 16);
  if (!prefix.ok()) return prefix.error();
  const std::string& p = prefix.value();
  if (p.find('\0') != std::string::npos) {
    bool gz = p.size() >= 2 && static_cast<unsigned char>(p[0]) == 0x1f && static_cast<unsigned char>(p[1]) == 0x8b;
    return Error{"bad_input", src.Name() + (gz ? " is gzip-compressed; name it *.gz so it is decompressed"
                                               : " is a binary file, not JSONL, JSON or CSV")};
  }
  FileKind kind = opts.kind != FileKind::Auto ? opts.kind : FileKindFromPath(src.Name());
  size_t i = (p.size() >= 3 && p.compare(0, 3, "\xEF\xBB\xBF") == 0) ? 3 : 0;
  while (i < p.size() && (p[i] == ' ' || p[i] == '\n' || p[i] == '\r' || p[i] == '\t')) ++i;
  char first = i < p.size() ? p[i] : '\0';
  if (opts.kind == FileKind::Auto && (kind == FileKind::Auto || kind == FileKind::JsonArray || kind == FileKind::Jsonl)) {
    if (first == '[') kind = FileKind::JsonArray;
    else if (first == '{') {
      kind = FileKind::Jsonl;
      std::string one = SingleObjectMessage(src.Name(), p, i);
      if (!one.empty()) return Error{"bad_input", one};
    }
    else if (kind == FileKind::Auto) {
      if (first == '\0') kind = FileKind::Jsonl;  // empty input
      else {
        size_t eol = p.find('\n');
        std::string_view line(p.data(), eol == std::string::npos ? p.size() : eol);
        if (line.find('\t') != std::string_view::npos) kind = FileKind::Tsv;
        else if (line.find(',') != std::string_view::npos) kind = FileKind::Csv;
        else return Error{"bad_input", src.Name() + " does not look like JSONL, JSON or CSV (first byte '" +
                                           std::string(1, first) + "')"};
      }
    }
  }
  auto records = MakeRecordSource(src, kind, opts.file_index, std::move(prefix.value()));
  auto reader = std::make_unique<ReaderImpl>(std::move(records), kind);
  Status st = reader->Init(opts);
  if (!st.ok()) return st.error();
  return std::unique_ptr<ExampleReader>(std::move(reader));
}

}  // namespace winnow
