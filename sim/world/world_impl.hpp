// Private representation of a World, shared by sim/world and the cascade model (sim/models).
//
// Layout, chosen for the cascade's hot loop (a supplier's level changed: scan its out-edges):
//  - `graph`: Boost.Graph compressed_sparse_row_graph, supplier -> dependent, 32-bit indices. Its
//    edge index k (position in the CSR, edges grouped by supplier, then by dependent, then by the
//    dependent's depends_on order) indexes every per-edge array below, so a supplier's out-edges
//    are one contiguous range of `edges`.
//  - `xany`: a bit per edge, set when the edge has a record (below); with the CSR's own target
//    column it is all the scan reads for a plain edge (unit weight and degradation, immediate).
//  - `xbits`/`xrank`/`extra`: an edge with a role (weight or degradation other than 1, a buffer, a
//    restart delay, a control or fuel dependency) has an `EdgeExtra` record in the side table
//    `extra`, at its rank among such edges (bit k of `xbits` set; `xrank[w]`: records before word
//    w, so the index is one popcount away). An edge given a record at run time (fail-over of a
//    plain edge) has it appended and found through `xdyn` (its bit in `xany`, not in `xbits`). The
//    edge's flag byte (EdgeFlag) is in its record; a plain edge's flags are kUnit alone. A plain
//    edge (most edges of the peers' graph) has no record. A record (48 B) holds the edge's run
//    state and ends; its static parameters (EdgeKind: weight, degradation, buffer, restart,
//    recharge, manual delay, type, fuel) are kept once per distinct set in `kinds` and found by
//    index (every edge of a generated graph has a record: weight 0.8 / degree).
//  - `nodes` (16 bytes: level, threshold aggregate) and `nflags` (one byte: rule and flags): what an
//    edge update reads of the dependent; the sector a level change reads is the impact model's
//    copy (ImpactModel::sector). Everything that only some assets have lives in side tables indexed only where present: the impositions and
//    the own level they make (`imposed`, only assets with impositions; the own level is 1 unless
//    kCapped), the population (`pop_asset`/`pop_value`, sorted, only assets with people), the
//    dynamic-IIM resilience and relaxation cause (`diim_asset`/`diim`, only linear-rule assets
//    with resilience > 0). `fail_at`: the threshold rule's initial aggregate.
//  The scan's working set for a million assets and four million edges is about 40 MB.
//  - `in_offset`/`in_ref`: per dependent, its edges in depends_on order (the reverse index used by
//    the all/any/linear rules and by fail-over): for a plain edge the supplier itself, for an edge
//    with a record kRefExtra | the record's index (the record holds the supplier and the edge
//    index k). A plain edge's k is found from its supplier's CSR range when needed (fail-over);
//    its supplier from k by a binary search of the row starts (source_of). So a plain edge costs
//    the CSR column, its reverse-index slot (none into a bare asset, below) and two and a half
//    bits (its bits in `xany` and `xbits`, and `xrank`'s share): 8.3 bytes, 4.3 into a bare asset.
//    Asset indices are below 2^31 (the tag bit).
//  - Bare assets (`bare`, a bit per asset) have no reverse index stored (an empty in_offset range):
//    threshold-rule assets whose edges are all plain and whose depends_on lists the suppliers in
//    ascending order. Their rule reads only the aggregate, and nothing else the cascade does
//    per event needs their in-edges (they have no record: no control or fuel edge, no buffer);
//    the few operations that do (fail-over, World::suppliers / perceived / buffer_charge) find
//    them by a binary search of every supplier's CSR range for the asset (ascending suppliers,
//    each one's edges to it in depends_on order: exactly depends_on order, hence "ascending").
//    Fail-over keeps the list it made in `in_dyn`, since it gives the edges records. On the
//    peers' 1M-node graph every asset is bare: the reverse index (4 B an edge) is not built.
#pragma once

#include <boost/graph/compressed_sparse_row_graph.hpp>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "big_alloc.hpp"
#include "cyberdrill/impact.hpp"
#include "cyberdrill/world.hpp"

