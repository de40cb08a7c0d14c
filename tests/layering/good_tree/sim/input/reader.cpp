// The input room may use JSON and its own headers.
#include <nlohmann/json.hpp>
#include "cyberdrill/scenario_io.hpp"
