# Helpers shared by both builds.

# winnow_component(NAME DIRS dir... DEPS target...): static library winnow_NAME from every .cpp
# in DIRS. An empty component is an INTERFACE library so others can depend on it before it has code.
function(winnow_component name)
  cmake_parse_arguments(C "" "" "DIRS;DEPS" ${ARGN})
  set(srcs)
  foreach(d ${C_DIRS})
    file(GLOB s CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/${d}/*.cpp")
    list(APPEND srcs ${s})
  endforeach()
  if(srcs)
    add_library(winnow_${name} STATIC ${srcs})
    target_include_directories(winnow_${name} PUBLIC "${CMAKE_SOURCE_DIR}/src")
    target_link_libraries(winnow_${name} PUBLIC ${C_DEPS})
    winnow_warnings(winnow_${name})
  else()
    add_library(winnow_${name} INTERFACE)
    target_include_directories(winnow_${name} INTERFACE "${CMAKE_SOURCE_DIR}/src")
    target_link_libraries(winnow_${name} INTERFACE ${C_DEPS})
  endif()
endfunction()

function(winnow_warnings t)
  target_compile_options(${t} PRIVATE -Wall -Wextra -Wno-unused-parameter)
endfunction()
