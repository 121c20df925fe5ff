# ccache with settings that hit across fresh clones at different paths:
# CCACHE_BASEDIR makes paths relative, CCACHE_NOHASHDIR drops the build dir
# from the hash (it differs per clone and -g would embed it).
find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  set(COWORK_CCACHE_ENV CCACHE_BASEDIR=${CMAKE_SOURCE_DIR} CCACHE_NOHASHDIR=true
      CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime)
  set(CMAKE_C_COMPILER_LAUNCHER ${CMAKE_COMMAND} -E env ${COWORK_CCACHE_ENV} ${CCACHE_PROGRAM})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CMAKE_COMMAND} -E env ${COWORK_CCACHE_ENV} ${CCACHE_PROGRAM})
endif()
