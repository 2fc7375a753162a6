#include "pii/pii_eval.h"

#include <cstdio>

namespace winnow::pii {

static void AppendUnescaped(std::string_view s, std::string* out) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == 'n') {
      out->push_back('\n');
      ++i;
    } else if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == '\\') {  // "\\" is one backslash ("\\n": a literal \n)
      out->push_back('\\');
      ++i;
    } else {
      out->push_back(s[i]);
    }
  }
}

Result<std::vector<EvalCase>> ParseEvalCases(std::string_view file_text) {
  std::vector<EvalCase> cases;
  uint32_t line_no = 0;
  size_t pos = 0;
  while (pos < file_text.size()) {
    size_t nl = file_text.find('\n', pos);
    if (nl == std::string_view::npos) nl = file_text.size();
    std::string_view line = file_text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    EvalCase c;
    c.line = line_no;
    size_t i = 0;
    while (i < line.size()) {
      size_t open = line.find("[[", i);
      if (open == std::string_view::npos) {
        AppendUnescaped(line.substr(i), &c.text);
        break;
      }
      // "[[[TYPE:v]]]": the markup is the innermost "[[" (a literal '[' before an entity, as in
      // "[::1]" or "[203.0.113.9]"); a ']' after the closing "]]" is literal text anyway.
      while (open + 2 < line.size() && line[open + 2] == '[') ++open;
      AppendUnescaped(line.substr(i, open - i), &c.text);
      size_t close = line.find("]]", open + 2);
      size_t colon = line.find(':', open + 2);
      if (close == std::string_view::npos || colon == std::string_view::npos || colon > close) {
        return Error{"bad_input", "eval set line " + std::to_string(line_no) + ": unterminated or malformed [[TYPE:value]]"};
      }
      // A value may itself contain "]]"-free text only; types are upper-case names.
      std::string_view type_name = line.substr(open + 2, colon - open - 2);
      PiiType t;
      if (!ParsePiiType(type_name, &t)) {
        return Error{"bad_input", "eval set line " + std::to_string(line_no) + ": unknown type '" + std::string(type_name) + "'"};
      }
      PiiSpan s;
      s.type = t;
      s.begin = uint32_t(c.text.size());
      AppendUnescaped(line.substr(colon + 1, close - colon - 1), &c.text);
      s.end = uint32_t(c.text.size());
      c.gold.push_back(s);
      i = close + 2;
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

void ScoreCase(const EvalCase& c, const std::vector<PiiSpan>& found, EvalScore* score, std::vector<std::string>* errors) {
  std::vector<bool> used(c.gold.size(), false);
  auto describe = [&](const char* what, const PiiSpan& s) {
    if (!errors) return;
    std::string e = "line " + std::to_string(c.line) + ": " + what + " " + std::string(PiiTypeName(s.type)) + " '" +
                    c.text.substr(s.begin, s.end - s.begin) + "'";
    errors->push_back(std::move(e));
  };
  for (const PiiSpan& f : found) {
    bool matched = false;
    for (size_t g = 0; g < c.gold.size(); ++g) {
      const PiiSpan& gs = c.gold[g];
      if (used[g] || gs.type != f.type || gs.end <= f.begin || f.end <= gs.begin) continue;
      used[g] = true;
      matched = true;
      TypeScore& ts = score->by_type[size_t(f.type)];
      ++ts.tp;
      ++score->total.tp;
      if (gs.begin != f.begin || gs.end != f.end) {
        ++ts.inexact;
        ++score->total.inexact;
        describe("inexact", f);
      }
      break;
    }
    if (!matched) {
      ++score->by_type[size_t(f.type)].fp;
      ++score->total.fp;
      describe("false positive", f);
    }
  }
  for (size_t g = 0; g < c.gold.size(); ++g) {
    if (used[g]) continue;
    ++score->by_type[size_t(c.gold[g].type)].fn;
    ++score->total.fn;
    describe("missed", c.gold[g]);
  }
}

std::string FormatRatio(uint64_t num, uint64_t den) {
  if (den == 0) return "-";
  uint64_t permille = (num * 1000 + den / 2) / den;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%llu.%03llu", static_cast<unsigned long long>(permille / 1000),
                static_cast<unsigned long long>(permille % 1000));
  return buf;
}

std::string FormatScoreTable(const EvalScore& score) {
  std::string out;
  char buf[160];
  std::snprintf(buf, sizeof buf, "%-16s %6s %6s %6s %6s %6s %9s %7s\n", "type", "gold", "found", "tp", "fp", "fn",
                "precision", "recall");
  out += buf;
  auto row = [&](std::string_view name, const TypeScore& t) {
    std::snprintf(buf, sizeof buf, "%-16.*s %6llu %6llu %6llu %6llu %6llu %9s %7s\n", int(name.size()), name.data(),
                  static_cast<unsigned long long>(t.tp + t.fn), static_cast<unsigned long long>(t.tp + t.fp),
                  static_cast<unsigned long long>(t.tp), static_cast<unsigned long long>(t.fp),
                  static_cast<unsigned long long>(t.fn), FormatRatio(t.tp, t.tp + t.fp).c_str(),
                  FormatRatio(t.tp, t.tp + t.fn).c_str());
    out += buf;
  };
  for (size_t i = 0; i < kPiiTypeCount; ++i) {
    const TypeScore& t = score.by_type[i];
    if (t.tp + t.fp + t.fn == 0) continue;
    row(PiiTypeName(PiiType(i)), t);
  }
  row("TOTAL", score.total);
  return out;
}

}  // namespace winnow::pii
