#include <boost/graph/breadth_first_search.hpp>

#include <algorithm>
#include <bit>
#include <cassert>
#include <stdexcept>
#include <string>
#include <utility>

#include "world_impl.hpp"

namespace cyberdrill {

using namespace world_detail;

namespace {

/// An edge's flags (EdgeFlag) from its dependency; kExtra when it needs a record.
std::uint8_t edge_flags(const Dependency& d) {
  std::uint8_t f = 0;
  // Control edges pass no level loss (world.hpp, "Dependency types"): the dependent keeps running.
  const double degradation = d.type == DependencyType::control ? 0.0 : std::clamp(d.degradation, 0.0, 1.0);
  const std::int64_t buffer_us = std::max<std::int64_t>(0, d.buffer.us());
  const std::int64_t restart_us = std::max<std::int64_t>(0, d.restart.us());
  if (buffer_us > 0) f |= kHasBuffer;
  if (restart_us > 0) f |= kHasRestart;
  if (d.weight == 1.0 && degradation == 1.0) f |= kUnit;
  if (!(f & kUnit) || buffer_us > 0 || restart_us > 0 || d.type == DependencyType::control || d.fuel) f |= kExtra;
  return f;
}

/// The static parameters of an edge with a role, from its dependency.
EdgeKind edge_kind(const Dependency& d) {
  EdgeKind k;
  k.degradation = d.type == DependencyType::control ? 0.0 : std::clamp(d.degradation, 0.0, 1.0);
  k.weight = d.weight;
  k.buffer_us = std::max<std::int64_t>(0, d.buffer.us());
  k.restart_us = std::max<std::int64_t>(0, d.restart.us());
  k.recharge_us = std::max<std::int64_t>(1, d.recharge.us());
  k.manual_us = d.type == DependencyType::control ? std::max<std::int64_t>(0, d.manual.us()) : 0;
  k.fuel = d.fuel;
  k.type = d.type;
  return k;
}

/// Keeps each distinct EdgeKind once in `kinds`: a flat open-addressing table of indices into
/// it (linear probing, at most half full).
class KindTable {
 public:
  explicit KindTable(std::vector<EdgeKind>& kinds) : kinds_(kinds), slots_(64, kEmpty) {
    for (std::uint32_t i = 0; i < kinds_.size(); ++i) place(i);
  }
  /// The index of `k` in `kinds`, appended if new.
  std::uint32_t intern(const EdgeKind& k) {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t h = hash(k) & mask;; h = (h + 1) & mask) {
      const std::uint32_t i = slots_[h];
      if (i == kEmpty) break;
      if (kinds_[i].same_as(k)) return i;
    }
    const auto i = static_cast<std::uint32_t>(kinds_.size());
    kinds_.push_back(k);
    if (2 * kinds_.size() > slots_.size()) {
      slots_.assign(2 * slots_.size(), kEmpty);
      for (std::uint32_t j = 0; j < kinds_.size(); ++j) place(j);
    } else {
      place(i);
    }
    return i;
  }

