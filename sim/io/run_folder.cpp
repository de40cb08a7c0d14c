#include "cyberdrill/run_folder.hpp"


#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "cyberdrill/atomic_output.hpp"
#include "cyberdrill/csv.hpp"
#include "cyberdrill/drill_journal.hpp"
#include "cyberdrill/scenario_io.hpp"
#include "cyberdrill/time.hpp"
#include "journal_time.hpp"

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

void write_file(const fs::path& p, const std::string& content) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("cannot write " + p.string());
  out << content;
  out.flush();
  if (!out) throw std::runtime_error("error writing " + p.string());
}

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

const char* effect_name(std::uint32_t e) {
  static constexpr const char* names[] = {"foothold", "degrade", "disrupt", "encrypt", "wipe", "ddos", "exfiltrate"};
  return e < 7 ? names[e] : "unknown";
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
  if (const char* key = detail_key(r.kind)) {
    std::string v;
    switch (r.kind) {
      case RecordKind::asset_compromised: v = effect_name(r.detail); break;
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
  write_folder_atomically(dir, [&](const fs::path& tmp) {
    const RecordNames names(sc);

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

    // metrics.json
    {
      const ResponseMetrics& m = res.metrics;
      ojson j;
      ojson values = ojson::object();
      for (const auto& [k, v] : m.values) values[k] = optional_number(v);
      j["metrics"] = values;
      ojson sectors = ojson::object();
      for (std::size_t s = 0; s < sc.sectors.size(); ++s) {
        sectors[sc.sectors[s].id] = {
            {"population_hours_lost", s < res.sector_population_hours.size() ? res.sector_population_hours[s] : 0.0},
            {"service_hours_lost", s < res.sector_service_hours.size() ? res.sector_service_hours[s] : 0.0},
            {"economic_loss_eur",
             s < m.sector_economic_loss_eur.size() ? m.sector_economic_loss_eur[s] : 0.0}};
      }
      j["per_sector"] = sectors;
      auto queue = [](const QueueStats& q) {
        return ojson{{"served", q.served}, {"waited", q.waited}, {"mean_wait_h", optional_number(q.mean_wait_h())},
                     {"waited_fraction", optional_number(q.waited_fraction())}};
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
                            {"steps", steps}};
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
      j["decisions"] = {{"taken", m.decisions_taken}, {"on_time", m.decisions_on_time}};
      write_file(tmp / "metrics.json", j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
    }

    // manifest.json (last: its presence marks a complete folder)
    {
      ojson j;
      j["cyberdrill"] = {{"version", man.version}, {"git_commit", man.git_commit}};
      std::error_code ec;
      const fs::path abs = man.scenario_path.empty() ? fs::path() : fs::absolute(man.scenario_path, ec);
      j["scenario"] = {{"path", man.scenario_path},
                       {"absolute_path", abs.string()},
                       {"name", sc.metadata.name},
                       {"hash", man.scenario_hash}};
      const fs::path plan_abs = man.plan_path.empty() ? fs::path() : fs::absolute(man.plan_path, ec);
      j["plan"] = {{"id", sc.plan.id}, {"version", sc.plan.version}, {"override", man.plan_path},
                   {"override_absolute", plan_abs.string()}};
      j["until"] = man.until;
      j["seed"] = res.seed;
      j["journal"] = man.journal_path;
      j["command_line"] = man.command_line;
      j["end"] = format_sim_time(res.end);
      j["events_dispatched"] = res.events;
      j["records"] = res.record_count;
      j["fingerprint"] = hex64(res.fingerprint);
      j["files"] = {"events.jsonl", "metrics.json", "service_levels.csv", "decisions.jsonl"};
      if (man.live) {
        j["live"] = true;
        j["files"].push_back("drill.jsonl");
      }
      write_file(tmp / "manifest.json", j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
    }

  });
}

DecisionJournal read_decision_journal(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read decision journal " + file.string());
  DecisionJournal journal;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line == "\r") continue;
    try {
      const nlohmann::json j = nlohmann::json::parse(line);
      // A drill journal: skip its header and its non-decision actions.
      if (j.is_object() && j.contains("cyberdrill_drill")) continue;
      if (j.is_object() && j.value("action", std::string("decide")) != "decide") continue;
      DecisionEntry e;
      e.time = io::journal_time(j);
      e.decision = j.at("decision").get<std::string>();
      e.option = j.at("option").get<std::string>();
      e.who = j.value("who", std::string("journal"));
      e.opened = j.contains("opened_us") ? io::journal_time(j, "opened_us") : e.time;
      e.on_time = j.value("on_time", true);
      if (e.time < SimTime::zero()) throw std::runtime_error("negative time");
      journal.entries.push_back(std::move(e));
    } catch (const std::exception& ex) {
      throw std::runtime_error(file.string() + ":" + std::to_string(n) +
                               ": not a decision journal line (expected {\"us\": ..., \"decision\": ..., "
                               "\"option\": ...}): " + ex.what());
    }
  }
  return journal;
}

RecordedRun rebuild_run(const fs::path& dir) {
  const fs::path mf = dir / "manifest.json";
  if (!fs::exists(mf)) throw std::runtime_error(dir.string() + " is not a cyberdrill run folder (no manifest.json)");
  std::ifstream in(mf, std::ios::binary);
  const nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw std::runtime_error(mf.string() + ": not valid JSON");
  RecordedRun rec;
  rec.dir = dir;
  std::uint64_t seed = 0;
  std::string fingerprint_hex;
  try {
    rec.manifest.version = j.at("cyberdrill").value("version", "");
    rec.manifest.git_commit = j.at("cyberdrill").value("git_commit", "");
    rec.manifest.scenario_path = j.at("scenario").at("path").get<std::string>();
    rec.manifest.scenario_hash = j.at("scenario").value("hash", "");
    rec.manifest.plan_path = j.at("plan").value("override", "");
    rec.manifest.journal_path = j.value("journal", "");
    rec.manifest.command_line = j.value("command_line", "");
    rec.manifest.until = j.value("until", "");
    seed = j.at("seed").get<std::uint64_t>();
    fingerprint_hex = j.at("fingerprint").get<std::string>();
  } catch (const std::exception& e) {
    throw std::runtime_error(mf.string() + ": missing or malformed field (" + e.what() + ")");
  }
  // The scenario: as given when it still resolves from here, else by its absolute path.
  auto pick = [&](const std::string& given, const std::string& absolute) {
    if (given.empty()) return fs::path();
    if (fs::exists(given)) return fs::path(given);
    return fs::path(absolute);
  };
  const fs::path scenario = pick(rec.manifest.scenario_path, j["scenario"].value("absolute_path", ""));
  const fs::path plan = pick(rec.manifest.plan_path, j["plan"].value("override_absolute", ""));
  LoadOptions lo;
  lo.plan_override = plan;
  LoadResult lr = load_scenario(scenario, lo);
  if (lr.has_errors() || !lr.scenario)
    throw std::runtime_error("cannot load the run's scenario " + scenario.string() + " (" +
                             std::to_string(lr.error_count()) + " errors; run 'cyberdrill validate')");
  if (!rec.manifest.scenario_hash.empty() && scenario_hash(scenario, lo) != rec.manifest.scenario_hash)
    throw std::runtime_error("the scenario " + scenario.string() +
                             " changed since this run was recorded; re-run it to view or report it");
  rec.scenario = std::move(*lr.scenario);

  if (fs::exists(dir / "drill.jsonl")) {
    // A live drill: the facilitator's actions replayed where they were taken.
    const DrillJournal drill = read_drill_journal(dir / "drill.jsonl");
    rec.manifest.live = true;
    rec.manifest.drill = drill.actions;
    const LiveDecisionPolicy live;
    RunOptions ro;
    ro.seed = seed;
    ro.policy = &live;
    rec.result = replay_drill(rec.scenario, ro, drill.actions);
    if (hex64(rec.result.fingerprint) != fingerprint_hex)
      throw std::runtime_error("rebuilding the drill " + dir.string() + " gave another trace (fingerprint " +
                               hex64(rec.result.fingerprint) + ", recorded " + fingerprint_hex + "); re-run it");
    return rec;
  }
  const DecisionJournal journal = read_decision_journal(dir / "decisions.jsonl");
  const OverrideDecisionPolicy fallback(rec.scenario, {});
  const JournalReplayPolicy replay(rec.scenario, journal, std::nullopt, fallback);
  RunOptions ro;
  ro.seed = seed;
  ro.policy = &replay;
  if (!rec.manifest.until.empty() && rec.manifest.journal_path.empty()) {
    if (auto t = try_parse_sim_time(rec.manifest.until)) ro.until = *t;
  }
  rec.result = run_scenario(rec.scenario, ro);
  if (hex64(rec.result.fingerprint) != fingerprint_hex)
    throw std::runtime_error("rebuilding " + dir.string() + " gave another trace (fingerprint " +
                             hex64(rec.result.fingerprint) + ", recorded " + fingerprint_hex +
                             "): it was recorded by another cyberdrill version; re-run it");
  return rec;
}

}  // namespace cyberdrill
