// The run folder as the one contract: read_run_folder gives back the recorded run from the folder's
// files alone; verify_run_folder re-simulates it; bad folders are RunFolderErrors naming the file.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "cli_helpers.hpp"
#include "cyberdrill/run.hpp"
#include "cyberdrill/run_folder.hpp"
#include "cyberdrill/scenario_io.hpp"
#include "cyberdrill/trace.hpp"
#include "run_helpers.hpp"

using namespace cyberdrill;
using namespace cyberdrill::testing;
namespace fs = std::filesystem;

namespace {

struct Folder {
  fs::path root;
  fs::path dir;
  Scenario scenario;
  RunResult result;
  explicit Folder(const std::string& tag, const fs::path& plan = {}) {
    root = fs::temp_directory_path() / ("cyberdrill-folder-" + tag + "-" + std::to_string(::getpid()));
    fs::remove_all(root);
    dir = root / "run";
    scenario = load(flagship(), plan);
    RunOptions o;
    o.seed = 5;
    result = run_scenario(scenario, o);
    RunManifest man;
    man.scenario_path = flagship().string();
    LoadOptions lo;
    lo.plan_override = plan;
    man.scenario_hash = scenario_hash(flagship(), lo);
    man.plan_path = plan.string();
    write_run_folder(dir, scenario, result, man);
  }
  ~Folder() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
  Folder(const Folder&) = delete;
  Folder& operator=(const Folder&) = delete;
};

void write(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary | std::ios::trunc) << text; }

