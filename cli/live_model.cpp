#include "live_model.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>

#include "cyberdrill/metrics.hpp"
#include "cyberdrill/calendar.hpp"
#include "cyberdrill/impact.hpp"
#include "cyberdrill/run.hpp"

namespace cyberdrill::cli {
namespace {

// Whole seconds are enough on a screen.
std::string clock_text(SimTime t) { return format_sim_time(SimTime::from_us(t.us() / 1'000'000 * 1'000'000)); }

std::string until(SimTime due, SimTime now) {
  if (due == SimTime::max()) return "none";
  std::string s = clock_text(due);
  if (due >= now) s += " (in " + format_duration(Duration::minutes((due - now).us() / 60'000'000)) + ")";
  else s += " (passed)";
  return s;
}

std::string percent(double level) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.0f %%", level * 100.0);
  return buf;
}

// "EUR 1.2 M", "EUR 35 k", "EUR 0".
std::string euros(double v) {
  char buf[48];
  if (v >= 1e9) std::snprintf(buf, sizeof buf, "EUR %.2f bn", v / 1e9);
  else if (v >= 1e6) std::snprintf(buf, sizeof buf, "EUR %.1f M", v / 1e6);
  else if (v >= 1e3) std::snprintf(buf, sizeof buf, "EUR %.0f k", v / 1e3);
  else std::snprintf(buf, sizeof buf, "EUR %.0f", v);
  return buf;
}

std::string org_id(const Scenario& sc, Index o) { return o < sc.organisations.size() ? printable(sc.organisations[o].id) : "-"; }

// Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2 ? 1 : 0;
}

}  // namespace

std::string printable(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) {
      out += ' ';
    } else if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
      out += ' ';  // a C1 control character (U+0080..U+009F)
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string local_time(const Scenario& sc, SimTime t) {
  const std::int64_t utc = sc.metadata.start_utc_s + t.us() / 1'000'000;
  std::int64_t local = utc;
  if (!sc.metadata.time_zone.empty() && is_known_time_zone(sc.metadata.time_zone))
    local += local_offset(sc.metadata.time_zone, utc);
  std::int64_t days = local / 86400, secs = local % 86400;
  if (secs < 0) {
    secs += 86400;
    --days;
  }
  std::int64_t y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(days, y, m, d);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u %02lld:%02lld", static_cast<long long>(y), m, d,
                static_cast<long long>(secs / 3600), static_cast<long long>(secs / 60 % 60));
  return buf;
}

