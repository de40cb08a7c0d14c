#include <boost/graph/breadth_first_search.hpp>

#include <algorithm>
#include <cassert>
#include <stdexcept>
#include <string>
#include <utility>

#include "world_impl.hpp"

namespace cyberdrill {

using namespace world_detail;

World::World(const Scenario& scenario) : impl_(std::make_unique<Impl>()) {
  Impl& w = *impl_;
  const std::size_t n = scenario.assets.size();
  if (n >= kNone) throw std::invalid_argument("World: too many assets");
  w.sector_count = scenario.sectors.size();
  w.nodes.resize(n);
  w.nflags.resize(n);
  w.cold.resize(n);
  w.imposed.resize(n);
  w.resilience.resize(n);
  w.in_offset.assign(n + 1, 0);

  // Out-degree per supplier, validating indices.
  std::vector<std::uint32_t> out_offset(n + 1, 0);
  std::size_t m = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const Asset& a = scenario.assets[i];
    if (a.sector != kNone && a.sector >= w.sector_count)
      throw std::invalid_argument("World: asset " + a.id + " has sector index " + std::to_string(a.sector) +
                                  " out of range");
    for (const Dependency& d : a.depends_on) {
      if (d.supplier >= n)
        throw std::invalid_argument("World: asset " + a.id + " depends on asset index " +
                                    std::to_string(d.supplier) + " out of range");
      ++out_offset[d.supplier + 1];
    }
    m += a.depends_on.size();
    w.in_offset[i + 1] = static_cast<std::uint32_t>(m);
  }
  if (m >= kNone) throw std::invalid_argument("World: too many dependencies");
  for (std::size_t i = 0; i < n; ++i) out_offset[i + 1] += out_offset[i];

  // Counting sort by supplier; dependents are visited in index order and their depends_on in
  // order, so each supplier's range is sorted by (dependent, position).
  w.eflags.resize(m);
  w.estate.resize(m);
  w.edge_cold.resize(m);
  w.in_edge.resize(m);
  std::vector<std::uint32_t> fill(out_offset.begin(), out_offset.end() - 1);
  for (std::size_t i = 0; i < n; ++i) {
    const Asset& a = scenario.assets[i];
    double total_weight = 0;
    for (std::size_t pos = 0; pos < a.depends_on.size(); ++pos) {
      const Dependency& d = a.depends_on[pos];
      const std::uint32_t k = fill[d.supplier]++;
      EdgeState& e = w.estate[k];
      EdgeCold& c = w.edge_cold[k];
      std::uint8_t& f = w.eflags[k];
      // Control edges pass no level loss (world.hpp, "Dependency types"): the dependent keeps running.
      e.degradation = d.type == DependencyType::control ? 0.0 : std::clamp(d.degradation, 0.0, 1.0);
      e.weight = d.weight;
      c.target = static_cast<std::uint32_t>(i);
      c.buffer_us = std::max<std::int64_t>(0, d.buffer.us());
      c.restart_us = std::max<std::int64_t>(0, d.restart.us());
      c.recharge_us = std::max<std::int64_t>(1, d.recharge.us());
      c.manual_us = d.type == DependencyType::control ? std::max<std::int64_t>(0, d.manual.us()) : 0;
      c.fuel = d.fuel;
      if (c.buffer_us > 0) f |= kHasBuffer;
      if (c.restart_us > 0) f |= kHasRestart;
      if (e.weight == 1.0 && e.degradation == 1.0) f |= kUnit;
      c.type = d.type;
      c.source = d.supplier;
      w.in_edge[w.in_offset[i] + pos] = k;
      total_weight += d.weight;
    }
    NodeHot& nd = w.nodes[i];
    NodeCold& c = w.cold[i];
    w.nflags[i] = static_cast<std::uint8_t>(a.rule);
    c.fail_at = std::max(1e-12, a.phi * total_weight - 1e-9 * std::max(1.0, total_weight));
    nd.agg = a.rule == CombineRule::threshold ? c.fail_at : 0.0;
    c.population = a.population;
    c.sector = a.sector;
    w.resilience[i] = a.rule == CombineRule::linear ? std::max(0.0, a.resilience) : 0.0;
  }

  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs(m);
  for (std::size_t k = 0; k < m; ++k) pairs[k] = {w.edge_cold[k].source, w.edge_cold[k].target};
  w.graph = Graph(boost::edges_are_sorted, pairs.begin(), pairs.end(), static_cast<std::uint32_t>(n));
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
    NodeCold& c = cold[i];
    nd.level = 1.0;
    nd.agg = rule_of(nflags[i]) == CombineRule::threshold ? c.fail_at : 0.0;
    nflags[i] &= kRuleMask;
    c.own = 1.0;
    c.cause_index = kNone;
    c.cause_kind = CauseKind::none;
  }
  for (EdgeState& e : estate) e.perceived = 1.0;
  for (std::uint8_t& f : eflags) f &= static_cast<std::uint8_t>(~(kFailedOver | kPendingMask));
  for (EdgeCold& c : edge_cold) {
    c.pending_id = EventId{};
    c.mode = ChargeMode::idle;
    c.charge = 1.0;
    c.charge_since = SimTime::zero();
  }
  for (auto& v : imposed) v.clear();
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