 private:
  static constexpr std::uint32_t kEmpty = 0xFFFFFFFFU;
  static std::uint64_t hash(const EdgeKind& k) {
    std::uint64_t h = 0x9E3779B97F4A7C15ULL;
    auto mix = [&h](std::uint64_t v) {
      h ^= v + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
      h *= 0xBF58476D1CE4E5B9ULL;
    };
    mix(std::bit_cast<std::uint64_t>(k.weight));
    mix(std::bit_cast<std::uint64_t>(k.degradation));
    mix(static_cast<std::uint64_t>(k.buffer_us));
    mix(static_cast<std::uint64_t>(k.restart_us));
    mix(static_cast<std::uint64_t>(k.recharge_us));
    mix(static_cast<std::uint64_t>(k.manual_us));
    mix((static_cast<std::uint64_t>(k.type) << 1) | (k.fuel ? 1 : 0));
    return h ^ (h >> 29);
  }
  void place(std::uint32_t i) {
    const std::size_t mask = slots_.size() - 1;
    std::size_t h = hash(kinds_[i]) & mask;
    while (slots_[h] != kEmpty) h = (h + 1) & mask;
    slots_[h] = i;
  }
  std::vector<EdgeKind>& kinds_;
  std::vector<std::uint32_t> slots_;
};

/// Brings an asset's dependency records (up to 8 lines) into the cache.
void prefetch_dependencies(const std::vector<Dependency>& f) {
  const auto* b = reinterpret_cast<const char*>(f.data());
  const auto* e = reinterpret_cast<const char*>(f.data() + f.size());
  for (const char* c = b; c < e && c < b + 512; c += 64) __builtin_prefetch(c);
  if (b != e) __builtin_prefetch(e - 1);
}

}  // namespace

