// The impact of a recorded run over time, for the impact curves. No SFML: pure and unit-testable.
//
// Contract
//  - impact_series(): replays the run's asset_level records through an ImpactModel (impact.hpp,
//    the model the run's metrics use) and returns one point at T+0, one after every instant at
//    which a level changed (the state once that instant settled), and one at `end`. Each point
//    holds the distinct people affected, the people without each service class, the loss rate
//    (EUR per day) and the loss accumulated since T+0 (EUR: the loss rate integrated over time,
//    piecewise constant between points). So the last point's loss is the run's economic_loss_eur,
//    the highest people is its peak_population_affected, and the highest per class its
//    peak_people_without_<class>.
//  - obligation_marks(): the deadlines of the run's obligation clocks that fall within
//    [T+0, end], grouped by (deadline, obligation): how many clocks, and how many of them were
//    met, missed or still running. In time order.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "cyberdrill/run.hpp"
#include "cyberdrill/scenario.hpp"
#include "cyberdrill/time.hpp"

namespace cyberdrill::viz {

struct ImpactPoint {
  SimTime at;
  double people = 0;
  std::array<double, kServiceClassCount> without{};
  double loss_per_day = 0;
  double loss_eur = 0;
};

[[nodiscard]] std::vector<ImpactPoint> impact_series(const Scenario& scenario, const std::vector<TraceRecord>& records,
                                                     SimTime end);

struct ObligationMark {
  SimTime due;
  std::string name;  ///< the obligation's name
  int clocks = 0;
  int met = 0;
  int missed = 0;
  int running = 0;
};

[[nodiscard]] std::vector<ObligationMark> obligation_marks(const Scenario& scenario, const RunResult& run);

}  // namespace cyberdrill::viz
