// The few declarations of ONNX Runtime's C API that Winnow uses, written here because no Debian or
// npm package ships onnxruntime_c_api.h. We load libonnxruntime.so.1 with dlopen and call through the
// OrtApi function table; nothing here is linked at build time.
//
// Where the facts come from: onnxruntime's public C header include/onnxruntime/core/session/
// onnxruntime_c_api.h (read for ORT_API_VERSION 8, onnxruntime 1.8), and its documented ABI rule that
// OrtApi only ever grows at the end: a runtime of version N serves GetApi(v) for every v <= N with
// the same leading slots. Every slot used below lies in the block the header marks "End of Version 1
// - DO NOT MODIFY ABOVE" (slots 0..101), so their positions are identical in every release since 1.0
// (the npm onnxruntime-node package we load is 1.30). We request kOrtApiVersion below.
#pragma once
#include <cstddef>
#include <cstdint>

namespace winnow::ort {

// The API version Winnow asks the runtime for (GetApi returns null if the runtime is older).
inline constexpr uint32_t kOrtApiVersion = 8;

// Opaque runtime objects.
struct OrtEnv;
struct OrtStatus;  // null = success
struct OrtMemoryInfo;
struct OrtSession;
struct OrtValue;
struct OrtRunOptions;
struct OrtTypeInfo;
struct OrtTensorTypeAndShapeInfo;
struct OrtSessionOptions;
struct OrtAllocator;

// enum ONNXTensorElementDataType (values in declaration order in the header).
enum ElementType : int {
  kElemUndefined = 0, kElemFloat = 1, kElemUint8 = 2, kElemInt8 = 3, kElemUint16 = 4, kElemInt16 = 5,
  kElemInt32 = 6, kElemInt64 = 7, kElemString = 8, kElemBool = 9, kElemFloat16 = 10, kElemDouble = 11,
  kElemUint32 = 12, kElemUint64 = 13,
};
enum OnnxType : int { kOnnxTypeUnknown = 0, kOnnxTypeTensor = 1 };
enum LoggingLevel : int { kLogVerbose = 0, kLogInfo = 1, kLogWarning = 2, kLogError = 3, kLogFatal = 4 };
enum AllocatorType : int { kDeviceAllocator = 0, kArenaAllocator = 1 };
enum MemType : int { kMemTypeDefault = 0 };
enum GraphOptimizationLevel : int { kOptDisableAll = 0, kOptBasic = 1, kOptExtended = 2, kOptAll = 99 };

// struct OrtApiBase { GetApi; GetVersionString; } — two function pointers, exported via OrtGetApiBase.
struct OrtApiBase {
  const void* const* (*GetApi)(uint32_t version) noexcept;  // OrtApi*, seen here as a pointer table
  const char* (*GetVersionString)() noexcept;
};
using GetApiBaseFn = const OrtApiBase* (*)() noexcept;

// OrtApi is a struct of function pointers in a fixed order; we index it as an array. Slot numbers
// are the member positions in the header (0 = CreateStatus).
enum Slot : int {
  kGetErrorCode = 1,
  kGetErrorMessage = 2,
  kCreateEnv = 3,
  kCreateSessionFromArray = 8,
  kRun = 9,
  kCreateSessionOptions = 10,
  kSetSessionGraphOptimizationLevel = 23,
  kSetIntraOpNumThreads = 24,
  kSetInterOpNumThreads = 25,
  kSessionGetInputCount = 30,
  kSessionGetOutputCount = 31,
  kSessionGetInputTypeInfo = 33,
  kSessionGetOutputTypeInfo = 34,
  kSessionGetInputName = 36,
  kSessionGetOutputName = 37,
  kCreateTensorWithDataAsOrtValue = 49,
  kGetTensorMutableData = 51,
  kCastTypeInfoToTensorInfo = 55,
  kGetOnnxTypeFromTypeInfo = 56,
  kGetTensorElementType = 60,
  kGetDimensionsCount = 61,
  kGetDimensions = 62,
  kGetTensorTypeAndShape = 65,
  kGetValueType = 67,
  kCreateCpuMemoryInfo = 69,
  kAllocatorFree = 76,
  kGetAllocatorWithDefaultOptions = 78,
  kReleaseEnv = 92,
  kReleaseStatus = 93,
  kReleaseMemoryInfo = 94,
  kReleaseSession = 95,
  kReleaseValue = 96,
  kReleaseTypeInfo = 98,
  kReleaseTensorTypeAndShapeInfo = 99,
  kReleaseSessionOptions = 100,
};

// Signatures of the slots above (all ORT_API2_STATUS functions return OrtStatus*, null on success).
using GetErrorCodeFn = int (*)(const OrtStatus*) noexcept;
using GetErrorMessageFn = const char* (*)(const OrtStatus*) noexcept;
using CreateEnvFn = OrtStatus* (*)(int logging_level, const char* logid, OrtEnv** out) noexcept;
using CreateSessionFromArrayFn = OrtStatus* (*)(const OrtEnv*, const void* data, size_t len, const OrtSessionOptions*,
                                                OrtSession** out) noexcept;
using RunFn = OrtStatus* (*)(OrtSession*, const OrtRunOptions*, const char* const* input_names,
                             const OrtValue* const* inputs, size_t input_len, const char* const* output_names,
                             size_t output_len, OrtValue** outputs) noexcept;
using CreateSessionOptionsFn = OrtStatus* (*)(OrtSessionOptions** out) noexcept;
using SetGraphOptFn = OrtStatus* (*)(OrtSessionOptions*, int level) noexcept;
using SetThreadsFn = OrtStatus* (*)(OrtSessionOptions*, int threads) noexcept;
using SessionGetCountFn = OrtStatus* (*)(const OrtSession*, size_t* out) noexcept;
using SessionGetTypeInfoFn = OrtStatus* (*)(const OrtSession*, size_t index, OrtTypeInfo** out) noexcept;
using SessionGetNameFn = OrtStatus* (*)(const OrtSession*, size_t index, OrtAllocator*, char** out) noexcept;
using CreateTensorWithDataFn = OrtStatus* (*)(const OrtMemoryInfo*, void* data, size_t data_bytes, const int64_t* shape,
                                              size_t shape_len, int type, OrtValue** out) noexcept;
using GetTensorMutableDataFn = OrtStatus* (*)(OrtValue*, void** out) noexcept;
using CastTypeInfoToTensorInfoFn = OrtStatus* (*)(const OrtTypeInfo*, const OrtTensorTypeAndShapeInfo** out) noexcept;
using GetOnnxTypeFromTypeInfoFn = OrtStatus* (*)(const OrtTypeInfo*, int* out) noexcept;
using GetTensorElementTypeFn = OrtStatus* (*)(const OrtTensorTypeAndShapeInfo*, int* out) noexcept;
using GetDimensionsCountFn = OrtStatus* (*)(const OrtTensorTypeAndShapeInfo*, size_t* out) noexcept;
using GetDimensionsFn = OrtStatus* (*)(const OrtTensorTypeAndShapeInfo*, int64_t* dims, size_t len) noexcept;
using GetTensorTypeAndShapeFn = OrtStatus* (*)(const OrtValue*, OrtTensorTypeAndShapeInfo** out) noexcept;
using GetValueTypeFn = OrtStatus* (*)(const OrtValue*, int* out) noexcept;
using CreateCpuMemoryInfoFn = OrtStatus* (*)(int allocator_type, int mem_type, OrtMemoryInfo** out) noexcept;
using AllocatorFreeFn = OrtStatus* (*)(OrtAllocator*, void* p) noexcept;
using GetAllocatorWithDefaultOptionsFn = OrtStatus* (*)(OrtAllocator** out) noexcept;
template <class T>
using ReleaseFn = void (*)(T*) noexcept;

}  // namespace winnow::ort
