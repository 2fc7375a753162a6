// Jinja lexer and recursive-descent parser. Whitespace rules follow jinja2 3.x's lexer with
// trim_blocks=True and lstrip_blocks=True (the transformers environment); operator precedence
// follows jinja2's parser (filters and tests bind at the unary level, `not` below comparisons).
#include "template/jinja_parser.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "core/utf8.h"
#include "template/unicode_tables.h"

namespace winnow::jinja {

size_t PySpaceAt(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return uni::IsPySpace(c) ? 1 : 0;
  size_t j = i;
  char32_t cp = DecodeUtf8(s, &j);
  return uni::IsPySpace(cp) ? j - i : 0;
}

namespace {

enum class Tok : uint8_t { Data, VarBegin, VarEnd, BlockBegin, BlockEnd, Name, String, Int, Float, Op, Eof };

struct Token {
  Tok type;
  std::string text;  // Data / Name / String (decoded) / Op
  Value num;
  int line, col;
};

// [SECTION] Lexer
class Lexer {
 public:
  explicit Lexer(std::string_view src) {
    // Newlines normalized to "\n"; one trailing newline dropped (keep_trailing_newline=False).
    m_src.reserve(src.size());
    for (size_t i = 0; i < src.size(); ++i) {
      if (src[i] == '\r') {
        m_src.push_back('\n');
        if (i + 1 < src.size() && src[i + 1] == '\n') ++i;
      } else {
        m_src.push_back(src[i]);
      }
    }
    if (!m_src.empty() && m_src.back() == '\n') m_src.pop_back();
  }

  Status Run(std::vector<Token>* out) {
    m_out = out;
    bool line_starting = true;
    size_t pos = 0;
    const std::string& s = m_src;
    while (pos < s.size()) {
      // Find the next tag opener.
      size_t tag = pos;
      while (true) {
        tag = s.find('{', tag);
        if (tag == std::string::npos || tag + 1 >= s.size()) {
          tag = std::string::npos;
          break;
        }
        char n = s[tag + 1];
        if (n == '{' || n == '%' || n == '#') break;
        ++tag;
      }
      if (tag == std::string::npos) {
        Emit(Tok::Data, s.substr(pos), pos);
        break;
      }
      char kind = s[tag + 1];
      char sign = tag + 2 < s.size() && (s[tag + 2] == '-' || s[tag + 2] == '+') ? s[tag + 2] : 0;
      std::string text = s.substr(pos, tag - pos);
      if (sign == '-') {
        size_t end = text.size();
        while (end > 0) {
          size_t k = PrevCharStart(text, end);
          if (PySpaceAt(text, k) == 0) break;
          end = k;
        }
        text.resize(end);
      } else if (sign != '+' && kind != '{') {
        size_t l_pos = text.rfind('\n');
        l_pos = l_pos == std::string::npos ? 0 : l_pos + 1;
        if (l_pos > 0 || line_starting) {
          bool all_ws = l_pos < text.size();
          for (size_t k = l_pos; k < text.size() && all_ws;) {
            size_t w = PySpaceAt(text, k);
            if (w == 0) all_ws = false;
            k += w ? w : 1;
          }
          if (all_ws) text.resize(l_pos);
        }
      }
      if (!text.empty()) Emit(Tok::Data, text, pos);
      size_t body = tag + 2 + (sign ? 1 : 0);
      if (kind == '#') {
        size_t end = s.find("#}", body);
        if (end == std::string::npos) return Fail("missing end of comment tag", tag);
        pos = end + 2;
        bool minus = end > body && s[end - 1] == '-';
        bool plus = end > body && s[end - 1] == '+';
        pos = AfterEnd(pos, minus, plus, true);
        line_starting = pos > 0 && s[pos - 1] == '\n';
        continue;
      }
      if (kind == '%') {
        // Raw block?
        size_t k = body;
        while (k < s.size() && PySpaceAt(s, k)) k += PySpaceAt(s, k);
        if (s.compare(k, 3, "raw") == 0 && (k + 3 >= s.size() || !IsNameChar(s[k + 3]))) {
          size_t e = k + 3;
          while (e < s.size() && PySpaceAt(s, e)) e += PySpaceAt(s, e);
          bool minus = false;
          if (e < s.size() && s[e] == '-') {
            minus = true;
            ++e;
          }
          if (s.compare(e, 2, "%}") == 0) {
            pos = e + 2;
            if (minus) pos = SkipSpace(pos);
            Status st = LexRaw(&pos);
            if (!st.ok()) return st;
            line_starting = pos > 0 && s[pos - 1] == '\n';
            continue;
          }
        }
      }
      Emit(kind == '{' ? Tok::VarBegin : Tok::BlockBegin, {}, tag);
      pos = body;
      Status st = LexInside(kind, &pos);
      if (!st.ok()) return st;
      line_starting = pos > 0 && s[pos - 1] == '\n';
    }
    Emit(Tok::Eof, {}, s.size());
    return Status::Ok();
  }

