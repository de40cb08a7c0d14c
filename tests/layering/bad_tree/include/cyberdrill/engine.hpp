// A deliberate violation: the engine header pulls in the cyber record kinds.
#include "cyberdrill/trace.hpp"
