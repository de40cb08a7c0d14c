// The names of attack effects, defined once: the scenario reader reads them ("effect": "wipe"),
// events.jsonl writes them for asset_compromised records and the report words them.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "cyberdrill/scenario.hpp"

namespace cyberdrill {

/// Indexed by AttackEffect::Kind.
inline constexpr std::array<std::string_view, 7> kAttackEffectNames = {"foothold", "degrade", "disrupt", "encrypt",
                                                                        "wipe",     "ddos",    "exfiltrate"};

/// The name of attack effect `kind` (a trace record's detail), or `unknown` when out of range.
[[nodiscard]] constexpr std::string_view attack_effect_name(std::uint32_t kind, std::string_view unknown = "unknown") {
  return kind < kAttackEffectNames.size() ? kAttackEffectNames[kind] : unknown;
}

[[nodiscard]] constexpr std::string_view attack_effect_name(AttackEffect::Kind kind) {
  return attack_effect_name(static_cast<std::uint32_t>(kind));
}

}  // namespace cyberdrill
