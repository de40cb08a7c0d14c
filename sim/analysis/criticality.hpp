// Criticality ranking and sector inoperability (`cyberdrill analyze`).
//
// rank_criticality: knocks out candidate assets one at a time (own level 0 at T+0, never
// restored) and runs the real event-driven cascade (buffers, restart delays, every rule) up to the
// horizon on a fresh Simulation, measuring population-hours lost (the World's integral of
// population x (1 - level), see world.hpp), assets in outage and sectors with an outage at the
// horizon. Candidates: every asset, or the `top` assets by the cheap score
// criticality x (own population + population of its direct dependents). Ranked by
// population-hours lost (ties: asset index).
//
// iim_by_sector: the static Inoperability Input-Output Model over the asset graph with the
// scenario's weights (a_ij = weight x degradation of the edge j -> i, whatever the asset's rule):
// for each sector S, every asset of S gets perturbation c, and q = min(1, A q + c) is iterated to
// its fixed point (Jacobi, until the largest change is below 1e-10, at most 10,000 sweeps); the
// result is the mean inoperability of each sector's assets.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "cyberdrill/scenario.hpp"
#include "cyberdrill/time.hpp"

namespace cyberdrill {

struct CriticalityOptions {
  std::size_t top = 20;  ///< 0 = knock out every asset
  Duration horizon = Duration::days(3);
};

struct CriticalityEntry {
  Index asset = kNone;
  double score = 0;               ///< the cheap pre-selection score
  std::size_t downstream = 0;     ///< assets reachable along dependencies (the asset included)
  double population_hours = 0;    ///< lost over the horizon
  std::size_t assets_out = 0;     ///< in outage at the horizon
  std::size_t sectors_hit = 0;    ///< sectors with an asset in outage at the horizon
};

/// `progress(done, total)` is called after each knockout (may be empty).
[[nodiscard]] std::vector<CriticalityEntry> rank_criticality(
    const Scenario& scenario, const CriticalityOptions& options,
    const std::function<void(std::size_t, std::size_t)>& progress = {});

struct SectorInoperability {
  double perturbation = 0.1;
  /// response[s][t]: mean inoperability of sector t's assets when sector s is perturbed.
  std::vector<std::vector<double>> response;
  std::vector<std::size_t> sweeps;  ///< Jacobi sweeps used per perturbed sector
};

[[nodiscard]] SectorInoperability iim_by_sector(const Scenario& scenario, double perturbation = 0.1);

}  // namespace cyberdrill
