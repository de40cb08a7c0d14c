// The stated limits of a scenario and of a run, in one place: the reader refuses a scenario
// beyond the hard limits (an error), validate's lint warns about one beyond the soft ones, and the
// CLI's --max-events / --max-sim-time default to the run caps. No dependencies beyond time.hpp.
#pragma once

#include <cstdint>

#include "cyberdrill/time.hpp"

namespace cyberdrill {

/// Default run caps (RunOptions::max_events, max_sim_time through the CLI). The largest shipped
/// exercise dispatches about 10^4 events over its 5-day horizon; 10^7 leaves a factor of 1,000
/// for scale studies while a runaway (a background load of 10^6 tickets a day) stops in about
/// 13 s holding under 1 GB (measured: 5 x 10^7 took 65 s and 3.9 GB, the records kept for the
/// run folder). One year is far beyond any shipped exercise (1 to 5 days).
inline constexpr std::uint64_t kDefaultMaxEvents = 10'000'000;
inline constexpr Duration kDefaultMaxSimTime = Duration::days(366);

/// Hard limits (the reader's errors). A horizon over 10 years: the model's staff, rates and plans
/// do not hold over that time, and a run would need the caps removed anyway. A background load
/// over 10^6 tickets a day (about 12 a second): 37 times the 27,000 suspicious e-mails a day
/// safeonweb.be received in 2023 (DOMAIN.md), which are not even incidents.
inline constexpr Duration kMaxHorizon = Duration::days(3653);
inline constexpr double kMaxBackgroundRatePerDay = 1e6;

/// Soft limit (validate's lint warning): a national CSIRT's background load above 1,000 tickets
/// a day. CERT.be received about 43 a day in 2016 and 1,341 reports a month (about 45 a day) with
/// vendor feeds (DOMAIN.md); 1,000 a day is 20 times the highest rate on record there.
inline constexpr double kPlausibleBackgroundRatePerDay = 1000;

}  // namespace cyberdrill