 private:
  static bool IsNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }
  static size_t PrevCharStart(const std::string& t, size_t end) {
    size_t k = end - 1;
    while (k > 0 && (static_cast<unsigned char>(t[k]) & 0xC0) == 0x80) --k;
    return k;
  }
  size_t SkipSpace(size_t p) const {
    while (p < m_src.size()) {
      size_t w = PySpaceAt(m_src, p);
      if (!w) break;
      p += w;
    }
    return p;
  }
  // After a block or comment end at pos: `-` strips all whitespace, otherwise trim_blocks drops
  // one newline (unless `+`).
  size_t AfterEnd(size_t pos, bool minus, bool plus, bool block) const {
    if (minus) return SkipSpace(pos);
    if (!plus && block && pos < m_src.size() && m_src[pos] == '\n') return pos + 1;
    return pos;
  }
  // Line and column (1-based, in code points) of a byte offset. Tokens are emitted in order, so
  // the scan resumes from the previous position (linear overall).
  void LineCol(size_t off, int* line, int* col) const {
    if (off < m_lc_off) {
      m_lc_off = 0;
      m_lc_line = 1;
      m_lc_col = 1;
    }
    for (size_t i = m_lc_off; i < off && i < m_src.size(); ++i) {
      if (m_src[i] == '\n') {
        ++m_lc_line;
        m_lc_col = 1;
      } else if ((static_cast<unsigned char>(m_src[i]) & 0xC0) != 0x80) {
        ++m_lc_col;
      }
    }
    m_lc_off = std::max(m_lc_off, std::min(off, m_src.size()));
    *line = m_lc_line;
    *col = m_lc_col;
  }
  void Emit(Tok t, std::string text, size_t off) {
    Token tok{t, std::move(text), Value(), 0, 0};
    LineCol(off, &tok.line, &tok.col);
    m_out->push_back(std::move(tok));
  }
  Status Fail(const std::string& what, size_t off) const {
    int l, c;
    LineCol(off, &l, &c);
    return Error{"template_syntax", what + " (line " + std::to_string(l) + ", column " + std::to_string(c) + ")"};
  }

  Status LexRaw(size_t* pos) {
    const std::string& s = m_src;
    size_t search = *pos;
    while (true) {
      size_t open = s.find("{%", search);
      if (open == std::string::npos) return Fail("missing end of raw directive", *pos);
      size_t k = open + 2;
      char sign = (k < s.size() && (s[k] == '-' || s[k] == '+')) ? s[k] : 0;
      if (sign) ++k;
      k = SkipSpace(k);
      if (s.compare(k, 6, "endraw") != 0) {
        search = open + 2;
        continue;
      }
      k = SkipSpace(k + 6);
      bool minus = false, plus = false;
      if (k < s.size() && s[k] == '-') minus = true, ++k;
      else if (k < s.size() && s[k] == '+') plus = true, ++k;
      if (s.compare(k, 2, "%}") != 0) {
        search = open + 2;
        continue;
      }
      std::string data = s.substr(*pos, open - *pos);
      if (sign == '-') {
        size_t end = data.size();
        while (end > 0) {
          size_t b = PrevCharStart(data, end);
          if (!PySpaceAt(data, b)) break;
          end = b;
        }
        data.resize(end);
      }
      if (!data.empty()) Emit(Tok::Data, data, *pos);
      *pos = AfterEnd(k + 2, minus, plus, true);
      return Status::Ok();
    }
  }

