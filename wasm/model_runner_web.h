// The page's ModelRunner (onnxruntime-web through web/model_runner.js) and the model / tokenizer
// files the user added to the page, which steps read by name.
#pragma once
#include <string>
#include <vector>

#include "core/result.h"
#include "platform/model_runner.h"

namespace winnow {

ModelRunner& PageModelRunner();
// A file added with winnow_model_file (by full name, or by the base name of `path`). Errors: io_error.
Result<std::string> ReadPageModelFile(const std::string& path);
std::vector<std::string> PageModelFileNames();  // "name (bytes)" for the studio

}  // namespace winnow
