// Web ModelRunner: onnxruntime-web in the page (web/model_runner.js), bridged without Asyncify:
// EM_JS functions start a promise and return at once; when it settles the page calls the exported
// winnow_model_* functions below, between frames, and they run the C++ callbacks. Tensors cross as
// a JSON description plus raw bytes in the wasm heap. The wasm CLI under Node has no page:
// BlockingModelRunner() is null there and model steps fail in Prepare with a message.
#include "model_runner_web.h"

#include <emscripten.h>

#include <cstdlib>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>

namespace winnow {
namespace {

// window.winnowModels exists only in the studio page (web/model_runner.js).
EM_JS(int, JsModelsPresent, (), { return (typeof window !== 'undefined' && window.winnowModels) ? 1 : 0; });
EM_JS(char*, JsModelsDescribe, (), {
  const s = window.winnowModels.describe();
  return stringToNewUTF8(s);
});
EM_JS(void, JsModelLoad, (int req, const char* data, int len), {
  window.winnowModels.load(req, HEAPU8.slice(data, data + len));
});
EM_JS(void, JsModelRun, (int req, int handle, const char* desc, const char* data, int len), {
  window.winnowModels.run(req, handle, UTF8ToString(desc), HEAPU8.slice(data, data + len));
});
EM_JS(void, JsModelRelease, (int handle), { window.winnowModels.release(handle); });
EM_JS(void, JsReadAsset, (int req, const char* name), { window.winnowModels.readAsset(req, UTF8ToString(name)); });

struct Pending {
  LoadCallback load;
  RunCallback run;
  BytesCallback bytes;
};

class WebRunner final : public ModelRunner {
 public:
  std::string Describe() const override {
    if (!JsModelsPresent()) return "no ONNX Runtime in this page";
    char* s = JsModelsDescribe();
    std::string out = s ? s : "";
    std::free(s);
    return out;
  }
  Status Available() const override {
    if (!JsModelsPresent())
      return Error{"model_runtime_missing", "this page has no ONNX Runtime (web/model_runner.js and onnxruntime-web "
                                           "are copied into dist/ by the studio_dist target)"};
    return Status::Ok();
  }
  bool IsSynchronous() const override { return false; }
  void Load(std::string bytes, LoadCallback done) override {
    if (Status av = Available(); !av.ok()) return done(av.error());
    const int req = ++m_next_req;
    m_pending[req].load = std::move(done);
    JsModelLoad(req, bytes.data(), static_cast<int>(bytes.size()));
  }
  Result<ModelInfo> Info(ModelHandle model) const override {
    auto it = m_info.find(model);
    if (it == m_info.end()) return Error{"model_run_error", "unknown model handle " + std::to_string(model)};
    return it->second;
  }
  void Run(ModelHandle model, std::vector<Tensor> inputs, std::vector<std::string> output_names,
           RunCallback done) override {
    if (Status av = Available(); !av.ok()) return done(av.error());
    nlohmann::json desc = nlohmann::json::object();
    nlohmann::json ins = nlohmann::json::array();
    std::string data;
    for (const Tensor& t : inputs) {
      const size_t n = t.ElementCount();
      const size_t have = t.type == TensorType::Float32 ? t.f32.size() : t.i64.size();
      if (have != n) return done(Error{"model_run_error", "input " + t.name + ": shape and data disagree"});
      // 8-byte aligned offsets so the page can view int64 data in place.
      while (data.size() % 8) data.push_back('\0');
      const size_t off = data.size();
      if (t.type == TensorType::Float32) {
        data.append(reinterpret_cast<const char*>(t.f32.data()), n * sizeof(float));
      } else {
        data.append(reinterpret_cast<const char*>(t.i64.data()), n * sizeof(int64_t));
      }
      ins.push_back({{"name", t.name}, {"type", TensorTypeName(t.type)}, {"shape", t.shape}, {"offset", off}, {"count", n}});
    }
    desc["inputs"] = ins;
    desc["outputs"] = output_names;
    const int req = ++m_next_req;
    m_pending[req].run = std::move(done);
    const std::string d = desc.dump();
    JsModelRun(req, static_cast<int>(model), d.c_str(), data.data(), static_cast<int>(data.size()));
  }
  void Release(ModelHandle model) override {
    m_info.erase(model);
    if (JsModelsPresent()) JsModelRelease(static_cast<int>(model));
  }
  void ReadAsset(std::string name, BytesCallback done) override {
    if (!JsModelsPresent()) return done(Error{"io_error", "this page cannot fetch model assets"});
    const int req = ++m_next_req;
    m_pending[req].bytes = std::move(done);
    JsReadAsset(req, name.c_str());
  }