World::World(const Scenario& scenario) : impl_(std::make_unique<Impl>()) {
  Impl& w = *impl_;
  const std::size_t n = scenario.assets.size();
  if (n >= kRefExtra) throw std::invalid_argument("World: too many assets");
  w.sector_count = scenario.sectors.size();
  w.kinds.emplace_back();  // [0]: a plain edge's parameters (records made by fail-over)
  w.nodes.resize(n);
  w.nflags.resize(n);
  w.fail_at.resize(n);
  w.bare.assign((n + 63) / 64, 0);
  w.in_offset.resize(n + 1);
  w.in_offset[0] = 0;

  std::size_t m = 0;
  for (const Asset& a : scenario.assets) m += a.depends_on.size();
  if (m >= kNone) throw std::invalid_argument("World: too many dependencies");

  // One pass over the scenario's dependencies (64 bytes each: the largest thing the build reads),
  // in dependent order: validate, count out-degrees, keep the supplier in depends_on order (4 bytes
  // an edge, tagged kRefExtra when the edge needs a record) and count the records. The records
  // themselves are written in a second pass once their place (CSR order) is known, straight into
  // `extra`: no temporary copy of them (96 bytes an edge with a role: 288 MB at 10^6 generated
  // assets, which was most of what the build added to the loaded Scenario).
  // Per-asset facts only some assets have go to side tables (world_impl.hpp).
  // The CSR's vectors are Boost.Graph's (std::allocator): advised before their first touch.
  std::vector<std::uint32_t> out_offset;
  out_offset.reserve(n + 1);
  advise_huge(out_offset.data(), (n + 1) * sizeof(std::uint32_t));
  out_offset.resize(n + 1, 0);
  BigVector<std::uint32_t> src(m);
  std::size_t records = 0;
  std::size_t p = 0;
  // The Scenario is read once, in order, but in scattered pieces (a 288-byte Asset, then its own
  // heap array of 64-byte Dependency records): prefetch the asset's fields 16 assets ahead and its
  // dependencies (up to 8 lines) 8 ahead; the loads of `supplier` were most of this loop's samples.
  constexpr std::size_t kAhead = 8;
  for (std::size_t i = 0; i < n; ++i) {
    if (i + 2 * kAhead < n) {
      const Asset& f = scenario.assets[i + 2 * kAhead];
      __builtin_prefetch(&f.sector);
      __builtin_prefetch(&f.resilience);
      __builtin_prefetch(&f.depends_on);
    }
    if (i + kAhead < n) prefetch_dependencies(scenario.assets[i + kAhead].depends_on);
    const Asset& a = scenario.assets[i];
    if (a.sector != kNone && a.sector >= w.sector_count)
      throw std::invalid_argument("World: asset " + a.id + " has sector index " + std::to_string(a.sector) +
                                  " out of range");
    double total_weight = 0;
    // Bare (world_impl.hpp): threshold rule, every edge plain, suppliers ascending.
    bool bare = a.rule == CombineRule::threshold;
    std::uint32_t last_supplier = 0;
    for (const Dependency& d : a.depends_on) {
      if (d.supplier >= n)
        throw std::invalid_argument("World: asset " + a.id + " depends on asset index " +
                                    std::to_string(d.supplier) + " out of range");
      const bool has_record = (edge_flags(d) & kExtra) != 0;
      if (has_record) ++records;
      src[p] = has_record ? (d.supplier | kRefExtra) : d.supplier;
      if (has_record || d.supplier < last_supplier) bare = false;
      last_supplier = d.supplier;
      total_weight += d.weight;
      ++p;
    }
    w.in_offset[i + 1] = static_cast<std::uint32_t>(p);
    const double fail_at = std::max(1e-12, a.phi * total_weight - 1e-9 * std::max(1.0, total_weight));
    w.nflags[i] = static_cast<std::uint8_t>(a.rule);
    w.fail_at[i] = fail_at;
    w.nodes[i] = NodeHot{1.0, a.rule == CombineRule::threshold ? fail_at : 0.0};
    if (bare) w.bare[i >> 6] |= std::uint64_t{1} << (i & 63);
    if (a.population > 0) {
      w.pop_asset.push_back(static_cast<Index>(i));
      w.pop_value.push_back(a.population);
    }
    const double resilience = std::max(0.0, a.resilience);
    if (a.rule == CombineRule::linear && resilience > 0.0) {
      w.diim_asset.push_back(static_cast<Index>(i));
      w.diim.push_back(DiimRec{resilience, Cause{}});
    }
  }
  // Out-degrees, in a loop of their own over the compact supplier list: the counters are hit at
  // random (the list is in dependent order), and a tight loop with the counter 32 edges ahead
  // prefetched keeps many of those misses in flight (in the pass above they were its main cost).
  {
    constexpr std::size_t kCountAhead = 32;
    std::uint32_t* const count = out_offset.data() + 1;
    for (std::size_t q = 0; q < m; ++q) {
      if (q + kCountAhead < m) __builtin_prefetch(&count[src[q + kCountAhead] & ~kRefExtra], 1);
      ++count[src[q] & ~kRefExtra];
    }
  }
  for (std::size_t i = 0; i < n; ++i) out_offset[i + 1] += out_offset[i];

  // Counting sort by supplier over the compact copy; dependents are visited in index order and
  // their depends_on in order, so each supplier's range is sorted by (dependent, position). The
  // CSR's row starts are the supplier offsets and its column is written here directly.
  std::vector<std::uint32_t> column;
  column.reserve(m);
  advise_huge(column.data(), m * sizeof(std::uint32_t));
  column.resize(m);
  std::vector<std::uint32_t> extra_k;  // edge index k of each record, in depends_on order
  extra_k.reserve(records);
  {
    // The same random access twice over (the supplier's fill pointer, then the column slot it
    // points at): prefetched 32 and 16 edges ahead.
    constexpr std::size_t kFar = 32, kNear = 16;
    std::vector<std::uint32_t> fill(out_offset.begin(), out_offset.end() - 1);
    for (std::size_t i = 0; i < n; ++i) {
      for (std::uint32_t q = w.in_offset[i]; q < w.in_offset[i + 1]; ++q) {
        if (q + kFar < m) {
          __builtin_prefetch(&fill[src[q + kFar] & ~kRefExtra], 1);
          __builtin_prefetch(&column[fill[src[q + kNear] & ~kRefExtra]], 1);
        }
        const std::uint32_t r = src[q];
        const std::uint32_t k = fill[r & ~kRefExtra]++;
        column[k] = static_cast<std::uint32_t>(i);
        if (r & kRefExtra) extra_k.push_back(k);
      }
    }
  }
  // The reverse index is the supplier list itself, with the edges that have a record pointing to it.
  w.in_ref = std::move(src);
  // The records in CSR order: bit k of xbits, then each record at its rank.
  w.xbits.assign((m + 63) / 64, 0);
  for (const std::uint32_t k : extra_k) w.xbits[k >> 6] |= std::uint64_t{1} << (k & 63);
  w.xrank.resize(w.xbits.size() + 1);
  w.xrank[0] = 0;
  for (std::size_t j = 0; j < w.xbits.size(); ++j)
    w.xrank[j + 1] = w.xrank[j] + static_cast<std::uint32_t>(__builtin_popcountll(w.xbits[j]));
  w.xany = w.xbits;
  w.edges = m;
  // Second pass over the dependencies, in the first pass's order: each record written once, at
  // its rank (the writes are scattered: the record 16 ahead is prefetched), its static parameters
  // kept once per distinct kind.
  w.extra.reserve(records);
  advise_huge(w.extra.data(), records * sizeof(EdgeExtra));  // 144 MB at 10^6 generated assets
  w.extra.resize(records);
  {
    KindTable kinds(w.kinds);
    constexpr std::size_t kRecordAhead = 16;
    std::size_t e = 0;
    p = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (i + kAhead < n) prefetch_dependencies(scenario.assets[i + kAhead].depends_on);
      for (const Dependency& d : scenario.assets[i].depends_on) {
        if (w.in_ref[p] & kRefExtra) {
          if (e + kRecordAhead < records) __builtin_prefetch(&w.extra[w.xindex(extra_k[e + kRecordAhead])], 1);
          const std::uint32_t k = extra_k[e++];
          const std::uint32_t idx = w.xindex(k);
          EdgeExtra& c = w.extra[idx];
          c = EdgeExtra{};
          c.kind = kinds.intern(edge_kind(d));
          c.flags = static_cast<std::uint8_t>(edge_flags(d) & ~kExtra);
          c.source = d.supplier;
          c.edge = k;
          w.in_ref[p] = kRefExtra | idx;
        }
        ++p;
      }
    }
  }
  // Bare assets keep no reverse index: compact in_ref to the others' entries, in place (ascending,
  // so no entry is overwritten before it is read), then release what is left over.
  {
    std::uint32_t out = 0, from = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint32_t to = w.in_offset[i + 1];
      if (!w.is_bare(static_cast<Index>(i))) {
        if (out != from) std::copy(w.in_ref.begin() + from, w.in_ref.begin() + to, w.in_ref.begin() + out);
        out += to - from;
      }
      from = to;
      w.in_offset[i + 1] = out;
    }
    if (out != m) BigVector<std::uint32_t>(w.in_ref.begin(), w.in_ref.begin() + out).swap(w.in_ref);
  }

  // The CSR (Boost.Graph compressed_sparse_row_graph): row starts = supplier offsets, column =
  // dependents, exactly what its sorted-edges constructor would build from the (supplier,
  // dependent) pairs in this order.
  w.graph.m_forward.m_rowstart = std::move(out_offset);
  w.graph.m_forward.m_column = std::move(column);
  w.rowstart = w.graph.m_forward.m_rowstart.data();
  w.column = w.graph.m_forward.m_column.data();
  w.outages_by_sector.assign(w.sector_count + 1, 0);
  w.impact.emplace(scenario);
}

