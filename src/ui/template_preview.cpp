// TemplatePreview: chosen template and tokenizer, cached per-row token counts, the selected row
// rendered with highlight runs; plus the monospace line wrapping the inspector draws with.
#include "ui/template_preview.h"

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>

#include "core/utf8.h"
#include "ui/glyph_set.h"

namespace winnow::ui {

// ---------------------------------------------------------------------------------------------
// runs and lines
// ---------------------------------------------------------------------------------------------
std::vector<HighlightRun> HighlightRuns(size_t text_size, const std::vector<jinja::Span>& assistant,
                                        const std::vector<jinja::Span>& special) {
  std::vector<size_t> cuts{0, text_size};
  auto add = [&](const std::vector<jinja::Span>& spans) {
    for (const auto& s : spans) {
      cuts.push_back(std::min(s.begin, text_size));
      cuts.push_back(std::min(s.end, text_size));
    }
  };
  add(assistant);
  add(special);
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  std::vector<HighlightRun> runs;
  size_t ai = 0, si = 0;
  for (size_t k = 0; k + 1 < cuts.size(); ++k) {
    size_t b = cuts[k], e = cuts[k + 1];
    while (ai < assistant.size() && assistant[ai].end <= b) ++ai;
    while (si < special.size() && special[si].end <= b) ++si;
    HighlightRun r{b, e, ai < assistant.size() && assistant[ai].begin <= b, si < special.size() && special[si].begin <= b};
    if (!runs.empty() && runs.back().assistant == r.assistant && runs.back().special == r.special && !r.special) {
      runs.back().end = e;  // merge plain neighbours; each special token stays its own run
    } else {
      runs.push_back(r);
    }
  }
  return runs;
}

std::vector<TextLine> WrapLines(std::string_view text, size_t columns) {
  if (columns < 1) columns = 1;
  std::vector<TextLine> lines;
  size_t begin = 0, cols = 0, last_space_end = std::string_view::npos;
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      lines.push_back({begin, i, true});
      begin = i + 1;
      i = begin;
      cols = 0;
      last_space_end = std::string_view::npos;
      continue;
    }
    size_t next = i;
    const size_t w = c < 0x80 ? 1 : static_cast<size_t>(CharColumns(DecodeUtf8(text, &next)));
    size_t len = c < 0x80 ? 1 : std::max<size_t>(1, next - i);
    if (cols > 0 && cols + w > columns) {
      // Full: break after the last space of the line when there is one, else here.
      size_t cut = last_space_end != std::string_view::npos && last_space_end > begin ? last_space_end : i;
      lines.push_back({begin, cut, false});
      begin = cut;
      cols = 0;
      for (size_t k = begin; k < i;) cols += static_cast<size_t>(CharColumns(DecodeUtf8(text, &k)));
      last_space_end = std::string_view::npos;
      continue;  // re-examine byte i on the new line
    }
    cols += w;
    i += len;
    if (c == ' ' || c == '\t') last_space_end = i;
  }
  lines.push_back({begin, text.size(), false});
  return lines;
}

size_t EstimateTokens(std::string_view text) {
  size_t cps = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++cps;
  }
  return (cps + 3) / 4;
}

// ---------------------------------------------------------------------------------------------
// TemplatePreview
// ---------------------------------------------------------------------------------------------
TemplatePreview::TemplatePreview() {
  for (const auto& n : BuiltinChatTemplateNames()) {
    Entry e;
    e.name = n;
    e.builtin = n;
    m_entries.push_back(std::move(e));
    m_names.push_back(n);
  }
  for (size_t i = 0; i < m_entries.size(); ++i) {
    if (m_entries[i].builtin == "chatml") m_choice = i;
  }
  ChooseTemplate(m_choice);
}

void TemplatePreview::Changed() {
  ++m_gen;
  std::fill(m_counts.begin(), m_counts.end(), -2);
  m_next_uncounted = 0;
}

const ChatTemplate* TemplatePreview::Template() const {
  return m_choice < m_entries.size() ? m_entries[m_choice].tmpl.get() : nullptr;
}

Status TemplatePreview::ChooseTemplate(size_t index) {
  if (index >= m_entries.size()) return Error{"bad_config", "no template number " + std::to_string(index)};
  Entry& e = m_entries[index];
  if (!e.tmpl) {
    auto t = BuiltinChatTemplate(e.builtin);  // files are compiled when added
    if (!t.ok()) return t.error();
    e.tmpl = std::make_unique<ChatTemplate>(std::move(t.value()));
  }
  m_choice = index;
  Changed();
  return Status::Ok();
}

