// Writers: canonical, byte-stable JSON encoding of Examples in every target format, and the
// JSONL / JSON-array / CSV containers around it.
//
// [SECTION] JSON primitives
// [SECTION] Messages in each vocabulary
// [SECTION] EncodeExample per format
// [SECTION] Rejected rows
// [SECTION] Containers (JSONL, JSON array, CSV)
#include "io/writer.h"

#include "core/utf8.h"
#include "io/content_parts.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>

namespace winnow {

// ============================================================================================
// [SECTION] JSON primitives
// ============================================================================================

void AppendJsonString(std::string_view s, std::string* out) {
  static const char* kHex = "0123456789abcdef";
  out->push_back('"');
  size_t start = 0;
  const size_t n = s.size();
  for (size_t i = 0; i < n; ++i) {
    // Skip 8 bytes at a time while none needs escaping (SWAR: portable to wasm, no intrinsics).
    // The tests may report false positives (then the byte loop decides), never false negatives.
    while (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
      uint64_t q = w ^ (kOnes * '"'), b = w ^ (kOnes * '\\');
      uint64_t hit = ((q - kOnes) & ~q) | ((b - kOnes) & ~b) | ((w - kOnes * 0x20) & ~w);
      if (hit & kHigh) break;
      i += 8;
    }
    if (i >= n) break;
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(s.data() + start, i - start);
    start = i + 1;
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      default: {
        char buf[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        out->append(buf, 6);
      }
    }
  }
  out->append(s.data() + start, s.size() - start);
  out->push_back('"');
}

namespace {

void Key(std::string_view k, std::string* out, bool* first) {
  if (!*first) out->push_back(',');
  *first = false;
  AppendJsonString(k, out);
  out->push_back(':');
}

void StrField(std::string_view k, std::string_view v, std::string* out, bool* first) {
  Key(k, out, first);
  AppendJsonString(v, out);
}

// Appends the members of a JSON object text ("{...}") without its braces, after `first` handling.
// The text was produced by our reader (verbatim source members), so it is a well-formed object.
void AppendObjectMembers(std::string_view obj, std::string* out, bool* first) {
  if (obj.size() < 2) return;
  std::string_view inner = obj.substr(1, obj.size() - 2);
  if (inner.empty()) return;
  if (!*first) out->push_back(',');
  *first = false;
  out->append(inner);
}

// Meta members whose key collides with a key the format writes are moved under "meta" so nothing
// is lost and no key is duplicated.
void AppendMeta(std::string_view meta, std::initializer_list<std::string_view> taken, std::string* out,
                bool* first) {
  if (meta.size() < 3) return;
  // Looks for `"key":` without building a needle string (this runs for every row that has meta).
  bool clash = false;
  for (std::string_view t : taken) {
    for (size_t pos = meta.find(t); pos != std::string_view::npos && !clash; pos = meta.find(t, pos + 1)) {
      size_t end = pos + t.size();
      clash = pos > 0 && meta[pos - 1] == '"' && end + 1 < meta.size() && meta[end] == '"' && meta[end + 1] == ':';
    }
    if (clash) break;
  }
  if (!clash) {
    AppendObjectMembers(meta, out, first);
    return;
  }
  // Rare path: split members precisely with nlohmann (ordered, verbatim numbers kept as parsed).
  auto j = nlohmann::ordered_json::parse(meta, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    Key("meta", out, first);
    out->append(meta);
    return;
  }
  nlohmann::ordered_json moved = nlohmann::ordered_json::object();
  for (auto it = j.begin(); it != j.end(); ++it) {
    bool is_taken = false;
    for (std::string_view t : taken) is_taken |= (it.key() == t);
    if (is_taken || it.key() == "meta") {
      moved[it.key()] = it.value();
    } else {
      Key(it.key(), out, first);
      out->append(it.value().dump());
    }
  }
  Key("meta", out, first);
  out->append(moved.dump());
}

// ============================================================================================
// [SECTION] Messages in each vocabulary
// ============================================================================================

enum class Vocab { OpenAI, ShareGPT };

std::string_view ShareGptRole(Role r) {
  switch (r) {
    case Role::System: return "system";
    case Role::User: return "human";
    case Role::Assistant: return "gpt";
    case Role::Tool: return "observation";
  }
  return "human";
}

// Extra message members that the writer re-emits: everything in m.extra except a verbatim
// "content" (typed content parts), which replaces the flattened content.
bool ExtraHasRawContent(const Message& m) { return m.extra.find("\"content\":") != std::string::npos; }

// m.extra with its verbatim typed content parts brought in line with m.content: unchanged when
// they still flatten to it; otherwise (a step edited the text: a scrubbed e-mail, a trimmed reply)
// the first text part carries the new text, later text parts go, other parts (images, ...) stay.
// Without this the writer would re-emit the original parts and lose the edit (PII included).
std::string ExtraWithContent(const Message& m) {
  nlohmann::ordered_json extra = nlohmann::ordered_json::parse(m.extra, nullptr, false);
  if (extra.is_discarded() || !extra.is_object() || !extra.contains("content") || !extra["content"].is_array() ||
      FlattenContentParts(extra["content"]) == m.content) {
    return m.extra;
  }
  nlohmann::ordered_json parts = nlohmann::ordered_json::array();
  bool placed = false;
  for (const auto& p : extra["content"]) {
    if (!ContentPartText(p)) {
      parts.push_back(p);
    } else if (!placed) {
      nlohmann::ordered_json q = p;
      if (q.is_string()) q = m.content;
      else if (q.contains("text")) q["text"] = m.content;
      else q["value"] = m.content;
      parts.push_back(std::move(q));
      placed = true;
    }
  }
  if (!placed) parts.push_back(nlohmann::ordered_json{{"type", "text"}, {"text", m.content}});
  extra["content"] = std::move(parts);
  return extra.dump();
}

void AppendOpenAIMessage(const Message& m, std::string* out) {
  out->push_back('{');
  bool first = true;
  StrField("role", RoleName(m.role), out, &first);
  bool raw_content = !m.extra.empty() && ExtraHasRawContent(m);
  if (!raw_content) StrField("content", m.content, out, &first);
  if (!m.name.empty()) StrField("name", m.name, out, &first);
  if (!m.tool_calls.empty()) {
    Key("tool_calls", out, &first);
    out->append(m.tool_calls);
  }
  if (!m.tool_call_id.empty()) StrField("tool_call_id", m.tool_call_id, out, &first);
  if (raw_content) AppendObjectMembers(ExtraWithContent(m), out, &first);
  else if (!m.extra.empty()) AppendObjectMembers(m.extra, out, &first);
  out->push_back('}');
}

// One sharegpt turn per message; an assistant message with tool calls becomes its content turn
// (when non-empty) followed by one function_call turn per call, as LLaMA-Factory writes them.
void AppendShareGptTurns(const Message& m, std::string* out, bool* first_turn) {
  auto turn = [&](std::string_view from, std::string_view value, const Message* src) {
    if (!*first_turn) out->push_back(',');
    *first_turn = false;
    out->push_back('{');
    bool first = true;
    StrField("from", from, out, &first);
    StrField("value", value, out, &first);
    if (src && !src->name.empty()) StrField("name", src->name, out, &first);
    if (src && !src->tool_call_id.empty()) StrField("tool_call_id", src->tool_call_id, out, &first);
    if (src && !src->extra.empty()) AppendObjectMembers(src->extra, out, &first);
    out->push_back('}');
  };
  if (m.role == Role::Assistant && !m.tool_calls.empty()) {
    if (!m.content.empty()) turn("gpt", m.content, nullptr);
    auto calls = nlohmann::ordered_json::parse(m.tool_calls, nullptr, false);
    if (calls.is_discarded() || !calls.is_array()) {
      turn("function_call", m.tool_calls, &m);
      return;
    }
    for (const auto& c : calls) {
      nlohmann::ordered_json f = c.contains("function") ? c["function"] : c;
      nlohmann::ordered_json v = nlohmann::ordered_json::object();
      v["name"] = f.value("name", "");
      if (f.contains("arguments")) {
        const auto& a = f["arguments"];
        if (a.is_string()) {
          auto parsed = nlohmann::ordered_json::parse(a.get<std::string>(), nullptr, false);
          v["arguments"] = parsed.is_discarded() ? a : parsed;
        } else {
          v["arguments"] = a;
        }
      }
      turn("function_call", v.dump(), nullptr);
    }
    return;
  }
  turn(ShareGptRole(m.role), m.content, &m);
}

void AppendMessageList(const std::vector<Message>& ms, Vocab vocab, bool skip_system, std::string* out) {
  out->push_back('[');
  bool first = true;
  for (const Message& m : ms) {
    if (skip_system && m.role == Role::System) continue;
    if (vocab == Vocab::OpenAI) {
      if (!first) out->push_back(',');
      first = false;
      AppendOpenAIMessage(m, out);
    } else {
      AppendShareGptTurns(m, out, &first);
    }
  }
  out->push_back(']');
}

const Message* SystemOf(const Example& ex) {
  if (!ex.messages.empty() && ex.messages[0].role == Role::System) return &ex.messages[0];
  return nullptr;
}

bool HasToolTurns(const std::vector<Message>& ms) {
  for (const Message& m : ms) {
    if (m.role == Role::Tool || !m.tool_calls.empty()) return true;
  }
  return false;
}

void AppendTools(const Example& ex, bool as_string, std::string* out, bool* first) {
  if (ex.tools.empty()) return;
  Key("tools", out, first);
  if (as_string) {
    AppendJsonString(ex.tools, out);
  } else {
    auto j = nlohmann::ordered_json::parse(ex.tools, nullptr, false);
    if (j.is_discarded()) {
      AppendJsonString(ex.tools, out);  // not JSON: keep the text rather than lose it
    } else {
      out->append(ex.tools);
    }
  }
}

// A preference side written as a plain string: exactly one assistant message without extras.
bool SideIsPlainString(const std::vector<Message>& side) {
  return side.size() == 1 && side[0].role == Role::Assistant && side[0].tool_calls.empty() &&
         side[0].extra.empty() && side[0].name.empty();
}

void AppendSide(const std::vector<Message>& side, PrefForm form, Vocab vocab, std::string* out) {
  if (form == PrefForm::String && SideIsPlainString(side)) {
    AppendJsonString(side[0].content, out);
  } else if (form == PrefForm::Message && side.size() == 1) {
    if (vocab == Vocab::OpenAI) {
      AppendOpenAIMessage(side[0], out);
    } else {
      std::string tmp;
      bool f = true;
      AppendShareGptTurns(side[0], &tmp, &f);
      out->append(tmp);
    }
  } else {
    AppendMessageList(side, vocab, false, out);
  }
}

// ============================================================================================
// [SECTION] EncodeExample per format
// ============================================================================================

bool EncodeAlpaca(const Example& ex, std::string* out, std::string* why) {
  if (ex.has_text && ex.messages.empty()) {
    *why = "a raw text row has no instruction or output; use format text";
    return false;
  }
  const Message* sys = SystemOf(ex);
  size_t begin = sys ? 1 : 0;
  const std::vector<Message>& ms = ex.messages;
  if (HasToolTurns(ms)) {
    *why = "alpaca has no place for tool calls or tool results; convert to sharegpt or messages";
    return false;
  }
  bool pref = ex.pref != PrefForm::None;
  // The conversation must be user/assistant pairs ending in a user turn (preference) or an
  // assistant turn; earlier pairs go to "history".
  size_t n = ms.size() - begin;
  size_t last_user = pref ? ms.size() - 1 : ms.size() - 2;
  if (n == 0 || (pref ? n % 2 != 1 : n % 2 != 0) || ms.size() < begin + 1) {
    *why = pref ? "alpaca preference rows need a conversation that ends with a user turn"
                : "alpaca needs a conversation of user/assistant pairs ending with the assistant";
    return false;
  }
  for (size_t i = begin; i < ms.size(); ++i) {
    Role want = ((i - begin) % 2 == 0) ? Role::User : Role::Assistant;
    if (ms[i].role != want) {
      *why = "alpaca needs alternating user/assistant turns; turn " + std::to_string(i + 1) + " is " +
             std::string(RoleName(ms[i].role));
      return false;
    }
    if (!ms[i].extra.empty() || !ms[i].name.empty()) {
      *why = "alpaca cannot keep per-message fields (turn " + std::to_string(i + 1) + ")";
      return false;
    }
  }
  if (ex.has_text) {
    *why = "alpaca has no place for a raw text field";
    return false;
  }
  const std::string& query = ms[last_user].content;
  std::string_view instruction = query, input;
  if (ex.input_split >= 0 && static_cast<size_t>(ex.input_split) <= query.size()) {
    instruction = std::string_view(query).substr(0, ex.input_split);
    input = std::string_view(query).substr(std::min(query.size(), static_cast<size_t>(ex.input_split) + 1));
  }
  out->push_back('{');
  bool first = true;
  StrField("instruction", instruction, out, &first);
  // "input" is written when it has text or the source had the key (LLaMA-Factory reads both).
  if (!input.empty() || (ex.shape & kShapeInputPresent) || ex.source_format != Format::Alpaca) {
    StrField("input", input, out, &first);
  }
  if (pref) {
    if (!SideIsPlainString(ex.chosen) || !SideIsPlainString(ex.rejected)) {
      *why = "alpaca preference rows need chosen and rejected as single plain answers";
      return false;
    }
    StrField("chosen", ex.chosen[0].content, out, &first);
    StrField("rejected", ex.rejected[0].content, out, &first);
  } else {
    StrField("output", ms.back().content, out, &first);
  }
  if (sys) StrField("system", sys->content, out, &first);
  if (last_user > begin) {
    Key("history", out, &first);
    out->push_back('[');
    for (size_t i = begin; i < last_user; i += 2) {
      if (i != begin) out->push_back(',');
      out->push_back('[');
      AppendJsonString(ms[i].content, out);
      out->push_back(',');
      AppendJsonString(ms[i + 1].content, out);
      out->push_back(']');
    }
    out->push_back(']');
  }
  if (ex.label >= 0) {
    Key("label", out, &first);
    out->append(ex.label ? "true" : "false");
  }
  AppendTools(ex, true, out, &first);
  AppendMeta(ex.meta, {"instruction", "input", "output", "system", "history", "chosen", "rejected", "label", "tools"},
             out, &first);
  out->push_back('}');
  return true;
}

bool EncodeConversation(const Example& ex, Format to, std::string* out, std::string* why) {
  if (ex.has_text && ex.messages.empty()) {
    *why = "a raw text row has no conversation; use format text, or render it with a chat template";
    return false;
  }
  Vocab vocab = to == Format::ShareGPT ? Vocab::ShareGPT : Vocab::OpenAI;
  const char* list_key = to == Format::ShareGPT ? "conversations" : "messages";
  bool pref = ex.pref != PrefForm::None;
  if (to == Format::Messages && pref) {
    *why = "messages has no place for a rejected answer; convert to preference or sharegpt";
    return false;
  }
  if (to == Format::KTO && ex.label < 0) {
    *why = "kto rows need a boolean label and this row has none";
    return false;
  }
  if (to == Format::KTO && pref) {
    *why = "a preference pair cannot become one kto row (it would be two); convert to preference";
    return false;
  }
  const Message* sys = SystemOf(ex);
  // ShareGPT: the system prompt is a separate "system" field (LLaMA-Factory) unless the source had it
  // as the first turn.
  bool system_field = to == Format::ShareGPT && sys && !(ex.shape & kShapeSystemInTurns);
  out->push_back('{');
  bool first = true;
  Key(list_key, out, &first);
  AppendMessageList(ex.messages, vocab, system_field, out);
  if (system_field) StrField("system", sys->content, out, &first);
  if (pref) {
    // LLaMA-Factory's sharegpt ranking layout has chosen / rejected as single message objects.
    PrefForm form = ex.pref;
    if (to == Format::ShareGPT && form == PrefForm::String) form = PrefForm::Message;
    Key("chosen", out, &first);
    AppendSide(ex.chosen, form, vocab, out);
    Key("rejected", out, &first);
    AppendSide(ex.rejected, form, vocab, out);
  }
  if (ex.label >= 0) {
    Key("label", out, &first);
    out->append(ex.label ? "true" : "false");
  }
  AppendTools(ex, to == Format::ShareGPT, out, &first);
  AppendMeta(ex.meta, {list_key, "system", "chosen", "rejected", "label", "tools"}, out, &first);
  out->push_back('}');
  return true;
}

bool EncodePreference(const Example& ex, std::string* out, std::string* why) {
  if (ex.pref == PrefForm::None) {
    *why = "preference rows need a chosen and a rejected answer and this row has neither";
    return false;
  }
  out->push_back('{');
  bool first = true;
  Key("prompt", out, &first);
  // A single user turn with no extras is written as a string (TRL "standard" form); anything
  // longer as a message list (TRL "conversational" form).
  bool plain_prompt = ex.pref == PrefForm::String && ex.messages.size() == 1 &&
                      ex.messages[0].role == Role::User && ex.messages[0].extra.empty() &&
                      ex.messages[0].name.empty();
  if (plain_prompt) {
    AppendJsonString(ex.messages[0].content, out);
  } else {
    AppendMessageList(ex.messages, Vocab::OpenAI, false, out);
  }
  PrefForm side_form = plain_prompt ? PrefForm::String : PrefForm::Messages;
  Key("chosen", out, &first);
  AppendSide(ex.chosen, side_form, Vocab::OpenAI, out);
  Key("rejected", out, &first);
  AppendSide(ex.rejected, side_form, Vocab::OpenAI, out);
  AppendTools(ex, false, out, &first);
  AppendMeta(ex.meta, {"prompt", "chosen", "rejected", "tools"}, out, &first);
  out->push_back('}');
  return true;
}

bool EncodeText(const Example& ex, std::string* out, std::string* why) {
  if (!ex.has_text) {
    *why = "this row is a conversation, not raw text; render it with a chat template (template.render) "
           "to get training text";
    return false;
  }
  out->push_back('{');
  bool first = true;
  StrField("text", ex.text, out, &first);
  AppendMeta(ex.meta, {"text"}, out, &first);
  out->push_back('}');
  return true;
}

}  // namespace

bool EncodeExample(const Example& ex, Format to, std::string* out, std::string* why) {
  // Encoders append straight to *out; on refusal whatever they wrote is cut off again.
  size_t mark = out->size();
  bool ok = false;
  switch (to) {
    case Format::Alpaca: ok = EncodeAlpaca(ex, out, why); break;
    case Format::ShareGPT:
    case Format::Messages:
    case Format::KTO: ok = EncodeConversation(ex, to, out, why); break;
    case Format::Preference: ok = EncodePreference(ex, out, why); break;
    case Format::Text: ok = EncodeText(ex, out, why); break;
    case Format::Unknown: *why = "no target format given"; break;
  }
  if (!ok) out->resize(mark);
  return ok;
}

// ============================================================================================
// [SECTION] Rejected rows
// ============================================================================================

void EncodeProblem(const RowProblem& p, std::string_view file, std::string_view step, std::string* out) {
  out->push_back('{');
  bool first = true;
  StrField("step", step, out, &first);
  StrField("reason", p.reason, out, &first);
  StrField("detail", p.detail, out, &first);
  StrField("file", file, out, &first);
  Key("line", out, &first);
  out->append(std::to_string(p.origin.line));
  Key("index", out, &first);
  out->append(std::to_string(p.origin.index));
  Key("offset", out, &first);
  out->append(std::to_string(p.origin.offset));
  // The raw bytes may be invalid UTF-8 (that may be why the row was rejected): repair for the
  // JSON string, so the rejects file itself is always valid JSONL.
  std::string repaired;
  RepairUtf8(p.raw, &repaired);
  StrField("raw", repaired, out, &first);
  out->push_back('}');
}

// ============================================================================================
// [SECTION] Containers (JSONL, JSON array, CSV)
// ============================================================================================

namespace {

class JsonlWriter : public ExampleWriter {
 public:
  JsonlWriter(FileSink& sink, Format to, bool array) : m_sink(sink), m_to(to), m_array(array) {}
  bool Write(const Example& ex, std::string* why, Status* io) override {
    size_t mark = m_buf.size();
    if (m_array) m_buf.append(m_count == 0 ? "[\n" : ",\n");
    if (!EncodeExample(ex, m_to, &m_buf, why)) {
      m_buf.resize(mark);
      return false;
    }
    if (!m_array) m_buf.push_back('\n');
    ++m_count;
    if (m_buf.size() >= (1u << 20)) *io = Flush();
    return true;
  }
  Status Finish() override {
    if (m_array) m_buf.append(m_count == 0 ? "[]\n" : "\n]\n");
    return Flush();
  }

