// What a planner needs to write --decide and to find an inject without opening the scenario: the
// decision ids with their options (default marked), the injects and the objectives. Used by
// `validate` (printed after the diagnostics) and by `__complete decisions` (bash completion).
#pragma once

#include <ostream>
#include <string>

#include "cyberdrill/scenario.hpp"
#include "cyberdrill/terminal_text.hpp"
#include "cyberdrill/time.hpp"

namespace cyberdrill::cli {

/// "at T+01:15", "on detection", ... : when an inject is delivered or a decision is asked.
inline std::string describe_trigger(const Trigger& t) {
  using K = Trigger::Kind;
  switch (t.kind) {
    case K::at_time: return "at " + format_sim_time(t.at);
    case K::detection: return "on detection";
    case K::report: return "on a report";
    case K::escalation: return "on escalation";
    case K::inject: return "after an inject";
    case K::decision: return "after a decision";
    case K::outage: return "on an outage";
    case K::condition: return "when " + t.metric + " >= " + std::to_string(static_cast<long long>(t.at_least));
    case K::procedure_done: return "after a procedure";
    case K::triage: return "after triage";
  }
  return "";
}

/// The listing, one item a line, scenario text made terminal-safe.
/// Nothing for a scenario with no decisions, injects or objectives (a generated scale study).
inline void print_listing(std::ostream& out, const Scenario& s) {
  if (s.decisions.empty() && s.injects.empty() && s.objectives.empty()) return;
  auto safe = [](const std::string& text) { return terminal_safe(text); };
  out << "decisions (" << s.decisions.size() << "): --decide ID=OPTION\n";
  for (const Decision& d : s.decisions) {
    out << "  " << safe(d.id) << "  " << describe_trigger(d.when) << ", deadline " << format_duration(d.deadline);
    if (d.owner != kNone && d.owner < s.organisations.size()) out << ", owner " << safe(s.organisations[d.owner].id);
    out << ": " << safe(d.question) << "\n";
    for (std::size_t i = 0; i < d.options.size(); ++i) {
      const DecisionOption& o = d.options[i];
      out << "      " << safe(d.id) << "=" << safe(o.id) << (i == d.default_option ? "  (default)" : "");
      if (!o.label.empty()) out << "  " << safe(o.label);
      out << "\n";
    }
  }
  out << "injects (" << s.injects.size() << "):\n";
  for (const Inject& i : s.injects) {
    out << "  " << safe(i.id) << "  " << describe_trigger(i.when);
    if (i.to != kNone && i.to < s.organisations.size()) out << " to " << safe(s.organisations[i.to].id);
    if (!i.synopsis.empty()) out << ": " << safe(i.synopsis);
    out << "\n";
  }
  out << "objectives (" << s.objectives.size() << "):\n";
  for (const Objective& o : s.objectives) {
    out << "  " << safe(o.id) << "  " << safe(o.metric) << " (" << (o.lower_is_better ? "lower" : "higher")
        << " is better)";
    if (!o.name.empty()) out << ": " << safe(o.name);
    out << "\n";
  }
}

}  // namespace cyberdrill::cli