World::~World() = default;
World::World(World&&) noexcept = default;
World& World::operator=(World&&) noexcept = default;

void World::Impl::reset_state() {
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    NodeHot& nd = nodes[i];
    nd.level = 1.0;
    nd.agg = rule_of(nflags[i]) == CombineRule::threshold ? fail_at[i] : 0.0;
    nflags[i] &= kRuleMask;
  }
  for (DiimRec& d : diim) d.cause = Cause{};
  for (EdgeExtra& c : extra) {
    c.flags &= static_cast<std::uint8_t>(~(kFailedOver | kPendingMask));
    c.perceived = 1.0;
    c.pending_id = EventId{};
    c.mode = ChargeMode::idle;
    c.charge = 1.0;
    c.charge_since = SimTime::zero();
  }
  imposed.clear();
  outage_count = 0;
  std::fill(outages_by_sector.begin(), outages_by_sector.end(), 0);
  sectors_with_outage = 0;
  population_in_outage = 0;
  population_unserved = 0;
  if (impact) impact->reset();
  service_unserved = 0;
  population_hours = 0;
  service_hours = 0;
  economic_loss = 0;
  last_change = SimTime::zero();
}

void World::reset() { impl_->reset_state(); }

std::size_t World::Impl::memory_bytes() const {
  auto bytes = [](const auto& v) { return v.capacity() * sizeof(v[0]); };
  std::size_t b = bytes(graph.m_forward.m_rowstart) + bytes(graph.m_forward.m_column) + bytes(xany) +
                  bytes(xbits) + bytes(xrank) + bytes(extra) + bytes(kinds) + bytes(in_offset) + bytes(in_ref) +
                  bytes(nodes) + bytes(nflags) + bytes(fail_at) + bytes(bare) + bytes(pop_asset) +
                  bytes(pop_value) + bytes(diim_asset) + bytes(diim) + bytes(outages_by_sector);
  // The side tables' hash maps: a node (key, value, next pointer, cached hash) per entry, and the buckets.
  b += xdyn.size() * (sizeof(std::pair<const std::uint32_t, std::uint32_t>) + 2 * sizeof(void*)) +
       xdyn.bucket_count() * sizeof(void*);
  b += imposed.bucket_count() * sizeof(void*);
  b += in_dyn.bucket_count() * sizeof(void*);
  for (const auto& [a, l] : in_dyn)
    b += sizeof(std::pair<const Index, std::vector<std::uint32_t>>) + 2 * sizeof(void*) + l.capacity() * sizeof(l[0]);
  for (const auto& [a, r] : imposed)
    b += sizeof(std::pair<const Index, ImposedRec>) + 2 * sizeof(void*) + r.list.capacity() * sizeof(Imposition);
  return b;
}