Status TemplatePreview::ChooseTemplateByName(std::string_view name) {
  for (size_t i = 0; i < m_names.size(); ++i) {
    if (m_names[i] == name) return ChooseTemplate(i);
  }
  return Error{"bad_config", "no template named " + std::string(name)};
}

Status TemplatePreview::AddTemplateFile(const std::string& name, std::string_view text) {
  // The names of a named-list chat_template (a tokenizer_config.json with "default", "tool_use", ...).
  std::vector<std::string> which;
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && text[first] == '{') {
    nlohmann::json cfg = nlohmann::json::parse(text, nullptr, false);
    if (!cfg.is_discarded() && cfg.is_object() && cfg.contains("chat_template") && cfg["chat_template"].is_array()) {
      for (const auto& t : cfg["chat_template"]) {
        if (t.is_object() && t.contains("name") && t["name"].is_string()) which.push_back(t["name"].get<std::string>());
      }
    }
  }
  if (which.empty()) which.push_back("");
  size_t chosen = std::numeric_limits<size_t>::max();
  for (const std::string& w : which) {
    auto t = ChatTemplateFromText(name, text, w);
    if (!t.ok()) return t.error();
    Entry e;
    e.name = w.empty() ? name : name + ": " + w;
    e.tmpl = std::make_unique<ChatTemplate>(std::move(t.value()));
    // Opening the same file again replaces its entry.
    size_t at = m_entries.size();
    for (size_t i = 0; i < m_entries.size(); ++i) {
      if (m_entries[i].builtin.empty() && m_entries[i].name == e.name) at = i;
    }
    if (at == m_entries.size()) {
      m_entries.push_back(std::move(e));
      m_names.push_back(m_entries.back().name);
    } else {
      m_entries[at] = std::move(e);
    }
    if (chosen == std::numeric_limits<size_t>::max() || w == "default") chosen = at;
  }
  return ChooseTemplate(chosen);
}

Status TemplatePreview::AddTokenizerFile(const std::string& name, std::string_view text, std::string_view encoding) {
  auto t = Tokenizer::FromFileText(name, text, encoding);
  if (!t.ok()) return Error{t.error().code, name + ": " + t.error().message};
  NamedTokenizer nt{name, std::make_unique<Tokenizer>(std::move(t.value()))};
  int at = static_cast<int>(m_tokenizers.size());
  for (size_t i = 0; i < m_tokenizers.size(); ++i) {
    if (m_tokenizers[i].name == name) at = static_cast<int>(i);
  }
  if (at == static_cast<int>(m_tokenizers.size())) m_tokenizers.push_back(std::move(nt));
  else m_tokenizers[static_cast<size_t>(at)] = std::move(nt);
  ChooseTokenizer(at);
  return Status::Ok();
}

std::vector<std::string> TemplatePreview::TokenizerNames() const {
  std::vector<std::string> out{"estimate (chars / 4)"};
  for (const auto& t : m_tokenizers) out.push_back(t.name);
  return out;
}

void TemplatePreview::ChooseTokenizer(int index) {
  if (index < -1 || index >= static_cast<int>(m_tokenizers.size())) index = -1;
  if (index == m_tokenizer) return;
  m_tokenizer = index;
  Changed();
}

const Tokenizer* TemplatePreview::CurrentTokenizer() const {
  return m_tokenizer >= 0 ? m_tokenizers[static_cast<size_t>(m_tokenizer)].tok.get() : nullptr;
}

void TemplatePreview::SetAddGenerationPrompt(bool on) {
  if (on == m_agp) return;
  m_agp = on;
  Changed();
}

void TemplatePreview::Follow(const Dataset& ds) {
  size_t n = ds.size();
  uint64_t first = n ? ds.Id(0) : 0, last = n ? ds.Id(n - 1) : 0;
  if (&ds == m_ds && n == m_ds_size && first == m_ds_first && last == m_ds_last) return;
  m_ds = &ds;
  m_ds_size = n;
  m_ds_first = first;
  m_ds_last = last;
  m_counts.assign(n, -2);
  m_next_uncounted = 0;
  ++m_gen;
}

size_t TemplatePreview::Measure(std::string_view text) const {
  const Tokenizer* t = CurrentTokenizer();
  return t ? t->Count(text) : EstimateTokens(text);
}

