#include "analysis/criticality.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "cyberdrill/engine.hpp"
#include "cyberdrill/world.hpp"

namespace cyberdrill {

std::vector<CriticalityEntry> rank_criticality(const Scenario& s, const CriticalityOptions& o,
                                               const std::function<void(std::size_t, std::size_t)>& progress) {
  const std::size_t n = s.assets.size();
  std::vector<double> score(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    double pop = static_cast<double>(s.assets[i].population);
    score[i] += pop;
    for (const Dependency& d : s.assets[i].depends_on) score[d.supplier] += pop;  // i is a dependent of d
  }
  for (std::size_t i = 0; i < n; ++i) score[i] *= s.assets[i].criticality;

  std::vector<Index> candidates(n);
  std::iota(candidates.begin(), candidates.end(), Index{0});
  if (o.top > 0 && o.top < n) {
    std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(o.top), candidates.end(),
                      [&](Index a, Index b) { return score[a] > score[b] || (score[a] == score[b] && a < b); });
    candidates.resize(o.top);
  }

  World world(s);
  std::vector<CriticalityEntry> out;
  out.reserve(candidates.size());
  const SimTime end = SimTime::zero() + o.horizon;
  for (std::size_t c = 0; c < candidates.size(); ++c) {
    const Index a = candidates[c];
    world.reset();
    Simulation sim;
    CascadeModel model(sim, world);
    model.impose(a, 0.0, Cause{CauseKind::scenario, a});
    sim.run_until(end);
    CriticalityEntry e;
    e.asset = a;
    e.score = score[a];
    e.downstream = world.downstream(a).size();
    e.population_hours = world.population_hours_lost(end);
    e.assets_out = world.outage_count();
    e.sectors_hit = world.sectors_with_outage();
    out.push_back(e);
    if (progress) progress(c + 1, candidates.size());
  }
  std::sort(out.begin(), out.end(), [](const CriticalityEntry& x, const CriticalityEntry& y) {
    return x.population_hours > y.population_hours || (x.population_hours == y.population_hours && x.asset < y.asset);
  });
  return out;
}

SectorInoperability iim_by_sector(const Scenario& s, double perturbation) {
  const std::size_t n = s.assets.size(), sectors = s.sectors.size();
  SectorInoperability r;
  r.perturbation = perturbation;
  std::vector<std::size_t> in_sector(sectors, 0);
  for (const Asset& a : s.assets)
    if (a.sector != kNone) ++in_sector[a.sector];
  std::vector<double> q(n), next(n);
  for (Index perturbed = 0; perturbed < sectors; ++perturbed) {
    std::fill(q.begin(), q.end(), 0.0);
    std::size_t sweep = 0;
    for (; sweep < 10'000; ++sweep) {
      double change = 0;
      for (std::size_t i = 0; i < n; ++i) {
        const Asset& a = s.assets[i];
        double v = a.sector == perturbed ? perturbation : 0.0;
        for (const Dependency& d : a.depends_on) v += d.weight * d.degradation * q[d.supplier];
        v = std::clamp(v, 0.0, 1.0);
        change = std::max(change, std::abs(v - q[i]));
        next[i] = v;
      }
      q.swap(next);
      if (change < 1e-10) break;
    }
    std::vector<double> mean(sectors, 0.0);
    for (std::size_t i = 0; i < n; ++i)
      if (s.assets[i].sector != kNone) mean[s.assets[i].sector] += q[i];
    for (std::size_t t = 0; t < sectors; ++t)
      if (in_sector[t] > 0) mean[t] /= static_cast<double>(in_sector[t]);
    r.response.push_back(std::move(mean));
    r.sweeps.push_back(sweep + 1);
  }
  return r;
}

}  // namespace cyberdrill