std::size_t World::asset_count() const { return impl_->n(); }
std::size_t World::edge_count() const { return impl_->m(); }
std::size_t World::sector_count() const { return impl_->sector_count; }
std::uint64_t World::population(Index a) const { return impl_->cold.at(a).population; }
Index World::sector(Index a) const { return impl_->cold.at(a).sector; }

std::vector<Index> World::suppliers(Index a) const {
  const Impl& w = *impl_;
  std::vector<Index> out;
  for (std::uint32_t p = w.in_offset.at(a); p < w.in_offset[a + 1]; ++p) out.push_back(w.edge_cold[w.in_edge[p]].source);
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

double World::own_level(Index a) const { return impl_->cold[a].own; }

double World::buffer_charge(Index a, Index supplier, SimTime now) const {
  const Impl& w = *impl_;
  for (std::uint32_t p = w.in_offset.at(a); p < w.in_offset[a + 1]; ++p) {
    const std::uint32_t k = w.in_edge[p];
    if (w.edge_cold[k].source == supplier) return w.edge_cold[k].buffer_us > 0 ? w.edge_cold[k].charge_at(now) : 0.0;
  }
  return 0.0;
}

bool World::remote_control_lost(Index a) const {
  const Impl& w = *impl_;
  for (std::uint32_t p = w.in_offset.at(a); p < w.in_offset[a + 1]; ++p) {
    const EdgeCold& c = w.edge_cold[w.in_edge[p]];
    if (c.type == DependencyType::control && w.nodes[c.source].level < kFullServiceLevel) return true;
  }
  return false;
}
bool World::contained(Index a) const { return (impl_->nflags[a] & kContained) != 0; }
bool World::isolated(Index a) const { return (impl_->nflags[a] & kIsolated) != 0; }

bool World::failed_over(Index a, Index supplier) const {
  const Impl& w = *impl_;
  for (std::uint32_t p = w.in_offset[a]; p < w.in_offset[a + 1]; ++p) {
    const std::uint32_t k = w.in_edge[p];
    if ((supplier == kNone || w.edge_cold[k].source == supplier) && (w.eflags[k] & kFailedOver)) return true;
  }
  return false;
}

double World::perceived(Index a, Index supplier) const {
  const Impl& w = *impl_;
  for (std::uint32_t p = w.in_offset[a]; p < w.in_offset[a + 1]; ++p) {
    const std::uint32_t k = w.in_edge[p];
    if (w.edge_cold[k].source == supplier) return w.perceived(k);
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
