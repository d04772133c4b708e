# Makes OUT (man page) from IN by putting the KEYS section from the binary
# in place of @KEYS@, and MD (docs/keys.md) from the same table.
execute_process(COMMAND ${BIN} --lang en keys --format man OUTPUT_VARIABLE keys
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "guanjia keys failed")
endif()
execute_process(COMMAND ${BIN} --lang en keys --format md OUTPUT_VARIABLE md RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "guanjia keys failed")
endif()
file(READ ${IN} page)
string(REPLACE "@KEYS@\n" "${keys}" page "${page}")
string(REPLACE "@VERSION@" "${VERSION}" page "${page}")
get_filename_component(dir ${OUT} DIRECTORY)
file(MAKE_DIRECTORY ${dir})
file(WRITE ${OUT} "${page}")
file(WRITE ${MD} "${md}")