  Status LexInside(char kind, size_t* pos) {
    const std::string& s = m_src;
    std::vector<char> balance;
    size_t p = *pos;
    while (true) {
      p = SkipSpace(p);
      if (p >= s.size()) return Fail(kind == '{' ? "unexpected end of template, expected '}}'" : "unexpected end of template, expected '%}'", *pos);
      // End of tag?
      if (balance.empty()) {
        if (kind == '%') {
          if (s.compare(p, 3, "-%}") == 0 || s.compare(p, 3, "+%}") == 0 || s.compare(p, 2, "%}") == 0) {
            bool minus = s[p] == '-', plus = s[p] == '+';
            size_t end = p + (minus || plus ? 3 : 2);
            Emit(Tok::BlockEnd, {}, p);
            *pos = AfterEnd(end, minus, plus, true);
            return Status::Ok();
          }
        } else {
          if (s.compare(p, 3, "-}}") == 0 || s.compare(p, 2, "}}") == 0) {
            bool minus = s[p] == '-';
            Emit(Tok::VarEnd, {}, p);
            *pos = minus ? SkipSpace(p + 3) : p + 2;
            return Status::Ok();
          }
        }
      }
      char c = s[p];
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') {
        size_t e = p;
        while (e < s.size() && IsNameChar(s[e])) ++e;
        Emit(Tok::Name, s.substr(p, e - p), p);
        p = e;
        continue;
      }
      if (c >= '0' && c <= '9') {
        size_t e = p;
        while (e < s.size() && ((s[e] >= '0' && s[e] <= '9') || s[e] == '_')) ++e;
        bool is_float = false;
        if (e + 1 < s.size() && s[e] == '.' && s[e + 1] >= '0' && s[e + 1] <= '9') {
          is_float = true;
          ++e;
          while (e < s.size() && ((s[e] >= '0' && s[e] <= '9') || s[e] == '_')) ++e;
        }
        if (e < s.size() && (s[e] == 'e' || s[e] == 'E')) {
          size_t f = e + 1;
          if (f < s.size() && (s[f] == '+' || s[f] == '-')) ++f;
          if (f < s.size() && s[f] >= '0' && s[f] <= '9') {
            is_float = true;
            e = f;
            while (e < s.size() && s[e] >= '0' && s[e] <= '9') ++e;
          }
        }
        std::string digits;
        for (size_t k = p; k < e; ++k) {
          if (s[k] != '_') digits += s[k];
        }
        Emit(is_float ? Tok::Float : Tok::Int, digits, p);
        if (is_float) m_out->back().num = Value(std::strtod(digits.c_str(), nullptr));
        else m_out->back().num = Value(static_cast<int64_t>(std::strtoll(digits.c_str(), nullptr, 10)));
        p = e;
        continue;
      }
      if (c == '\'' || c == '"') {
        std::string val;
        size_t e = p + 1;
        bool closed = false;
        while (e < s.size()) {
          char d = s[e];
          if (d == c) {
            closed = true;
            ++e;
            break;
          }
          if (d == '\\' && e + 1 < s.size()) {
            char x = s[e + 1];
            e += 2;
            switch (x) {
              case 'n': val += '\n'; break;
              case 't': val += '\t'; break;
              case 'r': val += '\r'; break;
              case '\\': val += '\\'; break;
              case '\'': val += '\''; break;
              case '"': val += '"'; break;
              case '\n': break;
              case 'a': val += '\a'; break;
              case 'b': val += '\b'; break;
              case 'f': val += '\f'; break;
              case 'v': val += '\v'; break;
              case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
                unsigned v = static_cast<unsigned>(x - '0');
                for (int n = 0; n < 2 && e < s.size() && s[e] >= '0' && s[e] <= '7'; ++n, ++e) v = v * 8 + static_cast<unsigned>(s[e] - '0');
                AppendUtf8(v, &val);
                break;
              }
              case 'x': case 'u': case 'U': {
                int n = x == 'x' ? 2 : x == 'u' ? 4 : 8;
                if (e + static_cast<size_t>(n) > s.size()) return Fail("invalid \\" + std::string(1, x) + " escape in string", e);
                std::string hex = s.substr(e, static_cast<size_t>(n));
                char* endp = nullptr;
                unsigned long v = std::strtoul(hex.c_str(), &endp, 16);
                if (endp != hex.c_str() + n) return Fail("invalid \\" + std::string(1, x) + " escape in string", e);
                AppendUtf8(static_cast<char32_t>(v), &val);
                e += static_cast<size_t>(n);
                break;
              }
              default:
                val += '\\';
                val += x;
            }
            continue;
          }
          val += d;
          ++e;
        }
        if (!closed) return Fail("unexpected end of string", p);
        Emit(Tok::String, std::move(val), p);
        p = e;
        continue;
      }
      static const char* kOps[] = {"//", "**", "==", "!=", "<=", ">=", "+", "-", "/", "*", "%", "~", "[", "]", "(", ")",
                                   "{", "}", "<", ">", "=", ".", ":", "|", ",", ";"};
      bool matched = false;
      for (const char* op : kOps) {
        size_t n = std::strlen(op);
        if (s.compare(p, n, op) == 0) {
          if (op[0] == '(' || op[0] == '[' || op[0] == '{') balance.push_back(op[0]);
          if (op[0] == ')' || op[0] == ']' || op[0] == '}') {
            char want = op[0] == ')' ? '(' : op[0] == ']' ? '[' : '{';
            if (balance.empty() || balance.back() != want) return Fail(std::string("unexpected '") + op + "'", p);
            balance.pop_back();
          }
          Emit(Tok::Op, op, p);
          p += n;
          matched = true;
          break;
        }
      }
      if (!matched) return Fail(std::string("unexpected char '") + c + "'", p);
    }
  }

  std::string m_src;
  std::vector<Token>* m_out = nullptr;
  mutable size_t m_lc_off = 0;
  mutable int m_lc_line = 1, m_lc_col = 1;
};

// [SECTION] Parser
class Parser {
 public:
  explicit Parser(std::vector<Token> toks) : m_t(std::move(toks)) {}

  Result<Body> Run() {
    Body body;
    std::string end;
    if (!ParseBody(&body, {}, &end)) return Error{"template_syntax", m_error};
    return body;
  }

