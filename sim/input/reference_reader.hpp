// JSON "reference" -> Reference (include/cyberdrill/scenario.hpp): an exercise's acceptance bands.
// Private to sim/input; called once by the scenario reader.
#pragma once

#include "composition.hpp"
#include "cyberdrill/scenario.hpp"

namespace cyberdrill::io {

/// Reads `v` (the merged document's "/reference", or nullptr when absent) into `out`, reporting
/// every problem into `c` as an error at its JSON pointer (file:line:col: /reference/...: message).
void read_reference(Composition& c, const Value* v, Reference& out);

}  // namespace cyberdrill::io
