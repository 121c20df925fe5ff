/* Compiled as C11 with -pedantic -Werror: proves abi.h is a real C header. */
#include <cowork/abi.h>

_Static_assert(sizeof(cowork_sink) == 3 * sizeof(void*), "cowork_sink layout");
_Static_assert(sizeof(cowork_plugin_entry) == 8 + 3 * sizeof(void*), "entry layout");
_Static_assert(COWORK_ABI_MAJOR == 1, "ABI major");
