# A picky warning set, in the spirit of curl's CMake/PickyWarnings.cmake.
# Warnings are errors everywhere in this project.
set(MTK_PICKY_FLAGS
  -Wall -Wextra -Werror -pedantic
  -Wshadow -Wconversion -Wsign-conversion -Wformat=2 -Wformat-security
  -Wstrict-prototypes -Wmissing-prototypes -Wold-style-definition
  -Wcast-qual -Wpointer-arith -Wundef -Wvla -Wwrite-strings
  -Wnull-dereference -Wdouble-promotion -Wimplicit-fallthrough
  -Wmissing-declarations -Wredundant-decls
)
if(CMAKE_C_COMPILER_ID STREQUAL "GNU")
  list(APPEND MTK_PICKY_FLAGS -Wlogical-op -Wduplicated-cond -Wduplicated-branches -Wjump-misses-init)
endif()

function(mtk_picky target)
  target_compile_options(${target} PRIVATE ${MTK_PICKY_FLAGS})
endfunction()