LiveModel build_live_model(const Scenario& sc, const SessionSnapshot& s, LiveView view, std::size_t max_injects,
                           const ImpactModel* impact) {
  LiveModel m;
  m.view = view;
  const bool controller = view == LiveView::controller;
  m.clock = clock_text(s.now) + "  " + local_time(sc, s.now) + " " + printable(sc.metadata.time_zone);
  m.phase = s.level < sc.plan.levels.size() ? printable(sc.plan.levels[s.level].name.empty()
                                                             ? sc.plan.levels[s.level].id
                                                             : sc.plan.levels[s.level].name)
                                            : std::string("(no levels)");
  m.phase += "  severity " + std::to_string(s.national_severity);
  if (s.crisis_structure) m.phase += "  crisis structure active";

  int n = 0;
  for (const Response::OpenDecisionInfo& od : s.open_decisions) {
    const Decision& d = sc.decisions[od.decision];
    LiveDecisionView v;
    v.number = ++n;
    v.id = printable(d.id);
    v.question = printable(d.question);
    v.owner = org_id(sc, d.owner);
    v.deadline = until(od.deadline, s.now);
    for (Index o = 0; o < d.options.size(); ++o) {
      std::string line = std::to_string(o + 1) + ") " + printable(d.options[o].id);
      if (!d.options[o].label.empty()) line += ": " + printable(d.options[o].label);
      if (o == d.default_option) line += "  [default]";
      v.options.push_back(std::move(line));
    }
    m.decisions.push_back(std::move(v));
  }

  for (auto it = s.injects.rbegin(); it != s.injects.rend() && m.injects.size() < max_injects; ++it) {
    const Inject& in = sc.injects[it->inject];
    std::string line = clock_text(it->time) + " " + printable(in.id) + " " + org_id(sc, in.from) + " -> " +
                       org_id(sc, in.to);
    if (!in.method.empty()) line += " (" + printable(in.method) + ")";
    line += ": " + printable(in.message.empty() ? in.synopsis : in.message);
    m.injects.push_back(std::move(line));
  }

  for (const OrgSnapshot& o : s.orgs) {
    if (o.known.empty() && o.queue == 0) continue;
    m.organisations.push_back(org_id(sc, o.org) + "  staff " + std::to_string(o.staff) + "  queue " +
                              std::to_string(o.queue) + "  knows " + std::to_string(o.known.size()) + " incident(s)");
  }

  for (const ObligationClock& c : s.obligations) {
    if (c.state != ObligationClock::State::running || c.obligation >= sc.plan.obligations.size()) continue;
    m.obligations.push_back(printable(sc.plan.obligations[c.obligation].id) + "  " + org_id(sc, c.org) + "  due " +
                            until(c.due, s.now));
  }

  // The triage organisation's picture: what the national level knows. People and loss are
  // counted as the model counts them (ImpactModel: each person once per area), over the believed
  // levels, every asset the triage organisation knows nothing about at full service.
  const Index triage = s.triage_org < s.orgs.size() ? s.triage_org : kNone;
  std::vector<std::pair<Index, double>> believed;
  if (triage != kNone) {
    for (const auto& [asset, level] : s.orgs[triage].known) {
      if (asset >= sc.assets.size()) continue;
      m.knowledge.push_back(printable(sc.assets[asset].id) + "  believed " + percent(level) + "  (" +
                            org_id(sc, triage) + ")");
      believed.emplace_back(asset, level);
    }
  }
  std::optional<ImpactModel> own;
  if (impact == nullptr) impact = &own.emplace(sc);
  const ImpactModel::Evaluation seen = impact->evaluate(believed);
  m.people_believed = seen.people;
  m.loss_rate_believed = seen.loss_per_day;
  const auto econ = s.metrics.find(std::string(metric::economic_loss));
  if (econ != s.metrics.end() && econ->second) m.loss_true = *econ->second;
  m.people_true = static_cast<double>(s.people_affected);
  char buf[200];
  std::snprintf(buf, sizeof buf, "%.0f (as %s knows it)", seen.people, org_id(sc, triage).c_str());
  m.people = buf;
  std::snprintf(buf, sizeof buf, "%s a day now (as %s knows it)", euros(seen.loss_per_day).c_str(),
                org_id(sc, triage).c_str());
  m.loss = buf;
  if (controller) {
    m.people += "  |  true: " + std::to_string(s.people_affected) + ", " + std::to_string(s.outages) + " asset(s) down";
    m.loss += "  |  true: " + euros(m.loss_true) + " lost so far";
    const auto ph = s.metrics.find(std::string(metric::population_hours_lost));
    if (ph != s.metrics.end() && ph->second) {
      std::snprintf(buf, sizeof buf, ", %.0f person-hours", *ph->second);
      m.loss += buf;
    }
    const RecordNames names(sc);
    for (Index g : s.steps_done) m.truth.push_back("attack step done: " + printable(names.attack_step(g)));
    for (Index g : s.steps_in_progress) m.truth.push_back("attack step under way: " + printable(names.attack_step(g)));
    for (Index a = 0; a < s.compromised.size(); ++a)
      if (s.compromised[a])
        m.truth.push_back("compromised: " + printable(sc.assets[a].id) + (s.contained[a] ? " (contained)" : "") +
                          "  level " + percent(s.asset_level[a]));
    for (Index a : s.undetected_footholds) m.undetected.push_back(printable(sc.assets[a].id));
  }
  return m;
}

std::string format_status(const LiveModel& m, std::string_view pacing) {
  std::string o;
  o += "== " + m.clock + "  [" + std::string(pacing) + "]  view: " +
       (m.view == LiveView::controller ? "CONTROLLER" : "participant") + "\n";
  o += "phase: " + m.phase + "\n";
  o += "people affected: " + m.people + "\n";
  if (!m.loss.empty()) o += "economic loss: " + m.loss + "\n";
  if (m.decisions.empty()) o += "open decisions: none\n";
  for (const LiveDecisionView& d : m.decisions) {
    o += "decision " + std::to_string(d.number) + ": " + d.id + " " + d.question + "  (owner " + d.owner +
         ", deadline " + d.deadline + ")\n";
    for (const std::string& opt : d.options) o += "    " + opt + "\n";
  }
  o += "recent injects:" + std::string(m.injects.empty() ? " none\n" : "\n");
  for (const std::string& s : m.injects) o += "  " + s + "\n";
  if (!m.obligations.empty()) o += "obligations running:\n";
  for (const std::string& s : m.obligations) o += "  " + s + "\n";
  if (!m.organisations.empty()) o += "organisations:\n";
  for (const std::string& s : m.organisations) o += "  " + s + "\n";
  if (!m.knowledge.empty()) o += "national picture:\n";
  for (const std::string& s : m.knowledge) o += "  " + s + "\n";
  if (m.view == LiveView::controller) {
    o += "ground truth:" + std::string(m.truth.empty() ? " nothing compromised\n" : "\n");
    for (const std::string& s : m.truth) o += "  " + s + "\n";
    o += "undetected footholds:" + std::string(m.undetected.empty() ? " none\n" : "\n");
    for (const std::string& s : m.undetected) o += "  " + s + "\n";
  }
  return o;
}

}  // namespace cyberdrill::cli
