// Jinja AST: expression and statement nodes produced by jinja_parser.cpp and walked by the
// interpreter (jinja_template.cpp). Internal to src/template.
#pragma once
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "template/jinja_value.h"

namespace winnow::jinja {

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Expr {
  enum class Kind : uint8_t {
    Literal,   // value
    Name,      // name
    List,      // args
    Tuple,     // args
    Dict,      // args as key, value, key, value...
    Attr,      // a . name
    Item,      // a [ b ]
    Slice,     // a [ args[0] : args[1] : args[2] ]  (null entries = omitted)
    Call,      // a ( args, kwargs )
    Filter,    // a | name ( args, kwargs ); a may be null inside {% filter %}
    Test,      // a is [not] name ( args )
    Neg, Pos, Not,            // a
    Add, Sub, Mul, Div, FloorDiv, Mod, Pow, Concat,  // a op b
    And, Or,                  // a op b
    Compare,   // a, then ops[i] applied with args[i]
    Cond,      // a if b else c (c may be null)
  };
  Kind kind = Kind::Literal;
  int line = 0, col = 0;
  Value value;
  std::string name;
  bool negated = false;
  ExprPtr a, b, c;
  std::vector<ExprPtr> args;
  std::vector<std::pair<std::string, ExprPtr>> kwargs;
  std::vector<std::string> ops;  // Compare: "==", "!=", "<", "<=", ">", ">=", "in", "notin"
};

struct Node;
using NodePtr = std::unique_ptr<Node>;
using Body = std::vector<NodePtr>;

struct Node {
  enum class Kind : uint8_t {
    Text, Output, If, For, Set, SetBlock, Macro, CallBlock, FilterBlock, Break, Continue,
    Generation, Do
  };
  Kind kind = Kind::Text;
  int line = 0, col = 0;
  std::string text;                   // Text; Macro name
  ExprPtr expr;                       // Output / Set value / For iterable / CallBlock call / FilterBlock filter chain
  ExprPtr filter;                     // For: loop filter (`if` in the head); SetBlock: filter chain
  // If: conditions[i] guards bodies[i]; an else body is bodies.back() when bodies has one more.
  std::vector<ExprPtr> conditions;
  std::vector<Body> bodies;
  Body body, else_body;
  // For targets / Set targets: names; Set to `ns.attr` uses target_attr.
  std::vector<std::string> targets;
  std::string target_attr;
  bool recursive = false;
  // Macro / CallBlock parameters and defaults (null when none).
  std::vector<std::string> params;
  std::vector<ExprPtr> defaults;
};

}  // namespace winnow::jinja