 private:
  const Token& Cur() const { return m_t[m_i]; }
  const Token& Peek(size_t k = 1) const { return m_t[std::min(m_i + k, m_t.size() - 1)]; }
  bool IsOp(const char* op) const { return Cur().type == Tok::Op && Cur().text == op; }
  bool IsName(const char* n) const { return Cur().type == Tok::Name && Cur().text == n; }
  bool Fail(const std::string& what) {
    if (m_error.empty()) {
      m_error = what + " (line " + std::to_string(Cur().line) + ", column " + std::to_string(Cur().col) + ")";
    }
    return false;
  }
  bool ExpectOp(const char* op) {
    if (!IsOp(op)) return Fail(std::string("expected '") + op + "', got " + Describe());
    ++m_i;
    return true;
  }
  bool ExpectBlockEnd() {
    if (Cur().type != Tok::BlockEnd) return Fail("expected end of statement block, got " + Describe());
    ++m_i;
    return true;
  }
  std::string Describe() const {
    switch (Cur().type) {
      case Tok::Eof: return "end of template";
      case Tok::BlockEnd: return "end of statement block";
      case Tok::VarEnd: return "end of print statement";
      case Tok::Name: return "'" + Cur().text + "'";
      case Tok::Op: return "'" + Cur().text + "'";
      case Tok::String: return "string";
      case Tok::Int: return "integer";
      case Tok::Float: return "float";
      default: return "token";
    }
  }
  ExprPtr Make(Expr::Kind k, const Token& at) {
    auto e = std::make_unique<Expr>();
    e->kind = k;
    e->line = at.line;
    e->col = at.col;
    return e;
  }

  // Parses nodes until one of `ends` is the next block keyword (left unconsumed in *end, after
  // the BlockBegin). Empty ends = until EOF.
  bool ParseBody(Body* body, std::initializer_list<const char*> ends, std::string* end) {
    while (true) {
      const Token& t = Cur();
      if (t.type == Tok::Eof) {
        if (ends.size() == 0) return true;
        std::string names;
        for (const char* e : ends) names += (names.empty() ? "'" : " or '") + std::string(e) + "'";
        return Fail("unexpected end of template, expected " + names);
      }
      if (t.type == Tok::Data) {
        auto n = std::make_unique<Node>();
        n->kind = Node::Kind::Text;
        n->text = t.text;
        n->line = t.line;
        body->push_back(std::move(n));
        ++m_i;
        continue;
      }
      if (t.type == Tok::VarBegin) {
        ++m_i;
        auto n = std::make_unique<Node>();
        n->kind = Node::Kind::Output;
        n->line = t.line;
        n->col = t.col;
        n->expr = ParseTuple(true);
        if (!n->expr) return false;
        if (Cur().type != Tok::VarEnd) return Fail("expected end of print statement, got " + Describe());
        ++m_i;
        body->push_back(std::move(n));
        continue;
      }
      if (t.type == Tok::BlockBegin) {
        ++m_i;
        if (Cur().type != Tok::Name) return Fail("tag name expected");
        const std::string& kw = Cur().text;
        for (const char* e : ends) {
          if (kw == e) {
            *end = kw;
            return true;
          }
        }
        if (!ParseStatement(body)) return false;
        continue;
      }
      return Fail("unexpected " + Describe());
    }
  }

