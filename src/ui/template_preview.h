// TemplatePreview: the studio's chat-template state without any drawing: the chosen template (a
// built-in or a .jinja / tokenizer_config.json the user opened), the tokenizers the user opened
// (none = a labelled estimate), per-row token counts for the data view's column (computed when a
// row is shown, cached until the choice or the data changes) and the selected row rendered, split
// into highlight runs and wrapped lines. view_template.cpp draws it; tests/unit/ui tests it.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/dataset.h"
#include "core/result.h"
#include "template/chat_template.h"
#include "template/tokenizer.h"

namespace winnow::ui {

// A byte range of the rendered text with one style.
struct HighlightRun {
  size_t begin = 0, end = 0;
  bool assistant = false;  // inside the assistant mask (trained on)
  bool special = false;    // a special-token string
};
// Splits [0, text_size) into runs at every span boundary. Spans of each set are sorted and do not
// overlap (what RenderExample returns); runs cover the text without gaps.
std::vector<HighlightRun> HighlightRuns(size_t text_size, const std::vector<jinja::Span>& assistant,
                                        const std::vector<jinja::Span>& special);

// One visual line of a monospace layout: bytes [begin, end) of the text, newline = the line ended
// at a '\n' (which is not part of the range).
struct TextLine {
  size_t begin = 0, end = 0;
  bool newline = false;
};
// Wraps text into lines of at most `columns` code points (>= 1): breaks at '\n', and a line that
// is too long breaks after its last space (or mid-word when it has none).
std::vector<TextLine> WrapLines(std::string_view text, size_t columns);

// The rough count shown when no tokenizer is open: code points / 4, rounded up.
size_t EstimateTokens(std::string_view text);

class TemplatePreview {
 public:
  TemplatePreview();  // built-in "chatml", no tokenizer (estimate)

  // ---- choices (each change invalidates the cached counts and preview) ----
  // Built-ins first, then the templates opened from files ("file.json" or "file.json: tool_use").
  const std::vector<std::string>& TemplateNames() const { return m_names; }
  size_t TemplateIndex() const { return m_choice; }
  const ChatTemplate* Template() const;  // null when the chosen one failed to load
  // Errors: bad_config (index out of range), template_syntax.
  Status ChooseTemplate(size_t index);
  Status ChooseTemplateByName(std::string_view name);
  // A .jinja file or a tokenizer_config.json (string or named-list chat_template: each named
  // template becomes an entry; "default" or the first is chosen). Errors as ChatTemplateFromText.
  Status AddTemplateFile(const std::string& name, std::string_view text);
  // A tiktoken rank file (encoding from its name, or `encoding`), a tokenizer.json or a WordPiece
  // vocabulary list; chosen once added. Errors: bad_config.
  Status AddTokenizerFile(const std::string& name, std::string_view text, std::string_view encoding = {});
  // "estimate (chars / 4)" first, then the tokenizers' names.
  std::vector<std::string> TokenizerNames() const;
  int TokenizerIndex() const { return m_tokenizer; }  // -1 = estimate
  void ChooseTokenizer(int index);
  bool Exact() const { return m_tokenizer >= 0; }
  const Tokenizer* CurrentTokenizer() const;
  bool AddGenerationPrompt() const { return m_agp; }
  void SetAddGenerationPrompt(bool on);
  uint64_t Generation() const { return m_gen; }

  // ---- per-row counts (the data view's column) ----
  // Tokens of the row after templating (an estimate unless Exact()); -1 when the template raises
  // or fails on it. Cached per row; the cache follows the dataset (cleared when it changes).
  int64_t Count(const Dataset& ds, size_t row);
  // Counts of rows not yet counted, up to `budget` rows (a frame's slice of "count all"); returns
  // true when every row is counted.
  bool CountSome(const Dataset& ds, size_t budget);
  struct Summary {
    size_t counted = 0, errors = 0;
    int64_t min = 0, max = 0;
    double mean = 0;
  };
  Summary Summarize() const;  // over the rows counted so far

  // ---- the selected row ----
  struct Preview {
    int64_t row = -1;
    bool ok = false;
    std::string error;         // the template's message when it raises / fails
    bool raw_text = false;     // a text row: shown as is, no template applies
    RenderedExample rendered;  // text, assistant mask, special spans, system_dropped
    size_t tokens = 0;         // of rendered.text (estimate unless Exact())
    size_t assistant_bytes = 0;
    std::vector<HighlightRun> runs;
  };
  // Renders the row (cached until the row, the choice or the data changes).
  const Preview& PreviewOf(const Dataset& ds, size_t row);
  const Preview& LastPreview() const { return m_preview; }
  // The last preview's text wrapped to `columns` (cached per preview and width).
  const std::vector<TextLine>& PreviewLines(size_t columns);

 private:
  struct Entry {
    std::string name;
    std::string builtin;  // non-empty: a built-in's name
    std::unique_ptr<ChatTemplate> tmpl;
  };
  struct NamedTokenizer {
    std::string name;
    std::unique_ptr<Tokenizer> tok;
  };
  void Changed();
  void Follow(const Dataset& ds);
  // Renders ex (prompt + chosen for preference rows; text rows are taken as they are).
  Result<RenderedExample> Render(const Example& ex, bool* raw_text) const;
  size_t Measure(std::string_view text) const;

  std::vector<Entry> m_entries;
  std::vector<std::string> m_names;
  size_t m_choice = 0;
  std::vector<NamedTokenizer> m_tokenizers;
  int m_tokenizer = -1;
  bool m_agp = false;
  uint64_t m_gen = 1;
  // dataset identity: address, size, first and last ids
  const Dataset* m_ds = nullptr;
  size_t m_ds_size = 0;
  uint64_t m_ds_first = 0, m_ds_last = 0;
  std::vector<int64_t> m_counts;  // -2 = not counted, -1 = error
  size_t m_next_uncounted = 0;
  Preview m_preview;
  uint64_t m_preview_gen = 0;
  std::vector<TextLine> m_lines;
  size_t m_lines_columns = 0;
  uint64_t m_lines_gen = 0;
  int64_t m_lines_row = -1;
};

}  // namespace winnow::ui