Result<RenderedExample> TemplatePreview::Render(const Example& ex, bool* raw_text) const {
  *raw_text = false;
  const ChatTemplate* t = Template();
  if (!t) return Error{"bad_config", "no template is loaded"};
  if (ex.messages.empty() && ex.chosen.empty() && ex.has_text) {
    *raw_text = true;
    RenderedExample r;
    r.text = ex.text;
    r.special = FindSpecialTokens(r.text, t->special_tokens);
    return r;
  }
  RenderExampleOptions opt;
  opt.add_generation_prompt = m_agp;
  if (ex.chosen.empty()) return RenderExample(*t, ex, opt);
  // Preference rows: the sequence trained on is the prompt followed by the chosen reply.
  Example full = ex;
  full.messages.insert(full.messages.end(), ex.chosen.begin(), ex.chosen.end());
  full.chosen.clear();
  full.rejected.clear();
  return RenderExample(*t, full, opt);
}

int64_t TemplatePreview::Count(const Dataset& ds, size_t row) {
  Follow(ds);
  if (row >= m_counts.size()) return -1;
  if (m_counts[row] != -2) return m_counts[row];
  bool raw = false;
  auto r = Render(ds.Get(row), &raw);
  m_counts[row] = r.ok() ? static_cast<int64_t>(Measure(r.value().text)) : -1;
  return m_counts[row];
}

bool TemplatePreview::CountSome(const Dataset& ds, size_t budget) {
  Follow(ds);
  while (m_next_uncounted < m_counts.size() && budget > 0) {
    if (m_counts[m_next_uncounted] == -2) {
      Count(ds, m_next_uncounted);
      --budget;
    }
    ++m_next_uncounted;
  }
  return m_next_uncounted >= m_counts.size();
}

TemplatePreview::Summary TemplatePreview::Summarize() const {
  Summary s;
  double total = 0;
  for (int64_t c : m_counts) {
    if (c == -2) continue;
    if (c == -1) {
      ++s.errors;
      continue;
    }
    if (s.counted == 0 || c < s.min) s.min = c;
    if (s.counted == 0 || c > s.max) s.max = c;
    ++s.counted;
    total += static_cast<double>(c);
  }
  s.mean = s.counted ? total / static_cast<double>(s.counted) : 0;
  return s;
}

const TemplatePreview::Preview& TemplatePreview::PreviewOf(const Dataset& ds, size_t row) {
  Follow(ds);
  if (m_preview.row == static_cast<int64_t>(row) && m_preview_gen == m_gen) return m_preview;
  m_preview = Preview();
  m_preview.row = static_cast<int64_t>(row);
  m_preview_gen = m_gen;
  if (row >= ds.size()) {
    m_preview.error = "no row " + std::to_string(row + 1);
    return m_preview;
  }
  auto r = Render(ds.Get(row), &m_preview.raw_text);
  if (!r.ok()) {
    m_preview.error = r.error().message;
    if (row < m_counts.size()) m_counts[row] = -1;
    return m_preview;
  }
  m_preview.ok = true;
  m_preview.rendered = std::move(r.value());
  // Special tokens of the tokenizer count too (a tokenizer.json names every added token).
  if (const Tokenizer* t = CurrentTokenizer()) {
    std::vector<std::string> specials = Template()->special_tokens;
    for (auto& s : t->SpecialTokens()) {
      if (std::find(specials.begin(), specials.end(), s) == specials.end()) specials.push_back(s);
    }
    m_preview.rendered.special = FindSpecialTokens(m_preview.rendered.text, specials);
  }
  m_preview.tokens = Measure(m_preview.rendered.text);
  if (row < m_counts.size()) m_counts[row] = static_cast<int64_t>(m_preview.tokens);
  for (const auto& s : m_preview.rendered.assistant) m_preview.assistant_bytes += s.end - s.begin;
  m_preview.runs = HighlightRuns(m_preview.rendered.text.size(), m_preview.rendered.assistant, m_preview.rendered.special);
  return m_preview;
}

const std::vector<TextLine>& TemplatePreview::PreviewLines(size_t columns) {
  if (m_lines_columns != columns || m_lines_gen != m_preview_gen || m_lines_row != m_preview.row) {
    m_lines = WrapLines(m_preview.rendered.text, columns);
    m_lines_columns = columns;
    m_lines_gen = m_preview_gen;
    m_lines_row = m_preview.row;
  }
  return m_lines;
}

}  // namespace winnow::ui
