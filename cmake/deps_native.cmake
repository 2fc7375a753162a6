# Native dependencies, all from Debian packages (scripts/setup.sh installs them).
find_package(PkgConfig REQUIRED)
find_package(simdjson REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(Threads REQUIRED)
find_package(ZLIB REQUIRED)
find_package(CURL REQUIRED)  # synthesis: LLM API calls (native/http_client_native.cpp)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)

add_library(winnow::simdjson ALIAS simdjson::simdjson)
add_library(winnow::json ALIAS nlohmann_json::nlohmann_json)
add_library(winnow::re2 ALIAS PkgConfig::RE2)

add_library(winnow_xxhash INTERFACE)
target_compile_definitions(winnow_xxhash INTERFACE XXH_INLINE_ALL)
add_library(winnow::xxhash ALIAS winnow_xxhash)

find_path(CLD2_INCLUDE cld2/public/compact_lang_det.h REQUIRED)
find_library(CLD2_LIB NAMES cld2 REQUIRED)
add_library(winnow_cld2 INTERFACE)
target_include_directories(winnow_cld2 INTERFACE "${CLD2_INCLUDE}/cld2/public")
target_link_libraries(winnow_cld2 INTERFACE "${CLD2_LIB}")
add_library(winnow::cld2 ALIAS winnow_cld2)

find_package(CLI11 REQUIRED)

# Dear ImGui (Debian's libimgui-dev, 1.86, with the GLFW and OpenGL3 backends built in) for the studio.
if(WINNOW_BUILD_STUDIO)
  pkg_check_modules(IMGUI REQUIRED IMPORTED_TARGET imgui)
  find_package(glfw3 REQUIRED)
  find_package(OpenGL REQUIRED)
  add_library(winnow_imgui INTERFACE)
  target_include_directories(winnow_imgui INTERFACE /usr/include/imgui/backends)
  target_link_libraries(winnow_imgui INTERFACE PkgConfig::IMGUI glfw OpenGL::GL ${CMAKE_DL_LIBS})
  add_library(winnow::imgui ALIAS winnow_imgui)
endif()

# simdjson's On-Demand API uses the kernel chosen at compile time (no runtime dispatch in 3.0):
# without these flags a generic x86-64 build gets the slow "fallback" kernel. Only the file that
# parses JSON gets them, so nothing else in the binary depends on AVX2. Off for CPUs older than
# Haswell (2013): -DWINNOW_AVX2=OFF.
option(WINNOW_AVX2 "Compile the JSON parsing hot path for AVX2 (Haswell+) x86-64" ON)
if(WINNOW_AVX2 AND CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64")
  set_source_files_properties("${CMAKE_SOURCE_DIR}/src/io/reader.cpp" PROPERTIES
    COMPILE_OPTIONS "-mavx2;-mbmi;-mbmi2;-mpclmul;-mlzcnt;-mpopcnt")
endif()
