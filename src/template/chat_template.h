// Chat templates for training examples: load a template (a .jinja file, a Hugging Face
// tokenizer_config.json, or a built-in family such as "chatml"), render an Example through it,
// and locate what matters in the result. This is the API the template steps and the studio use:
//
//   auto tmpl = winnow::BuiltinChatTemplate("llama3");            // or LoadChatTemplateFile(path)
//   auto r = winnow::RenderExample(tmpl.value(), example, {});    // text + spans
//   r->text            the rendered string the model is trained on
//   r->assistant       byte spans of assistant output (the loss mask)
//   r->special         byte spans of special-token strings (for highlighting)
//
// Token counts come from a Tokenizer (tokenizer.h) applied to r->text.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/example.h"
#include "core/result.h"
#include "template/jinja_template.h"

namespace winnow {

struct ChatTemplate {
  std::string name;                         // built-in name, or the file it came from
  std::string source;                       // Jinja source
  std::string bos_token, eos_token;         // passed to the template as bos_token / eos_token
  std::vector<std::string> special_tokens;  // strings that are special tokens of the model
  std::string checked_against;              // built-ins: which real template the oracle compared it with
  jinja::Template compiled;
};

// Parses Jinja source into a ChatTemplate (special tokens: bos / eos plus `<|...|>`-style and
// `[INST]`-style literals found in the source). Errors: "template_syntax".
Result<ChatTemplate> MakeChatTemplate(std::string name, std::string_view source, std::string bos = {}, std::string eos = {});
// From the text of a tokenizer_config.json: `chat_template` as a string or as a named list
// ([{"name": "default", "template": ...}, {"name": "tool_use", ...}]); `which` picks a named one
// ("" = "default", else the first). bos / eos / added_tokens_decoder special tokens are read.
// Errors: "bad_config" (not JSON, no chat_template, unknown name), "template_syntax".
Result<ChatTemplate> ChatTemplateFromConfig(std::string name, std::string_view config_json, std::string_view which = {});
// Reads a .jinja file or a tokenizer_config.json (decided by content: a JSON object → config).
// Errors: "io_error" plus the above.
Result<ChatTemplate> LoadChatTemplateFile(const std::string& path, std::string_view which = {});
// The same from text already read (front ends without a file system pass what they read).
Result<ChatTemplate> ChatTemplateFromText(const std::string& name, std::string_view text, std::string_view which = {});

// Built-in templates (assets/templates/<name>.jinja, compiled in): chatml, llama2, llama3,
// mistral, gemma, phi3, qwen2.5, deepseek, zephyr, vicuna, alpaca. Error: "bad_config".
Result<ChatTemplate> BuiltinChatTemplate(std::string_view name);
std::vector<std::string> BuiltinChatTemplateNames();
// The embedded source of a built-in ("" when unknown); tests compare it with assets/.
std::string_view BuiltinChatTemplateSource(std::string_view name);

// Messages / tools of an Example as the JSON a chat template receives (OpenAI message form;
// tool_calls with JSON-decoded arguments as transformers users pass them).
nlohmann::ordered_json ExampleMessagesJson(const Example& ex);

struct RenderExampleOptions {
  bool add_generation_prompt = false;
  nlohmann::ordered_json extra_context = nlohmann::ordered_json::object();  // more template variables
  jinja::RenderOptions render;
};

struct RenderedExample {
  std::string text;
  // Assistant output spans (byte offsets into text). From {% generation %} blocks when the
  // template has them; otherwise each assistant message's content located in order.
  std::vector<jinja::Span> assistant;
  bool assistant_from_generation = false;
  size_t assistant_messages_missing = 0;  // assistant messages whose content was not found in text
  std::vector<jinja::Span> special;       // occurrences of the template's special tokens
  bool system_dropped = false;            // the example had a system message whose content is not in text
};

// Renders ex.messages (and ex.tools). Errors from the template: "template_raise" (message is the
// template's own), "template_error".
Result<RenderedExample> RenderExample(const ChatTemplate& t, const Example& ex, const RenderExampleOptions& opt);

// Byte spans of every occurrence of any of tokens in text (longest match first, no overlaps).
std::vector<jinja::Span> FindSpecialTokens(std::string_view text, const std::vector<std::string>& tokens);
// Byte offset → code-point offset (Python string index) for spans handed to Python trainers.
size_t CodePointOffset(std::string_view text, size_t byte_offset);

}  // namespace winnow
