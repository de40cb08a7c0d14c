// The JSON name of a dependency type, defined once for every writer and reader of text that
// names one (the generated scenario file, the causal chain's panel lines).
#pragma once

#include "cyberdrill/scenario.hpp"

namespace cyberdrill {

/// "power", "telecom", ...: as the scenario format spells the dependency's "type".
[[nodiscard]] constexpr const char* dependency_type_name(DependencyType t) {
  switch (t) {
    case DependencyType::power: return "power";
    case DependencyType::telecom: return "telecom";
    case DependencyType::data: return "data";
    case DependencyType::fuel: return "fuel";
    case DependencyType::control: return "control";
    case DependencyType::logical: return "logical";
    case DependencyType::water: return "water";
  }
  return "logical";
}

}  // namespace cyberdrill
