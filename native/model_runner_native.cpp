// NativeModelRunner: ONNX Runtime's C API through dlopen (declarations in ort_c_api.h).
#include "model_runner_native.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>

#include "ort_c_api.h"

namespace winnow {
namespace {

namespace fs = std::filesystem;
using namespace ort;

constexpr const char* kNpmLibRel = "node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1";

fs::path ExecutableDir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : exe.parent_path();
}

// Folders from `start` up to the root.
std::vector<fs::path> Ancestors(fs::path start) {
  std::vector<fs::path> out;
  while (!start.empty()) {
    out.push_back(start);
    fs::path parent = start.parent_path();
    if (parent == start) break;
    start = parent;
  }
  return out;
}

std::vector<fs::path> SearchRoots() {
  std::vector<fs::path> roots = Ancestors(ExecutableDir());
  std::error_code ec;
  for (auto& p : Ancestors(fs::current_path(ec))) roots.push_back(p);
  return roots;
}

bool IsFile(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

class NativeRunner final : public ModelRunner {
 public:
  explicit NativeRunner(std::string lib_path) : m_requested(std::move(lib_path)) {}
  ~NativeRunner() override {
    for (auto& [h, s] : m_sessions) Call<ReleaseFn<OrtSession>>(kReleaseSession)(s.session);
    m_sessions.clear();
    if (m_mem) Call<ReleaseFn<OrtMemoryInfo>>(kReleaseMemoryInfo)(m_mem);
    if (m_env) Call<ReleaseFn<OrtEnv>>(kReleaseEnv)(m_env);
    // The library stays loaded: ORT's own static destructors run at process exit.
  }

  std::string Describe() const override {
    Init();
    if (!m_api) return "no ONNX Runtime: " + m_init_error;
    return "onnxruntime " + m_version + " (native, " + m_lib_path + ")";
  }
  Status Available() const override {
    Init();
    if (!m_api) return Error{"model_runtime_missing", m_init_error};
    return Status::Ok();
  }
  bool IsSynchronous() const override { return true; }

  void Load(std::string model_bytes, LoadCallback done) override { done(LoadNow(model_bytes)); }
  Result<ModelInfo> Info(ModelHandle model) const override {
    auto it = m_sessions.find(model);
    if (it == m_sessions.end()) return Error{"model_run_error", "unknown model handle " + std::to_string(model)};
    return it->second.info;
  }
  void Run(ModelHandle model, std::vector<Tensor> inputs, std::vector<std::string> output_names,
           RunCallback done) override {
    done(RunNow(model, inputs, output_names));
  }
  void Release(ModelHandle model) override {
    auto it = m_sessions.find(model);
    if (it == m_sessions.end()) return;
    Call<ReleaseFn<OrtSession>>(kReleaseSession)(it->second.session);
    m_sessions.erase(it);
  }
  void ReadAsset(std::string name, BytesCallback done) override { done(ReadAssetNow(name)); }

 private:
  struct Session {
    OrtSession* session = nullptr;
    ModelInfo info;
  };

  template <class Fn>
  Fn Call(Slot slot) const {
    return reinterpret_cast<Fn>(const_cast<void*>(m_api[slot]));
  }

  // Turns a non-null OrtStatus into an Error (and releases it).
  Error StatusError(OrtStatus* st, const std::string& code, const std::string& what) const {
    std::string msg = what + ": " + Call<GetErrorMessageFn>(kGetErrorMessage)(st);
    Call<ReleaseFn<OrtStatus>>(kReleaseStatus)(st);
    return Error{code, msg};
  }

  void Init() const {
    std::call_once(m_once, [this] { InitOnce(); });
  }

  void InitOnce() const {
    std::vector<std::string> tried;
    std::vector<std::string> candidates;
    if (!m_requested.empty()) {
      candidates.push_back(m_requested);
    } else {
      if (const char* env = std::getenv("WINNOW_ORT_LIB"); env && *env) candidates.push_back(env);
      for (const auto& root : SearchRoots()) {
        fs::path p = root / kNpmLibRel;
        if (IsFile(p)) {
          candidates.push_back(p.string());
          break;
        }
      }
      candidates.push_back("libonnxruntime.so.1");  // the system's library path
    }
    void* lib = nullptr;
    for (const auto& c : candidates) {
      lib = dlopen(c.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (lib) {
        m_lib_path = c;
        break;
      }
      const char* err = dlerror();
      tried.push_back(c + " (" + (err ? err : "not loadable") + ")");
    }
    if (!lib) {
      std::string msg = "ONNX Runtime (libonnxruntime.so.1) not found; tried ";
      for (size_t i = 0; i < tried.size(); ++i) msg += (i ? "; " : "") + tried[i];
      msg += ". Install it with `npm install --ignore-scripts onnxruntime-node` in the Winnow folder "
             "(scripts/setup.sh does), or point --ort-lib / WINNOW_ORT_LIB at the file.";
      m_init_error = msg;
      return;
    }
    auto get_base = reinterpret_cast<GetApiBaseFn>(dlsym(lib, "OrtGetApiBase"));
    if (!get_base) {
      m_init_error = m_lib_path + " has no OrtGetApiBase: not an ONNX Runtime library";
      return;
    }
    const OrtApiBase* base = get_base();
    if (!base) {
      m_init_error = m_lib_path + ": OrtGetApiBase returned nothing";
      return;
    }
    m_version = base->GetVersionString ? base->GetVersionString() : "?";
    const void* const* api = base->GetApi(kOrtApiVersion);
    if (!api) {
      m_init_error = m_lib_path + " (onnxruntime " + m_version + ") does not serve C API version " +
                     std::to_string(kOrtApiVersion);
      return;
    }
    m_api = api;
    if (OrtStatus* st = Call<CreateEnvFn>(kCreateEnv)(kLogError, "winnow", &m_env)) {
      m_init_error = StatusError(st, "model_runtime_missing", "creating the ONNX Runtime environment").message;
      m_api = nullptr;
      return;
    }
    if (OrtStatus* st = Call<CreateCpuMemoryInfoFn>(kCreateCpuMemoryInfo)(kArenaAllocator, kMemTypeDefault, &m_mem)) {
      m_init_error = StatusError(st, "model_runtime_missing", "creating CPU memory info").message;
      m_api = nullptr;
      return;
    }
    if (OrtStatus* st = Call<GetAllocatorWithDefaultOptionsFn>(kGetAllocatorWithDefaultOptions)(&m_alloc)) {
      m_init_error = StatusError(st, "model_runtime_missing", "getting the default allocator").message;
      m_api = nullptr;
      return;
    }
  }

  Result<TensorInfo> DescribeTensor(OrtTypeInfo* ti, std::string name) const {
    TensorInfo out;
    out.name = std::move(name);
    int onnx_type = 0;
    if (OrtStatus* st = Call<GetOnnxTypeFromTypeInfoFn>(kGetOnnxTypeFromTypeInfo)(ti, &onnx_type))
      return StatusError(st, "bad_model", "reading type of " + out.name);
    if (onnx_type != kOnnxTypeTensor) {
      out.type_supported = false;
      return out;
    }
    const OrtTensorTypeAndShapeInfo* tsi = nullptr;
    if (OrtStatus* st = Call<CastTypeInfoToTensorInfoFn>(kCastTypeInfoToTensorInfo)(ti, &tsi))
      return StatusError(st, "bad_model", "reading tensor info of " + out.name);
    int elem = 0;
    if (OrtStatus* st = Call<GetTensorElementTypeFn>(kGetTensorElementType)(tsi, &elem))
      return StatusError(st, "bad_model", "reading element type of " + out.name);
    if (elem == kElemFloat) {
      out.type = TensorType::Float32;
    } else if (elem == kElemInt64) {
      out.type = TensorType::Int64;
    } else {
      out.type_supported = false;
    }
    size_t n = 0;
    if (OrtStatus* st = Call<GetDimensionsCountFn>(kGetDimensionsCount)(tsi, &n))
      return StatusError(st, "bad_model", "reading shape of " + out.name);
    out.shape.resize(n);
    if (n) {
      if (OrtStatus* st = Call<GetDimensionsFn>(kGetDimensions)(tsi, out.shape.data(), n))
        return StatusError(st, "bad_model", "reading shape of " + out.name);
    }
    return out;
  }

  Result<ModelHandle> LoadNow(const std::string& bytes) {
    Init();
    if (!m_api) return Error{"model_runtime_missing", m_init_error};
    OrtSessionOptions* so = nullptr;
    if (OrtStatus* st = Call<CreateSessionOptionsFn>(kCreateSessionOptions)(&so))
      return StatusError(st, "bad_model", "creating session options");
    // One intra-op thread by default: results do not depend on the machine's core count, and
    // benchmarks state it. WINNOW_ORT_THREADS raises it.
    int threads = 1;
    if (const char* t = std::getenv("WINNOW_ORT_THREADS"); t && std::atoi(t) > 0) threads = std::atoi(t);
    OrtStatus* st = Call<SetThreadsFn>(kSetIntraOpNumThreads)(so, threads);
    if (!st) st = Call<SetThreadsFn>(kSetInterOpNumThreads)(so, 1);
    if (!st) st = Call<SetGraphOptFn>(kSetSessionGraphOptimizationLevel)(so, kOptAll);
    OrtSession* session = nullptr;
    if (!st) st = Call<CreateSessionFromArrayFn>(kCreateSessionFromArray)(m_env, bytes.data(), bytes.size(), so, &session);
    Call<ReleaseFn<OrtSessionOptions>>(kReleaseSessionOptions)(so);
    if (st) return StatusError(st, "bad_model", "ONNX Runtime could not load the model");

    Session s;
    s.session = session;
    auto fail = [&](Error e) -> Result<ModelHandle> {
      Call<ReleaseFn<OrtSession>>(kReleaseSession)(session);
      return e;
    };
    for (int pass = 0; pass < 2; ++pass) {
      const bool inputs = pass == 0;
      size_t count = 0;
      if (OrtStatus* e = Call<SessionGetCountFn>(inputs ? kSessionGetInputCount : kSessionGetOutputCount)(session, &count))
        return fail(StatusError(e, "bad_model", "counting model inputs/outputs"));
      for (size_t i = 0; i < count; ++i) {
        char* name = nullptr;
        if (OrtStatus* e = Call<SessionGetNameFn>(inputs ? kSessionGetInputName : kSessionGetOutputName)(
                session, i, m_alloc, &name))
          return fail(StatusError(e, "bad_model", "reading a model input/output name"));
        std::string nm = name ? name : "";
        if (name) {
          if (OrtStatus* e = Call<AllocatorFreeFn>(kAllocatorFree)(m_alloc, name)) Call<ReleaseFn<OrtStatus>>(kReleaseStatus)(e);
        }
        OrtTypeInfo* ti = nullptr;
        if (OrtStatus* e = Call<SessionGetTypeInfoFn>(inputs ? kSessionGetInputTypeInfo : kSessionGetOutputTypeInfo)(
                session, i, &ti))
          return fail(StatusError(e, "bad_model", "reading type of " + nm));
        auto info = DescribeTensor(ti, nm);
        Call<ReleaseFn<OrtTypeInfo>>(kReleaseTypeInfo)(ti);
        if (!info.ok()) return fail(info.error());
        (inputs ? s.info.inputs : s.info.outputs).push_back(std::move(info.value()));
      }
    }
    ModelHandle h = ++m_next_handle;
    m_sessions.emplace(h, std::move(s));
    return h;
  }

  Result<std::vector<Tensor>> RunNow(ModelHandle model, std::vector<Tensor>& inputs,
                                     const std::vector<std::string>& requested) {
    Init();
    if (!m_api) return Error{"model_runtime_missing", m_init_error};
    auto it = m_sessions.find(model);
    if (it == m_sessions.end()) return Error{"model_run_error", "unknown model handle " + std::to_string(model)};
    const Session& s = it->second;
    std::vector<std::string> out_names = requested;
    if (out_names.empty())
      for (const auto& o : s.info.outputs) out_names.push_back(o.name);

    std::vector<OrtValue*> in_values;
    std::vector<const char*> in_names;
    auto release_inputs = [&] {
      for (OrtValue* v : in_values) Call<ReleaseFn<OrtValue>>(kReleaseValue)(v);
    };
    for (Tensor& t : inputs) {
      const size_t n = t.ElementCount();
      void* data = nullptr;
      size_t bytes = 0;
      int elem = 0;
      if (t.type == TensorType::Float32) {
        if (t.f32.size() != n) {
          release_inputs();
          return Error{"model_run_error", "input " + t.name + ": shape says " + std::to_string(n) + " elements, data has " +
                                              std::to_string(t.f32.size())};
        }
        data = t.f32.data(), bytes = n * sizeof(float), elem = kElemFloat;
      } else {
        if (t.i64.size() != n) {
          release_inputs();
          return Error{"model_run_error", "input " + t.name + ": shape says " + std::to_string(n) + " elements, data has " +
                                              std::to_string(t.i64.size())};
        }
        data = t.i64.data(), bytes = n * sizeof(int64_t), elem = kElemInt64;
      }
      OrtValue* v = nullptr;
      if (OrtStatus* st = Call<CreateTensorWithDataFn>(kCreateTensorWithDataAsOrtValue)(
              m_mem, data, bytes, t.shape.data(), t.shape.size(), elem, &v)) {
        release_inputs();
        return StatusError(st, "model_run_error", "creating input tensor " + t.name);
      }
      in_values.push_back(v);
      in_names.push_back(t.name.c_str());
    }
    std::vector<const char*> out_cnames;
    for (const auto& n : out_names) out_cnames.push_back(n.c_str());
    std::vector<OrtValue*> out_values(out_names.size(), nullptr);
    OrtStatus* st = Call<RunFn>(kRun)(it->second.session, nullptr, in_names.data(), in_values.data(), in_values.size(),
                                      out_cnames.data(), out_cnames.size(), out_values.data());
    release_inputs();
    auto release_outputs = [&] {
      for (OrtValue* v : out_values)
        if (v) Call<ReleaseFn<OrtValue>>(kReleaseValue)(v);
    };
    if (st) {
      release_outputs();
      return StatusError(st, "model_run_error", "ONNX Runtime run failed");
    }
    std::vector<Tensor> outs;
    for (size_t i = 0; i < out_values.size(); ++i) {
      auto t = ReadOutput(out_values[i], out_names[i]);
      if (!t.ok()) {
        release_outputs();
        return t.error();
      }
      outs.push_back(std::move(t.value()));
    }
    release_outputs();
    return outs;
  }

  Result<Tensor> ReadOutput(OrtValue* v, const std::string& name) const {
    Tensor t;
    t.name = name;
    int vt = 0;
    if (OrtStatus* st = Call<GetValueTypeFn>(kGetValueType)(v, &vt)) return StatusError(st, "model_run_error", name);
    if (vt != kOnnxTypeTensor) return Error{"model_run_error", "output " + name + " is not a tensor"};
    OrtTensorTypeAndShapeInfo* tsi = nullptr;
    if (OrtStatus* st = Call<GetTensorTypeAndShapeFn>(kGetTensorTypeAndShape)(v, &tsi))
      return StatusError(st, "model_run_error", "reading output " + name);
    int elem = 0;
    size_t nd = 0;
    OrtStatus* st = Call<GetTensorElementTypeFn>(kGetTensorElementType)(tsi, &elem);
    if (!st) st = Call<GetDimensionsCountFn>(kGetDimensionsCount)(tsi, &nd);
    t.shape.resize(nd);
    if (!st && nd) st = Call<GetDimensionsFn>(kGetDimensions)(tsi, t.shape.data(), nd);
    Call<ReleaseFn<OrtTensorTypeAndShapeInfo>>(kReleaseTensorTypeAndShapeInfo)(tsi);
    if (st) return StatusError(st, "model_run_error", "reading output " + name);
    void* data = nullptr;
    if (OrtStatus* e = Call<GetTensorMutableDataFn>(kGetTensorMutableData)(v, &data))
      return StatusError(e, "model_run_error", "reading output " + name);
    const size_t n = t.ElementCount();
    switch (elem) {
      case kElemFloat:
        t.type = TensorType::Float32;
        t.f32.assign(static_cast<const float*>(data), static_cast<const float*>(data) + n);
        break;
      case kElemDouble:
        t.type = TensorType::Float32;
        t.f32.resize(n);
        for (size_t i = 0; i < n; ++i) t.f32[i] = static_cast<float>(static_cast<const double*>(data)[i]);
        break;
      case kElemInt64:
        t.type = TensorType::Int64;
        t.i64.assign(static_cast<const int64_t*>(data), static_cast<const int64_t*>(data) + n);
        break;
      case kElemInt32:
        t.type = TensorType::Int64;
        t.i64.resize(n);
        for (size_t i = 0; i < n; ++i) t.i64[i] = static_cast<const int32_t*>(data)[i];
        break;
      case kElemBool:
      case kElemUint8:
        t.type = TensorType::Int64;
        t.i64.resize(n);
        for (size_t i = 0; i < n; ++i) t.i64[i] = static_cast<const uint8_t*>(data)[i];
        break;
      default:
        return Error{"model_run_error", "output " + name + " has an element type Winnow does not read (ONNX type " +
                                            std::to_string(elem) + ")"};
    }
    return t;
  }

  Result<std::string> ReadAssetNow(const std::string& name) const {
    if (name.empty() || name.find("..") != std::string::npos || name[0] == '/')
      return Error{"io_error", "bad asset name \"" + name + "\""};
    std::vector<fs::path> dirs;
    if (const char* env = std::getenv("WINNOW_ASSET_DIR"); env && *env) dirs.push_back(fs::path(env) / "models");
    for (const auto& root : SearchRoots()) dirs.push_back(root / "assets" / "models");
    for (const auto& d : dirs) {
      fs::path p = d / name;
      if (!IsFile(p)) continue;
      std::FILE* f = std::fopen(p.c_str(), "rb");
      if (!f) return Error{"io_error", "cannot open " + p.string()};
      std::string out;
      char buf[1 << 16];
      size_t n;
      while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
      const bool bad = std::ferror(f);
      std::fclose(f);
      if (bad) return Error{"io_error", "error reading " + p.string()};
      return out;
    }
    return Error{"io_error", "model asset \"" + name + "\" not found under assets/models/ (set WINNOW_ASSET_DIR to the "
                             "folder holding models/)"};
  }

  std::string m_requested;
  mutable std::once_flag m_once;
  mutable const void* const* m_api = nullptr;
  mutable std::string m_init_error, m_lib_path, m_version;
  mutable OrtEnv* m_env = nullptr;
  mutable OrtMemoryInfo* m_mem = nullptr;
  mutable OrtAllocator* m_alloc = nullptr;
  std::map<ModelHandle, Session> m_sessions;
  ModelHandle m_next_handle = 0;
};

std::string& RequestedLib() {
  static std::string lib;
  return lib;
}

}  // namespace

std::unique_ptr<ModelRunner> MakeNativeModelRunner(const std::string& lib_path) {
  return std::make_unique<NativeRunner>(lib_path);
}

void SetNativeOrtLibrary(const std::string& lib_path) { RequestedLib() = lib_path; }

ModelRunner& NativeModelRunner() {
  // Leaked on purpose: ORT's sessions must not be torn down during static destruction.
  static ModelRunner* runner = MakeNativeModelRunner(RequestedLib()).release();
  return *runner;
}

ModelRunner* BlockingModelRunner() { return &NativeModelRunner(); }

}  // namespace winnow
