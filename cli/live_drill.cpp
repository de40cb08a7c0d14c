// The live drill shared by the console and the window (see live_drill.hpp).
#include "live_drill.hpp"

#include <stdexcept>

namespace cyberdrill::cli {

// --- LiveDrill ----------------------------------------------------------------------------------

LiveDrill::LiveDrill(const Scenario& scenario, const RunOptions& options, DrillJournalWriter journal)
    : sc_(scenario), session_(scenario, options), journal_(std::move(journal)), impact_(scenario) {}

namespace {

// An id, or a 1-based number into `count` items.
Index pick(const std::string& text, std::size_t count, auto id_of) {
  for (Index i = 0; i < count; ++i)
    if (id_of(i) == text) return i;
  if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos && text.size() < 6) {
    const auto n = static_cast<Index>(std::stoul(text));
    if (n >= 1 && n <= count) return n - 1;
  }
  return kNone;
}

}  // namespace

std::string LiveDrill::decide(const std::string& decision, const std::string& option, const std::string& who) {
  const auto open = session_.response().open_decision_info();
  const Index k = pick(decision, open.size(), [&](Index i) { return sc_.decisions[open[i].decision].id; });
  if (k == kNone) return "decision '" + printable(decision) + "' is not open";
  const Decision& d = sc_.decisions[open[k].decision];
  const Index o = pick(option, d.options.size(), [&](Index i) { return d.options[i].id; });
  if (o == kNone) return "decision " + printable(d.id) + " has no option '" + printable(option) + "'";
  DrillAction a;
  a.kind = DrillAction::Kind::decide;
  a.decision = d.id;
  a.option = d.options[o].id;
  a.who = who;
  journal_then_apply(std::move(a));
  return {};
}

std::string LiveDrill::inject(const std::string& id) {
  for (Index k = 0; k < sc_.injects.size(); ++k) {
    if (sc_.injects[k].id != id) continue;
    if (session_.response().inject_delivered(k)) return "inject " + printable(id) + " was already delivered";
    DrillAction a;
    a.kind = DrillAction::Kind::inject;
    a.inject = id;
    journal_then_apply(std::move(a));
    return {};
  }
  return "no inject '" + printable(id) + "' in the scenario";
}

void LiveDrill::note(const std::string& text) {
  DrillAction a;
  a.kind = DrillAction::Kind::note;
  a.text = text;
  journal_then_apply(std::move(a));
}

void LiveDrill::journal_then_apply(DrillAction a) {
  a.time = session_.now();
  a.event = session_.dispatched();
  journal_.append(a);  // durable before it takes effect
  if (!session_.apply(a)) throw std::logic_error("a checked drill action did not apply");
}

std::vector<Index> LiveDrill::contingency_injects() const {
  std::vector<Index> out;
  for (Index k = 0; k < sc_.injects.size(); ++k)
    if (sc_.injects[k].contingency && !session_.response().inject_delivered(k)) out.push_back(k);
  return out;
}

LiveModel LiveDrill::model(LiveView view) const { return build_live_model(sc_, session_.snapshot(), view, 6, &impact_); }

}  // namespace cyberdrill::cli