  bool ParseStatement(Body* body) {
    const Token start = Cur();
    const std::string kw = start.text;
    auto n = std::make_unique<Node>();
    n->line = start.line;
    n->col = start.col;
    ++m_i;
    std::string end;
    if (kw == "if") {
      n->kind = Node::Kind::If;
      while (true) {
        ExprPtr cond = ParseTuple(false);
        if (!cond || !ExpectBlockEnd()) return false;
        n->conditions.push_back(std::move(cond));
        n->bodies.emplace_back();
        if (!ParseBody(&n->bodies.back(), {"elif", "else", "endif"}, &end)) return false;
        ++m_i;
        if (end == "elif") continue;
        if (end == "else") {
          if (!ExpectBlockEnd()) return false;
          n->bodies.emplace_back();
          if (!ParseBody(&n->bodies.back(), {"endif"}, &end)) return false;
          ++m_i;
        }
        break;
      }
      if (!ExpectBlockEnd()) return false;
    } else if (kw == "for") {
      n->kind = Node::Kind::For;
      if (!ParseTargets(&n->targets)) return false;
      if (!IsName("in")) return Fail("expected 'in', got " + Describe());
      ++m_i;
      n->expr = ParseTuple(false, /*no_cond=*/true);
      if (!n->expr) return false;
      if (IsName("if")) {
        ++m_i;
        n->filter = ParseExpression(true);
        if (!n->filter) return false;
      }
      if (IsName("recursive")) {
        ++m_i;
        n->recursive = true;
      }
      if (!ExpectBlockEnd()) return false;
      if (!ParseBody(&n->body, {"endfor", "else"}, &end)) return false;
      ++m_i;
      if (end == "else") {
        if (!ExpectBlockEnd()) return false;
        if (!ParseBody(&n->else_body, {"endfor"}, &end)) return false;
        ++m_i;
      }
      if (!ExpectBlockEnd()) return false;
    } else if (kw == "set") {
      if (Cur().type != Tok::Name) return Fail("expected a name after 'set'");
      if (Peek().type == Tok::Op && Peek().text == ".") {
        n->targets.push_back(Cur().text);
        m_i += 2;
        if (Cur().type != Tok::Name) return Fail("expected an attribute name");
        n->target_attr = Cur().text;
        ++m_i;
      } else if (!ParseTargets(&n->targets)) {
        return false;
      }
      if (IsOp("=")) {
        ++m_i;
        n->kind = Node::Kind::Set;
        n->expr = ParseTuple(false);
        if (!n->expr || !ExpectBlockEnd()) return false;
      } else {
        n->kind = Node::Kind::SetBlock;
        if (IsOp("|")) {
          n->filter = ParseFilterChain(nullptr);
          if (!n->filter) return false;
        }
        if (!ExpectBlockEnd()) return false;
        if (!ParseBody(&n->body, {"endset"}, &end)) return false;
        ++m_i;
        if (!ExpectBlockEnd()) return false;
      }
    } else if (kw == "macro") {
      n->kind = Node::Kind::Macro;
      if (Cur().type != Tok::Name) return Fail("expected a macro name");
      n->text = Cur().text;
      ++m_i;
      if (!ParseSignature(n.get())) return false;
      if (!ExpectBlockEnd()) return false;
      if (!ParseBody(&n->body, {"endmacro"}, &end)) return false;
      ++m_i;
      if (Cur().type == Tok::Name) ++m_i;  // optional name after endmacro
      if (!ExpectBlockEnd()) return false;
    } else if (kw == "call") {
      n->kind = Node::Kind::CallBlock;
      if (IsOp("(")) {
        if (!ParseSignature(n.get())) return false;
      }
      n->expr = ParseExpression(true);
      if (!n->expr) return false;
      if (n->expr->kind != Expr::Kind::Call) return Fail("expected a call in the call block");
      if (!ExpectBlockEnd()) return false;
      if (!ParseBody(&n->body, {"endcall"}, &end)) return false;
      ++m_i;
      if (!ExpectBlockEnd()) return false;
    } else if (kw == "filter") {
      n->kind = Node::Kind::FilterBlock;
      n->filter = ParseFilterChain(nullptr, /*leading_pipe=*/false);
      if (!n->filter || !ExpectBlockEnd()) return false;
      if (!ParseBody(&n->body, {"endfilter"}, &end)) return false;
      ++m_i;
      if (!ExpectBlockEnd()) return false;
    } else if (kw == "break" || kw == "continue") {
      if (m_loop_depth == 0) return Fail("'" + kw + "' outside of a loop");
      n->kind = kw == "break" ? Node::Kind::Break : Node::Kind::Continue;
      if (!ExpectBlockEnd()) return false;
    } else if (kw == "generation") {
      n->kind = Node::Kind::Generation;
      if (!ExpectBlockEnd()) return false;
      if (!ParseBody(&n->body, {"endgeneration"}, &end)) return false;
      ++m_i;
      if (!ExpectBlockEnd()) return false;
    } else {
      --m_i;
      return Fail("encountered unknown tag '" + kw + "'");
    }
    body->push_back(std::move(n));
    return true;
  }

  bool ParseTargets(std::vector<std::string>* out) {
    bool paren = IsOp("(");
    if (paren) ++m_i;
    while (true) {
      if (Cur().type != Tok::Name) return Fail("expected a name, got " + Describe());
      out->push_back(Cur().text);
      ++m_i;
      if (!IsOp(",")) break;
      ++m_i;
    }
    if (paren && !ExpectOp(")")) return false;
    return true;
  }

  bool ParseSignature(Node* n) {
    if (!ExpectOp("(")) return false;
    while (!IsOp(")")) {
      if (!n->params.empty() && !ExpectOp(",")) return false;
      if (IsOp(")")) break;
      if (Cur().type != Tok::Name) return Fail("expected a parameter name");
      n->params.push_back(Cur().text);
      ++m_i;
      if (IsOp("=")) {
        ++m_i;
        ExprPtr d = ParseExpression(true);
        if (!d) return false;
        n->defaults.push_back(std::move(d));
      } else {
        n->defaults.push_back(nullptr);
      }
    }
    ++m_i;
    return true;
  }

  // [SECTION] expressions
  ExprPtr ParseTuple(bool allow_empty_paren, bool no_cond = false) {
    const Token at = Cur();
    ExprPtr first = no_cond ? ParseOr() : ParseExpression(true);
    if (!first) return nullptr;
    if (!IsOp(",")) return first;
    ExprPtr t = Make(Expr::Kind::Tuple, at);
    t->args.push_back(std::move(first));
    while (IsOp(",")) {
      ++m_i;
      if (Cur().type == Tok::BlockEnd || Cur().type == Tok::VarEnd || IsOp(")") || IsOp("=")) break;
      ExprPtr e = no_cond ? ParseOr() : ParseExpression(true);
      if (!e) return nullptr;
      t->args.push_back(std::move(e));
    }
    return t;
  }

