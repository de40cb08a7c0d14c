// The run folder writer: what one `cyberdrill run` leaves behind (include/cyberdrill/run_folder.hpp).
// The output room: it reads nothing back (sim/input/run_folder_reader.cpp reads the folder).
#include "cyberdrill/run_folder.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "cyberdrill/atomic_output.hpp"
#include "cyberdrill/files.hpp"
#include "cyberdrill/metrics.hpp"
#include "cyberdrill/csv.hpp"
#include "cyberdrill/drill_journal.hpp"
#include "cyberdrill/effect_names.hpp"
#include "cyberdrill/scenario_io.hpp"
#include "cyberdrill/time.hpp"

namespace cyberdrill {
namespace {

namespace fs = std::filesystem;
using ojson = nlohmann::ordered_json;

std::string hex64(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

ojson optional_number(const std::optional<double>& v) { return v ? ojson(*v) : ojson(nullptr); }

const char* detail_key(RecordKind k) {
  switch (k) {
    case RecordKind::asset_compromised: return "effect";
    case RecordKind::attack_step_succeeded:
    case RecordKind::attack_step_failed:
    case RecordKind::attack_step_blocked:
    case RecordKind::attack_detected: return "asset";
    case RecordKind::reported:
    case RecordKind::inject_delivered: return "from";
    case RecordKind::decision_taken: return "option";
    case RecordKind::objective_rated: return "rating";
    case RecordKind::report_filed: return "report";
    case RecordKind::step_started:
    case RecordKind::step_completed:
    case RecordKind::step_timed_out: return "procedure";
    default: return nullptr;
  }
}

/// The composed scenario of a run as one JSON text (every include resolved, the plan override
/// applied).
std::string composed_scenario_text(const RunManifest& man) {
  if (!man.composed_scenario.empty()) return man.composed_scenario;
  if (man.scenario_path.empty())
    throw std::invalid_argument("write_run_folder: neither a composed scenario nor a scenario path to compose it from");
  return composed_scenario_json(man.scenario_path, man.plan_path);
}


/// metrics.json: the metric values, per-sector losses, queues, obligations, plan coverage,
/// channels, objectives, cells, decisions and incidents of one run.
std::string metrics_json(const Scenario& sc, const RunResult& res, const RecordNames& names) {
  const ResponseMetrics& m = res.metrics;
  ojson j;
  ojson values = ojson::object();
  for (const auto& [k, v] : m.values) values[k] = optional_number(v);
  j["metrics"] = values;
  ojson sectors = ojson::object();
  for (std::size_t s = 0; s < sc.sectors.size(); ++s) {
    sectors[sc.sectors[s].id] = {
        {std::string(metric::population_hours_lost), s < res.sector_population_hours.size() ? res.sector_population_hours[s] : 0.0},
        {std::string(metric::service_hours_lost), s < res.sector_service_hours.size() ? res.sector_service_hours[s] : 0.0},
        {std::string(metric::economic_loss),
         s < m.sector_economic_loss_eur.size() ? m.sector_economic_loss_eur[s] : 0.0}};
  }
  j["per_sector"] = sectors;
  auto queue = [](const QueueStats& stats) {
    return ojson{{"served", stats.served}, {"waited", stats.waited}, {"mean_wait_h", optional_number(stats.mean_wait_h())},
                 {"waited_fraction", optional_number(stats.waited_fraction())}, {"total_wait_h", stats.total_wait_h}};
  };
  j["triage_queue"] = {{"scenario_incidents", queue(m.scenario_triage)},
                       {"background_incidents", queue(m.background_triage)}};
  ojson obligations = ojson::array();
  for (const ObligationClock& c : m.obligations) {
    TraceRecord a;
    a.actor = c.org;
    obligations.push_back(
        {{"obligation", c.obligation < sc.plan.obligations.size() ? sc.plan.obligations[c.obligation].id : ""},
         {"incident", c.incident},
         {"org", names.actor(a)},
         {"started", format_sim_time(c.started)},
         {"due", format_sim_time(c.due)},
         {"state", c.state == ObligationClock::State::met      ? "met"
                   : c.state == ObligationClock::State::missed ? "missed"
                                                               : "running"},
         {"met_at", c.met_at ? ojson(format_sim_time(*c.met_at)) : ojson(nullptr)}});
  }
  j["obligations"] = obligations;
  ojson steps = ojson::array();
  for (std::size_t f = 0; f < m.coverage.steps.size(); ++f) {
    const StepCoverage& s = m.coverage.steps[f];
    steps.push_back({{"step", names.plan_step(static_cast<Index>(f))},
                     {"started", s.started},
                     {"completed", s.completed},
                     {"blocked", s.blocked},
                     {"timed_out", s.timed_out}});
  }
  j["plan_coverage"] = {{"completed_fraction", optional_number(m.coverage.completed_fraction())},
                        {"never_fired", m.coverage.never_fired},
                        {"blocked", m.coverage.blocked},
                        {"timed_out", m.coverage.timed_out},
                        {"steps", steps},
                        {"procedure_instances", m.coverage.procedure_instances}};
  ojson channels = ojson::array();
  for (std::size_t c = 0; c < m.channels.size() && c < sc.channels.size(); ++c)
    channels.push_back({{"channel", sc.channels[c].id}, {"attempts", m.channels[c].attempts}, {"sent", m.channels[c].sent}});
  j["channels"] = channels;
  ojson objectives = ojson::array();
  for (const ObjectiveRating& r : res.ratings) {
    const Objective& o = sc.objectives[r.objective];
    objectives.push_back({{"objective", o.id},
                          {"name", o.name},
                          {"capability", o.capability},
                          {"metric", o.metric},
                          {"value", optional_number(r.value)},
                          {"rating", std::string(1, rating_letter(r.rating))}});
  }
  j["objectives"] = objectives;
  ojson cells = ojson::array();
  for (const auto& [name, t] : m.cells_convened) cells.push_back({{"cell", name}, {"at", format_sim_time(t)}});
  j["cells_convened"] = cells;
  j["public_warned"] = m.public_warned ? ojson(format_sim_time(*m.public_warned)) : ojson(nullptr);
  j["decisions"] = {{"taken", m.decisions_taken}, {"on_time", m.decisions_on_time}, {"not_taken", m.decisions_not_taken}};
  ojson incidents = ojson::array();
  for (std::size_t i = 0; i < res.incidents.size(); ++i) {
    const IncidentInfo& inc = res.incidents[i];
    TraceRecord a;  // to resolve ids the way events.jsonl does
    a.kind = RecordKind::asset_level;
    a.subject = inc.asset;
    TraceRecord r;
    r.actor = inc.detector;
    r.cause_kind = inc.cause_kind;
    r.cause = inc.cause;
    incidents.push_back({{"incident", i},
                         {"asset", names.subject(a)},
                         {"detector", names.actor(r)},
                         {"cause", {{"kind", RecordNames::cause_kind_name(inc.cause_kind)}, {"id", names.cause(r)}}},
                         {"detected", format_sim_time(inc.detected)},
                         {"severity", inc.severity},
                         {"triaged", inc.triaged ? ojson(format_sim_time(*inc.triaged)) : ojson(nullptr)},
                         {"group", inc.group == kNone ? -1 : static_cast<std::int64_t>(inc.group)},
                         {"raw", {inc.asset == kNone ? -1 : static_cast<std::int64_t>(inc.asset),
                                  inc.detector == kNone ? -1 : static_cast<std::int64_t>(inc.detector),
                                  inc.cause == kNone ? -1 : static_cast<std::int64_t>(inc.cause)}}});
  }
  j["incidents"] = incidents;
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace

std::string record_json(const TraceRecord& r, const RecordNames& names) {
  ojson j;
  j["t"] = format_sim_time(r.time);
  j["us"] = r.time.us();
  j["kind"] = RecordNames::kind_name(r.kind);
  const std::string subject = names.subject(r);
  if (!subject.empty()) j["subject"] = subject;
  const std::string actor = names.actor(r);
  if (!actor.empty()) j["actor"] = actor;
  if (r.cause_kind != CauseKind::none) {
    j["cause"] = {{"kind", RecordNames::cause_kind_name(r.cause_kind)}, {"id", names.cause(r)}};
  }
  j["value"] = r.value;
  // The typed fields beside value (trace_record.hpp), written when set: the exact microseconds for
  // the reader, the planner's form beside them for people.
  if (r.previous_value != 0) j["previous_value"] = r.previous_value;
  if (r.duration != Duration::zero()) {
    j["duration"] = format_duration(r.duration);
    j["duration_us"] = r.duration.us();
  }
  if (const char* key = detail_key(r.kind)) {
    std::string v;
    switch (r.kind) {
      case RecordKind::asset_compromised: v = std::string(attack_effect_name(r.detail)); break;
      case RecordKind::attack_step_succeeded:
      case RecordKind::attack_step_failed:
      case RecordKind::attack_step_blocked:
      case RecordKind::attack_detected: {
        TraceRecord a;
        a.kind = RecordKind::asset_level;
        a.subject = r.detail;
        v = names.subject(a);
        break;
      }
      case RecordKind::reported:
      case RecordKind::inject_delivered: {
        TraceRecord a;
        a.actor = r.detail;
        v = names.actor(a);
        break;
      }
      case RecordKind::objective_rated: v = std::string(1, "PSMU"[r.detail < 4 ? r.detail : 3]); break;
      case RecordKind::report_filed: v = report_type_name(static_cast<ReportType>(r.detail)); break;
      default: v = std::to_string(r.detail); break;
    }
    j[key] = v;
  }
  j["raw"] = {r.subject == kNone ? -1 : static_cast<std::int64_t>(r.subject),
              r.actor == kNone ? -1 : static_cast<std::int64_t>(r.actor),
              r.cause == kNone ? -1 : static_cast<std::int64_t>(r.cause), r.detail};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void write_run_folder(const fs::path& dir, const Scenario& sc, const RunResult& res, const RunManifest& man) {
  if (fs::exists(dir)) {
    if (!fs::is_directory(dir)) throw std::runtime_error(dir.string() + " exists and is not a folder");
    const bool empty = fs::is_empty(dir);
    if (!empty && !fs::exists(dir / "manifest.json"))
      throw std::runtime_error(dir.string() + " exists and is not a cyberdrill run folder; choose another -o");
  }
  const std::string composed = composed_scenario_text(man);
  write_folder_atomically(dir, [&](const fs::path& tmp) {
    const RecordNames names(sc);

    // scenario.json: the composed scenario, so the folder needs no other file
    write_file(tmp / "scenario.json", composed);

    // events.jsonl
    {
      std::string out;
      out.reserve(res.records.size() * 160);
      for (const TraceRecord& r : res.records) {
        out += record_json(r, names);
        out += '\n';
      }
      write_file(tmp / "events.jsonl", out);
    }

    // decisions.jsonl
    {
      std::string out;
      for (const DecisionEntry& e : res.journal.entries) {
        ojson j;
        j["t"] = format_sim_time(e.time);
        j["us"] = e.time.us();
        j["decision"] = e.decision;
        j["option"] = e.option;
        j["who"] = e.who;
        j["opened_us"] = e.opened.us();
        j["on_time"] = e.on_time;
        out += j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        out += '\n';
      }
      write_file(tmp / "decisions.jsonl", out);
    }

    // drill.jsonl (live drills)
    if (man.live) {
      ojson h;
      h["cyberdrill_drill"] = 1;
      h["scenario"] = man.scenario_path;
      h["scenario_hash"] = man.scenario_hash;
      h["seed"] = res.seed;
      std::string out = h.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
      for (const DrillAction& a : man.drill) out += drill_action_json(a) + "\n";
      write_file(tmp / "drill.jsonl", out);
    }

    // service_levels.csv
    {
      std::ostringstream out;
      out << "time,hours";
      for (const Sector& s : sc.sectors) out << ',' << csv::text_cell(s.id);  // ids quoted and neutralised
      out << '\n';
      char buf[64];
      for (const SectorLevels& row : res.service_levels) {
        std::snprintf(buf, sizeof buf, "%.4f", row.time.to_hours());
        out << format_sim_time(row.time) << ',' << buf;
        for (double v : row.level) {
          std::snprintf(buf, sizeof buf, "%.6f", v);
          out << ',' << buf;
        }
        out << '\n';
      }
      write_file(tmp / "service_levels.csv", out.str());
    }

    write_file(tmp / "metrics.json", metrics_json(sc, res, names));

    // manifest.json (last: its presence marks a complete folder)
    {
      ojson j;
      j["format_version"] = kRunFolderFormatVersion;
      j["cyberdrill"] = {{"version", man.version}, {"git_commit", man.git_commit}};
      std::error_code ec;
      const fs::path abs = man.scenario_path.empty() ? fs::path() : fs::absolute(man.scenario_path, ec);
      j["scenario"] = {{"path", man.scenario_path},
                       {"absolute_path", abs.string()},
                       {"name", sc.metadata.name},
                       {"hash", man.scenario_hash},
                       {"composed", "scenario.json"},
                       {"composed_hash", scenario_hash(tmp / "scenario.json", large_load_options())}};
      const fs::path plan_abs = man.plan_path.empty() ? fs::path() : fs::absolute(man.plan_path, ec);
      j["plan"] = {{"id", sc.plan.id}, {"version", sc.plan.version}, {"override", man.plan_path},
                   {"override_absolute", plan_abs.string()}};
      j["until"] = man.until;
      if (!man.fork_at.empty()) j["fork_at"] = man.fork_at;
      j["seed"] = res.seed;
      j["journal"] = man.journal_path;
      j["command_line"] = man.command_line;
      j["end"] = format_sim_time(res.end);
      j["events_dispatched"] = res.events;
      j["records"] = res.record_count;
      j["fingerprint"] = hex64(res.fingerprint);
      j["files"] = {"scenario.json", "events.jsonl", "metrics.json", "service_levels.csv", "decisions.jsonl"};
      if (man.live) {
        j["live"] = true;
        j["files"].push_back("drill.jsonl");
      }
      write_file(tmp / "manifest.json", j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
    }

  });
}

}  // namespace cyberdrill