std::size_t World::memory_bytes() const { return impl_->memory_bytes(); }

std::size_t World::asset_count() const { return impl_->n(); }
std::size_t World::edge_count() const { return impl_->m(); }
std::size_t World::sector_count() const { return impl_->sector_count; }
std::uint64_t World::population(Index a) const {
  if (a >= impl_->n()) throw std::out_of_range("World::population: asset index out of range");
  return impl_->population(a);
}
Index World::sector(Index a) const {
  if (a >= impl_->n()) throw std::out_of_range("World::sector: asset index out of range");
  return impl_->sector_of(a);
}

std::vector<Index> World::suppliers(Index a) const {
  const Impl& w = *impl_;
  if (a >= w.n()) throw std::out_of_range("World::suppliers: asset index out of range");
  std::vector<std::uint32_t> tmp;
  std::vector<Index> out;
  for (const std::uint32_t r : w.in_list(a, tmp)) out.push_back(w.ref_source(r));
  return out;
}

std::vector<Index> World::dependents(Index a) const {
  const Impl& w = *impl_;
  std::vector<Index> out;
  auto [b, e] = boost::adjacent_vertices(static_cast<std::uint32_t>(a), w.graph);
  out.assign(b, e);
  return out;
}

std::size_t World::out_degree(Index a) const { return boost::out_degree(static_cast<std::uint32_t>(a), impl_->graph); }

namespace {
struct CollectVisitor : boost::default_bfs_visitor {
  std::vector<Index>* out;
  template <class V, class G>
  void discover_vertex(V v, const G&) {
    out->push_back(static_cast<Index>(v));
  }
};
}  // namespace

