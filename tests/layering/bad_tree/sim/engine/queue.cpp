// A deliberate layering violation for the layering check's own test: the engine uses JSON and
// reaches into the world's private header.
#include <nlohmann/json.hpp>

#include "cyberdrill/world.hpp"
#include "../world/world_impl.hpp"
