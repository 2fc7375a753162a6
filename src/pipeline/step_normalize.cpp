// normalize: conservative text clean-up of message contents, chosen / rejected and text:
// CRLF -> LF, compatibility spaces -> space, zero-width characters removed, trailing spaces
// on lines and leading / trailing blank space of each content trimmed, long blank-line runs
// collapsed. Never changes meta. Rows are kept; the report counts what changed.
#include <map>

#include "core/utf8.h"
#include "pipeline/pipeline_config.h"
#include "pipeline/step.h"

namespace winnow {

namespace {

struct Ops {
  bool line_endings = true, unicode_spaces = true, zero_width = true, trim = true;
  int64_t max_blank_lines = 2;  // runs of more empty lines are cut to this many; 0 = off
};

class NormalizeStep final : public Step {
 public:
  std::string_view Type() const override { return "normalize"; }
  Status Configure(const nlohmann::json& p) override {
    Status st = CheckParamKeys(Type(), p, {"line_endings", "unicode_spaces", "zero_width", "trim", "max_blank_lines"});
    if (!st.ok()) return st;
    if (!(st = GetParam(Type(), p, "line_endings", &m_ops.line_endings)).ok()) return st;
    if (!(st = GetParam(Type(), p, "unicode_spaces", &m_ops.unicode_spaces)).ok()) return st;
    if (!(st = GetParam(Type(), p, "zero_width", &m_ops.zero_width)).ok()) return st;
    if (!(st = GetParam(Type(), p, "trim", &m_ops.trim)).ok()) return st;
    return GetParam(Type(), p, "max_blank_lines", &m_ops.max_blank_lines, 0, 100);
  }
  nlohmann::json Params() const override {
    return nlohmann::json{{"line_endings", m_ops.line_endings}, {"unicode_spaces", m_ops.unicode_spaces},
                          {"zero_width", m_ops.zero_width}, {"trim", m_ops.trim}, {"max_blank_lines", m_ops.max_blank_lines}};
  }
  void Process(std::span<Row*> rows, StepContext&) override {
    for (Row* r : rows) {
      bool changed = false;
      // Alpaca instruction and input are fixed apart, so trimming the instruction moves the split.
      for (size_t i = 0; i < r->ex.messages.size(); ++i) {
        changed |= EditMessageContent(&r->ex, i, [this](std::string* t) { return Fix(t); });
      }
      for (Message& m : r->ex.chosen) changed |= Fix(&m.content);
      for (Message& m : r->ex.rejected) changed |= Fix(&m.content);
      if (r->ex.has_text) changed |= Fix(&r->ex.text);
      m_rows_changed += changed;
    }
  }
  nlohmann::json Report() const override {
    return nlohmann::json{{"rows_changed", m_rows_changed}, {"fields_changed_by", m_by_op}};
  }

 private:
  bool Fix(std::string* s) {
    std::string out;
    out.reserve(s->size());
    bool any = false;
    size_t i = 0;
    std::string_view in(*s);
    while (i < in.size()) {
      unsigned char b = static_cast<unsigned char>(in[i]);
      if (b == '\r' && m_ops.line_endings) {
        ++i;
        if (i < in.size() && in[i] == '\n') ++i;
        out.push_back('\n');
        ++m_by_op["line_endings"];
        any = true;
        continue;
      }
      if (b < 0x80) {
        out.push_back(static_cast<char>(b));
        ++i;
        continue;
      }
      size_t start = i;
      char32_t c = DecodeUtf8(in, &i);
      if (m_ops.zero_width && ((c >= 0x200B && c <= 0x200D) || c == 0x2060 || c == 0xFEFF)) {
        ++m_by_op["zero_width"];
        any = true;
        continue;
      }
      if (m_ops.unicode_spaces && (c == 0xA0 || (c >= 0x2000 && c <= 0x200A) || c == 0x202F || c == 0x205F || c == 0x3000)) {
        out.push_back(' ');
        ++m_by_op["unicode_spaces"];
        any = true;
        continue;
      }
      out.append(in.substr(start, i - start));
    }
    if (m_ops.trim) {
      // Trailing spaces / tabs on each line, then leading and trailing blank space of the whole.
      std::string t;
      t.reserve(out.size());
      size_t line_start = 0;
      for (size_t k = 0; k <= out.size(); ++k) {
        if (k == out.size() || out[k] == '\n') {
          size_t e = k;
          while (e > line_start && (out[e - 1] == ' ' || out[e - 1] == '\t')) --e;
          t.append(out, line_start, e - line_start);
          if (k < out.size()) t.push_back('\n');
          line_start = k + 1;
        }
      }
      size_t b = 0, e = t.size();
      while (b < e && (t[b] == ' ' || t[b] == '\n' || t[b] == '\t')) ++b;
      // Keep the indentation of the first non-blank line (code).
      while (b > 0 && t[b - 1] != '\n') --b;
      while (e > b && (t[e - 1] == ' ' || t[e - 1] == '\n' || t[e - 1] == '\t')) --e;
      t = t.substr(b, e - b);
      if (t != out) {
        ++m_by_op["trim"];
        any = true;
        out.swap(t);
      }
    }
    if (m_ops.max_blank_lines > 0) {
      std::string t;
      t.reserve(out.size());
      int64_t newlines = 0;
      bool cut = false;
      for (char c : out) {
        if (c == '\n') {
          ++newlines;
          if (newlines > m_ops.max_blank_lines + 1) {
            cut = true;
            continue;
          }
        } else {
          newlines = 0;
        }
        t.push_back(c);
      }
      if (cut) {
        ++m_by_op["blank_lines"];
        any = true;
        out.swap(t);
      }
    }
    if (any) s->swap(out);
    return any;
  }
  Ops m_ops;
  uint64_t m_rows_changed = 0;
  std::map<std::string, uint64_t> m_by_op;
};

}  // namespace

WINNOW_REGISTER_STEP(NormalizeStep, "normalize", "Clean up whitespace: CRLF, Unicode spaces, zero-width characters, trailing blanks");

}  // namespace winnow
