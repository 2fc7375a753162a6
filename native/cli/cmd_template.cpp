// `winnow template render --template FILE|NAME --context CONTEXT.json`: prints the rendered chat
// template (FILE: a .jinja file or a tokenizer_config.json whose chat_template is a string or a
// named list; NAME: a built-in such as chatml or llama3). CONTEXT holds messages, tools,
// add_generation_prompt, bos_token, eos_token and any other variables.
// `winnow template list` names the built-ins. `winnow tokenize --tokenizer FILE TEXT...` prints
// token ids (or --count) with a tiktoken rank file, a tokenizer.json or a WordPiece vocab list.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "command.h"
#include "pipeline_cli.h"
#include "template/chat_template.h"
#include "template/tokenizer.h"

namespace winnow::cli {
namespace {

struct RenderArgs {
  std::string tmpl, context, name, spans_out;
  int64_t now = -1;
  bool spans = false;
};

Result<std::string> ReadText(const std::string& path) {
  if (path == "-") {
    std::stringstream ss;
    ss << std::cin.rdbuf();
    return ss.str();
  }
  return ReadWholeFile(path);
}

int RunRender(RenderArgs& a) {
  Result<ChatTemplate> t = BuiltinChatTemplateSource(a.tmpl).empty() ? Result<ChatTemplate>(Error{"", ""}) : BuiltinChatTemplate(a.tmpl);
  if (BuiltinChatTemplateSource(a.tmpl).empty()) {
    auto text = ReadText(a.tmpl);
    if (!text.ok()) {
      std::fprintf(stderr, "winnow: %s\n", text.error().message.c_str());
      return kExitIo;
    }
    t = ChatTemplateFromText(a.tmpl, text.value(), a.name);
  }
  if (!t.ok()) {
    std::fprintf(stderr, "winnow: %s\n", t.error().message.c_str());
    return kExitUsage;
  }
  nlohmann::ordered_json ctx = nlohmann::ordered_json::object();
  if (!a.context.empty()) {
    auto text = ReadText(a.context);
    if (!text.ok()) {
      std::fprintf(stderr, "winnow: %s\n", text.error().message.c_str());
      return kExitIo;
    }
    ctx = nlohmann::ordered_json::parse(text.value(), nullptr, false);
    if (ctx.is_discarded() || !ctx.is_object()) {
      std::fprintf(stderr, "winnow: %s is not a JSON object\n", a.context.c_str());
      return kExitUsage;
    }
  }
  if (!ctx.contains("bos_token")) ctx["bos_token"] = t.value().bos_token;
  if (!ctx.contains("eos_token")) ctx["eos_token"] = t.value().eos_token;
  jinja::RenderOptions opt;
  opt.now_unix_seconds = a.now;
  auto out = t.value().compiled.RenderJson(ctx, opt);
  if (!out.ok()) {
    std::fprintf(stderr, "winnow: %s: %s\n", out.error().code.c_str(), out.error().message.c_str());
    return kExitRejected;
  }
  std::fwrite(out.value().text.data(), 1, out.value().text.size(), stdout);
  if (a.spans) {
    nlohmann::json j{{"generation", nlohmann::json::array()}, {"special", nlohmann::json::array()}};
    for (const auto& s : out.value().generation) j["generation"].push_back({s.begin, s.end});
    for (const auto& s : FindSpecialTokens(out.value().text, t.value().special_tokens)) j["special"].push_back({s.begin, s.end});
    std::fprintf(stderr, "%s\n", j.dump().c_str());
  }
  return kExitOk;
}

struct TokenizeArgs {
  std::string tokenizer, encoding, file;
  std::vector<std::string> texts;
  bool count = false, no_special = false;
};

int RunTokenize(TokenizeArgs& a) {
  auto data = ReadWholeFile(a.tokenizer);
  if (!data.ok()) {
    std::fprintf(stderr, "winnow: %s\n", data.error().message.c_str());
    return kExitIo;
  }
  auto tok = Tokenizer::FromFileText(a.tokenizer, data.value(), a.encoding);
  if (!tok.ok()) {
    std::fprintf(stderr, "winnow: %s\n", tok.error().message.c_str());
    return kExitUsage;
  }
  std::vector<std::string> texts = a.texts;
  if (!a.file.empty()) {
    auto t = ReadText(a.file);
    if (!t.ok()) {
      std::fprintf(stderr, "winnow: %s\n", t.error().message.c_str());
      return kExitIo;
    }
    texts.push_back(t.value());
  }
  for (const auto& text : texts) {
    std::vector<uint32_t> ids = tok.value().Encode(text, !a.no_special);
    if (a.count) {
      std::printf("%zu\n", ids.size());
      continue;
    }
    nlohmann::json j = ids;
    std::printf("%s\n", j.dump().c_str());
  }
  return kExitOk;
}

RegisterCommand g_template(60, [](CLI::App& app) {
  auto* cmd = app.add_subcommand("template", "Render chat templates (Jinja, as Hugging Face transformers does)");
  cmd->require_subcommand(1);
  auto ra = std::make_shared<RenderArgs>();
  auto* render = cmd->add_subcommand("render", "Print a chat template rendered with a context");
  render->add_option("--template,-t", ra->tmpl, "A .jinja file, a tokenizer_config.json, or a built-in name (see `winnow template list`)")->required();
  render->add_option("--context,-c", ra->context, "JSON object: messages, tools, add_generation_prompt, bos_token, eos_token, ... ('-' = stdin)");
  render->add_option("--name", ra->name, "Which named chat_template of a tokenizer_config.json (default: \"default\")");
  render->add_option("--now", ra->now, "Unix time strftime_now() formats (default: the clock)");
  render->add_flag("--spans", ra->spans, "Also print generation and special-token byte spans as JSON on stderr");
  render->callback([ra] { SetExitCode(RunRender(*ra)); });
  auto* list = cmd->add_subcommand("list", "List the built-in templates");
  list->callback([] {
    for (const auto& n : BuiltinChatTemplateNames()) {
      auto t = BuiltinChatTemplate(n);
      std::printf("%-12s %s\n", n.c_str(), t.ok() ? ("checked against: " + t.value().checked_against).c_str() : t.error().message.c_str());
    }
    SetExitCode(kExitOk);
  });

  auto ta = std::make_shared<TokenizeArgs>();
  auto* tk = app.add_subcommand("tokenize", "Print token ids (or counts) of texts");
  tk->add_option("--tokenizer", ta->tokenizer, "A tiktoken rank file (cl100k_base.tiktoken), a tokenizer.json or a WordPiece vocab list")->required();
  tk->add_option("--encoding", ta->encoding, "tiktoken encoding name when the file name does not say it");
  tk->add_option("--file,-f", ta->file, "Tokenize this file's text ('-' = stdin)");
  tk->add_flag("--count", ta->count, "Print token counts instead of ids");
  tk->add_flag("--no-special", ta->no_special, "Encode special-token strings as ordinary text");
  tk->add_option("texts", ta->texts, "Texts to tokenize");
  tk->callback([ta] { SetExitCode(RunTokenize(*ta)); });
});

}  // namespace
}  // namespace winnow::cli
