# Applied per target through perfleak_set_warnings() so that third-party headers are not
# compiled with our flags.
set(PERFLEAK_WARNING_FLAGS
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wold-style-cast -Wdouble-promotion)

# g++ 12 at -O3 reports `"literal" + std::string&&` as an overlapping memcpy (GCC bug 105329,
# fixed in 13): a false positive in libstdc++'s inlined code, not in ours.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  list(APPEND PERFLEAK_WARNING_FLAGS -Wno-restrict)
endif()

function(perfleak_set_warnings target)
  target_compile_options(${target} PRIVATE ${PERFLEAK_WARNING_FLAGS})
  if(PERFLEAK_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
