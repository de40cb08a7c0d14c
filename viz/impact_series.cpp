#include "impact_series.hpp"

#include <algorithm>

#include "cyberdrill/impact.hpp"

namespace cyberdrill::viz {

namespace {

ImpactPoint point_of(const ImpactModel& m, SimTime at, double loss) {
  ImpactPoint p;
  p.at = at;
  p.people = m.people_affected();
  for (std::size_t c = 0; c < kServiceClassCount; ++c) p.without[c] = m.people_without(static_cast<ServiceClass>(c));
  p.loss_per_day = m.loss_per_day();
  p.loss_eur = loss;
  return p;
}

}  // namespace

std::vector<ImpactPoint> impact_series(const Scenario& sc, const std::vector<TraceRecord>& records, SimTime end) {
  const std::size_t n = sc.assets.size();
  ImpactModel model(sc);
  std::vector<ImpactPoint> out;
  out.push_back(point_of(model, SimTime::zero(), 0));
  constexpr double kUsPerDay = 86400e6;
  double loss = 0;
  bool changed = false;
  for (std::size_t k = 0; k < records.size(); ++k) {
    const TraceRecord& r = records[k];
    if (r.time > end) break;
    if (r.kind == RecordKind::asset_level && r.subject < n) {
      model.set_level(r.subject, r.value);
      changed = true;
    }
    const bool end_of_instant = k + 1 == records.size() || records[k + 1].time != r.time;
    if (end_of_instant && changed) {
      const ImpactPoint& last = out.back();
      loss += last.loss_per_day * static_cast<double>((r.time - last.at).us()) / kUsPerDay;
      if (r.time == last.at) out.pop_back();  // T+0 changes replace the initial point
      out.push_back(point_of(model, r.time, loss));
      changed = false;
    }
  }
  const ImpactPoint last = out.back();
  if (end > last.at) {
    ImpactPoint p = last;
    p.at = end;
    p.loss_eur = last.loss_eur + last.loss_per_day * static_cast<double>((end - last.at).us()) / kUsPerDay;
    out.push_back(p);
  }
  return out;
}

std::vector<ObligationMark> obligation_marks(const Scenario& sc, const RunResult& run) {
  std::vector<ObligationMark> out;
  for (const ObligationClock& c : run.metrics.obligations) {
    if (c.due < SimTime::zero() || c.due > run.end || c.obligation >= sc.plan.obligations.size()) continue;
    const std::string& name = sc.plan.obligations[c.obligation].name;
    auto it = std::find_if(out.begin(), out.end(), [&](const ObligationMark& m) { return m.due == c.due && m.name == name; });
    if (it == out.end()) it = out.insert(out.end(), ObligationMark{c.due, name, 0, 0, 0, 0});
    ++it->clocks;
    it->met += c.state == ObligationClock::State::met;
    it->missed += c.state == ObligationClock::State::missed;
    it->running += c.state == ObligationClock::State::running;
  }
  std::stable_sort(out.begin(), out.end(), [](const ObligationMark& a, const ObligationMark& b) { return a.due < b.due; });
  return out;
}

}  // namespace cyberdrill::viz
