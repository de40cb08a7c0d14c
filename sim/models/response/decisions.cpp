#include "cyberdrill/decisions.hpp"

#include <algorithm>
#include <stdexcept>

namespace cyberdrill {

namespace {

Index decision_index_or_throw(const Scenario& sc, std::string_view id) {
  for (std::size_t i = 0; i < sc.decisions.size(); ++i)
    if (sc.decisions[i].id == id) return static_cast<Index>(i);
  throw std::invalid_argument("unknown decision \"" + std::string(id) + "\"");
}

Index option_index_or_throw(const Decision& d, std::string_view id) {
  for (std::size_t i = 0; i < d.options.size(); ++i)
    if (d.options[i].id == id) return static_cast<Index>(i);
  std::string known;
  for (const auto& o : d.options) known += (known.empty() ? "" : ", ") + o.id;
  throw std::invalid_argument("decision \"" + d.id + "\" has no option \"" + std::string(id) + "\" (options: " +
                              known + ")");
}

}  // namespace

const DecisionEntry* DecisionJournal::find_or_null(std::string_view decision) const {
  for (const auto& e : entries)
    if (e.decision == decision) return &e;
  return nullptr;
}

DecisionChoice DefaultDecisionPolicy::decide(const Scenario& scenario, const DecisionRequest& request) const {
  const Decision& d = scenario.decisions.at(request.decision);
  return DecisionChoice{d.default_option, saturating_add(request.owner_available, request.deliberation), "policy"};
}

OverrideDecisionPolicy::OverrideDecisionPolicy(const Scenario& scenario,
                                               const std::map<std::string, std::string>& overrides) {
  for (const auto& [decision, option] : overrides) {
    const Index d = decision_index_or_throw(scenario, decision);
    option_of_[d] = option_index_or_throw(scenario.decisions[d], option);
  }
}

DecisionChoice OverrideDecisionPolicy::decide(const Scenario& scenario, const DecisionRequest& request) const {
  if (auto it = option_of_.find(request.decision); it != option_of_.end())
    return DecisionChoice{it->second, saturating_add(request.owner_available, request.deliberation), "override"};
  return DefaultDecisionPolicy{}.decide(scenario, request);
}

JournalReplayPolicy::JournalReplayPolicy(const Scenario& scenario, const DecisionJournal& journal,
                                         std::optional<SimTime> until, const DecisionPolicy& fallback)
    : fallback_(&fallback) {
  for (const DecisionEntry& e : journal.entries) {
    const Index d = decision_index_or_throw(scenario, e.decision);
    const Index o = option_index_or_throw(scenario.decisions[d], e.option);
    if (until && !(e.time < *until)) continue;
    replay_.try_emplace(d, Replayed{o, e.time});  // a decision is taken once per run: first wins
  }
}

DecisionChoice JournalReplayPolicy::decide(const Scenario& scenario, const DecisionRequest& request) const {
  if (auto it = replay_.find(request.decision); it != replay_.end())
    return DecisionChoice{it->second.option, std::max(it->second.time, request.opened), "journal"};
  return fallback_->decide(scenario, request);
}

std::pair<std::string, std::string> parse_decision_override(std::string_view text) {
  const auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == text.size())
    throw std::invalid_argument("decision override \"" + std::string(text) + "\" must look like D-02=option");
  return {std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))};
}

}  // namespace cyberdrill
