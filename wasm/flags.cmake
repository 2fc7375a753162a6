# Every -s / wasm-specific flag of the web build lives here (DESIGN.md "Layout").
# Facts behind them: ../shared/TOOLCHAIN.md.
set(WINNOW_WASM_COMPILE_FLAGS -fwasm-exceptions)
add_compile_options(-fwasm-exceptions)
add_link_options(-fwasm-exceptions)

# The threaded web studio (winnow_studio_mt, loaded by the page when it is cross-origin isolated)
# is a second build tree configured with WINNOW_WASM_THREADS=ON: every object, third-party ones
# included, must be compiled with -pthread (emcc 3.1.6 silently links mixed objects).
option(WINNOW_WASM_THREADS "Build the web studio with pthreads (a separate build tree)" OFF)
if(WINNOW_WASM_THREADS)
  add_compile_options(-pthread)
  add_link_options(-pthread)
endif()

# Tests and the CLI-like test tools run under Node with the real filesystem.
set(WINNOW_WASM_NODE_LINK_FLAGS
    -sWASM_ASYNC_COMPILATION=0 -sNODERAWFS=1 -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=4GB
    -sTOTAL_STACK=4MB -sEXIT_RUNTIME=1)

# The web studio page.
set(WINNOW_WASM_PAGE_LINK_FLAGS
    -sUSE_GLFW=3 -sUSE_WEBGL2=1 -sFULL_ES3=1 -sMIN_WEBGL_VERSION=2 -sMAX_WEBGL_VERSION=2
    -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=4GB -sTOTAL_STACK=4MB
    -sEXPORTED_RUNTIME_METHODS=ccall,cwrap,UTF8ToString,stringToUTF8,lengthBytesUTF8
    -sMODULARIZE=0 -sENVIRONMENT=web,worker)
# One pooled worker for the pipeline run: created at start-up, so starting a run never waits for
# the main thread to return to the browser's event loop. Memory still grows (the heap a 1 GB file
# needs is not reserved up front); web/studio.js refreshes its heap views when a worker grew it.
set(WINNOW_WASM_PAGE_THREAD_LINK_FLAGS -sPTHREAD_POOL_SIZE=1 -Wno-pthreads-mem-growth)

function(winnow_wasm_node_executable t)
  target_link_options(${t} PRIVATE ${WINNOW_WASM_NODE_LINK_FLAGS})
endfunction()

# CMake's Emscripten platform does not define the WHOLE_ARCHIVE link feature; wasm-ld supports it.
set(CMAKE_CXX_LINK_LIBRARY_USING_WHOLE_ARCHIVE "LINKER:--whole-archive" "<LINK_ITEM>" "LINKER:--no-whole-archive")
set(CMAKE_CXX_LINK_LIBRARY_USING_WHOLE_ARCHIVE_SUPPORTED TRUE)
