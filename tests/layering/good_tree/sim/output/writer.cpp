// The output room may use JSON and the input room's public API.
#include <nlohmann/json.hpp>
#include "cyberdrill/scenario_io.hpp"
#include "cyberdrill/batch_writer.hpp"
