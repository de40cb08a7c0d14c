// Criticality ranking and sector inoperability (`cyberdrill analyze`).
//
// rank_criticality: knocks out candidate assets one at a time (own level 0 at T+0, never
// restored) and runs the real event-driven cascade (buffers, restart delays, every rule) up to the
// horizon on a fresh Simulation, measuring person-hours lost (distinct people, World's integral
// of population_unserved(), see impact.hpp), economic loss (World::economic_loss_eur), assets in
// outage and sectors with an outage at the horizon. Candidates: every asset, or the `top` assets
// by the cheap score criticality x (people served + output / EUR 100, own and of its direct
// dependents). Ranked by person-hours lost, then economic loss (ties: asset index); see
// rank_by_economic_loss() for the other order.
//
// iim_by_sector: the static Inoperability Input-Output Model between sectors, q = min(1, A* q + c*)
// with c* = perturbation on the perturbed sector, iterated to its fixed point (equal to the closed
// form (I - A*)^-1 c* while that stays in [0, 1]). A* (sector_interdependency()) is the
// output-normalised interdependency matrix built from the scenario's dependencies:
//   a*_ij = sum over assets k of sector i of (x_k / x_i) x sum over k's edges from suppliers in
//           sector j of w d / (1 + W_k),
// x_k = the asset's daily output (impact.hpp; 1 each in a sector without output), x_i = the
// sector's, w d = the edge's weight x degradation, W_k = sum of w d over all of k's edges. The
// 1 in 1 + W_k is the asset's own value added (what it does not buy from suppliers), so each
// row of A* sums to less than 1 and a small perturbation gives proportionate inoperabilities.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
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
  double population_hours = 0;    ///< lost over the horizon (distinct people)
  double economic_loss_eur = 0;   ///< lost over the horizon
  std::size_t assets_out = 0;     ///< in outage at the horizon
  std::size_t sectors_hit = 0;    ///< sectors with an asset in outage at the horizon
};

/// `progress(done, total)` is called after each knockout (may be empty).
[[nodiscard]] std::vector<CriticalityEntry> rank_criticality(
    const Scenario& scenario, const CriticalityOptions& options,
    const std::function<void(std::size_t, std::size_t)>& progress = {});

/// A*[i][j]: the output-normalised interdependency of sector i on sector j (rule above).
[[nodiscard]] std::vector<std::vector<double>> sector_interdependency(const Scenario& scenario);

/// The same entries ordered by economic loss (ties: person-hours, then asset index).
[[nodiscard]] std::vector<CriticalityEntry> rank_by_economic_loss(std::vector<CriticalityEntry> entries);

struct SectorInoperability {
  double perturbation = 0.1;
  std::vector<std::vector<double>> a_star;  ///< sector_interdependency()
  /// response[s][t]: inoperability of sector t when sector s is perturbed.
  std::vector<std::vector<double>> response;
  std::vector<std::size_t> sweeps;  ///< Jacobi sweeps used per perturbed sector (change < 1e-12)
};

[[nodiscard]] SectorInoperability iim_by_sector(const Scenario& scenario, double perturbation = 0.1);

/// What `analyze --json` prints (written by the output room, sim/output/analysis_writer.cpp): one
/// indented JSON object with "scenario" (the path as given), "horizon", "candidates", "ranking"
/// (rank, asset, sector, population_hours_lost, assets_out, sectors_hit, downstream, score,
/// economic_loss_eur), "ranking_by_economic_loss" and "iim" (perturbation, a_star, response).
[[nodiscard]] std::string analysis_report_json(const Scenario& scenario, const std::string& scenario_path,
                                               Duration horizon, const std::vector<CriticalityEntry>& ranking,
                                               const SectorInoperability& iim);

}  // namespace cyberdrill