namespace cyberdrill {

namespace world_detail {

// Per-asset flag byte (`nflags`): bits 0-1 hold the CombineRule.
enum NodeFlag : std::uint8_t {
  kRuleMask = 3, kQueued = 4, kDiim = 8, kContained = 16, kIsolated = 32, kCapped = 64,
  kTouched = 128,  ///< changed in the current settle (listed in the model's touched list)
};
// Per-edge flag byte (EdgeExtra::flags; a plain edge, which has no record, is kUnit). An edge
// without buffer, restart and fail-over is *immediate*: the dependent perceives 1 - degradation x
// (1 - supplier level) at every instant, so nothing is stored for it; the others keep their
// perceived level in their record.
enum EdgeFlag : std::uint8_t {
  kFailedOver = 1, kHasBuffer = 2, kHasRestart = 4, kUnit = 8,  // kUnit: weight 1 and degradation 1
  kPendingDrop = 16, kPendingRestart = 32,
  kExtra = 64,  ///< at the build only: the edge needs an EdgeExtra record
  kStateful = kFailedOver | kHasBuffer | kHasRestart,
  kPendingMask = kPendingDrop | kPendingRestart,
};

/// Tag bit of World::Impl::in_ref: the entry is a record index, not a supplier.
constexpr std::uint32_t kRefExtra = 0x80000000U;

inline CombineRule rule_of(std::uint8_t nflags) { return static_cast<CombineRule>(nflags & kRuleMask); }

/// What an edge update reads and writes of the dependent (16 bytes).
struct NodeHot {
  double level = 1.0;
  double agg = 0.0;  ///< threshold rule: fail_at minus the weight of inputs perceived below 0.5
};

/// Dynamic IIM (linear rule, resilience > 0): the resilience and the cause of the relaxation under way.
struct DiimRec {
  double resilience = 0.0;
  Cause cause;
};

/// Buffer state of charge (world.hpp, "Buffers"): the charge at `charge_since`, and whether it
/// drains (supplier down), recharges (supplier back) or stands still (full, or empty and dry).
enum class ChargeMode : std::uint8_t { idle, draining, charging };

/// The static parameters of an edge with a role, kept once for every edge that has the same ones
/// (`World::Impl::kinds`; the 3 million edges of 10^6 generated assets have a few thousand
/// distinct ones). Index 0 is a plain edge's: weight 1, degradation 1, no buffer or restart, not
/// control, not fuel (the record fail-over gives a plain edge). Two kinds are the same when their
/// bits are (so 0.0 and -0.0, or two NaNs' payloads, stay apart).
struct EdgeKind {
  double weight = 1.0;
  double degradation = 1.0;
  std::int64_t buffer_us = 0;
  std::int64_t restart_us = 0;
  std::int64_t recharge_us = 1;
  std::int64_t manual_us = 0;   ///< control edges: manual restoration delay
  DependencyType type = DependencyType::logical;
  bool fuel = false;
  [[nodiscard]] bool same_as(const EdgeKind& o) const {
    return std::bit_cast<std::uint64_t>(weight) == std::bit_cast<std::uint64_t>(o.weight) &&
           std::bit_cast<std::uint64_t>(degradation) == std::bit_cast<std::uint64_t>(o.degradation) &&
           buffer_us == o.buffer_us && restart_us == o.restart_us && recharge_us == o.recharge_us &&
           manual_us == o.manual_us && type == o.type && fuel == o.fuel;
  }
};

/// The per-edge record of an edge with a role (see `xbits` above): the run's state of the edge,
/// its ends, and the index of its static parameters (EdgeKind) in `World::Impl::kinds`. 48 bytes
/// (was 96 with the parameters inline).
struct EdgeExtra {
  double perceived = 1.0;  ///< meaningful for stateful edges only
  EventId pending_id;
  double charge = 1.0;          ///< fraction of the buffer left at charge_since
  SimTime charge_since;
  std::uint32_t source = 0;     ///< the supplier
  std::uint32_t edge = 0;       ///< the edge's index k
  std::uint32_t kind = 0;       ///< index in World::Impl::kinds (0: a plain edge's parameters)
  ChargeMode mode = ChargeMode::idle;
  std::uint8_t flags = kUnit;   ///< EdgeFlag (a record made by fail-over starts as a plain edge)
  /// The charge now (>= charge_since), in [0, 1]; `k` is the record's kind.
  [[nodiscard]] double charge_at(SimTime now, const EdgeKind& k) const {
    const double dt = static_cast<double>((now - charge_since).us());
    switch (mode) {
      case ChargeMode::draining: return k.buffer_us > 0 ? std::max(0.0, charge - dt / static_cast<double>(k.buffer_us)) : 0.0;
      case ChargeMode::charging: return std::min(1.0, charge + dt / static_cast<double>(k.recharge_us));
      case ChargeMode::idle: break;
    }
    return charge;
  }
  void set_mode(ChargeMode m, SimTime now, const EdgeKind& k) {
    charge = charge_at(now, k);
    charge_since = now;
    mode = m;
  }
};
static_assert(sizeof(EdgeExtra) == 48);

struct Imposition {
  Cause cause;
  double level = 1.0;
};

/// An asset's impositions and the own level they make (meaningful while the asset is kCapped).
struct ImposedRec {
  double own = 1.0;
  std::vector<Imposition> list;
};

using Graph = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                                 boost::no_property, std::uint32_t, std::uint32_t>;

}  // namespace world_detail

struct World::Impl {
  world_detail::Graph graph;
  std::size_t edges = 0;
  std::vector<std::uint64_t> xany;     ///< bit k: edge k has a record (made at the build or at run time)
  std::vector<std::uint64_t> xbits;    ///< bit k: edge k has a record made at the build
  std::vector<std::uint32_t> xrank;    ///< records of the build before word w of xbits
  std::vector<world_detail::EdgeExtra> extra;
  std::vector<world_detail::EdgeKind> kinds;  ///< the records' static parameters; [0]: a plain edge's
  std::unordered_map<std::uint32_t, std::uint32_t> xdyn;  ///< edge -> record made at run time
  world_detail::BigVector<std::uint32_t> in_offset;  ///< size n + 1
  world_detail::BigVector<std::uint32_t> in_ref;     ///< per in-position: supplier, or kRefExtra | record index
  world_detail::BigVector<world_detail::NodeHot> nodes;
  world_detail::BigVector<std::uint8_t> nflags;
  world_detail::BigVector<double> fail_at;  ///< threshold rule: phi x total weight minus 1e-9 x max(1, total), >= 1e-12
  std::vector<std::uint64_t> bare;  ///< bit v: asset v's reverse index is not stored (header: bare assets)
  /// Reverse lists of bare assets made at run time (fail-over), in in_ref's format.
  std::unordered_map<Index, std::vector<std::uint32_t>> in_dyn;
  std::vector<Index> pop_asset;  ///< assets with population > 0, ascending
  std::vector<std::uint64_t> pop_value;
  std::unordered_map<Index, world_detail::ImposedRec> imposed;  ///< only assets that had impositions
  std::vector<Index> diim_asset;  ///< linear-rule assets with resilience > 0, ascending
  std::vector<world_detail::DiimRec> diim;
  std::size_t sector_count = 0;

