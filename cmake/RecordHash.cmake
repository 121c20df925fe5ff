# Writes "<sha256>  <file name>" for a built plugin library: the record the
# kernel checks before it lets dlopen near the file.
file(SHA256 ${LIB} _h)
get_filename_component(_n ${LIB} NAME)
file(WRITE ${OUT} "${_h}  ${_n}\n")
