// The built-in chat templates' sources, compiled in (generated from assets/templates by
// scripts/gen_builtin_templates.py). Use chat_template.h's BuiltinChatTemplate() instead.
#pragma once
#include <cstddef>

namespace winnow {

struct BuiltinTemplate {
  const char* name;
  const char* source;
};
extern const BuiltinTemplate kBuiltinTemplates[];
extern const size_t kBuiltinTemplateCount;

}  // namespace winnow
