// file_tools.hpp — each group of tool.files registers its tools here.
#pragma once

#include "cowork_tools/tool_set.hpp"

namespace cowork::tools::files {

void add_read_tools(ToolSet& tools);     // read_file, read_files
void add_write_tools(ToolSet& tools);    // write_file, copy_file
void add_manage_tools(ToolSet& tools);   // rename_file, delete_file, create_directory
void add_listing_tools(ToolSet& tools);  // list_directory, file_info

}  // namespace cowork::tools::files
