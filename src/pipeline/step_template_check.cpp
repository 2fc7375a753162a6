// template.check: renders every example with a chat template and reports what would go wrong in
// training: examples the template rejects (raise_exception, with the template's message), token
// counts after templating (histogram, percentiles), examples over a max length (drop, flag, or
// truncate whole trailing turns), special-token strings inside message content (template
// injection such as "<|im_end|>" in user text), and system messages the template silently drops.
// Annotation per row: {"tokens": n} (or {"chars": n} without a tokenizer) — the studio's column.
#include <algorithm>
#include <map>

#include "pipeline/pipeline_config.h"
#include "pipeline/step.h"
#include "pipeline/step_util.h"
#include "template/chat_template.h"
#include "template/tokenizer.h"

namespace winnow {

namespace {

// Histogram edges: 0, 32, 64, 128, ... 131072 (+ overflow); fixed so reports compare across runs.
constexpr uint64_t kEdges[] = {0, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072};
constexpr size_t kBuckets = sizeof(kEdges) / sizeof(kEdges[0]);

std::string BucketName(size_t i) {
  if (i + 1 == kBuckets) return ">=" + std::to_string(kEdges[i]);
  return std::to_string(kEdges[i]) + "-" + std::to_string(kEdges[i + 1] - 1);
}

class TemplateCheckStep final : public Step {
 public:
  std::string_view Type() const override { return "template.check"; }

  Status Configure(const nlohmann::json& p) override {
    Status st = CheckParamKeys(Type(), p, {"template", "template_file", "template_source", "template_name", "tokenizer_file",
                                           "tokenizer_encoding", "max_tokens", "policy", "on_error", "injection",
                                           "system_dropped", "add_generation_prompt"});
    if (!st.ok()) return st;
    if (!(st = GetParam(Type(), p, "template", &m_builtin)).ok()) return st;
    if (!(st = GetParam(Type(), p, "template_file", &m_template_file)).ok()) return st;
    if (!(st = GetParam(Type(), p, "template_source", &m_template_source)).ok()) return st;
    if (!(st = GetParam(Type(), p, "template_name", &m_template_name)).ok()) return st;
    if (!(st = GetParam(Type(), p, "tokenizer_file", &m_tokenizer_file)).ok()) return st;
    if (!(st = GetParam(Type(), p, "tokenizer_encoding", &m_encoding)).ok()) return st;
    if (!(st = GetParam(Type(), p, "max_tokens", &m_max_tokens, 0, 100000000)).ok()) return st;
    if (!(st = GetParam(Type(), p, "policy", &m_policy, {"drop", "flag", "truncate"})).ok()) return st;
    if (!(st = GetParam(Type(), p, "on_error", &m_on_error, {"drop", "flag"})).ok()) return st;
    if (!(st = GetParam(Type(), p, "injection", &m_injection, {"drop", "flag", "off"})).ok()) return st;
    if (!(st = GetParam(Type(), p, "system_dropped", &m_system_dropped, {"drop", "flag", "off"})).ok()) return st;
    if (!(st = GetParam(Type(), p, "add_generation_prompt", &m_agp)).ok()) return st;
    int sources = !m_builtin.empty() + !m_template_file.empty() + !m_template_source.empty();
    if (sources != 1) {
      std::string names;
      for (const auto& n : BuiltinChatTemplateNames()) names += (names.empty() ? "" : ", ") + n;
      return Error{"bad_config", "template.check: give exactly one of \"template\" (a built-in: " + names +
                                     "), \"template_file\" (.jinja or tokenizer_config.json) or \"template_source\""};
    }
    if (!m_builtin.empty()) {
      auto t = BuiltinChatTemplate(m_builtin);
      if (!t.ok()) return Error{"bad_config", "template.check: " + t.error().message};
      m_template = std::move(t.value());
    } else if (!m_template_source.empty()) {
      auto t = MakeChatTemplate("template_source", m_template_source);
      if (!t.ok()) return Error{"bad_config", "template.check: " + t.error().message};
      m_template = std::move(t.value());
    }
    if (!m_tokenizer_file.empty() || !m_template_file.empty()) m_needs_prepare = true;
    if (m_max_tokens > 0 && m_tokenizer_file.empty()) {
      return Error{"bad_config", "template.check: \"max_tokens\" needs \"tokenizer_file\" (a .tiktoken rank file, a tokenizer.json or a vocab list)"};
    }
    return Status::Ok();
  }

