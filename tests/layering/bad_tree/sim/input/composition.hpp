// A private header of the input room.
#pragma once
#include <nlohmann/json.hpp>
