# Native dependencies, all from Debian packages (scripts/setup.sh installs them).
find_package(PkgConfig REQUIRED)
find_package(simdjson REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(Threads REQUIRED)
find_package(ZLIB REQUIRED)
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
