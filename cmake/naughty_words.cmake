# The multilingual bad-word lists of the `naughty-words` npm package (node_modules/, installed by
# scripts/setup.sh, never committed), embedded into winnow_filters for filter.toxicity's second
# signal. Without the package the table is empty and the step says so when asked to use the lists.
file(GLOB WINNOW_NAUGHTY_JSON CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/node_modules/naughty-words/*.json")
list(FILTER WINNOW_NAUGHTY_JSON EXCLUDE REGEX "/(package|package-lock|bower)\\.json$")
set(naughty_entries)
foreach(p ${WINNOW_NAUGHTY_JSON})
  get_filename_component(lang "${p}" NAME_WE)
  list(APPEND naughty_entries "${lang}=${p}")
endforeach()
set(WINNOW_NAUGHTY_CPP "${CMAKE_BINARY_DIR}/generated/naughty_words.cpp")
add_custom_command(
  OUTPUT "${WINNOW_NAUGHTY_CPP}"
  COMMAND ${CMAKE_COMMAND} "-DOUT=${WINNOW_NAUGHTY_CPP}" "-DFILES=${naughty_entries}"
          -P "${CMAKE_SOURCE_DIR}/cmake/embed_word_lists.cmake"
  DEPENDS ${WINNOW_NAUGHTY_JSON} "${CMAKE_SOURCE_DIR}/cmake/embed_word_lists.cmake"
  COMMENT "Embedding the naughty-words lists"
  VERBATIM)
target_sources(winnow_filters PRIVATE "${WINNOW_NAUGHTY_CPP}")
