# The studio UI library (src/ui): App::Frame() and its views, shared by the desktop (native/studio)
# and web (wasm/studio) front ends. A UI font from fonts-dejavu-core, the pipeline presets from
# assets/presets, the synthesis price table and the GLSL of shaders/ are embedded at build time into
# a generated .cpp in the build folder.
set(WINNOW_UI_FONT_DIR "/usr/share/fonts/truetype/dejavu" CACHE PATH "Where fonts-dejavu-core installed its TTFs")
# The fallback font for characters DejaVu lacks (CJK: Droid Sans Fallback, fonts-droid-fallback),
# not embedded (4 MB): the desktop reads it from here when data needs it, the page fetches the copy
# that studio_dist puts in dist/fonts/ from its own origin.
set(WINNOW_FALLBACK_FONT "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf" CACHE FILEPATH
    "TTF with the CJK glyphs the studio adds to its atlas on demand (fonts-droid-fallback)")
if(NOT EXISTS "${WINNOW_FALLBACK_FONT}")
  message(WARNING "${WINNOW_FALLBACK_FONT} missing (apt-get install fonts-droid-fallback): CJK text draws as U+FFFD")
endif()
file(GLOB WINNOW_PRESETS CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/assets/presets/*.json")
set(embed_files "DejaVuSans.ttf=${WINNOW_UI_FONT_DIR}/DejaVuSans.ttf"
                "DejaVuSansMono.ttf=${WINNOW_UI_FONT_DIR}/DejaVuSansMono.ttf")
set(embed_deps "${WINNOW_UI_FONT_DIR}/DejaVuSans.ttf" "${WINNOW_UI_FONT_DIR}/DejaVuSansMono.ttf")
# The synthesis panel's starting price table (editable in the panel).
list(APPEND embed_files "synth/prices.json=${CMAKE_SOURCE_DIR}/assets/synth/prices.json")
list(APPEND embed_deps "${CMAKE_SOURCE_DIR}/assets/synth/prices.json")
foreach(p ${WINNOW_PRESETS})
  get_filename_component(n "${p}" NAME)
  list(APPEND embed_files "presets/${n}=${p}")
  list(APPEND embed_deps "${p}")
endforeach()
file(GLOB WINNOW_SHADERS CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/shaders/*.vert" "${CMAKE_SOURCE_DIR}/shaders/*.frag")
foreach(p ${WINNOW_SHADERS})
  get_filename_component(n "${p}" NAME)
  list(APPEND embed_files "shaders/${n}=${p}")
  list(APPEND embed_deps "${p}")
endforeach()
set(WINNOW_UI_RESOURCES "${CMAKE_BINARY_DIR}/generated/ui_resources.cpp")
add_custom_command(
  OUTPUT "${WINNOW_UI_RESOURCES}"
  COMMAND ${CMAKE_COMMAND} "-DOUT=${WINNOW_UI_RESOURCES}" "-DFILES=${embed_files}"
          -P "${CMAKE_SOURCE_DIR}/cmake/embed.cmake"
  DEPENDS ${embed_deps} "${CMAKE_SOURCE_DIR}/cmake/embed.cmake"
  COMMENT "Embedding the studio font, presets and shaders"
  VERBATIM)

winnow_component(ui DIRS src/ui DEPS winnow_steps winnow::imgui winnow::re2 winnow::json)
target_sources(winnow_ui PRIVATE "${WINNOW_UI_RESOURCES}")