 private:
  Status Flush() {
    Status s = m_sink.Write(m_buf);
    m_buf.clear();
    return s;
  }
  FileSink& m_sink;
  Format m_to;
  bool m_array;
  uint64_t m_count = 0;
  std::string m_buf;
};

// CSV: one column per top-level member of the encoded JSON object; string values as text, other
// values as their JSON text. The columns are the union of the members of the first kBufferRows
// rows (in order of first appearance), which are held back until then; a later row with a member
// outside that set cannot be written and is returned with a reason (it goes to the rejects).
class CsvWriter : public ExampleWriter {
 public:
  static constexpr size_t kBufferRows = 10000;
  CsvWriter(FileSink& sink, Format to, char sep) : m_sink(sink), m_to(to), m_sep(sep) {}
  bool Write(const Example& ex, std::string* why, Status* io) override {
    std::string json;
    if (!EncodeExample(ex, m_to, &json, why)) return false;
    auto j = nlohmann::ordered_json::parse(json, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      *why = "internal: encoded row is not an object";
      return false;
    }
    if (!m_header_written) {
      for (auto it = j.begin(); it != j.end(); ++it) {
        if (std::find(m_columns.begin(), m_columns.end(), it.key()) == m_columns.end()) m_columns.push_back(it.key());
      }
      m_pending.push_back(std::move(j));
      if (m_pending.size() >= kBufferRows) *io = WriteHeaderAndPending();
      return true;
    }
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (std::find(m_columns.begin(), m_columns.end(), it.key()) == m_columns.end()) {
        *why = "CSV output: field \"" + it.key() + "\" did not occur in the first " + std::to_string(kBufferRows) +
               " rows, which fixed the columns; write JSONL to keep it";
        return false;
      }
    }
    Row(j);
    if (m_buf.size() >= (1u << 20)) *io = Flush();
    return true;
  }
  Status Finish() override {
    if (!m_header_written) {
      Status s = WriteHeaderAndPending();
      if (!s.ok()) return s;
    }
    return Flush();
  }

