// The state of a recorded run at one moment, rebuilt from its trace records. No SFML: pure
// functions of (scenario, records), unit-testable without a display.
//
// Contract
//  - Records are taken in emission order (which is time order); every record with time <= `at`
//    is applied, so a snapshot at T shows the state after everything that happened at T settled.
//  - level: the true service level of each asset (asset_level records; 1 before the first).
//  - compromised: an attack step succeeded on the asset at or before T (asset_compromised). The
//    attack model never evicts the attacker, so the flag stays set once raised.
//  - contained: the response contained or isolated the asset at or before T (asset_contained).
//  - believed: what the observer organisation knew at T (knowledge records with actor =
//    observer: value = believed level); nullopt where it knew nothing of the asset.
//  - population_affected: distinct people lacking an essential service (ImpactModel,
//    include/cyberdrill/impact.hpp), as the run's population_affected metric counts them.
//  - escalation: the plan level index in force at T (escalated/deescalated records), kNone
//    before the first escalation.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "cyberdrill/run.hpp"
#include "cyberdrill/scenario.hpp"
#include "cyberdrill/time.hpp"

namespace cyberdrill::viz {

struct Snapshot {
  SimTime at;
  Index observer = kNone;
  std::vector<double> level;
  std::vector<std::uint8_t> compromised;
  std::vector<std::uint8_t> contained;
  std::vector<std::optional<double>> believed;
  double population_affected = 0;
  std::size_t below_full = 0;   ///< assets below full service (level < 0.99)
  std::size_t in_outage = 0;    ///< assets in outage (level < 0.5)
  std::size_t known_below_full = 0;  ///< assets the observer believed below full service
  Index escalation = kNone;
};

/// Level at or above which an asset is at full service (response.hpp: "Full service").
inline constexpr double kFullService = 0.99;

/// The organisation whose knowledge the "known" view shows: the one that emitted `triaged`
/// records for scenario incidents (the triage organisation), else the one that triaged anything,
/// else the first organisation of kind csirt, else kNone.
[[nodiscard]] Index observer_org(const Scenario& scenario, const std::vector<TraceRecord>& records);

/// The state at `at` as the records tell it; `observer` may be kNone (believed all nullopt).
[[nodiscard]] Snapshot snapshot_at(const Scenario& scenario, const std::vector<TraceRecord>& records, SimTime at,
                                   Index observer);

struct Peak {
  SimTime at;                ///< first instant at which the maximum was reached (T+0 if never > 0)
  double population = 0;     ///< population affected then (settled at the end of that instant)
};

/// The moment of peak population affected, evaluated after each instant's records settled.
[[nodiscard]] Peak peak_population(const Scenario& scenario, const std::vector<TraceRecord>& records);

}  // namespace cyberdrill::viz