  // From the page.
  void Loaded(int req, int handle, const char* info_json, const char* error) {
    auto p = Take(req);
    if (!p.load) return;
    if (handle <= 0) return p.load(Error{"bad_model", error ? error : "the model could not be loaded"});
    auto j = nlohmann::json::parse(info_json ? info_json : "", nullptr, false);
    ModelInfo info;
    if (j.is_object()) {
      for (int pass = 0; pass < 2; ++pass) {
        const char* key = pass == 0 ? "inputs" : "outputs";
        if (!j.contains(key) || !j[key].is_array()) continue;
        for (const auto& e : j[key]) {
          TensorInfo ti;
          ti.name = e.value("name", "");
          const std::string type = e.value("type", "");
          ti.type = type == "float32" ? TensorType::Float32 : TensorType::Int64;
          // The page may not know the types (older onnxruntime-web): take the common case.
          ti.type_supported = type == "float32" || type == "int64" || type.empty();
          if (type.empty()) ti.type = TensorType::Int64;
          (pass == 0 ? info.inputs : info.outputs).push_back(ti);
        }
      }
    }
    m_info[static_cast<ModelHandle>(handle)] = info;
    p.load(static_cast<ModelHandle>(handle));
  }
  void RunDone(int req, const char* desc_json, const char* data, int len, const char* error) {
    auto p = Take(req);
    if (!p.run) return;
    if (error && *error) return p.run(Error{"model_run_error", error});
    auto j = nlohmann::json::parse(desc_json ? desc_json : "", nullptr, false);
    if (!j.is_array()) return p.run(Error{"model_run_error", "the page returned no outputs"});
    std::vector<Tensor> outs;
    for (const auto& e : j) {
      Tensor t;
      t.name = e.value("name", "");
      t.shape = e.value("shape", std::vector<int64_t>{});
      const size_t off = e.value("offset", size_t{0});
      const size_t n = t.ElementCount();
      const std::string type = e.value("type", "");
      if (type == "float32") {
        t.type = TensorType::Float32;
        if (off + n * 4 > static_cast<size_t>(len)) return p.run(Error{"model_run_error", "output truncated"});
        t.f32.resize(n);
        std::memcpy(t.f32.data(), data + off, n * 4);
      } else if (type == "int64") {
        t.type = TensorType::Int64;
        if (off + n * 8 > static_cast<size_t>(len)) return p.run(Error{"model_run_error", "output truncated"});
        t.i64.resize(n);
        std::memcpy(t.i64.data(), data + off, n * 8);
      } else {
        return p.run(Error{"model_run_error", "output " + t.name + " has type " + type + ", which Winnow does not read"});
      }
      outs.push_back(std::move(t));
    }
    p.run(std::move(outs));
  }
  void BytesDone(int req, const char* data, int len, const char* error) {
    auto p = Take(req);
    if (!p.bytes) return;
    if (error && *error) return p.bytes(Error{"io_error", error});
    p.bytes(std::string(data, static_cast<size_t>(len)));
  }

 private:
  Pending Take(int req) {
    auto it = m_pending.find(req);
    if (it == m_pending.end()) return {};
    Pending p = std::move(it->second);
    m_pending.erase(it);
    return p;
  }
  int m_next_req = 0;
  std::map<int, Pending> m_pending;
  std::map<ModelHandle, ModelInfo> m_info;
};

WebRunner& Runner() {
  static WebRunner* r = new WebRunner();  // lives as long as the page
  return *r;
}

std::map<std::string, std::string>& Files() {
  static auto* f = new std::map<std::string, std::string>();
  return *f;
}

}  // namespace

ModelRunner* BlockingModelRunner() { return nullptr; }
ModelRunner& PageModelRunner() { return Runner(); }

Result<std::string> ReadPageModelFile(const std::string& path) {
  auto it = Files().find(path);
  if (it == Files().end()) {
    // Steps name files by path; the page knows them by their base name.
    const size_t slash = path.find_last_of('/');
    if (slash != std::string::npos) it = Files().find(path.substr(slash + 1));
  }
  if (it == Files().end())
    return Error{"io_error", "no file named " + path + " was added to the page (Pipeline tab: \"Model files...\" or \"Reference files...\")"};
  return it->second;
}

std::vector<std::string> PageModelFileNames() {
  std::vector<std::string> out;
  for (const auto& [name, bytes] : Files()) out.push_back(name + " (" + std::to_string(bytes.size()) + " bytes)");
  return out;
}

}  // namespace winnow

extern "C" {
EMSCRIPTEN_KEEPALIVE void winnow_model_loaded(int req, int handle, const char* info_json, const char* error) {
  winnow::Runner().Loaded(req, handle, info_json, error);
}
EMSCRIPTEN_KEEPALIVE void winnow_model_run_done(int req, const char* desc_json, const char* data, int len,
                                                const char* error) {
  winnow::Runner().RunDone(req, desc_json, data, len, error);
}
EMSCRIPTEN_KEEPALIVE void winnow_model_bytes_done(int req, const char* data, int len, const char* error) {
  winnow::Runner().BytesDone(req, data, len, error);
}
// A model / tokenizer file the user chose in the page, kept by name for steps' read_file.
EMSCRIPTEN_KEEPALIVE void winnow_model_file(const char* name, const char* data, int len) {
  winnow::Files()[name] = std::string(data, static_cast<size_t>(len));
}
}
