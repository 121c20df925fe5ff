// elicitation_answer.hpp — the answer to a server's elicitation/create,
// checked and completed before it goes back (SEP-1034): an accepted answer
// gets every property it omits that has a `default` in `requestedSchema`
// (string, integer, number, boolean, enum), and the values given are checked
// loosely against the declared primitive types, so a wrong type becomes an
// error the server reads instead of data it would choke on.
#pragma once

#include <nlohmann/json.hpp>

namespace cowork::mcp {

// `request_params`: the elicitation/create params ({message, requestedSchema}).
// `answer`: {action, content?} from whoever answered. Returns the answer to
// send. Throws sdk::Error (invalid) naming the property or the action at fault.
nlohmann::json complete_elicitation_answer(const nlohmann::json& request_params, nlohmann::json answer);

}  // namespace cowork::mcp
