#include "reachability_lint.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "cyberdrill/metrics.hpp"

namespace cyberdrill::io {
namespace {

using Severity = Diagnostic::Severity;

std::string q(const std::string& s) { return "\"" + s + "\""; }

std::string quoted_list(const std::vector<std::string>& ids) {
  std::string out;
  for (std::size_t i = 0; i < ids.size(); ++i) out += (i == 0 ? "" : ", ") + q(ids[i]);
  return out;
}

/// Calls f(effect, performer) for every effect of the scenario: procedure steps (performer: the
/// step's organisation, else the procedure's owner), decision options (the decision's owner) and
/// injects (kNone: the model's source of an inject's effect is not an organisation's picture).
template <class F>
void for_each_effect(const Scenario& s, F&& f) {
  for (const Procedure& p : s.plan.procedures)
    for (const ProcedureStep& st : p.steps) f(st.effect, st.org != kNone ? st.org : p.owner);
  for (const Decision& d : s.decisions)
    for (const DecisionOption& o : d.options)
      for (const Effect& e : o.effects) f(e, d.owner);
  for (const Inject& in : s.injects) f(in.effect, kNone);
}

/// The organisation that triages, as Response picks it when no option names one: the background
/// load's organisation, else the first CSIRT (kNone: none).
Index triage_organisation(const Scenario& s) {
  if (s.background.org != kNone) return s.background.org;
  for (Index i = 0; i < s.organisations.size(); ++i)
    if (s.organisations[i].kind == OrgKind::csirt) return i;
  return kNone;
}

/// Who can pass an incident's knowledge to whom, as the response model moves it: a reporting
/// channel (from -> to), a notify effect (its performer -> the notified organisation; from anyone
/// when the performer is not an organisation), a typed report (the obliged operator -> the
/// obligation's recipient).
struct KnowledgeGraph {
  std::vector<std::vector<Index>> next;
  std::vector<bool> notified_by_anyone;

  explicit KnowledgeGraph(const Scenario& s, Index triage)
      : next(s.organisations.size()), notified_by_anyone(s.organisations.size(), false) {
    const std::size_t n = s.organisations.size();
    auto edge = [&](Index from, Index to) {
      if (from < n && to < n) next[from].push_back(to);
    };
    for (const Channel& ch : s.channels)
      for (Index f : ch.from) edge(f, ch.to);
    for_each_effect(s, [&](const Effect& e, Index performer) {
      if (e.kind != Effect::Kind::notify || e.org >= n) return;
      if (performer < n) edge(performer, e.org);
      else notified_by_anyone[e.org] = true;
    });
    for (const Obligation& ob : s.plan.obligations) {
      if (ob.report == ReportType::incident) continue;
      const Index to = ob.to != kNone ? ob.to : triage;
      for (Index op : operators_of(s, ob)) edge(op, to);
    }
  }

  /// The operators an obligation applies to: those operating an asset of its sectors (any sector
  /// when it names none), in organisation order.
  static std::vector<Index> operators_of(const Scenario& s, const Obligation& ob) {
    std::vector<bool> in(s.organisations.size(), false);
    for (const Asset& a : s.assets) {
      if (a.operator_org >= in.size()) continue;
      if (!ob.sectors.empty() && std::find(ob.sectors.begin(), ob.sectors.end(), a.sector) == ob.sectors.end()) continue;
      in[a.operator_org] = true;
    }
    std::vector<Index> out;
    for (Index i = 0; i < in.size(); ++i)
      if (in[i]) out.push_back(i);
    return out;
  }

