// Private representation of a World, shared by sim/world and the cascade model (sim/models).
//
// Layout, chosen for the cascade's hot loop (a supplier's level changed: scan its out-edges):
//  - `graph`: Boost.Graph compressed_sparse_row_graph, supplier -> dependent, 32-bit indices. Its
//    edge index k (position in the CSR, edges grouped by supplier, then by dependent, then by the
//    dependent's depends_on order) indexes every per-edge array below, so a supplier's out-edges
//    are one contiguous range of `edges`.
//  - `edges`: what the scan reads and writes per edge (degradation, weight, buffer, the perceived
//    level and the pending-event kind): 40 bytes, sequential for one supplier.
//  - `edge_cold`: touched only when an event is scheduled or cancelled.
//  - `nodes`: per asset, what a re-evaluation reads (48 bytes).
//  - `in_offset`/`in_edge`: per dependent, its edges' indices in depends_on order (the reverse
//    index used by the all/any/linear rules and by fail-over).
#pragma once

#include <boost/graph/compressed_sparse_row_graph.hpp>

#include <cstdint>
#include <vector>

#include "cyberdrill/world.hpp"

namespace cyberdrill {

namespace world_detail {

enum NodeFlag : std::uint8_t { kQueued = 1, kDiim = 2, kContained = 4, kIsolated = 8 };
enum Pending : std::uint8_t { kNoPending = 0, kPendingDrop = 1, kPendingRestart = 2 };

struct Node {
  double level = 1.0;
  double failed_weight = 0.0;  ///< threshold rule: weight of inputs perceived below 0.5
  double fail_at = 0.0;        ///< threshold rule: phi x total weight, minus a 1e-9 tolerance
  double own = 1.0;            ///< minimum imposed level
  Cause cause;                 ///< cause of the latest queued re-evaluation
  std::uint32_t touched_epoch = 0;
  CombineRule rule = CombineRule::all;
  std::uint8_t flags = 0;
};

struct EdgeHot {
  double degradation = 1.0;
  double weight = 1.0;
  double perceived = 1.0;
  std::int64_t buffer_us = 0;
  std::uint8_t pending = kNoPending;
  std::uint8_t failed_over = 0;
};

struct EdgeCold {
  EventId pending_id;
  std::int64_t restart_us = 0;
  DependencyType type = DependencyType::logical;
};

struct Imposition {
  Cause cause;
  double level = 1.0;
};

using Graph = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                                 boost::no_property, std::uint32_t, std::uint32_t>;

}  // namespace world_detail

struct World::Impl {
  world_detail::Graph graph;
  std::vector<world_detail::EdgeHot> edges;
  std::vector<world_detail::EdgeCold> edge_cold;
  std::vector<std::uint32_t> edge_source;
  std::vector<std::uint32_t> edge_target;
  std::vector<std::uint32_t> in_offset;  ///< size n + 1
  std::vector<std::uint32_t> in_edge;
  std::vector<world_detail::Node> nodes;
  std::vector<std::vector<world_detail::Imposition>> imposed;
  std::vector<std::uint64_t> population;
  std::vector<Index> sector;
  std::vector<double> resilience;
  std::size_t sector_count = 0;

  // Aggregates, updated at the end of every settle.
  std::size_t outage_count = 0;
  std::vector<std::size_t> outages_by_sector;  ///< size sector_count + 1 (last: no sector)
  std::size_t sectors_with_outage = 0;
  std::uint64_t population_in_outage = 0;
  double population_unserved = 0;
  double service_unserved = 0;
  double population_hours = 0;
  double service_hours = 0;
  SimTime last_change;

  [[nodiscard]] std::size_t n() const { return nodes.size(); }
  [[nodiscard]] std::size_t sector_slot(Index a) const { return sector[a] == kNone ? sector_count : sector[a]; }
  /// Integrates the unserved sums up to `now`.
  void advance(SimTime now) {
    const double h = (now - last_change).to_hours();
    if (h > 0) {
      population_hours += population_unserved * h;
      service_hours += service_unserved * h;
      last_change = now;
    }
  }
  void reset_state();
};

}  // namespace cyberdrill
