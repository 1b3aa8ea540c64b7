# fuzz/options.cmake - compile options for -DLSR_FUZZ=ON, included by the
# top-level CMakeLists.txt before any target: libFuzzer needs every
# library instrumented for coverage (-fsanitize=fuzzer-no-link), with
# AddressSanitizer and UndefinedBehaviorSanitizer on, and only clang has
# it (Debian: apt-get install clang libclang-rt-14-dev).
if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "-DLSR_FUZZ=ON needs clang: configure with -DCMAKE_C_COMPILER=clang "
    "(Debian packages clang and libclang-rt-14-dev), or run 'make fuzz'")
endif()
if(LSR_SANITIZE)
  message(FATAL_ERROR "-DLSR_FUZZ=ON brings its own sanitizers: leave LSR_SANITIZE off")
endif()
add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
                    -fno-omit-frame-pointer)
add_link_options(-fsanitize=address,undefined)
