// NativeModelRunner: ModelRunner over the libonnxruntime.so.1 of the npm onnxruntime-node package,
// loaded with dlopen on first use. Without the library, Available() says where it looked and model
// steps fail with that message; everything else works.
#pragma once
#include <memory>
#include <string>

#include "platform/model_runner.h"

namespace winnow {

// lib_path: explicit libonnxruntime.so.1 (the --ort-lib option); empty = search: $WINNOW_ORT_LIB,
// then node_modules/onnxruntime-node/bin/napi-v6/linux/x64/ in the folders above the executable and
// above the working directory, then the system's library path.
std::unique_ptr<ModelRunner> MakeNativeModelRunner(const std::string& lib_path = "");

// One runner per process for front ends (the CLI, the desktop studio). SetNativeOrtLibrary before the
// first call picks the library.
void SetNativeOrtLibrary(const std::string& lib_path);
ModelRunner& NativeModelRunner();

}  // namespace winnow