  ExprPtr ParseExpression(bool with_cond) {
    DepthGuard g(this);
    if (!g.ok) return nullptr;
    return with_cond ? ParseCond() : ParseOr();
  }

  ExprPtr ParseCond() {
    const Token at = Cur();
    ExprPtr e = ParseOr();
    if (!e) return nullptr;
    while (IsName("if")) {
      ++m_i;
      ExprPtr test = ParseOr();
      if (!test) return nullptr;
      ExprPtr alt;
      if (IsName("else")) {
        ++m_i;
        alt = ParseCond();
        if (!alt) return nullptr;
      }
      ExprPtr c = Make(Expr::Kind::Cond, at);
      c->a = std::move(e);
      c->b = std::move(test);
      c->c = std::move(alt);
      e = std::move(c);
    }
    return e;
  }

  ExprPtr ParseOr() {
    ExprPtr e = ParseAnd();
    while (e && IsName("or")) {
      const Token at = Cur();
      ++m_i;
      ExprPtr r = ParseAnd();
      if (!r) return nullptr;
      ExprPtr n = Make(Expr::Kind::Or, at);
      n->a = std::move(e);
      n->b = std::move(r);
      e = std::move(n);
    }
    return e;
  }
  ExprPtr ParseAnd() {
    ExprPtr e = ParseNot();
    while (e && IsName("and")) {
      const Token at = Cur();
      ++m_i;
      ExprPtr r = ParseNot();
      if (!r) return nullptr;
      ExprPtr n = Make(Expr::Kind::And, at);
      n->a = std::move(e);
      n->b = std::move(r);
      e = std::move(n);
    }
    return e;
  }
  // Depth guard for the recursive productions: a hostile template fails instead of overflowing
  // the stack.
  struct DepthGuard {
    Parser* p;
    bool ok;
    explicit DepthGuard(Parser* parser) : p(parser), ok(++parser->m_depth <= kMaxDepth) {
      if (!ok) p->Fail("expression nested too deeply");
    }
    ~DepthGuard() { --p->m_depth; }
  };
  static constexpr int kMaxDepth = 200;

