// Reading a scenario: the exercise layer: injects, decisions, objectives (see scenario_reader_impl.hpp).
#include "scenario_reader_impl.hpp"

namespace cyberdrill::io::scenario_reading {

void Reader::read_inject(const Value& e, const std::string& ptr) {
  Inject in;
  if (expect_object(e, ptr, "an inject")) {
    check_keys(e, ptr, {"id", "number", "time", "when", "from", "to", "method", "synopsis", "message", "expected_action",
                        "objective", "capability", "controller", "contingency", "status", "effect"});
    read_id(e, ptr, in.id);
    read_int(e, ptr, "number", in.number, 0, 1'000'000);
    const bool has_time = get(e, "time") != nullptr, has_when = get(e, "when") != nullptr;
    if (has_time == has_when) error(ptr, "an inject has exactly one of \"time\" (\"T+00:30\") or \"when\" (a trigger)");
    if (has_time) {
      in.when.kind = TriggerKind::at_time;
      read_time(e, ptr, "time", in.when.at);
    } else if (has_when) {
      read_trigger(*get(e, "when"), at(ptr, "when"), in.when);
    }
    in.from = read_ref(e, ptr, "from", orgs_);
    in.to = read_ref(e, ptr, "to", orgs_, true);
    read_string(e, ptr, "method", in.method);
    read_string(e, ptr, "synopsis", in.synopsis);
    read_string(e, ptr, "message", in.message);
    read_string(e, ptr, "expected_action", in.expected_action);
    in.objective = read_ref(e, ptr, "objective", objectives_);
    read_string(e, ptr, "capability", in.capability);
    read_string(e, ptr, "controller", in.controller);
    read_bool(e, ptr, "contingency", in.contingency);
    read_string(e, ptr, "status", in.status);
    if (const Value* ef = get(e, "effect")) read_effect(*ef, at(ptr, "effect"), in.effect);
    else in.effect.kind = EffectKind::inform;
    in.marking = read_marking(e, ptr);
  }
  s_.injects.push_back(std::move(in));
}

void Reader::read_decision(const Value& e, const std::string& ptr) {
  Decision d;
  if (expect_object(e, ptr, "a decision")) {
    check_keys(e, ptr, {"id", "question", "owner", "when", "deadline", "options", "default", "deliberation"});
    d.deliberation = default_deliberation();
    read_dist(e, ptr, "deliberation", d.deliberation);
    read_id(e, ptr, d.id);
    read_string(e, ptr, "question", d.question, true);
    d.owner = read_ref(e, ptr, "owner", orgs_, true);
    if (!missing(e, ptr, "when", true)) read_trigger(*get(e, "when"), at(ptr, "when"), d.when);
    read_duration(e, ptr, "deadline", d.deadline);
    const std::size_t di = s_.decisions.size();
    const Value* opts = get(e, "options");
    if (opts == nullptr || (opts->is_array() && opts->empty())) {
      error(opts == nullptr ? ptr : at(ptr, "options"), "decision " + in_quotes(d.id) + " has no options: give at least one");
    }
    elements(opts, at(ptr, "options"), [&](const Value& oe, const std::string& op) {
      DecisionOption o;
      if (expect_object(oe, op, "a decision option")) {
        check_keys(oe, op, {"id", "label", "effects"}, false);
        read_id(oe, op, o.id);
        read_string(oe, op, "label", o.label);
        elements(get(oe, "effects"), at(op, "effects"), [&](const Value& ee, const std::string& ep) {
          Effect ef;
          read_effect(ee, ep, ef);
          o.effects.push_back(std::move(ef));
        });
      }
      d.options.push_back(std::move(o));
    });
    if (get(e, "default") == nullptr) {
      if (opts != nullptr && opts->is_array() && !opts->empty())
        error(ptr, "decision " + in_quotes(d.id) + " has no \"default\" option: batch runs and a missed deadline need one");
    } else if (di < options_.size()) {
      d.default_option = read_ref(e, ptr, "default", options_[di]);
    }
    d.marking = read_marking(e, ptr);
  }
  s_.decisions.push_back(std::move(d));
}

void Reader::read_objective(const Value& e, const std::string& ptr) {
  Objective o;
  if (expect_object(e, ptr, "an objective")) {
    check_keys(e, ptr, {"id", "name", "capability", "metric", "better", "ratings"});
    read_id(e, ptr, o.id);
    read_string(e, ptr, "name", o.name);
    read_string(e, ptr, "capability", o.capability);
    if (read_string(e, ptr, "metric", o.metric, true)) {
      const auto& known = known_metrics();
      if (std::find(known.begin(), known.end(), o.metric) == known.end()) {
        const std::string hint = did_you_mean(o.metric, known);
        error(at(ptr, "metric"), "unknown metric " + in_quotes(o.metric) + ": no model produces it" +
                                     (hint.empty() ? " (known: " + join(known) + ")" : hint));
      }
    }
    std::string better;
    if (read_string(e, ptr, "better", better)) {
      if (better == "lower") o.lower_is_better = true;
      else if (better == "higher") o.lower_is_better = false;
      else error(at(ptr, "better"), "expected \"lower\" or \"higher\", got " + in_quotes(better));
    }
    if (!missing(e, ptr, "ratings", true)) {
      const Value& r = *get(e, "ratings");
      const std::string rp = at(ptr, "ratings");
      if (expect_object(r, rp, "{\"P\": number, \"S\": number, \"M\": number}")) {
        check_keys(r, rp, {"P", "S", "M"}, false);
        bool ok = read_number(r, rp, "P", o.p, -1e300, 1e300, "a number", true);
        ok = read_number(r, rp, "S", o.s, -1e300, 1e300, "a number", true) && ok;
        ok = read_number(r, rp, "M", o.m, -1e300, 1e300, "a number", true) && ok;
        if (ok && o.lower_is_better && !(o.p <= o.s && o.s <= o.m))
          error(rp, "ratings must satisfy P <= S <= M when lower is better");
        if (ok && !o.lower_is_better && !(o.p >= o.s && o.s >= o.m))
          error(rp, "ratings must satisfy P >= S >= M when higher is better");
      }
    }
    o.marking = read_marking(e, ptr);
  }
  s_.objectives.push_back(std::move(o));
}

}  // namespace cyberdrill::io::scenario_reading
