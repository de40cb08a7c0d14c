// The run folder reader: everything a later stage needs from the folder alone, and --verify
// (include/cyberdrill/run_folder.hpp). The input room: the writer is sim/output/run_folder_writer.cpp.
#include "cyberdrill/run_folder.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

#include "cyberdrill/drill_journal.hpp"
#include "cyberdrill/metrics.hpp"
#include "cyberdrill/scenario_io.hpp"
#include "cyberdrill/time.hpp"
#include "journal_time.hpp"

namespace cyberdrill {
namespace {

namespace fs = std::filesystem;

std::string hex64(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace

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

namespace {

[[noreturn]] void fail(const fs::path& file, const std::string& message) {
  throw RunFolderError(file.string() + ": " + message);
}

std::string read_text(const fs::path& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) fail(file, "missing (the run folder is incomplete; re-run the scenario)");
  std::ifstream in(file, std::ios::binary);
  if (!in) fail(file, "cannot be read");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

nlohmann::json read_json(const fs::path& file) {
  const std::string text = read_text(file);
  try {
    nlohmann::json j = nlohmann::json::parse(text);
    if (!j.is_object()) fail(file, "not a JSON object");
    return j;
  } catch (const nlohmann::json::parse_error& e) {
    fail(file, std::string("not valid JSON (") + e.what() + ")");
  }
}

/// Names -> kinds, derived from RecordNames so a new record kind needs no second table.
struct KindTables {
  std::unordered_map<std::string, RecordKind> kinds;
  std::unordered_map<std::string, CauseKind> causes;
};

const KindTables& kind_tables() {
  static const KindTables tables = [] {
    KindTables t;
    const std::string unknown = RecordNames::kind_name(static_cast<RecordKind>(0xFFFF));
    for (std::uint32_t k = 0; k <= 0xFFFF; ++k) {
      const std::string name = RecordNames::kind_name(static_cast<RecordKind>(k));
      if (name != unknown) t.kinds.emplace(name, static_cast<RecordKind>(k));
    }
    const std::string unknown_cause = RecordNames::cause_kind_name(static_cast<CauseKind>(0xFF));
    for (std::uint32_t k = 0; k <= 0xFF; ++k) {
      const std::string name = RecordNames::cause_kind_name(static_cast<CauseKind>(k));
      if (name != unknown_cause) t.causes.emplace(name, static_cast<CauseKind>(k));
    }
    return t;
  }();
  return tables;
}

std::uint32_t raw_index(const nlohmann::json& v) {
  const std::int64_t i = io::json_integer<std::int64_t>(v, "index");
  if (i == -1) return kNone;
  if (i < 0 || i > static_cast<std::int64_t>(std::numeric_limits<std::uint32_t>::max()))
    throw std::out_of_range("raw index out of range");
  return static_cast<std::uint32_t>(i);
}

SimTime parse_time(const nlohmann::json& v) {
  const std::string text = v.get<std::string>();
  std::string err;
  const std::optional<SimTime> t = try_parse_sim_time(text, &err);
  if (!t) throw std::invalid_argument("\"" + text + "\" is not a time: " + err);
  return *t;
}

std::optional<SimTime> optional_time(const nlohmann::json& v) {
  if (v.is_null()) return std::nullopt;
  return parse_time(v);
}

std::optional<double> optional_double(const nlohmann::json& v) {
  if (v.is_null()) return std::nullopt;
  return v.get<double>();
}

template <typename T>
std::unordered_map<std::string, Index> index_of(const std::vector<T>& items) {
  std::unordered_map<std::string, Index> m;
  for (Index i = 0; i < items.size(); ++i) m.emplace(items[i].id, i);
  return m;
}

Index lookup(const std::unordered_map<std::string, Index>& m, const std::string& id, const char* what) {
  if (id.empty()) return kNone;
  const auto it = m.find(id);
  if (it == m.end()) throw std::invalid_argument(std::string("unknown ") + what + " '" + id + "' (not in scenario.json)");
  return it->second;
}

/// `id` must name an entry (a sector, channel, objective or obligation the arrays are indexed by).
Index require(const std::unordered_map<std::string, Index>& m, const std::string& id, const char* what) {
  const Index i = lookup(m, id, what);
  if (i == kNone) throw std::invalid_argument(std::string("empty ") + what + " id");
  return i;
}

std::vector<TraceRecord> read_trace(const fs::path& file, const RecordNames& names) {
  const std::string text = read_text(file);
  const KindTables& tables = kind_tables();
  std::vector<TraceRecord> records;
  records.reserve(text.size() / 160 + 1);
  std::size_t pos = 0;
  std::size_t line = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    ++line;
    const std::string_view view(text.data() + pos, end - pos);
    pos = end + 1;
    if (view.empty()) continue;
    try {
      const nlohmann::json j = nlohmann::json::parse(view);
      TraceRecord r;
      r.time = SimTime::from_us(io::json_integer<std::int64_t>(j.at("us"), "us"));
      const std::string kind = j.at("kind").get<std::string>();
      const auto k = tables.kinds.find(kind);
      if (k == tables.kinds.end())
        throw std::invalid_argument("unknown record kind \"" + kind + "\" (written by another cyberdrill version?)");
      r.kind = k->second;
      if (const auto c = j.find("cause"); c != j.end()) {
        const std::string cause = c->at("kind").get<std::string>();
        const auto ck = tables.causes.find(cause);
        if (ck == tables.causes.end()) throw std::invalid_argument("unknown cause kind \"" + cause + "\"");
        r.cause_kind = ck->second;
      }
      const nlohmann::json& value = j.at("value");
      r.value = value.is_null() ? std::numeric_limits<double>::quiet_NaN() : value.get<double>();
      if (const auto pv = j.find("previous_value"); pv != j.end()) r.previous_value = pv->get<double>();
      if (const auto du = j.find("duration_us"); du != j.end()) r.duration = Duration::from_us(io::json_integer<std::int64_t>(*du, "duration_us"));
      const nlohmann::json& raw = j.at("raw");
      if (!raw.is_array() || raw.size() != 4) throw std::invalid_argument("\"raw\" must be [subject, actor, cause, detail]");
      r.subject = raw_index(raw[0]);
      r.actor = raw_index(raw[1]);
      r.cause = raw_index(raw[2]);
      r.detail = io::json_integer<std::uint32_t>(raw[3], "detail");
      // The ids written beside the raw indices must be what the indices name in scenario.json.
      auto check = [&](const char* key, const nlohmann::json& holder, const std::string& resolved) {
        const auto it = holder.find(key);
        const std::string written = it == holder.end() ? std::string() : it->get<std::string>();
        if (written != resolved)
          throw std::invalid_argument(std::string("\"") + key + "\" is \"" + written + "\" but its raw index names \"" +
                                      resolved + "\" in scenario.json");
      };
      check("subject", j, names.subject(r));
      check("actor", j, names.actor(r));
      if (r.cause_kind != CauseKind::none) check("id", j.at("cause"), names.cause(r));
      records.push_back(r);
    } catch (const std::exception& e) {
      fail(file.string() + ":" + std::to_string(line), std::string("not a trace record: ") + e.what());
    }
  }
  return records;
}

std::vector<SectorLevels> read_service_levels(const fs::path& file, const Scenario& sc) {
  const std::string text = read_text(file);
  std::vector<SectorLevels> rows;
  std::istringstream in(text);
  std::string line;
  std::size_t n = 0;
  auto split = [](const std::string& l) {
    std::vector<std::string> cells;
    std::size_t start = 0;
    for (;;) {
      const std::size_t comma = l.find(',', start);
      cells.push_back(l.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    return cells;
  };
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::vector<std::string> cells = split(line);
    const std::string where = file.string() + ":" + std::to_string(n);
    if (n == 1) {
      bool ok = cells.size() == sc.sectors.size() + 2 && cells[0] == "time" && cells[1] == "hours";
      for (std::size_t s = 0; ok && s < sc.sectors.size(); ++s) ok = cells[s + 2] == sc.sectors[s].id;
      if (!ok) fail(where, "the header is not time,hours and the scenario's sector ids");
      continue;
    }
    if (line.empty()) continue;
    if (cells.size() != sc.sectors.size() + 2)
      fail(where, std::to_string(cells.size()) + " cells, expected " + std::to_string(sc.sectors.size() + 2));
    SectorLevels row;
    std::string err;
    const std::optional<SimTime> t = try_parse_sim_time(cells[0], &err);
    if (!t) fail(where, "\"" + cells[0] + "\" is not a time: " + err);
    row.time = *t;
    for (std::size_t s = 0; s < sc.sectors.size(); ++s) {
      const std::string& c = cells[s + 2];
      char* endp = nullptr;
      const double v = std::strtod(c.c_str(), &endp);
      if (c.empty() || endp != c.c_str() + c.size() || !std::isfinite(v)) fail(where, "\"" + c + "\" is not a number");
      row.level.push_back(v);
    }
    rows.push_back(std::move(row));
  }
  if (n == 0) fail(file, "empty (expected a header line)");
  return rows;
}

void read_metrics(const fs::path& file, const Scenario& sc, RunResult& res) {
  const nlohmann::json j = read_json(file);
  try {
    ResponseMetrics& m = res.metrics;
    for (const auto& [k, v] : j.at("metrics").items()) m.values[k] = optional_double(v);

    const auto sectors = index_of(sc.sectors);
    res.sector_population_hours.assign(sc.sectors.size(), 0.0);
    res.sector_service_hours.assign(sc.sectors.size(), 0.0);
    m.sector_economic_loss_eur.assign(sc.sectors.size(), 0.0);
    for (const auto& [id, v] : j.at("per_sector").items()) {
      const Index s = require(sectors, id, "sector");
      res.sector_population_hours[s] = v.at(std::string(metric::population_hours_lost)).get<double>();
      res.sector_service_hours[s] = v.at(std::string(metric::service_hours_lost)).get<double>();
      m.sector_economic_loss_eur[s] = v.at(std::string(metric::economic_loss)).get<double>();
    }

    auto queue = [](const nlohmann::json& q) {
      QueueStats s;
      s.served = io::json_integer<std::uint64_t>(q.at("served"), "served");
      s.waited = io::json_integer<std::uint64_t>(q.at("waited"), "waited");
      s.total_wait_h = q.at("total_wait_h").get<double>();
      return s;
    };
    m.scenario_triage = queue(j.at("triage_queue").at("scenario_incidents"));
    m.background_triage = queue(j.at("triage_queue").at("background_incidents"));

    const auto obligations = index_of(sc.plan.obligations);
    const auto orgs = index_of(sc.organisations);
    for (const nlohmann::json& o : j.at("obligations")) {
      ObligationClock c;
      c.obligation = require(obligations, o.at("obligation").get<std::string>(), "obligation");
      c.incident = o.at("incident").get<Index>();
      c.org = lookup(orgs, o.at("org").get<std::string>(), "organisation");
      c.started = parse_time(o.at("started"));
      c.due = parse_time(o.at("due"));
      const std::string state = o.at("state").get<std::string>();
      if (state == "met") c.state = ObligationClock::State::met;
      else if (state == "missed") c.state = ObligationClock::State::missed;
      else if (state == "running") c.state = ObligationClock::State::running;
      else throw std::invalid_argument("obligation state \"" + state + "\" (expected met, missed or running)");
      c.met_at = optional_time(o.at("met_at"));
      m.obligations.push_back(c);
    }

    const nlohmann::json& cov = j.at("plan_coverage");
    const nlohmann::json& steps = cov.at("steps");
    for (std::size_t f = 0; f < steps.size(); ++f) {
      StepCoverage s;
      const StepRef ref = step_of_flat_index(sc.plan, static_cast<Index>(f));
      s.procedure = ref.procedure;
      s.step = ref.step;
      s.started = io::json_integer<int>(steps[f].at("started"), "started");
      s.completed = io::json_integer<int>(steps[f].at("completed"), "completed");
      s.blocked = io::json_integer<int>(steps[f].at("blocked"), "blocked");
      s.timed_out = io::json_integer<int>(steps[f].at("timed_out"), "timed_out");
      m.coverage.steps.push_back(s);
    }
    m.coverage.never_fired = io::json_integer<int>(cov.at("never_fired"), "never_fired");
    m.coverage.blocked = io::json_integer<int>(cov.at("blocked"), "blocked");
    m.coverage.timed_out = io::json_integer<int>(cov.at("timed_out"), "timed_out");
    m.coverage.procedure_instances = cov.at("procedure_instances").get<std::vector<int>>();

    const auto channels = index_of(sc.channels);
    m.channels.assign(sc.channels.size(), ChannelStats{});
    for (const nlohmann::json& c : j.at("channels")) {
      const Index ch = require(channels, c.at("channel").get<std::string>(), "channel");
      m.channels[ch].attempts = io::json_integer<int>(c.at("attempts"), "attempts");
      m.channels[ch].sent = io::json_integer<int>(c.at("sent"), "sent");
    }

    const auto objectives = index_of(sc.objectives);
    for (const nlohmann::json& o : j.at("objectives")) {
      ObjectiveRating r;
      r.objective = require(objectives, o.at("objective").get<std::string>(), "objective");
      r.value = optional_double(o.at("value"));
      const std::string letter = o.at("rating").get<std::string>();
      const std::string_view letters = "PSMU";
      const std::size_t at = letter.size() == 1 ? letters.find(letter[0]) : std::string_view::npos;
      if (at == std::string_view::npos) throw std::invalid_argument("rating \"" + letter + "\" (expected P, S, M or U)");
      r.rating = static_cast<Rating>(at);
      res.ratings.push_back(r);
    }

    for (const nlohmann::json& c : j.at("cells_convened"))
      m.cells_convened.emplace_back(c.at("cell").get<std::string>(), parse_time(c.at("at")));
    m.public_warned = optional_time(j.at("public_warned"));
    m.decisions_taken = io::json_integer<int>(j.at("decisions").at("taken"), "taken");
    m.decisions_on_time = io::json_integer<int>(j.at("decisions").at("on_time"), "on_time");
    m.decisions_not_taken = io::json_integer<int>(j.at("decisions").at("not_taken"), "not_taken");

    const KindTables& tables = kind_tables();
    for (const nlohmann::json& i : j.at("incidents")) {
      IncidentInfo inc;
      const nlohmann::json& raw = i.at("raw");
      inc.asset = raw_index(raw.at(0));
      inc.detector = raw_index(raw.at(1));
      inc.cause = raw_index(raw.at(2));
      const std::string cause = i.at("cause").at("kind").get<std::string>();
      const auto ck = tables.causes.find(cause);
      if (ck == tables.causes.end()) throw std::invalid_argument("unknown cause kind \"" + cause + "\"");
      inc.cause_kind = ck->second;
      inc.detected = parse_time(i.at("detected"));
      inc.severity = io::json_integer<int>(i.at("severity"), "severity");
      inc.triaged = optional_time(i.at("triaged"));
      inc.group = raw_index(i.at("group"));
      if (inc.asset != kNone && inc.asset >= sc.assets.size())
        throw std::invalid_argument("incident asset index out of range");
      res.incidents.push_back(inc);
    }
  } catch (const RunFolderError&) {
    throw;
  } catch (const std::exception& e) {
    fail(file, std::string("missing or malformed field (") + e.what() + ")");
  }
}

std::uint64_t parse_hex64(const std::string& hex) {
  if (hex.size() != 16 || hex.find_first_not_of("0123456789abcdef") != std::string::npos)
    throw std::invalid_argument("fingerprint \"" + hex + "\" is not 16 hex digits");
  return std::stoull(hex, nullptr, 16);
}

}  // namespace

RecordedRun read_run_folder(const fs::path& dir) {
  const fs::path mf = dir / "manifest.json";
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw RunFolderError(dir.string() + " is not a folder");
  if (!fs::exists(mf, ec)) throw RunFolderError(dir.string() + " is not a cyberdrill run folder (no manifest.json)");
  const nlohmann::json j = read_json(mf);

  // The format version first: a newer folder may hold anything else.
  const auto fv = j.find("format_version");
  if (fv == j.end())
    fail(mf, "no format_version: written by a cyberdrill before run folders held their composed scenario "
             "(this one reads format_version " + std::to_string(kRunFolderFormatVersion) +
             "); re-run the scenario with this cyberdrill");
  if (!fv->is_number_integer()) fail(mf, "format_version must be an integer, not " + fv->dump());
  const std::int64_t version = fv->get<std::int64_t>();
  if (version != kRunFolderFormatVersion)
    fail(mf, "format_version " + std::to_string(version) +
                 (version > kRunFolderFormatVersion ? " is newer than" : " is not") + " the format this cyberdrill reads (" +
                 std::to_string(kRunFolderFormatVersion) + "); " +
                 (version > kRunFolderFormatVersion ? "use a newer cyberdrill" : "re-run the scenario with this cyberdrill"));

  RecordedRun rec;
  rec.dir = dir;
  RunManifest& man = rec.manifest;
  RunResult& res = rec.result;
  std::string composed_name;
  try {
    man.format_version = static_cast<int>(version);
    man.version = j.at("cyberdrill").value("version", "");
    man.git_commit = j.at("cyberdrill").value("git_commit", "");
    const nlohmann::json& scenario = j.at("scenario");
    man.scenario_path = scenario.at("path").get<std::string>();
    man.scenario_hash = scenario.value("hash", "");
    composed_name = scenario.at("composed").get<std::string>();
    man.composed_hash = scenario.at("composed_hash").get<std::string>();
    man.plan_path = j.at("plan").value("override", "");
    man.journal_path = j.value("journal", "");
    man.command_line = j.value("command_line", "");
    man.until = j.value("until", "");
    man.fork_at = j.value("fork_at", "");
    man.fingerprint = j.at("fingerprint").get<std::string>();
    res.seed = io::json_integer<std::uint64_t>(j.at("seed"), "seed");
    res.end = parse_time(j.at("end"));
    res.events = io::json_integer<std::uint64_t>(j.at("events_dispatched"), "events_dispatched");
    res.record_count = io::json_integer<std::uint64_t>(j.at("records"), "records");
    res.fingerprint = parse_hex64(man.fingerprint);
  } catch (const std::exception& e) {
    fail(mf, std::string("missing or malformed field (") + e.what() + ")");
  }
  if (composed_name.empty() || fs::path(composed_name).filename() != fs::path(composed_name))
    fail(mf, "scenario.composed must name a file inside the run folder, not \"" + composed_name + "\"");

  // The composed scenario: the folder's own copy, never the original files.
  const fs::path scenario_file = dir / composed_name;
  if (!fs::is_regular_file(scenario_file, ec)) fail(scenario_file, "missing (the run folder is incomplete)");
  LoadResult lr = load_scenario(scenario_file, large_load_options());
  if (lr.has_errors() || !lr.scenario) {
    std::string first;
    for (const Diagnostic& d : lr.diagnostics)
      if (d.severity == Diagnostic::Severity::error) {
        first = to_string(d);
        break;
      }
    throw RunFolderError("the composed scenario " + scenario_file.string() + " does not load (" +
                         std::to_string(lr.error_count()) + " errors; first: " + first + ")");
  }
  rec.scenario = std::move(*lr.scenario);
  rec.composed_hash = scenario_hash(scenario_file, large_load_options());

  const fs::path events = dir / "events.jsonl";
  res.records = read_trace(events, RecordNames(rec.scenario));
  if (res.records.size() != res.record_count)
    fail(events, std::to_string(res.records.size()) + " records, the manifest says " + std::to_string(res.record_count) +
                     " (a truncated or garbled trace)");
  rec.trace_fingerprint = fingerprint(res.records);

  read_metrics(dir / "metrics.json", rec.scenario, res);
  res.service_levels = read_service_levels(dir / "service_levels.csv", rec.scenario);
  const fs::path decisions = dir / "decisions.jsonl";
  if (!fs::is_regular_file(decisions, ec)) fail(decisions, "missing (the run folder is incomplete)");
  try {
    res.journal = read_decision_journal(decisions);
  } catch (const std::exception& e) {
    throw RunFolderError(e.what());
  }
  // A live drill: the facilitator's actions and notes (the report shows them; --verify replays them).
  const fs::path drill_file = dir / "drill.jsonl";
  if (j.value("live", false) || fs::exists(drill_file, ec)) {
    if (!fs::is_regular_file(drill_file, ec)) fail(drill_file, "missing (the manifest says this is a live drill)");
    DrillJournal drill;
    try {
      drill = read_drill_journal(drill_file);
    } catch (const std::exception& e) {
      const std::string what = e.what();
      throw RunFolderError(what.find(drill_file.filename().string()) != std::string::npos ? what
                                                                                          : drill_file.string() + ": " + what);
    }
    if (drill.torn) fail(drill_file, *drill.torn);  // written atomically: a torn line is damage, not a crash
    man.live = true;
    man.drill = std::move(drill.actions);
  }
  return rec;
}

namespace {

/// The stop time of a recorded run: its --until, when the run ended by then (--until stops a run;
/// folders written before --fork-at used --until with --journal for a fork and ran on).
std::optional<SimTime> recorded_stop(const RecordedRun& run) {
  if (run.manifest.until.empty()) return std::nullopt;
  const auto t = try_parse_sim_time(run.manifest.until);
  if (!t || run.result.end > *t) return std::nullopt;
  return t;
}

}  // namespace

RunResult verify_run_folder(const RecordedRun& run) {
  const std::string head = "the trace in " + run.dir.string() + " does not match its scenario: ";
  const std::string tail = " (tampered or written by another version)";
  if (run.composed_hash != run.manifest.composed_hash)
    throw RunFolderError(head + "scenario.json has hash " + run.composed_hash + ", the manifest records " +
                         run.manifest.composed_hash + tail);
  RunResult again;
  if (run.manifest.live) {
    // A live drill: the facilitator's actions replayed where they were taken.
    const LiveDecisionPolicy live;
    RunOptions ro;
    ro.seed = run.result.seed;
    ro.policy = &live;
    ro.until = recorded_stop(run);
    again = replay_drill(run.scenario, ro, run.manifest.drill);
  } else {
    const OverrideDecisionPolicy fallback(run.scenario, {});
    const JournalReplayPolicy replay(run.scenario, run.result.journal, std::nullopt, fallback);
    RunOptions ro;
    ro.seed = run.result.seed;
    ro.policy = &replay;
    ro.until = recorded_stop(run);
    again = run_scenario(run.scenario, ro);
  }
  if (again.fingerprint != run.result.fingerprint)
    throw RunFolderError(head + "re-simulating its scenario.json with seed " + std::to_string(run.result.seed) +
                         " gives trace fingerprint " + hex64(again.fingerprint) + ", the manifest records " +
                         run.manifest.fingerprint + tail);
  if (run.trace_fingerprint != again.fingerprint) {
    const std::vector<TraceRecord>& a = run.result.records;
    const std::vector<TraceRecord>& b = again.records;
    std::size_t i = 0;
    while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
    throw RunFolderError(head + "events.jsonl:" + std::to_string(i + 1) +
                         " differs from the re-simulated record (events.jsonl fingerprint " +
                         hex64(run.trace_fingerprint) + ", re-simulated " + hex64(again.fingerprint) + ")" + tail);
  }
  return again;
}

}  // namespace cyberdrill
