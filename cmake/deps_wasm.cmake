# wasm dependencies: third-party C++ compiled with emcc from Debian *source* packages that
# scripts/setup.sh unpacked into ${WINNOW_THIRD_PARTY}/src; header-only Debian libraries through
# a build-folder include dir of symlinks (emcc must not search /usr/include).
set(TP "${WINNOW_THIRD_PARTY}/src")
foreach(p re2 simdjson imgui cld2)
  if(NOT EXISTS "${TP}/${p}/.winnow-ok")
    message(FATAL_ERROR "wasm build: ${TP}/${p} is missing; run scripts/setup.sh first")
  endif()
endforeach()

set(HDR "${CMAKE_BINARY_DIR}/sysheaders")
file(MAKE_DIRECTORY "${HDR}")
foreach(h nlohmann xxhash.h xxh3.h)
  if(NOT EXISTS "${HDR}/${h}")
    file(CREATE_LINK "/usr/include/${h}" "${HDR}/${h}" SYMBOLIC)
  endif()
endforeach()

add_library(winnow_json INTERFACE)
target_include_directories(winnow_json SYSTEM INTERFACE "${HDR}")
add_library(winnow::json ALIAS winnow_json)

add_library(winnow_xxhash INTERFACE)
target_include_directories(winnow_xxhash SYSTEM INTERFACE "${HDR}")
target_compile_definitions(winnow_xxhash INTERFACE XXH_INLINE_ALL)
add_library(winnow::xxhash ALIAS winnow_xxhash)

# simdjson: the single-header amalgamation (only the portable "fallback" kernel exists in wasm).
add_library(winnow_simdjson STATIC "${TP}/simdjson/singleheader/simdjson.cpp")
target_include_directories(winnow_simdjson SYSTEM PUBLIC "${TP}/simdjson/singleheader")
target_compile_options(winnow_simdjson PRIVATE "-Wno-#pragma-messages")
add_library(winnow::simdjson ALIAS winnow_simdjson)

# re2 20220601: needs no abseil.
file(GLOB RE2_SRCS "${TP}/re2/re2/*.cc" "${TP}/re2/util/*.cc")
list(FILTER RE2_SRCS EXCLUDE REGEX "(_test|_benchmark|test|benchmark|fuzzer)\\.cc$")
list(FILTER RE2_SRCS EXCLUDE REGEX "/util/(pcre|test|benchmark)\\.cc$")
add_library(winnow_re2 STATIC ${RE2_SRCS})
target_include_directories(winnow_re2 SYSTEM PUBLIC "${TP}/re2")
target_compile_options(winnow_re2 PRIVATE -Wno-everything)
add_library(winnow::re2 ALIAS winnow_re2)

# CLD2: the "full" tables, as Debian's libcld2_full.
set(CLD "${TP}/cld2/internal")
file(GLOB CLD2_ALL "${CLD}/*.cc")
set(CLD2_SRCS)
foreach(f ${CLD2_ALL})
  get_filename_component(n "${f}" NAME)
  # Skip tools, tests, the dynamic-data loader and the small-table variants (we use the full tables).
  if(n MATCHES "(test|_main|dynamic|debug_empty|cld2_dynamic|tote_test|cld_generated_cjk_uni_prop_80|cld_generated_score_quad_octa_0122|cld_generated_score_quad_octa_1024_256_full|cld2tablesummary)")
    continue()
  endif()
  list(APPEND CLD2_SRCS "${f}")
endforeach()
set(WINNOW_CLD2_SRCS ${CLD2_SRCS} CACHE INTERNAL "")
add_library(winnow_cld2 STATIC ${CLD2_SRCS})
target_include_directories(winnow_cld2 SYSTEM PUBLIC "${TP}/cld2/public" "${CLD}")
target_compile_options(winnow_cld2 PRIVATE -Wno-everything)
add_library(winnow::cld2 ALIAS winnow_cld2)

# Dear ImGui 1.86 core + GLFW / OpenGL3 backends (the page uses Emscripten's built-in GLFW).
add_library(winnow_imgui STATIC
  "${TP}/imgui/imgui.cpp" "${TP}/imgui/imgui_draw.cpp" "${TP}/imgui/imgui_tables.cpp"
  "${TP}/imgui/imgui_widgets.cpp" "${TP}/imgui/backends/imgui_impl_glfw.cpp"
  "${TP}/imgui/backends/imgui_impl_opengl3.cpp" "${TP}/imgui/misc/cpp/imgui_stdlib.cpp")
target_include_directories(winnow_imgui SYSTEM PUBLIC "${TP}/imgui" "${TP}/imgui/backends" "${TP}/imgui/misc/cpp")
target_compile_definitions(winnow_imgui PUBLIC IMGUI_IMPL_OPENGL_ES3)
target_compile_options(winnow_imgui PRIVATE -sUSE_GLFW=3 -Wno-everything)
add_library(winnow::imgui ALIAS winnow_imgui)
