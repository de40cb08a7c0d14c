// Deliberately wrong: the output room reaches into the input room's private header.
#include <nlohmann/json.hpp>
#include "writer.hpp"
#include "../input/composition.hpp"
