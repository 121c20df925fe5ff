# Writes the shell completion scripts the cowork CLI generates from its
# command table: cmake -DCOWORK=<cowork binary> -DOUT=<share dir> -P write_completions.cmake
foreach(_pair "bash;bash-completion/completions/cowork" "zsh;zsh/site-functions/_cowork"
              "fish;fish/vendor_completions.d/cowork.fish")
  list(GET _pair 0 _shell)
  list(GET _pair 1 _file)
  get_filename_component(_dir "${OUT}/${_file}" DIRECTORY)
  file(MAKE_DIRECTORY "${_dir}")
  execute_process(COMMAND "${COWORK}" completion ${_shell} OUTPUT_FILE "${OUT}/${_file}" RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "cowork completion ${_shell} failed (${_rc})")
  endif()
endforeach()
