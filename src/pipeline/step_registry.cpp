#include "pipeline/step.h"

namespace winnow {

std::vector<StepInfo>& StepRegistry() {
  static std::vector<StepInfo> registry;
  return registry;
}

const StepInfo* FindStep(std::string_view type) {
  for (const StepInfo& s : StepRegistry()) {
    if (s.type == type) return &s;
  }
  return nullptr;
}

}  // namespace winnow
