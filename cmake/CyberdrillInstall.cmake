# Install layout (GNUInstallDirs) and the Debian package (CPack DEB).
#
#   bin/cyberdrill                                   the binary
#   share/cyberdrill/scenarios/                      tutorial.json, belgium/ (the library), schema/
#                                                    (found at run time: cyberdrill/library_path.hpp)
#   share/man/man1/cyberdrill.1.gz                   generated from --help by help2man at build time,
#                                                    ASCII roff (\(em), gzip -9n (Debian policy 12.1)
#   share/bash-completion/completions/cyberdrill     subcommands, options, scenario ids, decision ids
#   share/doc/cyberdrill/                            README.md, ARCHITECTURE.md, bench/README.md and
#                                                    docs/ (the guides, docs/img, docs/worked-study):
#                                                    the source tree's layout, so the README's relative
#                                                    links resolve in the install (tests/install),
#                                                    and changelog.gz (packaging/changelog)
#
# The binary reads no other data file at run time except the DejaVu fonts of Debian's
# fonts-dejavu-core (viz/canvas.cpp), which the package depends on instead of shipping them.
include(GNUInstallDirs)
# `cmake --install`, `ninja install` and cpack install what is built; they do not build the whole
# tree (tests, benchmarks) first. scripts/package.sh builds the two targets installed.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

install(TARGETS cyberdrill RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/scenarios/ DESTINATION ${CMAKE_INSTALL_DATADIR}/cyberdrill/scenarios
        FILES_MATCHING PATTERN "*.json")
install(FILES ${PROJECT_SOURCE_DIR}/packaging/cyberdrill.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME cyberdrill)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/ARCHITECTURE.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${PROJECT_SOURCE_DIR}/bench/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR}/bench)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs DESTINATION ${CMAKE_INSTALL_DOCDIR})
# Debian policy 12.7: a native package's changelog is share/doc/PACKAGE/changelog.gz (gzip -9n),
# compressed at configure time so that every install has it, whatever targets were built.
set(CYBERDRILL_CHANGELOG_GZ ${CMAKE_BINARY_DIR}/packaging/changelog.gz)
file(MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/packaging)
execute_process(COMMAND gzip -9n -c ${PROJECT_SOURCE_DIR}/packaging/changelog
                OUTPUT_FILE ${CYBERDRILL_CHANGELOG_GZ} RESULT_VARIABLE cyberdrill_gzip_result)
if(NOT cyberdrill_gzip_result EQUAL 0)
  message(FATAL_ERROR "gzip -9n packaging/changelog failed: ${cyberdrill_gzip_result}")
endif()
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/packaging/changelog)
install(FILES ${CYBERDRILL_CHANGELOG_GZ} DESTINATION ${CMAKE_INSTALL_DOCDIR})

# The man page: help2man over `cyberdrill --help`, `--version` and every subcommand's --help
# (packaging/make-manpage.sh), rebuilt whenever the binary changes. Without help2man (Debian
# package help2man, in scripts/setup.sh) the page is skipped with a warning.
find_program(CYBERDRILL_HELP2MAN help2man)
if(CYBERDRILL_HELP2MAN)
  # make-manpage.sh writes man/cyberdrill.1 (ASCII-only roff) and man/cyberdrill.1.gz (gzip -9n);
  # the compressed page is the one installed.
  set(CYBERDRILL_MANPAGE ${CMAKE_BINARY_DIR}/man/cyberdrill.1)
  add_custom_command(OUTPUT ${CYBERDRILL_MANPAGE} ${CYBERDRILL_MANPAGE}.gz
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man
    COMMAND bash ${PROJECT_SOURCE_DIR}/packaging/make-manpage.sh $<TARGET_FILE:cyberdrill> ${CYBERDRILL_MANPAGE}
    DEPENDS cyberdrill ${PROJECT_SOURCE_DIR}/packaging/make-manpage.sh
    COMMENT "Generating the man page with help2man")
  add_custom_target(cyberdrill_manpage ALL DEPENDS ${CYBERDRILL_MANPAGE}.gz)
  install(FILES ${CYBERDRILL_MANPAGE}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
  message(WARNING "help2man not found: no man page (apt-get install help2man)")
endif()

# cpack -G DEB: cyberdrill_<version>_<arch>.deb. Library dependencies come from dpkg-shlibdeps
# (SFML, spdlog, fmt, Boost, OpenMPI when built with MPI); the fonts and the time zone database are
# read at run time, so they are named here.
set(CPACK_PACKAGE_NAME cyberdrill)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "cyberdrill maintainers <cyberdrill@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "National cyber exercise simulator")
# Debian's extended description: lines of at most 80 columns (lintian
# extended-description-line-too-long), so the text is broken here by hand.
set(CPACK_PACKAGE_DESCRIPTION "One discrete-event clock runs an attacker's campaign, the cascade it causes
through a country's critical-infrastructure dependency graph, and the national
response plan's procedures. Ships a fictional Belgium library, exercises, the
JSON Schema, a man page and bash completion.")
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "fonts-dejavu-core, tzdata")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "xvfb, xauth, libgl1-mesa-dri, bash-completion")
set(CPACK_STRIP_FILES ON)
include(CPack)
