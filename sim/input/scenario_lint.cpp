// Reading a scenario: the semantic lint over the typed scenario (run only when the conversion had no error) (see scenario_reader_impl.hpp).
#include "scenario_reader_impl.hpp"

namespace cyberdrill::io::scenario_reading {

void Reader::lint() {
  lint_dependency_cycles();
  lint_attack_graphs();
  lint_triggers();
  lint_inject_addressees();
}

/// Warns about every cycle of zero-buffer dependencies that nothing damps. An edge damps when
/// it passes on less than all of its supplier's loss: degradation < 1, or a weight < 1 into an
/// asset using the linear rule. A cycle of non-damping zero-buffer edges spreads a failure around
/// instantly and for ever (the cascade model must then settle it by its fixed-point iteration).
void Reader::lint_dependency_cycles() {
  const std::size_t n = s_.assets.size();
  std::vector<std::vector<std::size_t>> needs(n);  // dependent -> suppliers over undamped edges
  for (std::size_t i = 0; i < n; ++i) {
    const Asset& a = s_.assets[i];
    for (const Dependency& d : a.depends_on) {
      if (d.supplier >= n || d.buffer != Duration::zero()) continue;
      const bool damped = d.degradation < 1.0 || (a.rule == CombineRule::linear && d.weight < 1.0);
      if (!damped) needs[i].push_back(d.supplier);
    }
  }
  // Tarjan's strongly connected components, iteratively.
  std::vector<int> index(n, -1), low(n, 0), comp(n, -1);
  std::vector<bool> on_stack(n, false);
  std::vector<std::size_t> stack;
  int counter = 0, comps = 0;
  for (std::size_t root = 0; root < n; ++root) {
    if (index[root] >= 0) continue;
    std::vector<std::pair<std::size_t, std::size_t>> work{{root, 0}};
    while (!work.empty()) {
      auto [v, k] = work.back();
      if (k == 0) {
        index[v] = low[v] = counter++;
        stack.push_back(v);
        on_stack[v] = true;
      }
      if (k < needs[v].size()) {
        work.back().second = k + 1;
        const std::size_t w = needs[v][k];
        if (index[w] < 0) work.emplace_back(w, 0);
        else if (on_stack[w]) low[v] = std::min(low[v], index[w]);
        continue;
      }
      if (low[v] == index[v]) {
        while (true) {
          const std::size_t w = stack.back();
          stack.pop_back();
          on_stack[w] = false;
          comp[w] = comps;
          if (w == v) break;
        }
        ++comps;
      }
      work.pop_back();
      if (!work.empty()) low[work.back().first] = std::min(low[work.back().first], low[v]);
    }
  }
  std::vector<bool> reported(static_cast<std::size_t>(comps), false);
  std::vector<std::size_t> comp_size(static_cast<std::size_t>(comps), 0);
  for (std::size_t v = 0; v < n; ++v) ++comp_size[static_cast<std::size_t>(comp[v])];
  for (std::size_t v = 0; v < n; ++v) {
    const auto cv = static_cast<std::size_t>(comp[v]);
    if (reported[cv]) continue;
    // A cycle exists in v's component when it has another member or a self-loop.
    const bool cyclic = comp_size[cv] > 1 || std::find(needs[v].begin(), needs[v].end(), v) != needs[v].end();
    if (!cyclic) continue;
    reported[cv] = true;
    // BFS inside the component from v back to v for one concrete cycle.
    std::vector<std::size_t> parent(n, n);
    std::vector<std::size_t> queue{v};
    std::size_t last = n;
    for (std::size_t qi = 0; qi < queue.size() && last == n; ++qi) {
      const std::size_t u = queue[qi];
      for (std::size_t w : needs[u]) {
        if (comp[w] != comp[v]) continue;
        if (w == v) {
          last = u;
          break;
        }
        if (parent[w] == n) {
          parent[w] = u;
          queue.push_back(w);
        }
      }
    }
    std::vector<std::size_t> path;
    for (std::size_t u = last; u != v && u != n; u = parent[u]) path.push_back(u);
    std::reverse(path.begin(), path.end());
    std::string text = in_quotes(s_.assets[v].id);
    for (std::size_t u : path) text += " needs " + in_quotes(s_.assets[u].id);
    text += " needs " + in_quotes(s_.assets[v].id);
    warning(at(std::string("/assets"), v) + "/depends_on",
            "zero-buffer dependency cycle with no damping: " + text +
                " (give one edge a buffer, a degradation below 1, or a linear-rule weight below 1)");
  }
}

/// A goal is reachable when its prerequisites can all (join "and") or partly (join "or") be
/// satisfied, starting from steps without prerequisites; a step with success 0 never succeeds.
void Reader::lint_attack_graphs() {
  for (std::size_t c = 0; c < s_.campaigns.size(); ++c) {
    const Campaign& cam = s_.campaigns[c];
    const std::string cp = at(std::string("/attackers"), c);
    const std::size_t n = cam.steps.size();
    std::vector<bool> ok(n, false);
    for (bool changed = true; changed;) {
      changed = false;
      for (std::size_t i = 0; i < n; ++i) {
        if (ok[i]) continue;
        const AttackStep& st = cam.steps[i];
        if (st.success <= 0) continue;
        bool sat = st.requires_all;
        if (st.requires_steps.empty()) sat = true;
        for (Index r : st.requires_steps) {
          if (st.requires_all) sat = sat && ok[r];
          else sat = sat || ok[r];
        }
        if (sat) {
          ok[i] = true;
          changed = true;
        }
      }
    }
    if (cam.goals.empty() && n > 0) warning(cp, "campaign " + in_quotes(cam.id) + " has no \"goals\": nothing marks it as successful");
    for (std::size_t g = 0; g < cam.goals.size(); ++g) {
      const Index gi = cam.goals[g];
      if (ok[gi]) continue;
      const AttackStep& st = cam.steps[gi];
      std::string why;
      if (st.success <= 0) {
        why = "its success probability is 0";
      } else {
        std::vector<std::string> blocked;
        for (Index r : st.requires_steps)
          if (!ok[r]) blocked.push_back(in_quotes(cam.steps[r].id));
        why = std::string(st.requires_all ? "it requires " : "none of its prerequisites can succeed: ") + join(blocked) +
              (st.requires_all ? ", which can never succeed (unreachable or a requires cycle)" : "");
      }
      error(at(cp + "/goals", g), "attack goal " + in_quotes(st.id) + " is unreachable: " + why);
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (ok[i] || std::find(cam.goals.begin(), cam.goals.end(), i) != cam.goals.end()) continue;
      warning(at(cp + "/steps", i), "attack step " + in_quotes(cam.steps[i].id) + " can never be reached");
    }
  }
}

/// Warns about triggers that can never fire: an escalation level nothing reaches, a report to an
/// organisation no channel reaches, the completion of a procedure that itself never starts, an
/// inject that is never delivered or a decision that is never asked (issue 15: a decision waiting
/// for an inject that is never delivered). An inject or decision timed after the horizon is never
/// delivered or asked (limits_lint.cpp warns about it itself); what waits for it is warned here.
void Reader::lint_triggers() {
  const Plan& plan = s_.plan;
  std::vector<bool> level_reached(plan.levels.size(), false);
  for (std::size_t i = 0; i < plan.levels.size(); ++i) {
    const EscalationLevel& l = plan.levels[i];
    level_reached[i] = l.rank == 0 || l.min_severity <= 5 || l.min_population > 0 || l.min_sectors > 0 || l.min_areas > 0 ||
                      l.min_population_share > 0 || l.min_loss_share_per_day > 0;
  }
  auto note_effect = [&](const Effect& e) {
    if (e.kind == EffectKind::escalate && e.ref < level_reached.size()) level_reached[e.ref] = true;
  };
  for (const Procedure& p : plan.procedures)
    for (const ProcedureStep& st : p.steps) note_effect(st.effect);
  for (const Decision& d : s_.decisions)
    for (const DecisionOption& o : d.options)
      for (const Effect& e : o.effects) note_effect(e);
  for (const Inject& in : s_.injects) note_effect(in.effect);
  std::vector<bool> reported_to(s_.organisations.size(), false);
  for (const Channel& ch : s_.channels)
    if (ch.to < reported_to.size() && !ch.from.empty()) reported_to[ch.to] = true;

  // Injects that can be delivered and decisions that can be asked: found by the fixed point below
  // (none until their trigger may fire). One timed after the horizon never is (limits_lint.cpp
  // warns about it itself; what waits for it is warned here).
  const SimTime end = SimTime::zero() + s_.metadata.duration;
  std::vector<bool> delivered(s_.injects.size(), false), asked(s_.decisions.size(), false);
  auto after_horizon = [&](const Trigger& t) { return t.kind == TriggerKind::at_time && t.at > end; };

  // Why a trigger can never fire ("" when it may).
  auto dead = [&](const Trigger& t, const std::vector<bool>& procedure_fires) -> std::string {
    switch (t.kind) {
      case TriggerKind::inject:
        if (t.ref < delivered.size() && !delivered[t.ref])
          return "it waits for inject " + in_quotes(s_.injects[t.ref].id) + ", which is never delivered" +
                 (after_horizon(s_.injects[t.ref].when) ? " (timed after the horizon)" : "");
        break;
      case TriggerKind::decision:
        if (t.ref < asked.size() && !asked[t.ref])
          return "it waits for decision " + in_quotes(s_.decisions[t.ref].id) + ", which is never asked" +
                 (after_horizon(s_.decisions[t.ref].when) ? " (asked after the horizon)" : "");
        break;
      case TriggerKind::escalation:
        if (t.ref < level_reached.size() && !level_reached[t.ref])
          return "no threshold or escalate effect reaches level " + in_quotes(plan.levels[t.ref].id);
        break;
      case TriggerKind::report:
        if (t.org < reported_to.size() && !reported_to[t.org])
          return "no reporting channel delivers to " + in_quotes(s_.organisations[t.org].id);
        break;
      case TriggerKind::procedure_done:
        if (t.ref < procedure_fires.size() && !procedure_fires[t.ref])
          return "procedure " + in_quotes(plan.procedures[t.ref].id) + " never starts";
        break;
      case TriggerKind::outage:
        if (t.sector != kNone &&
            std::none_of(s_.assets.begin(), s_.assets.end(), [&](const Asset& a) { return a.sector == t.sector; }))
          return "sector " + in_quotes(s_.sectors[t.sector].id) + " has no assets";
        break;
      default:
        break;
    }
    return {};
  };
  // Procedures start by their trigger or by a trigger_procedure effect.
  std::vector<bool> fires(plan.procedures.size(), false);
  std::vector<bool> started_by_effect(plan.procedures.size(), false);
  auto note_start = [&](const Effect& e) {
    if (e.kind == EffectKind::trigger_procedure && e.ref < started_by_effect.size()) started_by_effect[e.ref] = true;
  };
  for (const Procedure& p : plan.procedures)
    for (const ProcedureStep& st : p.steps) note_start(st.effect);
  for (const Decision& d : s_.decisions)
    for (const DecisionOption& o : d.options)
      for (const Effect& e : o.effects) note_start(e);
  for (const Inject& in : s_.injects) note_start(in.effect);
  // Least fixed point: what may fire, from the triggers that depend on nothing else. Whatever waits,
  // directly or through a chain, for something that never happens - or for itself, in a cycle of
  // procedure_done, inject and decision triggers - never fires.
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t i = 0; i < plan.procedures.size(); ++i) {
      if (fires[i] || !(started_by_effect[i] || dead(plan.procedures[i].trigger, fires).empty())) continue;
      fires[i] = true;
      changed = true;
    }
    for (std::size_t i = 0; i < s_.injects.size(); ++i) {
      if (delivered[i] || after_horizon(s_.injects[i].when) || !dead(s_.injects[i].when, fires).empty()) continue;
      delivered[i] = true;
      changed = true;
    }
    for (std::size_t i = 0; i < s_.decisions.size(); ++i) {
      if (asked[i] || after_horizon(s_.decisions[i].when) || !dead(s_.decisions[i].when, fires).empty()) continue;
      asked[i] = true;
      changed = true;
    }
  }
  for (std::size_t i = 0; i < plan.procedures.size(); ++i) {
    if (started_by_effect[i]) continue;
    const std::string why = dead(plan.procedures[i].trigger, fires);
    if (!why.empty())
      warning(at(std::string("/plan/procedures"), i) + "/trigger",
              "procedure " + in_quotes(plan.procedures[i].id) + " can never start: " + why);
  }
  for (std::size_t i = 0; i < s_.injects.size(); ++i) {
    const std::string why = dead(s_.injects[i].when, fires);
    if (!why.empty())
      warning(at(std::string("/injects"), i) + "/when", "inject " + in_quotes(s_.injects[i].id) + " can never be delivered: " + why);
  }
  for (std::size_t i = 0; i < s_.decisions.size(); ++i) {
    const std::string why = dead(s_.decisions[i].when, fires);
    if (!why.empty())
      warning(at(std::string("/decisions"), i) + "/when", "decision " + in_quotes(s_.decisions[i].id) + " can never be asked: " + why);
  }
}

