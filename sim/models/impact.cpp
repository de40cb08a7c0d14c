// ImpactModel: the overlap model of include/cyberdrill/impact.hpp.
#include "cyberdrill/impact.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>
#include <utility>
#include <vector>

namespace cyberdrill {

namespace {
constexpr std::uint32_t kUnspecified = static_cast<std::uint32_t>(kServiceClassCount);

double lack(double sum) { return std::clamp(sum, 0.0, 1.0); }

/// lack_c of impact.hpp by class slot (the fallback's "unspecified" slot is linear).
double slot_lack(std::uint32_t klass, double level) {
  if (klass >= kServiceClassCount) return 1.0 - level;
  return ImpactModel::lack_of(static_cast<ServiceClass>(klass), level);
}

/// Share of residents lacking at least one class, from the per-slot sums of one area.
double affected_share(const double* sums) {
  double served = 1.0;
  for (std::size_t c = 0; c < ImpactModel::kSlots; ++c) served *= 1.0 - lack(sums[c]);
  return 1.0 - served;
}
}  // namespace

double people_served(const Scenario& sc, Index asset) {
  const Asset& a = sc.assets.at(asset);
  if (sc.areas.empty()) return static_cast<double>(a.population);
  double p = 0;
  for (const Serve& s : a.serves)
    if (s.area < sc.areas.size()) p += s.share * static_cast<double>(sc.areas[s.area].residents);
  return p;
}

double ImpactModel::usable_level(ServiceClass c) {
  return c == ServiceClass::payments || c == ServiceClass::emergency_calls ? 0.5 : 1.0;
}

double ImpactModel::lack_of(ServiceClass c, double level) {
  level = std::clamp(level, 0.0, 1.0);
  const double u = usable_level(c);
  return std::clamp((u - level) / u, 0.0, 1.0);
}

ImpactModel::ImpactModel(const Scenario& sc) {
  // One pass over the assets (each Asset is 288 bytes and 10^6 of them do not stay in any cache):
  // serves, sector and declared output together; the sectors' unassigned output is spread over
  // the assets that declare none afterwards, from the per-asset arrays.
  const std::size_t n = sc.assets.size();
  const std::size_t sectors = sc.sectors.size();
  uses_areas_ = !sc.areas.empty();
  serve_offset_.assign(n + 1, 0);
  if (uses_areas_) {
    for (const Area& a : sc.areas) {
      area_residents_.push_back(static_cast<double>(a.residents));
      residents_ += static_cast<double>(a.residents);
    }
  }
  // Outputs: declared per asset, else the sector's unassigned output spread evenly. An asset
  // that declares none is marked -1 until the spread below (a declared output is >= 0).
  output_.assign(n, 0.0);
  sector_.resize(n);
  std::vector<double> assigned(sectors, 0.0);
  std::vector<std::size_t> open(sectors, 0);
  bool any_open = false;
  for (std::size_t i = 0; i < n; ++i) {
    const Asset& a = sc.assets[i];
    if (uses_areas_) {
      for (const Serve& s : a.serves)
        if (s.area < sc.areas.size())
          serves_.push_back({s.area, static_cast<std::uint32_t>(s.service), std::clamp(s.share, 0.0, 1.0)});
    } else if (a.population > 0) {
      serves_.push_back({static_cast<std::uint32_t>(area_residents_.size()), kUnspecified, 1.0});
      area_residents_.push_back(static_cast<double>(a.population));
    }
    serve_offset_[i + 1] = static_cast<std::uint32_t>(serves_.size());
    sector_[i] = a.sector < sectors ? a.sector : kNone;
    if (a.daily_output_eur >= 0) {
      output_[i] = a.daily_output_eur;
      if (sector_[i] != kNone) assigned[sector_[i]] += a.daily_output_eur;
    } else if (sector_[i] != kNone) {
      ++open[sector_[i]];
      output_[i] = -1.0;
      any_open = true;
    }
  }
  if (any_open) {
    for (std::size_t i = 0; i < n; ++i) {
      if (!(output_[i] < 0)) continue;
      const Index s = sector_[i];  // an asset marked open has a sector, and open[s] >= 1
      const double rest = std::max(0.0, sc.sectors[s].daily_output_eur - assigned[s]);
      output_[i] = rest / static_cast<double>(open[s]);
    }
  }
  for (double o : output_) national_output_ += o;
  sector_loss_rate_.assign(sectors, 0.0);
  reset();
}

void ImpactModel::reset() {
  level_.assign(output_.size(), 1.0);
  sums_.assign(area_residents_.size() * kSlots, 0.0);
  area_people_.assign(area_residents_.size(), 0.0);
  class_people_.fill(0.0);
  people_ = 0;
  loss_rate_ = 0;
  std::fill(sector_loss_rate_.begin(), sector_loss_rate_.end(), 0.0);
}

void ImpactModel::recompute_area(std::uint32_t r) {
  const double now = area_residents_[r] * affected_share(&sums_[std::size_t{r} * kSlots]);
  people_ += now - area_people_[r];
  area_people_[r] = now;
  if (people_ < 1e-6) people_ = 0;  // drift of +/- sums
}

void ImpactModel::set_level(Index asset, double level) {
  level = std::clamp(level, 0.0, 1.0);
  const double old = level_[asset];
  const double d = old - level;  // increase of (1 - level)
  if (d == 0) return;
  level_[asset] = level;
  for (std::uint32_t p = serve_offset_[asset]; p < serve_offset_[asset + 1]; ++p) {
    const Slot& s = serves_[p];
    const double delta = s.share * (slot_lack(s.klass, level) - slot_lack(s.klass, old));
    if (delta == 0) continue;  // e.g. payments above their usability threshold
    double& sum = sums_[std::size_t{s.area} * kSlots + s.klass];
    const double before = lack(sum);
    sum += delta;
    if (std::abs(sum) < 1e-12) sum = 0;
    class_people_[s.klass] += area_residents_[s.area] * (lack(sum) - before);
    if (std::abs(class_people_[s.klass]) < 1e-6) class_people_[s.klass] = 0;
    recompute_area(s.area);
  }
  const double dl = output_[asset] * d;
  loss_rate_ += dl;
  if (std::abs(loss_rate_) < 1e-6) loss_rate_ = 0;
  if (sector_[asset] != kNone) {
    double& sr = sector_loss_rate_[sector_[asset]];
    sr += dl;
    if (std::abs(sr) < 1e-6) sr = 0;
  }
}

int ImpactModel::Evaluation::areas_at_least(double share) const {
  int k = 0;
  for (const auto& [area, s] : areas) k += s >= share ? 1 : 0;
  return k;
}

namespace {
// evaluate()'s scratch for scenarios with few areas (the national scenarios: a dozen or so): the
// per-slot sums indexed by area directly, the areas touched, and a mark per area. One per thread
// (an evaluation is a pure function; the scratch is all zero again when it returns).
constexpr std::size_t kDirectAreas = 4096;
struct EvalScratch {
  std::vector<double> sums;
  std::vector<std::uint32_t> touched;
  std::vector<std::uint8_t> mark;
};
thread_local EvalScratch eval_scratch;

// The direct path's sums, shared by evaluate() and evaluate_people(): each touched area's slot sums
// from 0.0 with the terms in input order, the touched areas listed in x.touched (sorted on return).
// The caller reads and clears them. Returns the lost output per day.
template <class SlotT>
double accumulate_direct(std::span<const std::pair<Index, double>> levels,
                         const std::vector<double>& output, const std::vector<std::uint32_t>& serve_offset,
                         const std::vector<SlotT>& serves, std::size_t n_areas, EvalScratch& x) {
  if (x.mark.size() < n_areas) {
    x.mark.resize(n_areas, 0);
    x.sums.resize(n_areas * ImpactModel::kSlots, 0.0);
  }
  x.touched.clear();
  double loss_per_day = 0;
  for (const auto& [asset, raw] : levels) {
    if (asset >= output.size()) continue;
    const double loss = 1.0 - std::clamp(raw, 0.0, 1.0);
    if (loss <= 0) continue;
    loss_per_day += output[asset] * loss;
    for (std::uint32_t p = serve_offset[asset]; p < serve_offset[asset + 1]; ++p) {
      const SlotT& s = serves[p];
      if (!x.mark[s.area]) {
        x.mark[s.area] = 1;
        x.touched.push_back(s.area);
      }
      x.sums[std::size_t{s.area} * ImpactModel::kSlots + s.klass] += s.share * slot_lack(s.klass, 1.0 - loss);
    }
  }
  std::sort(x.touched.begin(), x.touched.end());
  return loss_per_day;
}
}  // namespace

ImpactModel::Evaluation ImpactModel::evaluate(std::span<const std::pair<Index, double>> levels) const {
  Evaluation ev;
  if (area_residents_.size() <= kDirectAreas) {
    // The same sums as the general path below, added in the same order (each area's slot sum
    // takes its terms in input order from 0.0), and the areas visited ascending: bit for bit the
    // same evaluation, without a list search per term or an allocation per call.
    EvalScratch& x = eval_scratch;
    ev.loss_per_day = accumulate_direct(levels, output_, serve_offset_, serves_, area_residents_.size(), x);
    if (uses_areas_) ev.areas.reserve(x.touched.size());
    for (const std::uint32_t area : x.touched) {
      double* sm = &x.sums[std::size_t{area} * kSlots];
      const double share = affected_share(sm);
      const double res = area_residents_[area];
      ev.people += res * share;
      for (std::size_t c = 0; c < kServiceClassCount; ++c) ev.without[c] += res * lack(sm[c]);
      if (uses_areas_ && share > 0) ev.areas.emplace_back(area, share);
      std::fill(sm, sm + kSlots, 0.0);
      x.mark[area] = 0;
    }
    return ev;
  }
  // Per area touched, the sums in input order; then the areas in ascending order (a flat list:
  // an evaluation touches a few areas, and a std::map allocated a node for each).
  using Sums = std::array<double, kSlots>;
  std::vector<std::pair<std::uint32_t, Sums>> sums;
  std::unordered_map<std::uint32_t, std::size_t> where;  // used once the list is long
  auto slot = [&](std::uint32_t area) -> Sums& {
    if (sums.size() <= 16) {
      for (auto& e : sums)
        if (e.first == area) return e.second;
    } else {
      if (where.empty())
        for (std::size_t i = 0; i < sums.size(); ++i) where.emplace(sums[i].first, i);
      const auto it = where.find(area);
      if (it != where.end()) return sums[it->second].second;
    }
    if (!where.empty()) where.emplace(area, sums.size());
    return sums.emplace_back(area, Sums{}).second;
  };
  for (const auto& [asset, raw] : levels) {
    if (asset >= output_.size()) continue;
    const double loss = 1.0 - std::clamp(raw, 0.0, 1.0);
    if (loss <= 0) continue;
    ev.loss_per_day += output_[asset] * loss;
    for (std::uint32_t p = serve_offset_[asset]; p < serve_offset_[asset + 1]; ++p) {
      const Slot& s = serves_[p];
      slot(s.area)[s.klass] += s.share * slot_lack(s.klass, 1.0 - loss);
    }
  }
  std::sort(sums.begin(), sums.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [area, sm] : sums) {
    const double share = affected_share(sm.data());
    const double res = area_residents_[area];
    ev.people += res * share;
    for (std::size_t c = 0; c < kServiceClassCount; ++c) ev.without[c] += res * lack(sm[c]);
    if (uses_areas_ && share > 0) ev.areas.emplace_back(area, share);
  }
  return ev;
}

double ImpactModel::evaluate_people(std::span<const std::pair<Index, double>> levels) const {
  if (area_residents_.size() > kDirectAreas) return evaluate(levels).people;
  // evaluate()'s direct path for the people alone: the same sums in the same order.
  EvalScratch& x = eval_scratch;
  (void)accumulate_direct(levels, output_, serve_offset_, serves_, area_residents_.size(), x);
  double people = 0;
  for (const std::uint32_t area : x.touched) {
    double* sm = &x.sums[std::size_t{area} * kSlots];
    people += area_residents_[area] * affected_share(sm);
    std::fill(sm, sm + kSlots, 0.0);
    x.mark[area] = 0;
  }
  return people;
}

ImpactModel::Tracker::Tracker(const ImpactModel& model) : m_(model) {
  const std::size_t n = m_.output_.size(), areas = m_.area_residents_.size();
  raw_.assign(n, 1.0);
  serve_asset_.resize(m_.serves_.size());
  for (std::size_t a = 0; a < n; ++a)
    for (std::uint32_t p = m_.serve_offset_[a]; p < m_.serve_offset_[a + 1]; ++p) serve_asset_[p] = static_cast<Index>(a);
  lossy_.resize(areas);
  sums_.assign(areas * kSlots, 0.0);
  share_.assign(areas, 0.0);
  terms_.assign(areas * (kServiceClassCount + 1), 0.0);
  touched_mark_.assign(areas, 0);
  dirty_mark_.assign(areas, 0);
}

namespace {
/// Whether evaluate() adds terms for an asset at `raw` (its `loss <= 0` test, NaN included).
bool has_loss(double raw) { return !(1.0 - std::clamp(raw, 0.0, 1.0) <= 0); }
}  // namespace

void ImpactModel::Tracker::set_raw(Index asset, double v) {
  const bool was = has_loss(raw_[asset]), is = has_loss(v);
  raw_[asset] = v;
  for (std::uint32_t p = m_.serve_offset_[asset]; p < m_.serve_offset_[asset + 1]; ++p) {
    const std::uint32_t r = m_.serves_[p].area;
    if (was != is) {
      std::vector<std::uint32_t>& list = lossy_[r];
      const auto at = std::lower_bound(list.begin(), list.end(), p);
      if (is) list.insert(at, p);
      else list.erase(at);
    }
    if (!dirty_mark_[r]) {
      dirty_mark_[r] = 1;
      dirty_.push_back(r);
    }
  }
}

void ImpactModel::Tracker::recompute(std::uint32_t r) {
  double* sm = &sums_[std::size_t{r} * kSlots];
  std::fill(sm, sm + kSlots, 0.0);
  const std::vector<std::uint32_t>& list = lossy_[r];
  for (const std::uint32_t p : list) {
    const double loss = 1.0 - std::clamp(raw_[serve_asset_[p]], 0.0, 1.0);
    const Slot& s = m_.serves_[p];
    sm[s.klass] += s.share * slot_lack(s.klass, 1.0 - loss);
  }
  share_[r] = affected_share(sm);
  // The products evaluate() adds up per area, made once here (the same doubles).
  const double res = m_.area_residents_[r];
  double* t = &terms_[std::size_t{r} * (kServiceClassCount + 1)];
  t[0] = res * share_[r];
  for (std::size_t c = 0; c < kServiceClassCount; ++c) t[1 + c] = res * lack(sm[c]);
  const bool touched = !list.empty();
  if (touched == (touched_mark_[r] != 0)) return;
  touched_mark_[r] = touched ? 1 : 0;
  const auto at = std::lower_bound(touched_.begin(), touched_.end(), r);
  if (touched) touched_.insert(at, r);
  else touched_.erase(at);
}

const ImpactModel::Evaluation& ImpactModel::Tracker::update(std::span<const std::pair<Index, double>> levels) {
  for (std::size_t i = 1; i < levels.size(); ++i)
    if (!(levels[i - 1].first < levels[i].first)) {
      valid_ = false;  // ev_ no longer the evaluation of last_; the tables still are last_'s
      ev_ = m_.evaluate(levels);
      return ev_;
    }
  const std::size_t n = raw_.size();
  bool changed = !valid_;
  // Merge the two ascending lists: every asset added, dropped or at another level dirties its areas.
  std::size_t i = 0, j = 0;
  while (i < last_.size() || j < levels.size()) {
    Index a;
    double v;
    if (j == levels.size() || (i < last_.size() && last_[i].first < levels[j].first)) {
      a = last_[i++].first;
      v = 1.0;
    } else if (i == last_.size() || levels[j].first < last_[i].first) {
      a = levels[j].first;
      v = levels[j++].second;
    } else {
      a = levels[j].first;
      v = levels[j].second;
      const bool same = last_[i].second == v;
      ++i;
      ++j;
      if (same) continue;
    }
    if (a >= n) continue;  // evaluate() skips it
    set_raw(a, v);
    changed = true;
  }
  if (!changed) return ev_;
  last_.assign(levels.begin(), levels.end());
  for (const std::uint32_t r : dirty_) {
    recompute(r);
    dirty_mark_[r] = 0;
  }
  dirty_.clear();
  ev_.people = 0;
  ev_.without.fill(0.0);
  ev_.areas.clear();
  ev_.loss_per_day = 0;
  for (const auto& [asset, raw] : levels) {
    if (asset >= n) continue;
    const double loss = 1.0 - std::clamp(raw, 0.0, 1.0);
    if (loss <= 0) continue;
    ev_.loss_per_day += m_.output_[asset] * loss;
  }
  for (const std::uint32_t r : touched_) {
    const double* t = &terms_[std::size_t{r} * (kServiceClassCount + 1)];
    ev_.people += t[0];
    for (std::size_t c = 0; c < kServiceClassCount; ++c) ev_.without[c] += t[1 + c];
    if (m_.uses_areas_ && share_[r] > 0) ev_.areas.emplace_back(r, share_[r]);
  }
  valid_ = true;
  return ev_;
}

ImpactModel::Evaluation ImpactModel::evaluate_all(std::span<const double> levels) const {
  std::vector<std::pair<Index, double>> sparse;
  for (std::size_t i = 0; i < levels.size() && i < output_.size(); ++i)
    if (levels[i] < 1.0) sparse.emplace_back(static_cast<Index>(i), levels[i]);
  return evaluate(sparse);
}

}  // namespace cyberdrill
