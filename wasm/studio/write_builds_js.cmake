# Writes DIST/studio_builds.js, which tells web/studio_loader.js whether this dist/ holds the threaded
# build, so the page never asks the server for a file that is not there. Run by studio_dist and
# studio_dist_mt (whichever runs last sees both builds). Usage: cmake -DDIST=<dir> -P write_builds_js.cmake
if(EXISTS "${DIST}/winnow_studio_mt.js" AND EXISTS "${DIST}/winnow_studio_mt.wasm")
  set(has_mt true)
else()
  set(has_mt false)
endif()
file(WRITE "${DIST}/studio_builds.js.tmp"
     "// Generated when dist/ is assembled: which builds of the studio this site serves.\nwindow.winnowThreadedBuild = ${has_mt};\n")
file(COPY_FILE "${DIST}/studio_builds.js.tmp" "${DIST}/studio_builds.js" ONLY_IF_DIFFERENT)
file(REMOVE "${DIST}/studio_builds.js.tmp")