  // Aggregates, updated at the end of every settle.
  std::size_t outage_count = 0;
  std::vector<std::size_t> outages_by_sector;  ///< size sector_count + 1 (last: no sector)
  std::size_t sectors_with_outage = 0;
  std::uint64_t population_in_outage = 0;
  /// Distinct people affected now (impact->people_affected(), include/cyberdrill/impact.hpp).
  double population_unserved = 0;
  /// People and economic output per asset level; set_level() on every level change.
  std::optional<ImpactModel> impact;
  double service_unserved = 0;
  double population_hours = 0;
  double service_hours = 0;
  double economic_loss = 0;  ///< euros: integral of impact->loss_per_day() / 24 per hour
  SimTime last_change;

  /// BGL's CSR row-start and column arrays, read only to prefetch ahead of the scan.
  const std::uint32_t* rowstart = nullptr;
  const std::uint32_t* column = nullptr;

  [[nodiscard]] std::size_t n() const { return nodes.size(); }
  [[nodiscard]] std::size_t m() const { return edges; }
  [[nodiscard]] bool has_extra(std::uint32_t k) const { return ((xany[k >> 6] >> (k & 63)) & 1) != 0; }
  /// Index in `extra` of edge k's record (has_extra).
  [[nodiscard]] std::uint32_t xindex(std::uint32_t k) const {
    if (!((xbits[k >> 6] >> (k & 63)) & 1)) return xdyn.find(k)->second;
    const std::uint64_t below = xbits[k >> 6] & ((std::uint64_t{1} << (k & 63)) - 1);
    return xrank[k >> 6] + static_cast<std::uint32_t>(__builtin_popcountll(below));
  }
  /// Edge k's record; only for an edge with a role (has_extra).
  [[nodiscard]] world_detail::EdgeExtra& x(std::uint32_t k) { return extra[xindex(k)]; }
  [[nodiscard]] const world_detail::EdgeExtra& x(std::uint32_t k) const { return extra[xindex(k)]; }
  /// The record of a reverse-index entry's edge, or null for a plain edge.
  [[nodiscard]] world_detail::EdgeExtra* ref_extra(std::uint32_t r) {
    return (r & world_detail::kRefExtra) ? &extra[r & ~world_detail::kRefExtra] : nullptr;
  }
  [[nodiscard]] const world_detail::EdgeExtra* ref_extra(std::uint32_t r) const {
    return (r & world_detail::kRefExtra) ? &extra[r & ~world_detail::kRefExtra] : nullptr;
  }
  /// The supplier of a reverse-index entry's edge.
  [[nodiscard]] std::uint32_t ref_source(std::uint32_t r) const {
    return (r & world_detail::kRefExtra) ? extra[r & ~world_detail::kRefExtra].source : r;
  }
  [[nodiscard]] bool is_bare(Index v) const { return ((bare[v >> 6] >> (v & 63)) & 1) != 0; }
  /// The stored reverse list of v: its in_ref range, or for a bare asset the list fail-over made
  /// (empty if none: then every edge of v is plain).
  [[nodiscard]] std::span<std::uint32_t> in_refs(Index v) {
    if (is_bare(v)) {
      const auto it = in_dyn.find(v);
      return it == in_dyn.end() ? std::span<std::uint32_t>() : std::span<std::uint32_t>(it->second);
    }
    return {in_ref.data() + in_offset[v], in_ref.data() + in_offset[v + 1]};
  }
  [[nodiscard]] std::span<const std::uint32_t> in_refs(Index v) const {
    if (is_bare(v)) {
      const auto it = in_dyn.find(v);
      return it == in_dyn.end() ? std::span<const std::uint32_t>() : std::span<const std::uint32_t>(it->second);
    }
    return {in_ref.data() + in_offset[v], in_ref.data() + in_offset[v + 1]};
  }
  /// The suppliers of bare asset v in depends_on order (header: bare assets), by a binary search
  /// of every supplier's CSR range.
  [[nodiscard]] std::vector<std::uint32_t> scan_in(Index v) const {
    std::vector<std::uint32_t> out;
    for (std::uint32_t u = 0; u < n(); ++u) {
      const std::uint32_t* e = column + rowstart[u + 1];
      for (const std::uint32_t* c = std::lower_bound(column + rowstart[u], e, v); c != e && *c == v; ++c)
        out.push_back(u);
    }
    return out;
  }
  /// Every in-edge of v in depends_on order: the stored list, or a bare asset's made in `tmp`.
  [[nodiscard]] std::span<const std::uint32_t> in_list(Index v, std::vector<std::uint32_t>& tmp) const {
    if (is_bare(v) && !in_dyn.contains(v)) {
      tmp = scan_in(v);
      return tmp;
    }
    return in_refs(v);
  }
  /// As in_list, keeping a bare asset's list (for fail-over, which gives its entries records).
  [[nodiscard]] std::span<std::uint32_t> in_list_kept(Index v) {
    if (is_bare(v) && !in_dyn.contains(v)) in_dyn.emplace(v, scan_in(v));
    return in_refs(v);
  }
  /// The edge index k of entry j of v's list (for a plain edge: its place among v's edges in the
  /// supplier's CSR range, which lists them in depends_on order).
  [[nodiscard]] std::uint32_t in_k(Index v, std::span<const std::uint32_t> list, std::size_t j) const {
    if (const world_detail::EdgeExtra* e = ref_extra(list[j])) return e->edge;
    const std::uint32_t u = list[j];
    std::uint32_t c = 0;
    for (std::size_t q = 0; q < j; ++q) c += ref_source(list[q]) == u ? 1 : 0;
    const std::uint32_t* first = std::lower_bound(column + rowstart[u], column + rowstart[u + 1], v);
    return static_cast<std::uint32_t>(first - column) + c;
  }
  /// The supplier of edge k.
  [[nodiscard]] std::uint32_t source_of(std::uint32_t k) const {
    if (has_extra(k)) return x(k).source;
    return static_cast<std::uint32_t>(std::upper_bound(rowstart, rowstart + n() + 1, k) - rowstart - 1);
  }
  /// Entry j's record, made (with the plain edge's defaults) if it has none: fail-over gives a
  /// plain edge a perceived level of its own.
  world_detail::EdgeExtra& ensure_extra(Index v, std::span<std::uint32_t> list, std::size_t j) {
    if (world_detail::EdgeExtra* e = ref_extra(list[j])) return *e;
    const std::uint32_t k = in_k(v, list, j);
    const auto idx = static_cast<std::uint32_t>(extra.size());
    world_detail::EdgeExtra& e = extra.emplace_back();
    e.source = list[j];
    e.edge = k;
    list[j] = world_detail::kRefExtra | idx;
    xany[k >> 6] |= std::uint64_t{1} << (k & 63);
    xdyn.emplace(k, idx);
    return e;
  }
  /// The level the dependent perceives through a reverse-index entry's edge (perceived(k)).
  [[nodiscard]] double ref_perceived(std::uint32_t r) const {
    if (!(r & world_detail::kRefExtra)) return 1.0 - 1.0 * (1.0 - nodes[r].level);  // plain: degradation 1
    const world_detail::EdgeExtra& e = extra[r & ~world_detail::kRefExtra];
    return (e.flags & world_detail::kStateful) ? e.perceived : 1.0 - kinds[e.kind].degradation * (1.0 - nodes[e.source].level);
  }
  [[nodiscard]] double ref_weight(std::uint32_t r) const {
    return (r & world_detail::kRefExtra) ? kinds[extra[r & ~world_detail::kRefExtra].kind].weight : 1.0;
  }
  /// The minimum imposed level of asset a (1 when nothing below 1 is imposed).
  [[nodiscard]] double own(Index a) const {
    return (nflags[a] & world_detail::kCapped) ? imposed.find(a)->second.own : 1.0;
  }
  /// Asset a's impositions, or null if it never had any since the last reset.
  [[nodiscard]] world_detail::ImposedRec* find_imposed(Index a) {
    const auto it = imposed.find(a);
    return it == imposed.end() ? nullptr : &it->second;
  }
  [[nodiscard]] const world_detail::ImposedRec* find_imposed(Index a) const {
    const auto it = imposed.find(a);
    return it == imposed.end() ? nullptr : &it->second;
  }
  [[nodiscard]] std::uint64_t population(Index a) const {
    const auto it = std::lower_bound(pop_asset.begin(), pop_asset.end(), a);
    return it != pop_asset.end() && *it == a ? pop_value[static_cast<std::size_t>(it - pop_asset.begin())] : 0;
  }
  /// The dynamic-IIM record of a linear-rule asset with resilience > 0, else null.
  [[nodiscard]] world_detail::DiimRec* diim_of(Index a) {
    if (diim_asset.empty()) return nullptr;
    const auto it = std::lower_bound(diim_asset.begin(), diim_asset.end(), a);
    return it != diim_asset.end() && *it == a ? &diim[static_cast<std::size_t>(it - diim_asset.begin())] : nullptr;
  }
  /// The static parameters of a record.
  [[nodiscard]] const world_detail::EdgeKind& kind(const world_detail::EdgeExtra& e) const { return kinds[e.kind]; }
  [[nodiscard]] double weight(std::uint32_t k) const { return has_extra(k) ? kind(x(k)).weight : 1.0; }
  [[nodiscard]] double degradation(std::uint32_t k) const { return has_extra(k) ? kind(x(k)).degradation : 1.0; }
  [[nodiscard]] std::uint32_t target(std::uint32_t k) const { return column[k]; }
  /// Effective value of edge k now: 1 - degradation x (1 - supplier level).
  [[nodiscard]] double effective(std::uint32_t k) const {
    return 1.0 - degradation(k) * (1.0 - nodes[source_of(k)].level);
  }
  /// The level the dependent of edge k perceives now (a stateful edge always has a record).
  [[nodiscard]] double perceived(std::uint32_t k) const {
    return has_extra(k) && (x(k).flags & world_detail::kStateful) ? x(k).perceived : effective(k);
  }
  /// Bytes held by the world's arrays (capacities; the impact model and impositions not counted).
  [[nodiscard]] std::size_t memory_bytes() const;
  [[nodiscard]] Index sector_of(Index a) const { return impact->sector(a); }
  [[nodiscard]] std::size_t sector_slot(Index a) const { return sector_of(a) == kNone ? sector_count : sector_of(a); }
  /// Integrates the unserved sums up to `now`.
  void advance(SimTime now) {
    const double h = (now - last_change).to_hours();
    if (h > 0) {
      population_hours += population_unserved * h;
      service_hours += service_unserved * h;
      economic_loss += impact->loss_per_day() * h / 24.0;
      last_change = now;
    }
  }
  void reset_state();
};

}  // namespace cyberdrill
