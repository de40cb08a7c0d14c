#include "cyberdrill/analysis.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "cyberdrill/engine.hpp"
#include "cyberdrill/impact.hpp"
#include "cyberdrill/world.hpp"

namespace cyberdrill {

std::vector<CriticalityEntry> rank_criticality(const Scenario& s, const CriticalityOptions& o,
                                               const std::function<void(std::size_t, std::size_t)>& progress) {
  const std::size_t n = s.assets.size();
  std::vector<double> score(n, 0.0);
  // The World's impact model gives the outputs (no second ImpactModel of 10^6 assets beside it);
  // built first, it also checks every supplier index before the score uses them.
  World world(s);
  const ImpactModel& impact = world.impact();
  // People an asset serves (per asset, overlaps included): the cheap score's population, added
  // to the asset and to each of its suppliers (the same sums in the same order as a pass of its
  // own, without a per-asset array).
  for (std::size_t i = 0; i < n; ++i) {
    double pop = 0.0;
    if (s.areas.empty()) pop = static_cast<double>(s.assets[i].population);
    for (const Serve& sv : s.assets[i].serves)
      if (!s.areas.empty() && sv.area < s.areas.size()) pop += sv.share * static_cast<double>(s.areas[sv.area].residents);
    score[i] += pop;
    for (const Dependency& d : s.assets[i].depends_on) score[d.supplier] += pop;  // i is a dependent of d
  }
  // Output counts like people at EUR 100 a person-day (an order of GDP per resident and day:
  // EUR 1.6 bn / 11.8 M = EUR 136), so assets serving nobody but producing are candidates too.
  for (std::size_t i = 0; i < n; ++i) {
    const double out = impact.output_per_day(static_cast<Index>(i)) / 100.0;
    score[i] += out;
    for (const Dependency& d : s.assets[i].depends_on) score[d.supplier] += out;
  }
  for (std::size_t i = 0; i < n; ++i) score[i] *= s.assets[i].criticality;

  std::vector<Index> candidates(n);
  std::iota(candidates.begin(), candidates.end(), Index{0});
  if (o.top > 0 && o.top < n) {
    std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(o.top), candidates.end(),
                      [&](Index a, Index b) { return score[a] > score[b] || (score[a] == score[b] && a < b); });
    candidates.resize(o.top);
  }

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
    e.economic_loss_eur = world.economic_loss_eur(end);
    e.assets_out = world.outage_count();
    e.sectors_hit = world.sectors_with_outage();
    out.push_back(e);
    if (progress) progress(c + 1, candidates.size());
  }
  std::sort(out.begin(), out.end(), [](const CriticalityEntry& x, const CriticalityEntry& y) {
    if (x.population_hours != y.population_hours) return x.population_hours > y.population_hours;
    if (x.economic_loss_eur != y.economic_loss_eur) return x.economic_loss_eur > y.economic_loss_eur;
    return x.asset < y.asset;
  });
  return out;
}

std::vector<CriticalityEntry> rank_by_economic_loss(std::vector<CriticalityEntry> entries) {
  std::sort(entries.begin(), entries.end(), [](const CriticalityEntry& x, const CriticalityEntry& y) {
    if (x.economic_loss_eur != y.economic_loss_eur) return x.economic_loss_eur > y.economic_loss_eur;
    if (x.population_hours != y.population_hours) return x.population_hours > y.population_hours;
    return x.asset < y.asset;
  });
  return entries;
}

std::vector<std::vector<double>> sector_interdependency(const Scenario& s) {
  const std::size_t n = s.assets.size(), sectors = s.sectors.size();
  const ImpactModel impact(s);
  // Output weights: the assets' daily output; a sector without any output weighs its assets 1.
  std::vector<double> sector_output(sectors, 0.0);
  for (std::size_t k = 0; k < n; ++k)
    if (s.assets[k].sector < sectors) sector_output[s.assets[k].sector] += impact.output_per_day(static_cast<Index>(k));
  std::vector<double> x(n, 0.0), xs(sectors, 0.0);
  for (std::size_t k = 0; k < n; ++k) {
    const Index i = s.assets[k].sector;
    if (i >= sectors) continue;
    x[k] = sector_output[i] > 0 ? impact.output_per_day(static_cast<Index>(k)) : 1.0;
    xs[i] += x[k];
  }
  std::vector<std::vector<double>> a(sectors, std::vector<double>(sectors, 0.0));
  for (std::size_t k = 0; k < n; ++k) {
    const Asset& asset = s.assets[k];
    const Index i = asset.sector;
    if (i >= sectors || xs[i] <= 0 || x[k] <= 0) continue;
    double total = 0;
    for (const Dependency& d : asset.depends_on) total += d.weight * d.degradation;
    if (total <= 0) continue;
    for (const Dependency& d : asset.depends_on) {
      const Index j = s.assets[d.supplier].sector;
      if (j >= sectors) continue;
      a[i][j] += (x[k] / xs[i]) * d.weight * d.degradation / (1.0 + total);
    }
  }
  return a;
}

SectorInoperability iim_by_sector(const Scenario& s, double perturbation) {
  const std::size_t sectors = s.sectors.size();
  SectorInoperability r;
  r.perturbation = perturbation;
  r.a_star = sector_interdependency(s);
  const auto& a = r.a_star;
  std::vector<double> q(sectors), next(sectors);
  for (Index perturbed = 0; perturbed < sectors; ++perturbed) {
    std::fill(q.begin(), q.end(), 0.0);
    std::size_t sweep = 0;
    for (; sweep < 100'000; ++sweep) {
      double change = 0;
      for (std::size_t i = 0; i < sectors; ++i) {
        double v = i == perturbed ? perturbation : 0.0;
        for (std::size_t j = 0; j < sectors; ++j) v += a[i][j] * q[j];
        v = std::clamp(v, 0.0, 1.0);
        change = std::max(change, std::abs(v - q[i]));
        next[i] = v;
      }
      q.swap(next);
      if (change < 1e-12) break;
    }
    r.response.push_back(q);
    r.sweeps.push_back(sweep + 1);
  }
  return r;
}

}  // namespace cyberdrill
