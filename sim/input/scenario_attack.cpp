// Reading a scenario: attackers (campaigns) and the background load (see scenario_reader_impl.hpp).
#include "scenario_reader_impl.hpp"

namespace cyberdrill::io::scenario_reading {

void Reader::read_campaign(const Value& e, const std::string& ptr) {
  Campaign cam;
  if (expect_object(e, ptr, "an attack campaign")) {
    check_keys(e, ptr, {"id", "name", "actor", "start", "steps", "goals"});
    read_id(e, ptr, cam.id);
    read_string(e, ptr, "name", cam.name);
    read_string(e, ptr, "actor", cam.actor);
    read_time(e, ptr, "start", cam.start);
    IdTable steps{"attack step", {}, {}};
    steps.collect(get(e, "steps"));
    if (get(e, "steps") == nullptr) error(ptr, "missing \"steps\"");
    elements(get(e, "steps"), at(ptr, "steps"), [&](const Value& se, const std::string& sp) {
      AttackStep st;
      if (expect_object(se, sp, "an attack step")) {
        check_keys(se, sp, {"id", "name", "technique", "join", "requires", "target", "time_to_compromise", "success",
                            "detection_per_day", "effect"});
        read_id(se, sp, st.id);
        read_string(se, sp, "name", st.name);
        if (read_string(se, sp, "technique", st.technique) && !valid_technique(st.technique))
          error(at(sp, "technique"), "expected an ATT&CK technique id such as \"T1566\" or \"T1566.001\", got " + in_quotes(st.technique));
        std::string join_text;
        if (read_string(se, sp, "join", join_text)) {
          if (join_text == "and") st.requires_all = true;
          else if (join_text == "or") st.requires_all = false;
          else error(at(sp, "join"), "expected \"and\" or \"or\", got " + in_quotes(join_text));
        }
        st.requires_steps = read_refs(se, sp, "requires", steps);
        if (const Value* tg = get(se, "target")) {
          if (tg->is_string()) {
            const Index a = ref_value(*tg, at(sp, "target"), assets_);
            if (a != kNone) st.targets.push_back(a);
            st.selector = tg->get<std::string>();
          } else {
            st.targets = read_selector(*tg, at(sp, "target"), st.selector);
          }
        }
        read_dist(se, sp, "time_to_compromise", st.time_to_compromise);
        read_probability(se, sp, "success", st.success);
        read_nonnegative(se, sp, "detection_per_day", st.detection_per_day);
        if (const Value* ef = get(se, "effect")) {
          const std::string ep = at(sp, "effect");
          if (expect_object(*ef, ep, "an attack effect")) {
            check_keys(*ef, ep, {"kind", "level", "duration"}, false);
            read_enum(*ef, ep, "kind", kAttackEffects, st.effect.kind, true);
            read_number(*ef, ep, "level", st.effect.level, 0, 1, "a service level in [0, 1]",
                        st.effect.kind == AttackKind::degrade);
            read_duration(*ef, ep, "duration", st.effect.duration);
          }
        }
        st.marking = read_marking(se, sp);
      }
      cam.steps.push_back(std::move(st));
    });
    cam.goals = read_refs(e, ptr, "goals", steps);
    cam.marking = read_marking(e, ptr);
  }
  s_.campaigns.push_back(std::move(cam));
}

bool Reader::valid_technique(const std::string& t) {
  auto digits = [&](std::size_t from, std::size_t n) {
    for (std::size_t i = from; i < from + n; ++i)
      if (i >= t.size() || !std::isdigit(static_cast<unsigned char>(t[i]))) return false;
    return true;
  };
  if (t.size() != 5 && t.size() != 9) return false;
  if (t[0] != 'T' || !digits(1, 4)) return false;
  return t.size() == 5 || (t[5] == '.' && digits(6, 3));
}

void Reader::read_background(const Value* b) {
  if (b == nullptr) return;
  const std::string ptr = "/background";
  if (!expect_object(*b, ptr, "the background incident load")) return;
  check_keys(*b, ptr, {"rate_per_day", "service", "priority", "org", "severity"}, false);
  BackgroundLoad& bg = s_.background;
  read_nonnegative(*b, ptr, "rate_per_day", bg.rate_per_day, true);
  read_dist(*b, ptr, "service", bg.service);
  std::string prio;
  if (read_string(*b, ptr, "priority", prio)) {
    if (prio == "fifo") bg.severity_first = false;
    else if (prio == "severity") bg.severity_first = true;
    else error(at(ptr, "priority"), "expected \"fifo\" or \"severity\", got " + in_quotes(prio));
  }
  bg.org = read_ref(*b, ptr, "org", orgs_, bg.rate_per_day > 0);
  if (const Value* sev = get(*b, "severity")) {
    const std::string sp = at(ptr, "severity");
    if (!sev->is_array() || sev->empty()) {
      error(sp, "expected a non-empty array of [severity, weight] pairs");
      return;
    }
    std::vector<std::pair<double, double>> table;
    double sum = 0;
    bool ok = true;
    for (std::size_t i = 0; i < sev->size(); ++i) {
      const Value& pr = (*sev)[i];
      if (!pr.is_array() || pr.size() != 2 || !pr[0].is_number_integer() || !pr[1].is_number() ||
          pr[0].get<std::int64_t>() < 0 || pr[0].get<std::int64_t>() > 5 || !(pr[1].get<double>() >= 0)) {
        error(at(sp, i), "expected [severity 0-5, weight >= 0]");
        ok = false;
        continue;
      }
      sum += pr[1].get<double>();
      table.emplace_back(pr[0].get<double>(), pr[1].get<double>());
    }
    if (ok && !(sum > 0)) error(sp, "severity weights must have a positive sum");
    else if (ok) bg.severity = Distribution::empirical(table);
  }
}

}  // namespace cyberdrill::io::scenario_reading
