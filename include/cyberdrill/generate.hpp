// Synthetic, sector-structured national infrastructure for scale studies (`cyberdrill generate`).
//
// The country is cut into regions of about 400 assets. Each asset has a kind (transmission and
// distribution substations, gas supply, core telecom and data centres, mobile radio sites, fixed
// broadband, payment processors, ATMs, hospitals, water pumping, rail signalling, government
// portals, 112 call centres), in fixed shares. Its dependencies follow a per-kind template
// (supplier kind, dependency type, buffer range, degradation, restart) with the buffers of
// DOMAIN.md (mobile sites 1-3 h on power, fixed broadband 0 h, core telecom and data centres 12-48 h,
// hospitals 96 h, telecom -> payments/ATMs/112 immediate, telecom -> grid SCADA a partial loss of
// 20 %, gas -> power 12-48 h of line-pack); suppliers are drawn in the asset's own region when it
// has one of that kind. The number of dependencies per asset is floor(z) or floor(z) + 1 with
// mean z (the template first, then further feeds of the template's kinds), each of linear weight
// 0.8 / (its count), so the IIM matrix is a contraction. Operators: one organisation per sector and
// group of 20 regions. Everything is drawn from RandomStream(seed, "generate", ...): the scenario
// is a pure function of (assets, mean degree, seed).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <ostream>

#include "cyberdrill/scenario.hpp"

namespace cyberdrill {

struct GenerateOptions {
  std::size_t assets = 1000;
  double mean_degree = 3.0;  ///< mean number of dependencies per asset, >= 0
  std::uint64_t seed = 1;
};

/// Throws std::invalid_argument for assets == 0, assets >= 2^32 - 1, or a negative/non-finite
/// mean degree.
[[nodiscard]] Scenario generate_infrastructure(const GenerateOptions& options);

/// Called every 100,000 assets written with (assets written, assets in all).
using GenerateProgress = std::function<void(std::size_t, std::size_t)>;

/// Streams `scenario`'s infrastructure (metadata, sectors, areas, operators, assets with their
/// dependencies) and an empty response plan as a scenario file that validates on its own; the same
/// scenario always gives the same bytes. Implemented in the output room
/// (sim/output/generated_scenario_writer.cpp); the caller checks the stream and renames into place.
void write_generated_scenario(std::ostream& out, const Scenario& scenario, const GenerateProgress& progress = {});

}  // namespace cyberdrill
