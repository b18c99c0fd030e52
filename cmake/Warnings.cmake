# Applied per target through perfleak_set_warnings() so that third-party headers are not
# compiled with our flags.
set(PERFLEAK_WARNING_FLAGS
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wold-style-cast -Wdouble-promotion)

function(perfleak_set_warnings target)
  target_compile_options(${target} PRIVATE ${PERFLEAK_WARNING_FLAGS})
  if(PERFLEAK_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