std::vector<Index> World::downstream(Index from) const {
  const Impl& w = *impl_;
  std::vector<Index> out;
  CollectVisitor vis;
  vis.out = &out;
  std::vector<boost::default_color_type> color(w.n(), boost::white_color);
  auto cmap = boost::make_iterator_property_map(color.begin(), boost::get(boost::vertex_index, w.graph));
  boost::breadth_first_search(w.graph, static_cast<std::uint32_t>(from), boost::visitor(vis).color_map(cmap));
  return out;
}

double World::level(Index a) const { return impl_->nodes[a].level; }

std::vector<double> World::levels() const {
  std::vector<double> out(impl_->n());
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = impl_->nodes[i].level;
  return out;
}

double World::own_level(Index a) const { return impl_->own(a); }

double World::buffer_charge(Index a, Index supplier, SimTime now) const {
  const Impl& w = *impl_;
  if (a >= w.n()) throw std::out_of_range("World::buffer_charge: asset index out of range");
  std::vector<std::uint32_t> tmp;
  for (const std::uint32_t r : w.in_list(a, tmp)) {
    if (w.ref_source(r) != supplier) continue;
    const EdgeExtra* e = w.ref_extra(r);
    return e != nullptr && w.kind(*e).buffer_us > 0 ? e->charge_at(now, w.kind(*e)) : 0.0;
  }
  return 0.0;
}

bool World::remote_control_lost(Index a) const {
  const Impl& w = *impl_;
  if (a >= w.n()) throw std::out_of_range("World::remote_control_lost: asset index out of range");
  for (const std::uint32_t r : w.in_refs(a)) {  // a bare asset's edges are plain (or failed over)
    const EdgeExtra* e = w.ref_extra(r);  // a plain edge is not a control dependency
    if (e != nullptr && w.kind(*e).type == DependencyType::control && w.nodes[e->source].level < kFullServiceLevel)
      return true;
  }
  return false;
}
bool World::contained(Index a) const { return (impl_->nflags[a] & kContained) != 0; }
bool World::isolated(Index a) const { return (impl_->nflags[a] & kIsolated) != 0; }

bool World::failed_over(Index a, Index supplier) const {
  const Impl& w = *impl_;
  for (const std::uint32_t r : w.in_refs(a)) {
    const EdgeExtra* e = w.ref_extra(r);  // a failed-over edge always has a record
    if (e != nullptr && (supplier == kNone || e->source == supplier) && (e->flags & kFailedOver)) return true;
  }
  return false;
}

double World::perceived(Index a, Index supplier) const {
  const Impl& w = *impl_;
  std::vector<std::uint32_t> tmp;
  for (const std::uint32_t r : w.in_list(a, tmp)) {
    if (w.ref_source(r) == supplier) return w.ref_perceived(r);
  }
  return 1.0;
}

std::size_t World::outage_count() const { return impl_->outage_count; }
std::size_t World::outages_in_sector(Index s) const {
  return impl_->outages_by_sector.at(s == kNone ? impl_->sector_count : s);
}
std::size_t World::sectors_with_outage() const { return impl_->sectors_with_outage; }
std::uint64_t World::population_in_outage() const { return impl_->population_in_outage; }
double World::population_unserved() const { return impl_->population_unserved; }
const ImpactModel& World::impact() const { return *impl_->impact; }

double World::population_hours_lost(SimTime now) const {
  const Impl& w = *impl_;
  const double h = (now - w.last_change).to_hours();
  return w.population_hours + (h > 0 ? w.population_unserved * h : 0.0);
}

double World::economic_loss_eur(SimTime now) const {
  const Impl& w = *impl_;
  const double h = (now - w.last_change).to_hours();
  return w.economic_loss + (h > 0 ? w.impact->loss_per_day() * h / 24.0 : 0.0);
}

double World::service_hours_lost(SimTime now) const {
  const Impl& w = *impl_;
  const double h = (now - w.last_change).to_hours();
  return w.service_hours + (h > 0 ? w.service_unserved * h : 0.0);
}

}  // namespace cyberdrill
