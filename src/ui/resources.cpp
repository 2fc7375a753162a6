#include "ui/resources.h"

namespace winnow::ui {

const EmbeddedFile* FindEmbedded(std::string_view name) {
  for (size_t i = 0; i < kEmbeddedFileCount; ++i) {
    if (name == kEmbeddedFiles[i].name) return &kEmbeddedFiles[i];
  }
  return nullptr;
}

}  // namespace winnow::ui
