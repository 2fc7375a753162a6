// synth.rag_qa: questions and answers grounded in documents. `.txt` / `.md` files named in
// "documents" (read through the front end) and the input's text rows are cut into chunks of
// "chunk_tokens" tokens with "overlap" tokens shared between neighbours (tokens here are
// whitespace-separated words: no tokenizer is needed, and chunk sizes stay close to model tokens
// for English prose); each chunk gets "per_chunk" questions cycling through the question types.
// The source chunk is kept as the citation in meta.
#include <algorithm>

#include "pipeline/example_source.h"
#include "pipeline/pipeline_config.h"
#include "pipeline/step_synth_common.h"

namespace winnow {
namespace {

using nlohmann::json;

const char* TypeHint(const std::string& t) {
  if (t == "factual") return "a factual question whose answer is stated in the passage";
  if (t == "analytical") return "an analytical question that needs reasoning over what the passage says";
  return "a request to summarise the passage or one of its parts";
}

class SynthRagQaStep final : public SynthStep {
 public:
  std::string_view Type() const override { return "synth.rag_qa"; }

  Status Prepare(StepContext& ctx) override {
    Status st = SynthStep::Prepare(ctx);
    if (!st.ok()) return st;
    for (const std::string& path : m_documents) {
      if (!ctx.read_file) return Error{"unsupported", "synth.rag_qa: this front end cannot read documents (" + path + ")"};
      auto text = ctx.read_file(path);
      if (!text.ok()) return Error{text.error().code, "synth.rag_qa: cannot read the document " + path + ": " + text.error().message};
      m_docs.push_back({BaseName(path), std::move(text.value())});
    }
    return Status::Ok();
  }

 protected:
  Templates DefaultTemplates() const override {
    return {"You write question / answer training data grounded in documents. You reply with JSON only.",
            "Passage (from {{document}}):\n\"\"\"\n{{chunk}}\n\"\"\"\n\nWrite question {{number}} about this passage: "
            "{{type_hint}}. The answer must rest only on the passage.\nReply with only a JSON object: "
            "{\"question\": \"...\", \"answer\": \"...\"}",
            {"document", "chunk", "number", "question_type", "type_hint"}};
  }
  std::vector<std::string_view> RecipeKeys() const override {
    return {"documents", "chunk_tokens", "overlap", "per_chunk", "question_types", "format"};
  }
  Status ConfigureRecipe(const json& p) override {
    Status st = GetParam(Type(), p, "documents", &m_documents);
    if (!st.ok()) return st;
    if (!(st = GetParam(Type(), p, "chunk_tokens", &m_chunk, 16, 100000)).ok()) return st;
    if (!(st = GetParam(Type(), p, "overlap", &m_overlap, 0, 100000)).ok()) return st;
    if (m_overlap >= m_chunk) return Error{"bad_config", "synth.rag_qa: \"overlap\" must be smaller than \"chunk_tokens\""};
    if (!(st = GetParam(Type(), p, "per_chunk", &m_per_chunk, 1, 100)).ok()) return st;
    if (!(st = GetParam(Type(), p, "question_types", &m_types)).ok()) return st;
    if (m_types.empty()) return Error{"bad_config", "synth.rag_qa: \"question_types\" must list at least one of factual, analytical, summary"};
    for (const std::string& t : m_types)
      if (t != "factual" && t != "analytical" && t != "summary")
        return Error{"bad_config", "synth.rag_qa: unknown question type \"" + t + "\" (allowed: factual, analytical, summary)"};
    return ParseChatFormat(Type(), p, &m_format);
  }
  json RecipeParams() const override {
    return json{{"documents", m_documents}, {"chunk_tokens", m_chunk}, {"overlap", m_overlap},
                {"per_chunk", m_per_chunk}, {"question_types", m_types}, {"format", FormatName(m_format)}};
  }
  void StartBatch(std::span<Row*> rows, StepContext& ctx) override {
    for (Row* r : rows)
      if (r->ex.has_text && !r->ex.text.empty()) m_docs.push_back({RowRefName(r->ex.origin, ctx), r->ex.text});
  }
  void StartFinish(StepContext&) override {
    size_t q = 0;
    for (const Doc& d : m_docs) {
      std::vector<std::pair<size_t, size_t>> words;  // byte spans
      for (size_t i = 0; i < d.text.size();) {
        while (i < d.text.size() && IsSpace(d.text[i])) ++i;
        size_t b = i;
        while (i < d.text.size() && !IsSpace(d.text[i])) ++i;
        if (i > b) words.emplace_back(b, i);
      }
      size_t stride = static_cast<size_t>(m_chunk - m_overlap);
      for (size_t start = 0, c = 0; start < words.size(); start += stride, ++c) {
        size_t end = std::min(words.size(), start + static_cast<size_t>(m_chunk));
        std::string chunk = d.text.substr(words[start].first, words[end - 1].second - words[start].first);
        for (int64_t k = 0; k < m_per_chunk; ++k, ++q) {
          const std::string& type = m_types[q % m_types.size()];
          synth::TemplateVars v{{"document", d.name}, {"chunk", chunk}, {"number", std::to_string(k + 1)},
                                {"question_type", type}, {"type_hint", TypeHint(type)}};
          m_items.push_back({AddCall(Prompt(v), synth::JsonShape{{{"question", "string"}, {"answer", "string"}}}),
                             json{{"question_type", type},
                                  {"citation", json{{"document", d.name}, {"chunk", c}, {"start_token", start}, {"end_token", end}, {"text", chunk}}}}});
        }
        ++m_chunks;
        if (end == words.size()) break;
      }
    }
  }
  bool Complete(StepContext&) override {
    for (const auto& [call, extra] : m_items) {
      const synth::CallOutcome& o = Outcome(call);
      if (!o.ok) continue;
      AddGenerated(MakeRow(ChatExample(m_format, o.value["question"].get<std::string>(), o.value["answer"].get<std::string>()), call, extra));
    }
    m_items.clear();
    return false;
  }
  void RecipeReport(json* r) const override {
    (*r)["documents"] = m_docs.size();
    (*r)["chunks"] = m_chunks;
  }

 private:
  static bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }
  static std::string RowRefName(const Origin& o, const StepContext& ctx) {
    std::string n = ctx.input_names && o.file < ctx.input_names->size() ? (*ctx.input_names)[o.file] : "input";
    return n + "#" + std::to_string(o.index);
  }
  struct Doc {
    std::string name, text;
  };
  std::vector<std::string> m_documents;
  int64_t m_chunk = 400, m_overlap = 50, m_per_chunk = 2;
  std::vector<std::string> m_types = {"factual", "analytical", "summary"};
  Format m_format = Format::Messages;
  std::vector<Doc> m_docs;
  std::vector<std::pair<size_t, json>> m_items;
  uint64_t m_chunks = 0;
};

}  // namespace
WINNOW_REGISTER_STEP(SynthRagQaStep, "synth.rag_qa", "LLM: questions and answers grounded in .txt / .md documents, chunk cited in meta");
}  // namespace winnow