  [[nodiscard]] bool reaches(Index from, Index to) const {
    if (to >= next.size()) return false;
    if (from == to || notified_by_anyone[to]) return true;
    std::vector<bool> seen(next.size(), false);
    std::vector<Index> stack{from};
    seen[from] = true;
    while (!stack.empty()) {
      const Index u = stack.back();
      stack.pop_back();
      for (Index v : next[u]) {
        if (v == to) return true;
        if (!seen[v]) {
          seen[v] = true;
          stack.push_back(v);
        }
      }
    }
    return false;
  }
};

void lint_obligations(Composition& c, const Scenario& s, const KnowledgeGraph& g, Index triage) {
  for (std::size_t i = 0; i < s.plan.obligations.size(); ++i) {
    const Obligation& ob = s.plan.obligations[i];
    const std::string ptr = "/plan/obligations/" + std::to_string(i);
    const std::vector<Index> ops = KnowledgeGraph::operators_of(s, ob);
    if (ops.empty()) {
      std::vector<std::string> sectors;
      for (Index sec : ob.sectors)
        if (sec < s.sectors.size()) sectors.push_back(s.sectors[sec].id);
      c.report(Severity::warning, ptr,
               "obligation " + q(ob.id) + " applies to no operator: no asset" +
                   (sectors.empty() ? std::string() : " of " + quoted_list(sectors)) +
                   " has an operator, so its clock never starts and nobody can meet it");
      continue;
    }
    const Index to = ob.to != kNone ? ob.to : triage;
    if (to == kNone) {
      c.report(Severity::warning, ptr,
               "obligation " + q(ob.id) + " has no recipient: no \"to\" and no triage organisation (a CSIRT or the "
               "background load's organisation), so no report can meet it");
      continue;
    }
    if (ob.report != ReportType::incident) continue;  // a typed report is filed straight to `to`
    std::vector<std::string> stranded;
    for (Index op : ops)
      if (!g.reaches(op, to)) stranded.push_back(s.organisations[op].id);
    if (stranded.empty()) continue;
    c.report(Severity::warning, ptr,
             "obligation " + q(ob.id) + " has no channel to meet it for " + quoted_list(stranded) +
                 ": no reporting channel, notify effect or typed report carries their incidents to " +
                 q(s.organisations[to].id) + ", so their clocks are always missed");
  }
}

/// Why the metric of an objective can never happen in this scenario ("" when it may).
std::string never_happens(const Scenario& s, const std::string& metric, const KnowledgeGraph& g, Index triage) {
  const Plan& plan = s.plan;
  // Escalation levels: reached by a threshold (as scenario_lint.cpp's trigger lint) or an effect.
  std::vector<bool> reached(plan.levels.size(), false);
  int low = 0, top = 0;
  for (std::size_t i = 0; i < plan.levels.size(); ++i) {
    const EscalationLevel& l = plan.levels[i];
    reached[i] = l.min_severity <= 5 || l.min_population > 0 || l.min_sectors > 0 || l.min_areas > 0 ||
                 l.min_population_share > 0 || l.min_loss_share_per_day > 0;
    low = i == 0 ? l.rank : std::min(low, l.rank);
    top = i == 0 ? l.rank : std::max(top, l.rank);
  }
  bool contains = false;
  for_each_effect(s, [&](const Effect& e, Index) {
    if (e.kind == Effect::Kind::escalate && e.ref < reached.size()) reached[e.ref] = true;
    contains = contains || e.kind == Effect::Kind::contain || e.kind == Effect::Kind::isolate;
  });
  auto any_reached = [&](auto pred) {
    for (std::size_t i = 0; i < plan.levels.size(); ++i)
      if (reached[i] && pred(plan.levels[i].rank)) return true;
    return false;
  };
  if (metric == metric::time_to_escalate || metric == metric::time_to_crisis || metric == metric::max_level_rank) {
    if (plan.levels.empty()) return "the plan has no escalation levels";
    if (metric == metric::max_level_rank) return {};
    if (top == low) return "every escalation level of the plan has the baseline rank";
    const bool crisis = metric == metric::time_to_crisis;
    if (!any_reached([&](int rank) { return crisis ? rank == top : rank > low; }))
      return std::string("no threshold or escalate effect reaches ") +
             (crisis ? "the plan's top level" : "a level above the baseline");
    return {};
  }
  if (metric == metric::time_to_contain && !contains)
    return "no procedure step, decision option or inject contains or isolates an asset";
  if (metric == metric::obligations_met_fraction && plan.obligations.empty()) return "the plan has no obligations";
  if (metric == metric::decisions_on_time_fraction && s.decisions.empty()) return "the scenario has no decisions";
  if (metric == metric::time_to_report || metric == metric::time_to_triage || metric == metric::mean_triage_wait) {
    if (triage == kNone) return "the scenario has no triage organisation (a CSIRT or the background load's organisation)";
    if (metric != metric::time_to_report) return {};
    for (Index o = 0; o < s.organisations.size(); ++o)
      if (o != triage && g.reaches(o, triage)) return {};
    return "no reporting channel, notify effect or typed report reaches the triage organisation " +
           q(s.organisations[triage].id);
  }
  return {};
}

void lint_objectives(Composition& c, const Scenario& s, const KnowledgeGraph& g, Index triage) {
  for (std::size_t i = 0; i < s.objectives.size(); ++i) {
    const Objective& o = s.objectives[i];
    const std::string why = never_happens(s, o.metric, g, triage);
    if (why.empty()) continue;
    c.report(Severity::warning, "/objectives/" + std::to_string(i) + "/metric",
             "objective " + q(o.id) + " is unreachable: its metric " + q(o.metric) + " can never happen (" + why +
                 "), so it always rates U");
  }
}

}  // namespace

void check_reachability_lint(Composition& c, const Scenario& s) {
  if (c.has_errors()) return;
  const Index triage = triage_organisation(s);
  const KnowledgeGraph g(s, triage);
  lint_obligations(c, s, g, triage);
  lint_objectives(c, s, g, triage);
}

}  // namespace cyberdrill::io
