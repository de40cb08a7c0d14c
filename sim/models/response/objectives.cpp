// Metric names, severity rule, plan step numbering and objective ratings.
#include "cyberdrill/metrics.hpp"
#include "cyberdrill/response.hpp"

namespace cyberdrill {

const std::vector<std::string>& response_metric_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const MetricInfo& m : kMetrics) v.emplace_back(m.name);
    return v;
  }();
  return names;
}

int severity_of(std::uint64_t population_affected, int sectors_affected, bool incident_known, bool malicious) {
  if (!incident_known) return 0;
  int s = 1;
  if (population_affected > 0 || sectors_affected > 0 || malicious) s = 2;
  if (population_affected >= 10'000 || sectors_affected >= 2) s = 3;
  if (population_affected >= 100'000 || sectors_affected >= 3) s = 4;
  if (population_affected >= 1'000'000 || sectors_affected >= 5) s = 5;
  return s;
}

int severity_relative(double people, double residents, int sectors, bool incident_known, bool malicious) {
  if (!incident_known) return 0;
  const double share = residents > 0 ? people / residents : 0.0;
  int s = 1;
  if (people > 0.5 || sectors > 0 || malicious) s = 2;
  if (share >= 0.001 || sectors >= 2 || (malicious && sectors >= 1)) s = 3;
  if (share >= 0.01 || (sectors >= 3 && share >= 0.001)) s = 4;
  if (share >= 0.10 || (sectors >= 5 && share >= 0.05)) s = 5;
  return s;
}

Index flat_step_index(const Plan& plan, Index procedure, Index step) {
  Index flat = 0;
  for (Index p = 0; p < procedure && p < plan.procedures.size(); ++p)
    flat += static_cast<Index>(plan.procedures[p].steps.size());
  return flat + step;
}

StepRef step_of_flat_index(const Plan& plan, Index flat) {
  for (Index p = 0; p < plan.procedures.size(); ++p) {
    const auto n = static_cast<Index>(plan.procedures[p].steps.size());
    if (flat < n) return StepRef{p, flat};
    flat -= n;
  }
  return StepRef{};
}

std::optional<double> PlanCoverage::completed_fraction() const {
  if (steps.empty()) return std::nullopt;
  int done = 0;
  for (const auto& s : steps) done += s.completed > 0 ? 1 : 0;
  return static_cast<double>(done) / static_cast<double>(steps.size());
}

std::optional<double> QueueStats::mean_wait_h() const {
  if (served == 0) return std::nullopt;
  return total_wait_h / static_cast<double>(served);
}

std::optional<double> QueueStats::waited_fraction() const {
  if (served == 0) return std::nullopt;
  return static_cast<double>(waited) / static_cast<double>(served);
}

char rating_letter(Rating r) {
  switch (r) {
    case Rating::P: return 'P';
    case Rating::S: return 'S';
    case Rating::M: return 'M';
    case Rating::U: return 'U';
  }
  return 'U';
}

std::vector<ObjectiveRating> rate_objectives(const Scenario& scenario, const MetricValues& metrics) {
  std::vector<ObjectiveRating> out;
  out.reserve(scenario.objectives.size());
  for (Index i = 0; i < scenario.objectives.size(); ++i) {
    const Objective& o = scenario.objectives[i];
    ObjectiveRating r{i, std::nullopt, Rating::U};
    if (auto it = metrics.find(o.metric); it != metrics.end() && it->second) {
      const double v = *it->second;
      r.value = v;
      auto better_or_equal = [&](double target) { return o.lower_is_better ? v <= target : v >= target; };
      if (better_or_equal(o.p)) r.rating = Rating::P;
      else if (better_or_equal(o.s)) r.rating = Rating::S;
      else if (better_or_equal(o.m)) r.rating = Rating::M;
      else r.rating = Rating::U;
    }
    out.push_back(r);
  }
  return out;
}

void emit_objective_ratings(Simulation& sim, const std::vector<ObjectiveRating>& ratings) {
  for (const auto& r : ratings) {
    TraceRecord rec;
    rec.kind = RecordKind::objective_rated;
    rec.subject = r.objective;
    rec.value = r.value ? *r.value : -1.0;
    rec.detail = static_cast<std::uint32_t>(r.rating);
    sim.emit(rec);
  }
}

}  // namespace cyberdrill
