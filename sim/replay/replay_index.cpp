// Seekable replay state of a recorded run: checkpoints every N records. Contract in
// include/cyberdrill/replay.hpp.
#include <algorithm>
#include <cmath>
#include <limits>

#include "cyberdrill/impact.hpp"
#include "cyberdrill/replay.hpp"
#include "cyberdrill/world.hpp"

namespace cyberdrill {

namespace {
constexpr double kUnknown = std::numeric_limits<double>::quiet_NaN();
}

ReplayIndex::ReplayIndex(const Scenario& scenario, const std::vector<TraceRecord>& records, Index observer,
                         std::size_t checkpoint_every)
    : sc_(scenario), records_(records), observer_(observer), impact_(std::make_shared<const ImpactModel>(scenario)) {
  const std::size_t n = sc_.assets.size();
  // A checkpoint costs about 19 bytes an asset; by default one every max(512, n / 4) records, so
  // memory stays within ~80 bytes a record and a seek applies no more records than it copies
  // asset states.
  every_ = checkpoint_every > 0 ? checkpoint_every : std::max<std::size_t>(512, n / 4);
  Checkpoint s;
  s.level.assign(n, 1.0);
  s.compromised.assign(n, 0);
  s.contained.assign(n, 0);
  s.believed.assign(n, kUnknown);
  checkpoints_.push_back(s);
  times_.push_back(SimTime::zero());
  for (std::size_t k = 0; k < records_.size(); ++k) {
    const TraceRecord& r = records_[k];
    if (r.time != times_.back()) times_.push_back(r.time);
    switch (r.kind) {
      case RecordKind::inject_delivered: marks_[static_cast<int>(ReplayMark::inject)].push_back(r.time); break;
      case RecordKind::decision_taken: marks_[static_cast<int>(ReplayMark::decision)].push_back(r.time); break;
      case RecordKind::escalated: marks_[static_cast<int>(ReplayMark::escalation)].push_back(r.time); break;
      case RecordKind::asset_level:
        if (r.value < kOutageLevel && r.previous_value >= kOutageLevel)
          marks_[static_cast<int>(ReplayMark::outage)].push_back(r.time);
        break;
      default: break;
    }
    apply(s, r);
    s.applied = k + 1;
    if (s.applied % every_ == 0) checkpoints_.push_back(s);
  }
  for (auto& m : marks_) m.erase(std::unique(m.begin(), m.end()), m.end());
}

void ReplayIndex::apply(Checkpoint& s, const TraceRecord& r) const {
  const bool asset = r.subject < s.level.size();
  switch (r.kind) {
    case RecordKind::asset_level:
      if (asset) s.level[r.subject] = r.value;
      break;
    case RecordKind::asset_compromised:
      if (asset) s.compromised[r.subject] = 1;
      break;
    case RecordKind::asset_contained:
      if (asset) s.contained[r.subject] = 1;
      break;
    case RecordKind::knowledge:
      if (asset && observer_ != kNone && r.actor == observer_) s.believed[r.subject] = r.value;
      break;
    case RecordKind::escalated:
    case RecordKind::deescalated: s.escalation = r.subject; break;
    default: break;
  }
}

ReplayState ReplayIndex::seek(SimTime at) const {
  // The last checkpoint whose records all lie at or before `at`.
  std::size_t lo = 0, hi = checkpoints_.size();
  while (hi - lo > 1) {
    const std::size_t mid = (lo + hi) / 2;
    if (records_[checkpoints_[mid].applied - 1].time <= at) lo = mid;
    else hi = mid;
  }
  Checkpoint s = checkpoints_[lo];
  while (s.applied < records_.size() && records_[s.applied].time <= at) apply(s, records_[s.applied++]);
  ReplayState out;
  out.at = at;
  out.applied = s.applied;
  out.escalation = s.escalation;
  const std::size_t n = s.level.size();
  thread_local std::vector<std::pair<Index, double>> known;
  known.clear();
  for (std::size_t i = 0; i < n; ++i) {
    if (s.level[i] < kFullServiceLevel) ++out.below_full;
    if (s.level[i] < kOutageLevel) ++out.in_outage;
    if (!std::isnan(s.believed[i])) {
      known.emplace_back(static_cast<Index>(i), s.believed[i]);
      if (s.believed[i] < kFullServiceLevel) ++out.known_below_full;
    }
  }
  out.population_affected = impact_->evaluate_all(s.level).people;
  out.population_believed = impact_->evaluate(known).people;
  out.level = std::move(s.level);
  out.compromised = std::move(s.compromised);
  out.contained = std::move(s.contained);
  out.believed = std::move(s.believed);
  return out;
}

std::optional<SimTime> ReplayIndex::next_event(SimTime t) const {
  const auto it = std::upper_bound(times_.begin(), times_.end(), t);
  if (it == times_.end()) return std::nullopt;
  return *it;
}

std::optional<SimTime> ReplayIndex::previous_event(SimTime t) const {
  const auto it = std::lower_bound(times_.begin(), times_.end(), t);
  if (it == times_.begin()) return std::nullopt;
  return *std::prev(it);
}

std::optional<SimTime> ReplayIndex::next_mark(ReplayMark kind, SimTime t) const {
  const auto& m = marks_[static_cast<int>(kind)];
  const auto it = std::upper_bound(m.begin(), m.end(), t);
  if (it == m.end()) return std::nullopt;
  return *it;
}

}  // namespace cyberdrill
