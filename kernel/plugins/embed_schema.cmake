# Build-time: embeds manifests/cowork.plugin.schema.json into a .cpp so the
# kernel can validate manifests even when the installed schema file is gone.
# Usage: cmake -DIN=<schema.json> -DOUT=<file.cpp> -P embed_schema.cmake
file(READ ${IN} _schema)
set(_delim "cw_schema")  # raw-string delimiters are at most 16 characters
string(FIND "${_schema}" ")${_delim}\"" _clash)
if(NOT _clash EQUAL -1)
  message(FATAL_ERROR "schema text contains the raw-string delimiter")
endif()
file(WRITE ${OUT}.tmp "// Generated from ${IN} by embed_schema.cmake. Do not edit.\n"
  "namespace cowork::kernel::plugins {\n"
  "const char* embedded_manifest_schema() {\n"
  "    return R\"${_delim}(${_schema})${_delim}\";\n"
  "}\n"
  "}  // namespace cowork::kernel::plugins\n")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUT}.tmp)