 private:
  Status WriteHeaderAndPending() {
    m_header_written = true;
    if (m_columns.empty()) return Status::Ok();
    for (size_t i = 0; i < m_columns.size(); ++i) {
      if (i) m_buf.push_back(m_sep);
      Cell(m_columns[i]);
    }
    m_buf.append("\r\n");
    for (const auto& j : m_pending) Row(j);
    m_pending.clear();
    return Flush();
  }
  void Row(const nlohmann::ordered_json& j) {
    for (size_t i = 0; i < m_columns.size(); ++i) {
      if (i) m_buf.push_back(m_sep);
      if (!j.contains(m_columns[i])) continue;
      const auto& v = j[m_columns[i]];
      Cell(v.is_string() ? v.get<std::string>() : v.dump());
    }
    m_buf.append("\r\n");
  }
  void Cell(const std::string& s) {
    bool quote = s.find_first_of(std::string("\"\r\n") + m_sep) != std::string::npos;
    if (!quote) {
      m_buf.append(s);
      return;
    }
    m_buf.push_back('"');
    for (char c : s) {
      if (c == '"') m_buf.push_back('"');
      m_buf.push_back(c);
    }
    m_buf.push_back('"');
  }
  Status Flush() {
    Status s = m_sink.Write(m_buf);
    m_buf.clear();
    return s;
  }
  FileSink& m_sink;
  Format m_to;
  char m_sep;
  bool m_header_written = false;
  std::vector<std::string> m_columns;
  std::vector<nlohmann::ordered_json> m_pending;
  std::string m_buf;
};

}  // namespace

std::unique_ptr<ExampleWriter> ExampleWriter::Create(FileSink& sink, FileKind kind, Format to) {
  switch (kind) {
    case FileKind::JsonArray: return std::make_unique<JsonlWriter>(sink, to, true);
    case FileKind::Csv: return std::make_unique<CsvWriter>(sink, to, ',');
    case FileKind::Tsv: return std::make_unique<CsvWriter>(sink, to, '\t');
    case FileKind::Auto:
    case FileKind::Jsonl: break;
  }
  return std::make_unique<JsonlWriter>(sink, to, false);
}

}  // namespace winnow
