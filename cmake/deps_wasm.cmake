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
foreach(h nlohmann xxhash.h xxh3.h CLI)
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

# CLD2: exactly the source set of Debian's libcld2.so.0 (what the native build links): the code
# plus the "chrome" (small) tables of upstream compile_libs.sh. Verified against the installed
# library's table-size symbols (kQuadChromeIndSize 59652, kDeltaOctaIndSize 988,
# kDistinctOctaIndSize 75, kCjkDeltaBiIndSize 34) and its kAvgDeltaOctaScore row 95 (the _2 file).
# Debian's libcld2_full.so.0 holds only the "full" tables and is not linked natively, so wasm must
# not compile the 0122 / 0527 tables either, or the two builds would detect differently.
set(CLD "${TP}/cld2/internal")
set(CLD2_SRCS)
foreach(n cldutil cldutil_shared compact_lang_det compact_lang_det_hint_code compact_lang_det_impl
          debug fixunicodevalue generated_entities generated_language generated_ulscript
          getonescriptspan lang_script offsetmap scoreonescriptspan tote utf8statetable
          cld_generated_cjk_uni_prop_80 cld2_generated_cjk_compatible cld_generated_cjk_delta_bi_4
          generated_distinct_bi_0 cld2_generated_quadchrome_2 cld2_generated_deltaoctachrome
          cld2_generated_distinctoctachrome cld_generated_score_quad_octa_2)
  list(APPEND CLD2_SRCS "${CLD}/${n}.cc")
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