  nlohmann::json Params() const override {
    nlohmann::json j{{"tokenizer_file", m_tokenizer_file}, {"tokenizer_encoding", m_encoding}, {"max_tokens", m_max_tokens},
                     {"policy", m_policy}, {"on_error", m_on_error}, {"injection", m_injection},
                     {"system_dropped", m_system_dropped}, {"add_generation_prompt", m_agp}};
    if (!m_builtin.empty()) j["template"] = m_builtin;
    if (!m_template_file.empty()) j["template_file"] = m_template_file;
    if (!m_template_source.empty()) j["template_source"] = m_template_source;
    if (!m_template_name.empty()) j["template_name"] = m_template_name;
    return j;
  }

  Status Prepare(StepContext& ctx) override {
    if (!m_needs_prepare) return Status::Ok();
    if (!ctx.read_file) return Error{"unsupported", "template.check: this front end cannot read files"};
    if (!m_template_file.empty()) {
      auto text = ctx.read_file(m_template_file);
      if (!text.ok()) return Error{text.error().code, "template.check: cannot read " + m_template_file + ": " + text.error().message};
      auto t = ChatTemplateFromText(m_template_file, text.value(), m_template_name);
      if (!t.ok()) return Error{"bad_config", "template.check: " + t.error().message};
      m_template = std::move(t.value());
    }
    if (!m_tokenizer_file.empty()) {
      auto text = ctx.read_file(m_tokenizer_file);
      if (!text.ok()) return Error{text.error().code, "template.check: cannot read " + m_tokenizer_file + ": " + text.error().message};
      auto t = Tokenizer::FromFileText(m_tokenizer_file, text.value(), m_encoding);
      if (!t.ok()) return Error{"bad_config", "template.check: " + t.error().message};
      m_tokenizer = std::make_unique<Tokenizer>(std::move(t.value()));
    }
    return Status::Ok();
  }

  void Process(std::span<Row*> rows, StepContext& ctx) override {
    std::vector<std::string> specials = m_template.special_tokens;
    if (m_tokenizer) {
      for (auto& s : m_tokenizer->SpecialTokens()) {
        if (std::find(specials.begin(), specials.end(), s) == specials.end()) specials.push_back(s);
      }
    }
    RenderExampleOptions opt;
    opt.add_generation_prompt = m_agp;
    for (Row* r : rows) {
      if (ctx.cancel && ctx.cancel->Cancelled()) return;
      ++m_rows;
      // Injection: special-token strings inside message content (checked before rendering).
      if (m_injection != "off") {
        for (const auto& m : r->ex.messages) {
          auto hits = FindSpecialTokens(m.content, specials);
          if (hits.empty()) continue;
          std::string tok = m.content.substr(hits[0].begin, hits[0].end - hits[0].begin);
          ++m_injection_count;
          ++m_injection_by_token[tok];
          Sample("injection", r, ctx, std::string(RoleName(m.role)) + " content contains " + tok);
          Mark(r, m_injection, "template_injection",
               "special token " + tok + " inside " + std::string(RoleName(m.role)) + " content (" + RowWhere(r->ex.origin, ctx) + ")");
          break;
        }
        if (r->dropped()) continue;
      }
      auto rendered = RenderExample(m_template, r->ex, opt);
      if (!rendered.ok()) {
        ++m_errors;
        ++m_error_messages[rendered.error().message.substr(0, 200)];
        Sample("error", r, ctx, rendered.error().message);
        Mark(r, m_on_error, rendered.error().code == "template_raise" ? "template_raise" : "template_error",
             "template " + m_template.name + ": " + rendered.error().message);
        continue;
      }
      ++m_rendered;
      if (rendered.value().system_dropped) {
        ++m_system_dropped_count;
        if (m_system_dropped != "off") {
          Sample("system_dropped", r, ctx, "system message not in the rendered text");
          Mark(r, m_system_dropped, "system_dropped", "template " + m_template.name + " drops the system message");
          if (r->dropped()) continue;
        }
      }
      uint64_t n = Measure(rendered.value().text);
      if (m_max_tokens > 0 && n > static_cast<uint64_t>(m_max_tokens)) {
        ++m_too_long;
        std::string detail = std::to_string(n) + " tokens after templating > max_tokens " + std::to_string(m_max_tokens);
        if (m_policy == "truncate" && Truncate(r, opt, &n)) {
          ++m_truncated;
          Sample("truncated", r, ctx, detail);
        } else {
          Sample("too_long", r, ctx, detail);
          Mark(r, m_policy == "flag" ? "flag" : "drop", "too_long", detail);
          if (r->dropped()) continue;
        }
      }
      Record(n);
      if (!r->annotations.is_object()) r->annotations = nlohmann::json::object();
      r->annotations[ctx.step_id.empty() ? std::string(Type()) : ctx.step_id] =
          nlohmann::json{{m_tokenizer ? "tokens" : "chars", n}};
    }
  }

