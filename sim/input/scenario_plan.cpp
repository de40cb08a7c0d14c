// Reading a scenario: the plan: levels, obligations, procedures and steps (see scenario_reader_impl.hpp).
#include "scenario_reader_impl.hpp"

namespace cyberdrill::io::scenario_reading {

void Reader::read_plan(const Value* p) {
  if (p == nullptr) {
    error("", "missing \"plan\": a scenario runs against a response plan (give it here, by include, or with --plan)");
    return;
  }
  const std::string ptr = "/plan";
  if (!expect_object(*p, ptr, "the plan")) return;
  check_keys(*p, ptr, {"id", "name", "version", "description", "levels", "procedures", "obligations", "crisis_handoff_factor",
                       "regimes", "incident_window"});
  Plan& plan = s_.plan;
  read_id(*p, ptr, plan.id);
  read_string(*p, ptr, "name", plan.name);
  read_string(*p, ptr, "version", plan.version);
  read_string(*p, ptr, "description", plan.description);
  read_number(*p, ptr, "crisis_handoff_factor", plan.crisis_handoff_factor, 0, 1e6, "a number >= 0");
  plan.incident_window = Duration::hours(24);  // see Plan::incident_window
  read_duration(*p, ptr, "incident_window", plan.incident_window);
  if (const Value* rg = get(*p, "regimes")) {
    const std::string rp = at(ptr, "regimes");
    if (!rg->is_array()) {
      error(rp, "expected an array of regimes (" + join(names({"national", "nis2", "dora", "gdpr"})) + "), got " + type_of(*rg));
    } else {
      for (std::size_t i = 0; i < rg->size(); ++i) {
        Regime r{};
        const std::string ip = at(rp, i);
        if (!(*rg)[i].is_string()) {
          error(ip, "expected a regime name (a string), got " + type_of((*rg)[i]));
        } else if (enum_value(std::string((*rg)[i].str()), ip, kRegimes, r)) {
          plan.regimes.push_back(r);
        }
      }
    }
  }
  elements(get(*p, "levels"), at(ptr, "levels"), [&](const Value& e, const std::string& lp) {
    EscalationLevel l;
    if (expect_object(e, lp, "an escalation level")) {
      check_keys(e, lp, {"id", "name", "rank", "min_severity", "min_population", "min_sectors", "deescalate_after", "activation",
                         "min_areas", "min_area_share", "min_population_share", "min_loss_share_per_day"});
      read_id(e, lp, l.id);
      read_string(e, lp, "name", l.name);
      read_int(e, lp, "rank", l.rank, 0, 1000, true);
      read_int(e, lp, "min_severity", l.min_severity, 0, 5);
      std::int64_t pop = 0;
      if (read_int(e, lp, "min_population", pop, 0, std::int64_t{100'000'000'000})) l.min_population = static_cast<std::uint64_t>(pop);
      read_int(e, lp, "min_sectors", l.min_sectors, 0, 1000);
      read_int(e, lp, "min_areas", l.min_areas, 0, 1'000'000);
      read_probability(e, lp, "min_area_share", l.min_area_share);
      read_probability(e, lp, "min_population_share", l.min_population_share);
      read_nonnegative(e, lp, "min_loss_share_per_day", l.min_loss_share_per_day);
      read_duration(e, lp, "deescalate_after", l.deescalate_after);
      read_string(e, lp, "activation", l.activation);
      l.marking = read_marking(e, lp);
    }
    plan.levels.push_back(std::move(l));
  });
  elements(get(*p, "procedures"), at(ptr, "procedures"),
           [&](const Value& e, const std::string& pp) { read_procedure(e, pp); });
  elements(get(*p, "obligations"), at(ptr, "obligations"), [&](const Value& e, const std::string& op) {
    Obligation ob;
    if (expect_object(e, op, "an obligation")) {
      check_keys(e, op, {"id", "name", "regime", "deadline", "applies_to", "to", "min_severity", "report", "starts",
                         "at_most_after_awareness", "preparation", "classification"});
      read_id(e, op, ob.id);
      read_string(e, op, "name", ob.name);
      if (read_string(e, op, "regime", ob.regime)) {
        // The regime is the text's leading word ("NIS2 Art. 23(4)(a)" -> nis2).
        std::string word;
        for (char ch : ob.regime) {
          if (!std::isalnum(static_cast<unsigned char>(ch))) break;
          word += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        }
        bool known = false;
        for (const auto& [name, value] : kRegimes)
          if (word == name) {
            ob.regime_kind = value;
            known = true;
          }
        if (!known)
          error(at(op, "regime"), "unknown regime " + in_quotes(ob.regime) +
                                      ": the text must start with one of NIS2, DORA, GDPR, national");
        else if (!plan.regimes.empty() &&
                 std::find(plan.regimes.begin(), plan.regimes.end(), ob.regime_kind) == plan.regimes.end())
          error(at(op, "regime"), "obligation " + in_quotes(ob.id) + " is of regime " + in_quotes(regime_name(ob.regime_kind)) +
                                      ", which the plan's era does not apply (plan.regimes)");
      }
      read_enum(e, op, "report", kReportTypes, ob.report);
      if (const Value* st = get(e, "starts")) {
        const std::string sp = at(op, "starts");
        if (!st->is_string()) {
          error(sp, "expected \"awareness\", \"classification\" or a report type, got " + type_of(*st));
        } else if (st->str() == "awareness") {
          ob.starts = Obligation::Start::awareness;
        } else if (st->str() == "classification") {
          ob.starts = Obligation::Start::classification;
        } else if (enum_value(std::string(st->str()), sp, kReportTypes, ob.after)) {
          ob.starts = Obligation::Start::after_report;
          if (ob.after == ob.report) error(sp, "obligation " + in_quotes(ob.id) + " cannot start when its own report is filed");
        }
      }
      read_duration(e, op, "at_most_after_awareness", ob.cap);
      ob.preparation = default_preparation(ob.report);
      read_dist(e, op, "preparation", ob.preparation);
      ob.classification = default_classification();
      read_dist(e, op, "classification", ob.classification);
      read_duration(e, op, "deadline", ob.deadline, true, true);
      if (const Value* ap = get(e, "applies_to")) {
        const std::string app = at(op, "applies_to");
        if (expect_object(*ap, app, "{\"sectors\": [...]}")) {
          check_keys(*ap, app, {"sectors"}, false);
          ob.sectors = read_refs(*ap, app, "sectors", sectors_);
        }
      }
      ob.to = read_ref(e, op, "to", orgs_, true);
      read_int(e, op, "min_severity", ob.min_severity, 0, 5);
      ob.marking = read_marking(e, op);
    }
    plan.obligations.push_back(std::move(ob));
  });
}

void Reader::read_procedure(const Value& e, const std::string& ptr) {
  Procedure pr;
  if (expect_object(e, ptr, "a procedure")) {
    check_keys(e, ptr, {"id", "name", "owner", "trigger", "steps"});
    read_id(e, ptr, pr.id);
    read_string(e, ptr, "name", pr.name);
    pr.owner = read_ref(e, ptr, "owner", orgs_, true);
    if (missing(e, ptr, "trigger", true)) {
    } else {
      read_trigger(*get(e, "trigger"), at(ptr, "trigger"), pr.trigger);
    }
    IdTable steps{"step", {}, {}};
    steps.collect(get(e, "steps"));
    if (get(e, "steps") == nullptr) error(ptr, "missing \"steps\"");
    elements(get(e, "steps"), at(ptr, "steps"), [&](const Value& se, const std::string& sp) {
      ProcedureStep st;
      if (expect_object(se, sp, "a procedure step")) {
        check_keys(se, sp, {"id", "name", "org", "duration", "staff", "deadline", "after", "effect"});
        read_id(se, sp, st.id);
        read_string(se, sp, "name", st.name);
        st.org = read_ref(se, sp, "org", orgs_);
        read_dist(se, sp, "duration", st.duration);
        read_int(se, sp, "staff", st.staff, 0, 1'000'000);
        read_duration(se, sp, "deadline", st.deadline);
        st.after = read_refs(se, sp, "after", steps);
        if (const Value* ef = get(se, "effect")) read_effect(*ef, at(sp, "effect"), st.effect);
        st.marking = read_marking(se, sp);
      }
      pr.steps.push_back(std::move(st));
    });
    if (pr.steps.empty() && get(e, "steps") != nullptr && get(e, "steps")->is_array())
      warning(at(ptr, "steps"), "procedure " + in_quotes(pr.id) + " has no steps: it does nothing");
    check_step_order(pr, ptr);
    pr.marking = read_marking(e, ptr);
  }
  s_.plan.procedures.push_back(std::move(pr));
}

/// Steps waiting on each other in a cycle would never start.
void Reader::check_step_order(const Procedure& pr, const std::string& ptr) {
  const std::size_t n = pr.steps.size();
  std::vector<int> state(n, 0);  // 0 new, 1 on stack, 2 done
  for (std::size_t start = 0; start < n; ++start) {
    if (state[start] != 0) continue;
    std::vector<std::pair<std::size_t, std::size_t>> stack{{start, 0}};
    state[start] = 1;
    while (!stack.empty()) {
      auto& [v, next] = stack.back();
      if (next < pr.steps[v].after.size()) {
        const std::size_t w = pr.steps[v].after[next++];
        if (w >= n) continue;
        if (state[w] == 1) {
          error(at(at(ptr, "steps"), v) + "/after",
                "steps of procedure " + in_quotes(pr.id) + " wait for each other in a cycle (" + in_quotes(pr.steps[v].id) + " after " +
                    in_quotes(pr.steps[w].id) + "): none of them can start");
          return;
        }
        if (state[w] == 0) {
          state[w] = 1;
          stack.emplace_back(w, 0);
        }
      } else {
        state[v] = 2;
        stack.pop_back();
      }
    }
  }
}

}  // namespace cyberdrill::io::scenario_reading