/// Injects go to organisations that play a part in the plan (owner or performer of a procedure,
/// recipient of an obligation, sender or recipient of a channel, owner of a decision).
void Reader::lint_inject_addressees() {
  std::vector<bool> in_plan(s_.organisations.size(), false);
  auto mark = [&](Index o) {
    if (o < in_plan.size()) in_plan[o] = true;
  };
  for (const Procedure& p : s_.plan.procedures) {
    mark(p.owner);
    for (const ProcedureStep& st : p.steps) {
      mark(st.org);
      mark(st.effect.org);
    }
  }
  for (const Obligation& ob : s_.plan.obligations) mark(ob.to);
  for (const Channel& ch : s_.channels) {
    mark(ch.to);
    for (Index f : ch.from) mark(f);
  }
  for (const Decision& d : s_.decisions) mark(d.owner);
  for (std::size_t i = 0; i < s_.injects.size(); ++i) {
    const Index to = s_.injects[i].to;
    if (to < in_plan.size() && !in_plan[to])
      warning(at(std::string("/injects"), i) + "/to",
              "inject " + in_quotes(s_.injects[i].id) + " is addressed to " + in_quotes(s_.organisations[to].id) +
                  ", which has no part in the plan (no procedure, step, channel, obligation or decision names it)");
  }
}

}  // namespace cyberdrill::io::scenario_reading