  nlohmann::json Report() const override {
    nlohmann::json hist = nlohmann::json::array();
    for (size_t i = 0; i < kBuckets; ++i) hist.push_back(nlohmann::json{{"range", BucketName(i)}, {"count", m_hist[i]}});
    std::vector<uint64_t> sorted = m_lengths;
    std::sort(sorted.begin(), sorted.end());
    auto pct = [&](double p) -> uint64_t {
      if (sorted.empty()) return 0;
      size_t idx = static_cast<size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
      return sorted[std::min(idx, sorted.size() - 1)];
    };
    uint64_t total = 0;
    for (uint64_t v : sorted) total += v;
    nlohmann::json errors = nlohmann::json::array();
    for (const auto& [msg, count] : m_error_messages) errors.push_back(nlohmann::json{{"message", msg}, {"count", count}});
    return nlohmann::json{
        {"template", m_template.name},
        {"unit", m_tokenizer ? "tokens" : "chars"},
        {"tokenizer", m_tokenizer ? m_tokenizer->Name() : ""},
        {"rows", m_rows},
        {"rendered", m_rendered},
        {"errors", m_errors},
        {"error_messages", errors},
        {"too_long", m_too_long},
        {"truncated", m_truncated},
        {"injection", m_injection_count},
        {"injection_by_token", m_injection_by_token},
        {"system_dropped", m_system_dropped_count},
        {"length", {{"total", total}, {"min", sorted.empty() ? 0 : sorted.front()}, {"p50", pct(0.5)}, {"p90", pct(0.9)},
                    {"p99", pct(0.99)}, {"max", sorted.empty() ? 0 : sorted.back()}}},
        {"histogram", hist},
        {"samples", m_samples},
    };
  }

 private:
  uint64_t Measure(const std::string& text) const {
    if (m_tokenizer) return m_tokenizer->Count(text);
    uint64_t n = 0;
    for (unsigned char c : text) n += (c & 0xC0) != 0x80;
    return n;
  }
  void Record(uint64_t n) {
    size_t b = 0;
    while (b + 1 < kBuckets && n >= kEdges[b + 1]) ++b;
    ++m_hist[b];
    m_lengths.push_back(n);
  }
  void Mark(Row* r, const std::string& action, const char* reason, const std::string& detail) {
    if (action == "drop") {
      r->verdict = Verdict{VerdictKind::Drop, "", reason, detail};
    } else {
      r->flags.push_back(Verdict{VerdictKind::Flag, "", reason, detail});
    }
  }
  void Sample(const char* kind, Row* r, StepContext& ctx, const std::string& detail) {
    if (m_samples.size() >= 20) return;
    m_samples.push_back(nlohmann::json{{"kind", kind}, {"row", RowRef(r->ex.origin, ctx)}, {"detail", detail.substr(0, 300)}});
  }
  // Drops trailing messages (whole turns, keeping at least one user and one assistant message)
  // until the rendered length fits; true when it does.
  bool Truncate(Row* r, const RenderExampleOptions& opt, uint64_t* n) {
    Example ex = r->ex;
    while (ex.messages.size() > 2) {
      ex.messages.pop_back();
      while (ex.messages.size() > 2 && ex.messages.back().role != Role::Assistant) ex.messages.pop_back();
      if (ex.messages.back().role != Role::Assistant) break;
      auto rendered = RenderExample(m_template, ex, opt);
      if (!rendered.ok()) return false;
      uint64_t len = Measure(rendered.value().text);
      if (len <= static_cast<uint64_t>(m_max_tokens)) {
        r->ex.messages = std::move(ex.messages);
        *n = len;
        return true;
      }
    }
    return false;
  }

  std::string m_builtin, m_template_file, m_template_source, m_template_name, m_tokenizer_file, m_encoding;
  int64_t m_max_tokens = 0;
  std::string m_policy = "drop", m_on_error = "drop", m_injection = "flag", m_system_dropped = "flag";
  bool m_agp = false;
  bool m_needs_prepare = false;
  ChatTemplate m_template;
  std::unique_ptr<Tokenizer> m_tokenizer;
  uint64_t m_rows = 0, m_rendered = 0, m_errors = 0, m_too_long = 0, m_truncated = 0, m_injection_count = 0,
           m_system_dropped_count = 0;
  uint64_t m_hist[kBuckets] = {};
  std::vector<uint64_t> m_lengths;
  std::map<std::string, uint64_t> m_error_messages, m_injection_by_token;
  nlohmann::json m_samples = nlohmann::json::array();
};

}  // namespace

WINNOW_REGISTER_STEP(TemplateCheckStep, "template.check",
                     "Render each example with a chat template: template errors, token counts, over-long rows, special-token injection, dropped system prompts");

}  // namespace winnow
