# Generates version.hpp with the project version and the git commit the build was made from.
# The commit is read at build time (not configure time), so a rebuild after a commit reports it.
set(CYBERDRILL_VERSION_IN ${CMAKE_CURRENT_LIST_DIR}/version.hpp.in)
set(CYBERDRILL_VERSION_OUT ${CMAKE_BINARY_DIR}/generated/cyberdrill/version.hpp)
add_custom_target(cyberdrill_version
  COMMAND ${CMAKE_COMMAND} -DIN=${CYBERDRILL_VERSION_IN} -DOUT=${CYBERDRILL_VERSION_OUT}
          -DSRC=${CMAKE_SOURCE_DIR} -DVERSION=${PROJECT_VERSION}
          -P ${CMAKE_CURRENT_LIST_DIR}/WriteVersion.cmake
  BYPRODUCTS ${CYBERDRILL_VERSION_OUT}
  COMMENT "Stamping version and git commit")