/// The RunFolderError message of reading `dir` ("" when it reads).
std::string read_error(const fs::path& dir) {
  try {
    (void)read_run_folder(dir);
  } catch (const RunFolderError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a run folder reads back into the recorded run without its scenario files") {
  Folder f("read", source_dir() / "scenarios" / "belgium" / "plan-2017.json");
  // The folder holds its composed scenario: one document, no includes, the plan override applied.
  const std::string composed = slurp(f.dir / "scenario.json");
  CHECK(composed.find("\"include\"") == std::string::npos);
  CHECK(load_scenario_or_throw(f.dir / "scenario.json").plan.id == f.scenario.plan.id);
  // Read from a copy elsewhere: nothing points back at the scenario's folder.
  fs::copy(f.dir, f.root / "moved", fs::copy_options::recursive);
  const RecordedRun rec = read_run_folder(f.root / "moved");
  const RunResult& a = rec.result;
  const RunResult& b = f.result;
  CHECK(rec.scenario.metadata.name == f.scenario.metadata.name);
  CHECK(rec.scenario.assets.size() == f.scenario.assets.size());
  CHECK(rec.manifest.format_version == kRunFolderFormatVersion);
  CHECK(a.records == b.records);
  // The typed fields travel through events.jsonl (the equality above covers them; this checks the
  // run has some to carry): old levels of asset_level records and triage waits.
  bool previous = false, waited = false;
  for (const TraceRecord& r : a.records) {
    previous = previous || (r.kind == RecordKind::asset_level && r.previous_value > 0 && r.previous_value < 1);
    waited = waited || (r.kind == RecordKind::triaged && r.duration > Duration::zero());
  }
  CHECK(previous);
  CHECK(waited);
  CHECK(slurp(f.dir / "events.jsonl").find("\"duration_us\":") != std::string::npos);
  CHECK(a.fingerprint == b.fingerprint);
  CHECK(rec.trace_fingerprint == b.fingerprint);
  CHECK(rec.composed_hash == rec.manifest.composed_hash);
  CHECK(a.seed == b.seed);
  CHECK(a.end == b.end);
  CHECK(a.events == b.events);
  CHECK(a.record_count == b.record_count);
  CHECK(a.metrics.values == b.metrics.values);
  CHECK(a.sector_population_hours == b.sector_population_hours);
  CHECK(a.sector_service_hours == b.sector_service_hours);
  CHECK(a.metrics.sector_economic_loss_eur == b.metrics.sector_economic_loss_eur);
  CHECK(a.metrics.decisions_not_taken == b.metrics.decisions_not_taken);
  CHECK(a.metrics.scenario_triage.served == b.metrics.scenario_triage.served);
  CHECK(a.metrics.scenario_triage.total_wait_h == b.metrics.scenario_triage.total_wait_h);
  CHECK(a.metrics.background_triage.waited == b.metrics.background_triage.waited);
  REQUIRE(a.metrics.obligations.size() == b.metrics.obligations.size());
  for (std::size_t i = 0; i < a.metrics.obligations.size(); ++i) {
    const ObligationClock &x = a.metrics.obligations[i], &y = b.metrics.obligations[i];
    CHECK(x.obligation == y.obligation);
    CHECK(x.incident == y.incident);
    CHECK(x.org == y.org);
    CHECK(x.started == y.started);
    CHECK(x.due == y.due);
    CHECK(x.state == y.state);
    CHECK(x.met_at == y.met_at);
  }
  CHECK(a.metrics.coverage.procedure_instances == b.metrics.coverage.procedure_instances);
  REQUIRE(a.metrics.coverage.steps.size() == b.metrics.coverage.steps.size());
  for (std::size_t i = 0; i < a.metrics.coverage.steps.size(); ++i) {
    CHECK(a.metrics.coverage.steps[i].procedure == b.metrics.coverage.steps[i].procedure);
    CHECK(a.metrics.coverage.steps[i].step == b.metrics.coverage.steps[i].step);
    CHECK(a.metrics.coverage.steps[i].completed == b.metrics.coverage.steps[i].completed);
  }
  CHECK(a.metrics.coverage.never_fired == b.metrics.coverage.never_fired);
  REQUIRE(a.metrics.channels.size() == b.metrics.channels.size());
  for (std::size_t i = 0; i < a.metrics.channels.size(); ++i) CHECK(a.metrics.channels[i].sent == b.metrics.channels[i].sent);
  CHECK(a.metrics.cells_convened == b.metrics.cells_convened);
  CHECK(a.metrics.public_warned == b.metrics.public_warned);
  CHECK(a.metrics.decisions_taken == b.metrics.decisions_taken);
  REQUIRE(a.ratings.size() == b.ratings.size());
  for (std::size_t i = 0; i < a.ratings.size(); ++i) {
    CHECK(a.ratings[i].objective == b.ratings[i].objective);
    CHECK(a.ratings[i].value == b.ratings[i].value);
    CHECK(a.ratings[i].rating == b.ratings[i].rating);
  }
  REQUIRE(a.incidents.size() == b.incidents.size());
  CHECK_FALSE(a.incidents.empty());
  for (std::size_t i = 0; i < a.incidents.size(); ++i) {
    const IncidentInfo &x = a.incidents[i], &y = b.incidents[i];
    CHECK(x.asset == y.asset);
    CHECK(x.cause_kind == y.cause_kind);
    CHECK(x.cause == y.cause);
    CHECK(x.detector == y.detector);
    CHECK(x.detected == y.detected);
    CHECK(x.severity == y.severity);
    CHECK(x.triaged == y.triaged);
    CHECK(x.group == y.group);
  }
  REQUIRE(a.journal.entries.size() == b.journal.entries.size());
  for (std::size_t i = 0; i < a.journal.entries.size(); ++i) {
    CHECK(a.journal.entries[i].decision == b.journal.entries[i].decision);
    CHECK(a.journal.entries[i].option == b.journal.entries[i].option);
  }
  // Service levels: the CSV holds 6 decimals.
  REQUIRE(a.service_levels.size() == b.service_levels.size());
  for (std::size_t i = 0; i < a.service_levels.size(); ++i) {
    CHECK(a.service_levels[i].time == b.service_levels[i].time);
    REQUIRE(a.service_levels[i].level.size() == b.service_levels[i].level.size());
    for (std::size_t s = 0; s < a.service_levels[i].level.size(); ++s)
      CHECK(a.service_levels[i].level[s] == doctest::Approx(b.service_levels[i].level[s]).epsilon(1e-6));
  }
  // --verify: the composed scenario re-simulates into the recorded trace.
  CHECK(verify_run_folder(rec).fingerprint == b.fingerprint);
}

TEST_CASE("an edited trace is read as it is and refused by verify_run_folder") {
  Folder f("tamper");
  std::string trace = slurp(f.dir / "events.jsonl");
  // One byte of one record's time on line 3 (still valid JSON).
  std::size_t line_start = 0;
  for (int n = 0; n < 2; ++n) line_start = trace.find('\n', line_start) + 1;
  const std::size_t at = trace.find("\"us\":", line_start);
  REQUIRE(at != std::string::npos);
  const std::size_t digit = trace.find_first_of("0123456789", at);
  trace[digit] = trace[digit] == '9' ? '8' : static_cast<char>(trace[digit] + 1);
  write(f.dir / "events.jsonl", trace);
  const RecordedRun rec = read_run_folder(f.dir);
  CHECK(rec.trace_fingerprint != rec.result.fingerprint);
  CHECK(rec.result.fingerprint == f.result.fingerprint);  // the manifest's
  try {
    (void)verify_run_folder(rec);
    FAIL("verify_run_folder accepted an edited trace");
  } catch (const RunFolderError& e) {
    const std::string m = e.what();
    CHECK(m.find("does not match its scenario") != std::string::npos);
    CHECK(m.find("events.jsonl:3") != std::string::npos);
    CHECK(m.find("tampered or written by another version") != std::string::npos);
  }
  // An edited fingerprint in the manifest: the re-simulation no longer matches it.
  Folder h("tamper-manifest");
  std::string m = slurp(h.dir / "manifest.json");
  const auto fp = m.find("\"fingerprint\": \"");
  REQUIRE(fp != std::string::npos);
  m[fp + 16] = m[fp + 16] == '0' ? '1' : '0';
  write(h.dir / "manifest.json", m);
  try {
    (void)verify_run_folder(read_run_folder(h.dir));
    FAIL("verify_run_folder accepted an edited manifest fingerprint");
  } catch (const RunFolderError& e) {
    CHECK(std::string(e.what()).find("re-simulating its scenario.json with seed 5") != std::string::npos);
  }
  // An edited composed scenario is refused too.
  Folder g("tamper-scenario");
  std::string sc = slurp(g.dir / "scenario.json");
  sc.insert(sc.rfind('}'), ", \"x-note\": 1");
  write(g.dir / "scenario.json", sc);
  const std::string err = read_error(g.dir);
  if (err.empty()) {
    CHECK_THROWS_AS((void)verify_run_folder(read_run_folder(g.dir)), RunFolderError);
  } else {
    CHECK(err.find("scenario.json") != std::string::npos);
  }
}

TEST_CASE("folders of another format version, or with a garbled file, are refused naming the file") {
  Folder f("bad");
  const std::string manifest = slurp(f.dir / "manifest.json");
  const std::string version_key = "\"format_version\": " + std::to_string(kRunFolderFormatVersion);
  REQUIRE(manifest.find(version_key) != std::string::npos);
  auto with_manifest = [&](const std::string& text) {
    write(f.dir / "manifest.json", text);
    return read_error(f.dir);
  };
  std::string m = manifest;
  m.replace(m.find(version_key), version_key.size(), "\"format_version\": 99");
  std::string err = with_manifest(m);
  CHECK(err.find("manifest.json") != std::string::npos);
  CHECK(err.find("format_version 99 is newer") != std::string::npos);
  // Format 1 kept the old level and the triage wait encoded in the raw detail: refused, not misread.
  m = manifest;
  m.replace(m.find(version_key), version_key.size(), "\"format_version\": 1");
  err = with_manifest(m);
  CHECK(err.find("format_version 1 is not the format this cyberdrill reads (" + std::to_string(kRunFolderFormatVersion) +
                 "); re-run the scenario") != std::string::npos);
  m = manifest;
  m.replace(m.find(version_key), version_key.size() + 1, "");  // no format_version (the comma after it too)
  err = with_manifest(m);
  CHECK(err.find("no format_version") != std::string::npos);
  m = manifest;
  m.replace(m.find(version_key), version_key.size(), "\"format_version\": \"1\"");
  CHECK(with_manifest(m).find("must be an integer") != std::string::npos);
  err = with_manifest(manifest.substr(0, manifest.size() / 2));
  CHECK(err.find("manifest.json: not valid JSON") != std::string::npos);
  CHECK(with_manifest(manifest).empty());

  // A garbled trace line names the file and line.
  const std::string trace = slurp(f.dir / "events.jsonl");
  std::size_t second = trace.find('\n') + 1;
  write(f.dir / "events.jsonl", trace.substr(0, second) + "{\"us\": oops\n" + trace.substr(second));
  err = read_error(f.dir);
  CHECK(err.find("events.jsonl:2: not a trace record") != std::string::npos);
  std::string unknown = trace;
  unknown.replace(unknown.find("\"kind\":\"") + 8, 0, "no_such_");
  write(f.dir / "events.jsonl", unknown);
  CHECK(read_error(f.dir).find("events.jsonl:1: not a trace record: unknown record kind") != std::string::npos);
  write(f.dir / "events.jsonl", trace.substr(0, second));  // truncated
  CHECK(read_error(f.dir).find("a truncated or garbled trace") != std::string::npos);
  write(f.dir / "events.jsonl", trace);
  CHECK(read_error(f.dir).empty());

  // Missing or garbled companions.
  for (const char* name : {"metrics.json", "service_levels.csv", "decisions.jsonl", "scenario.json", "events.jsonl"}) {
    CAPTURE(name);
    const std::string text = slurp(f.dir / name);
    fs::remove(f.dir / name);
    err = read_error(f.dir);
    CHECK(err.find(name) != std::string::npos);
    write(f.dir / name, text);
  }
  const std::string metrics = slurp(f.dir / "metrics.json");
  write(f.dir / "metrics.json", "{\"metrics\": {}}");
  err = read_error(f.dir);
  CHECK(err.find("metrics.json: missing or malformed field") != std::string::npos);
  write(f.dir / "metrics.json", metrics);
  CHECK(read_error(f.dir).empty());
  CHECK(read_error(f.root / "no-such-folder").find("no-such-folder") != std::string::npos);
}