  ExprPtr ParseNot() {
    if (IsName("not")) {
      DepthGuard g(this);
      if (!g.ok) return nullptr;
      const Token at = Cur();
      ++m_i;
      ExprPtr inner = ParseNot();
      if (!inner) return nullptr;
      ExprPtr n = Make(Expr::Kind::Not, at);
      n->a = std::move(inner);
      return n;
    }
    return ParseCompare();
  }
  ExprPtr ParseCompare() {
    const Token at = Cur();
    ExprPtr e = ParseMath1();
    if (!e) return nullptr;
    ExprPtr cmp;
    while (true) {
      std::string op;
      if (Cur().type == Tok::Op && (Cur().text == "==" || Cur().text == "!=" || Cur().text == "<" || Cur().text == "<=" ||
                                     Cur().text == ">" || Cur().text == ">=")) {
        op = Cur().text;
        ++m_i;
      } else if (IsName("in")) {
        op = "in";
        ++m_i;
      } else if (IsName("not") && Peek().type == Tok::Name && Peek().text == "in") {
        op = "notin";
        m_i += 2;
      } else {
        break;
      }
      ExprPtr r = ParseMath1();
      if (!r) return nullptr;
      if (!cmp) {
        cmp = Make(Expr::Kind::Compare, at);
        cmp->a = std::move(e);
      }
      cmp->ops.push_back(op);
      cmp->args.push_back(std::move(r));
    }
    return cmp ? std::move(cmp) : std::move(e);
  }
  ExprPtr Binary(Expr::Kind k, const Token& at, ExprPtr l, ExprPtr r) {
    ExprPtr n = Make(k, at);
    n->a = std::move(l);
    n->b = std::move(r);
    return n;
  }
  ExprPtr ParseMath1() {
    ExprPtr e = ParseConcat();
    while (e && (IsOp("+") || IsOp("-"))) {
      const Token at = Cur();
      Expr::Kind k = Cur().text == "+" ? Expr::Kind::Add : Expr::Kind::Sub;
      ++m_i;
      ExprPtr r = ParseConcat();
      if (!r) return nullptr;
      e = Binary(k, at, std::move(e), std::move(r));
    }
    return e;
  }
  ExprPtr ParseConcat() {
    ExprPtr e = ParseMath2();
    while (e && IsOp("~")) {
      const Token at = Cur();
      ++m_i;
      ExprPtr r = ParseMath2();
      if (!r) return nullptr;
      e = Binary(Expr::Kind::Concat, at, std::move(e), std::move(r));
    }
    return e;
  }
  ExprPtr ParseMath2() {
    ExprPtr e = ParsePow();
    while (e && (IsOp("*") || IsOp("/") || IsOp("//") || IsOp("%"))) {
      const Token at = Cur();
      const std::string& op = Cur().text;
      Expr::Kind k = op == "*" ? Expr::Kind::Mul : op == "/" ? Expr::Kind::Div : op == "//" ? Expr::Kind::FloorDiv : Expr::Kind::Mod;
      ++m_i;
      ExprPtr r = ParsePow();
      if (!r) return nullptr;
      e = Binary(k, at, std::move(e), std::move(r));
    }
    return e;
  }
  ExprPtr ParsePow() {
    ExprPtr e = ParseUnary(true);
    while (e && IsOp("**")) {
      const Token at = Cur();
      ++m_i;
      ExprPtr r = ParseUnary(true);
      if (!r) return nullptr;
      e = Binary(Expr::Kind::Pow, at, std::move(e), std::move(r));
    }
    return e;
  }
  ExprPtr ParseUnary(bool with_filter) {
    DepthGuard g(this);
    if (!g.ok) return nullptr;
    const Token at = Cur();
    ExprPtr e;
    if (IsOp("-") || IsOp("+")) {
      Expr::Kind k = Cur().text == "-" ? Expr::Kind::Neg : Expr::Kind::Pos;
      ++m_i;
      ExprPtr inner = ParseUnary(false);
      if (!inner) return nullptr;
      e = Make(k, at);
      e->a = std::move(inner);
    } else {
      e = ParsePrimary();
    }
    if (!e) return nullptr;
    e = ParsePostfix(std::move(e));
    if (e && with_filter) e = ParseFilterExpr(std::move(e));
    return e;
  }
  ExprPtr ParsePrimary() {
    const Token at = Cur();
    if (at.type == Tok::Name) {
      ++m_i;
      const std::string& n = at.text;
      if (n == "true" || n == "True") return Literal(at, Value(true));
      if (n == "false" || n == "False") return Literal(at, Value(false));
      if (n == "none" || n == "None") return Literal(at, Value::None());
      ExprPtr e = Make(Expr::Kind::Name, at);
      e->name = n;
      return e;
    }
    if (at.type == Tok::String) {
      std::string s = at.text;
      ++m_i;
      while (Cur().type == Tok::String) {
        s += Cur().text;
        ++m_i;
      }
      return Literal(at, Value(std::move(s)));
    }
    if (at.type == Tok::Int || at.type == Tok::Float) {
      ++m_i;
      return Literal(at, at.num);
    }
    if (IsOp("(")) {
      ++m_i;
      if (IsOp(")")) {
        ++m_i;
        return Make(Expr::Kind::Tuple, at);
      }
      ExprPtr first = ParseExpression(true);
      if (!first) return nullptr;
      if (IsOp(")")) {
        ++m_i;
        return first;
      }
      ExprPtr t = Make(Expr::Kind::Tuple, at);
      t->args.push_back(std::move(first));
      while (IsOp(",")) {
        ++m_i;
        if (IsOp(")")) break;
        ExprPtr e = ParseExpression(true);
        if (!e) return nullptr;
        t->args.push_back(std::move(e));
      }
      if (!ExpectOp(")")) return nullptr;
      return t;
    }
    if (IsOp("[")) {
      ++m_i;
      ExprPtr l = Make(Expr::Kind::List, at);
      while (!IsOp("]")) {
        if (!l->args.empty() && !ExpectOp(",")) return nullptr;
        if (IsOp("]")) break;
        ExprPtr e = ParseExpression(true);
        if (!e) return nullptr;
        l->args.push_back(std::move(e));
      }
      ++m_i;
      return l;
    }
    if (IsOp("{")) {
      ++m_i;
      ExprPtr d = Make(Expr::Kind::Dict, at);
      while (!IsOp("}")) {
        if (!d->args.empty() && !ExpectOp(",")) return nullptr;
        if (IsOp("}")) break;
        ExprPtr k = ParseExpression(true);
        if (!k || !ExpectOp(":")) return nullptr;
        ExprPtr v = ParseExpression(true);
        if (!v) return nullptr;
        d->args.push_back(std::move(k));
        d->args.push_back(std::move(v));
      }
      ++m_i;
      return d;
    }
    Fail("unexpected " + Describe());
    return nullptr;
  }
  ExprPtr Literal(const Token& at, Value v) {
    ExprPtr e = Make(Expr::Kind::Literal, at);
    e->value = std::move(v);
    return e;
  }
  ExprPtr ParsePostfix(ExprPtr e) {
    while (e) {
      const Token at = Cur();
      if (IsOp(".")) {
        ++m_i;
        if (Cur().type == Tok::Name) {
          ExprPtr a = Make(Expr::Kind::Attr, at);
          a->a = std::move(e);
          a->name = Cur().text;
          ++m_i;
          e = std::move(a);
        } else if (Cur().type == Tok::Int) {
          ExprPtr a = Make(Expr::Kind::Item, at);
          a->a = std::move(e);
          a->b = Literal(Cur(), Cur().num);
          ++m_i;
          e = std::move(a);
        } else {
          Fail("expected name or number after '.'");
          return nullptr;
        }
      } else if (IsOp("[")) {
        ++m_i;
        e = ParseSubscript(std::move(e), at);
      } else if (IsOp("(")) {
        e = ParseCall(std::move(e));
      } else {
        break;
      }
    }
    return e;
  }
  ExprPtr ParseSubscript(ExprPtr obj, const Token& at) {
    ExprPtr parts[3];
    int n = 0;
    bool is_slice = false;
    while (true) {
      if (IsOp(":")) {
        is_slice = true;
        ++m_i;
        ++n;
        if (n > 2) {
          Fail("invalid slice");
          return nullptr;
        }
        continue;
      }
      if (IsOp("]")) break;
      if (parts[n]) {
        Fail("expected ']'");
        return nullptr;
      }
      parts[n] = ParseExpression(true);
      if (!parts[n]) return nullptr;
    }
    ++m_i;
    if (!is_slice) {
      if (!parts[0]) {
        Fail("expected subscript expression");
        return nullptr;
      }
      ExprPtr i = Make(Expr::Kind::Item, at);
      i->a = std::move(obj);
      i->b = std::move(parts[0]);
      return i;
    }
    ExprPtr s = Make(Expr::Kind::Slice, at);
    s->a = std::move(obj);
    for (auto& p : parts) s->args.push_back(std::move(p));
    return s;
  }
  bool ParseArgs(Expr* call) {
    if (!ExpectOp("(")) return false;
    while (!IsOp(")")) {
      if ((!call->args.empty() || !call->kwargs.empty()) && !ExpectOp(",")) return false;
      if (IsOp(")")) break;
      if (Cur().type == Tok::Name && Peek().type == Tok::Op && Peek().text == "=") {
        std::string k = Cur().text;
        m_i += 2;
        ExprPtr v = ParseExpression(true);
        if (!v) return false;
        call->kwargs.emplace_back(std::move(k), std::move(v));
      } else {
        if (!call->kwargs.empty()) return Fail("positional argument after keyword argument");
        ExprPtr v = ParseExpression(true);
        if (!v) return false;
        call->args.push_back(std::move(v));
      }
    }
    ++m_i;
    return true;
  }
  ExprPtr ParseCall(ExprPtr fn) {
    ExprPtr c = Make(Expr::Kind::Call, Cur());
    c->a = std::move(fn);
    if (!ParseArgs(c.get())) return nullptr;
    return c;
  }
  std::string ParseDottedName() {
    std::string n = Cur().text;
    ++m_i;
    while (IsOp(".") && Peek().type == Tok::Name) {
      n += "." + Peek().text;
      m_i += 2;
    }
    return n;
  }
  ExprPtr ParseFilterChain(ExprPtr target, bool leading_pipe = true) {
    bool first = true;
    while (IsOp("|") || (first && !leading_pipe)) {
      if (IsOp("|")) ++m_i;
      first = false;
      if (Cur().type != Tok::Name) {
        Fail("expected a filter name");
        return nullptr;
      }
      ExprPtr f = Make(Expr::Kind::Filter, Cur());
      f->name = ParseDottedName();
      f->a = std::move(target);
      if (IsOp("(") && !ParseArgs(f.get())) return nullptr;
      target = std::move(f);
    }
    return target;
  }
  ExprPtr ParseFilterExpr(ExprPtr e) {
    while (e) {
      if (IsOp("|")) {
        e = ParseFilterChain(std::move(e));
      } else if (IsName("is")) {
        const Token at = Cur();
        ++m_i;
        ExprPtr t = Make(Expr::Kind::Test, at);
        if (IsName("not")) {
          t->negated = true;
          ++m_i;
        }
        if (Cur().type != Tok::Name) {
          Fail("expected a test name");
          return nullptr;
        }
        t->name = ParseDottedName();
        t->a = std::move(e);
        if (IsOp("(")) {
          if (!ParseArgs(t.get())) return nullptr;
        } else if ((Cur().type == Tok::Name && Cur().text != "else" && Cur().text != "or" && Cur().text != "and") ||
                   Cur().type == Tok::String || Cur().type == Tok::Int || Cur().type == Tok::Float || IsOp("[") || IsOp("{")) {
          if (Cur().type == Tok::Name && Cur().text == "is") {
            Fail("You cannot chain multiple tests with is");
            return nullptr;
          }
          ExprPtr arg = ParsePrimary();
          if (!arg) return nullptr;
          arg = ParsePostfix(std::move(arg));
          if (!arg) return nullptr;
          t->args.push_back(std::move(arg));
        }
        e = std::move(t);
      } else if (IsOp("(")) {
        e = ParseCall(std::move(e));
      } else {
        break;
      }
    }
    return e;
  }

 public:
  int m_loop_depth = 1;  // loop-control placement is checked at run time

 private:
  std::vector<Token> m_t;
  size_t m_i = 0;
  int m_depth = 0;
  std::string m_error;
};

}  // namespace

Result<Body> ParseTemplate(std::string_view source) {
  std::vector<Token> toks;
  Lexer lexer(source);
  Status st = lexer.Run(&toks);
  if (!st.ok()) return st.error();
  Parser parser(std::move(toks));
  return parser.Run();
}

}  // namespace winnow::jinja
