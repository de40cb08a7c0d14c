// Negative fixtures, one defect each: the loader reports exactly the expected diagnostics
// ("file:line:col: /pointer: message"), and the loader and the JSON Schema agree on every fixture.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cyberdrill/scenario_io.hpp"
#include "schema_check.hpp"

namespace fs = std::filesystem;
using cyberdrill::Diagnostic;
using cyberdrill::load_scenario;

namespace {

const fs::path kInvalid = fs::path(CYBERDRILL_SOURCE_DIR) / "tests/fixtures/invalid";
const fs::path kValid = fs::path(CYBERDRILL_SOURCE_DIR) / "tests/fixtures/valid";

/// schema: the JSON Schema rejects it too; semantic: only the loader sees it (the schema accepts
/// it); warning: a lint warning only (both accept it; `validate --strict` fails).
enum class Level { schema, semantic, warning };

struct Expected {
  const char* file;
  Level level;
  std::vector<std::string> diagnostics;  ///< to_string() with the file relative to fixtures/invalid
};

// fixture -> every diagnostic the loader must print, in order.
const std::vector<Expected> kTable = {
    {"syntax-error-trailing-comma.json", Level::schema,
     {"syntax-error-trailing-comma.json:6:3: JSON syntax error while parsing value - unexpected ']'; expected '[', '{', or a literal"}},
    {"syntax-error-missing-comma.json", Level::schema,
     {"syntax-error-missing-comma.json:4:11: JSON syntax error while parsing object - unexpected string literal; expected '}'"}},
    {"not-an-object.json", Level::schema,
     {"not-an-object.json:1:1: a scenario file holds one JSON object, got array"}},
    {"duplicate-key.json", Level::semantic,
     {"duplicate-key.json:4:37: /metadata/name: duplicate key \"name\" in one object: the last value would silently win"}},
    {"missing-schema-version.json", Level::schema,
     {"missing-schema-version.json:1:1: missing \"schema_version\": every scenario file starts with \"schema_version\": 1"}},
    {"unsupported-schema-version.json", Level::schema,
     {"unsupported-schema-version.json:3:21: /schema_version: unsupported schema_version 2: this cyberdrill reads version 1"}},
    {"missing-metadata.json", Level::semantic,
     {"missing-metadata.json:1:1: missing \"metadata\": every scenario needs a name, a start and a duration"}},
    {"missing-plan.json", Level::semantic,
     {"missing-plan.json:1:1: missing \"plan\": a scenario runs against a response plan (give it here, by include, or with --plan)"}},
    {"unknown-field-typo.json", Level::schema,
     {"unknown-field-typo.json:41:5: /assets/0: missing \"sector\"",
      "unknown-field-typo.json:45:16: /assets/0/sectr: unknown field \"sectr\"; did you mean \"sector\"?"}},
    {"unknown-asset-reference.json", Level::semantic,
     {"unknown-asset-reference.json:52:20: /assets/1/depends_on/0/asset: unknown asset \"gird\"; did you mean \"grid\"?"}},
    {"unknown-organisation-reference.json", Level::semantic,
     {"unknown-organisation-reference.json:44:19: /assets/0/operator: unknown organisation \"grid-co\"; did you mean \"gridco\"?",
      "unknown-organisation-reference.json:141:21: /attackers/0/steps/0/target: warning: selector operator=gridco matches no asset"}},
    {"unknown-sector-reference.json", Level::semantic,
     {"unknown-sector-reference.json:49:17: /assets/1/sector: unknown sector \"telecoms\"; did you mean \"telecom\"?"}},
    {"unknown-step-reference.json", Level::semantic,
     {"unknown-step-reference.json:99:15: /plan/procedures/0/steps/1/after/0: unknown step \"asess\"; did you mean \"assess\"?"}},
    {"unknown-procedure-reference.json", Level::semantic,
     {"unknown-procedure-reference.json:113:24: /plan/procedures/1/trigger/procedure: unknown procedure \"triag\"; did you mean \"triage\"?"}},
    {"unknown-inject-reference.json", Level::semantic,
     {"unknown-inject-reference.json:180:19: /decisions/0/when/inject: unknown inject \"I-99\"; did you mean \"I-01\"?"}},
    {"unknown-decision-option.json", Level::semantic,
     {"unknown-decision-option.json:196:18: /decisions/0/default: unknown option \"waitt\"; did you mean \"wait\"?"}},
    {"unknown-level-reference.json", Level::semantic,
     {"unknown-level-reference.json:188:24: /decisions/0/options/0/effects/0/level: unknown escalation level \"crysis\"; did you mean \"crisis\"?"}},
    {"unknown-objective-reference.json", Level::semantic,
     {"unknown-objective-reference.json:170:20: /injects/0/objective: unknown objective \"O-9\"; did you mean \"O-1\"?"}},
    {"unknown-campaign-step-reference.json", Level::semantic,
     {"unknown-campaign-step-reference.json:149:13: /attackers/0/steps/1/requires/0: unknown attack step \"phsh\"; did you mean \"phish\"?"}},
    {"inject-to-unknown-organisation.json", Level::semantic,
     {"inject-to-unknown-organisation.json:168:13: /injects/0/to: unknown organisation \"ministry\""}},
    {"duplicate-asset-id.json", Level::semantic,
     {"duplicate-asset-id.json:59:13: /assets/2/id: duplicate id \"grid\" (first used at /assets/0)"}},
    {"negative-buffer.json", Level::schema,
     {"negative-buffer.json:54:21: /assets/1/depends_on/0/buffer: buffer must not be negative, got \"-2h\""}},
    {"probability-above-one.json", Level::schema,
     {"probability-above-one.json:66:19: /channels/0/coverage: coverage must be a probability in [0, 1], got 1.5"}},
    {"probability-below-zero.json", Level::schema,
     {"probability-below-zero.json:144:22: /attackers/0/steps/0/success: success must be a probability in [0, 1], got -0.1"}},
    {"bad-duration-unit.json", Level::schema,
     {"bad-duration-unit.json:129:21: /plan/obligations/0/deadline: unknown unit \"hrs\" in \"24hrs\": use w, d, h, m, s, ms or us"}},
    {"duration-units-out-of-order.json", Level::schema,
     {"duration-units-out-of-order.json:94:25: /plan/procedures/0/steps/0/duration: units out of order in \"30m1h\": write the largest unit first, each once"}},
    {"duration-not-a-string.json", Level::schema,
     {"duration-not-a-string.json:9:17: /metadata/duration: expected a duration such as \"4h\" or \"1h30m\", got number"}},
    {"zero-exercise-duration.json", Level::semantic,
     {"zero-exercise-duration.json:9:17: /metadata/duration: duration must be longer than zero"}},
    {"bad-scenario-time.json", Level::schema,
     {"bad-scenario-time.json:166:15: /injects/0/time: expected a scenario time such as \"T+02:30\", \"T+1d 06:00\" or \"T+2h\", got \"00:30\""}},
    {"unknown-time-zone.json", Level::semantic,  // the schema takes any IANA-shaped name; the tz database decides
     {"unknown-time-zone.json:8:18: /metadata/time_zone: unknown time zone \"Europe/Brusels\"; did you mean \"Europe/Brussels\"? (supported: \"UTC\", fixed offsets such as \"+01:00\", and the IANA zones of the tz database such as \"Europe/Brussels\")"}},
    {"start-in-spring-gap.json", Level::semantic,
     {"start-in-spring-gap.json:7:14: /metadata/start: local time 2026-03-29T02:30 does not exist in Europe/Brussels (clocks go forward one hour)"}},
    {"start-invalid-date.json", Level::semantic,
     {"start-invalid-date.json:7:14: /metadata/start: expected a local date-time \"YYYY-MM-DDTHH:MM\" (seconds optional), got \"2026-02-30T09:00\" (a real calendar date, years 1970-9999)"}},
    {"wrong-type-population.json", Level::schema,
     {"wrong-type-population.json:45:21: /assets/0/population: expected an integer, got string"}},
    {"zero-recharge.json", Level::semantic,
     {"zero-recharge.json:55:23: /assets/1/depends_on/0/recharge: recharge must be longer than zero"}},
    {"negative-recharge.json", Level::schema,
     {"negative-recharge.json:55:23: /assets/1/depends_on/0/recharge: recharge must not be negative, got \"-4h\""}},
    {"unknown-backup-state.json", Level::schema,
     {"unknown-backup-state.json:45:17: /assets/0/backup: unknown value \"tape\" (expected one of: offline, online, none)"}},
    {"manual-operation-level-above-one.json", Level::schema,
     {"manual-operation-level-above-one.json:98:24: /plan/procedures/0/steps/0/effect/level: level must be a service level in [0, 1], got 1.5"}},
    {"rebuild-zero-hosts-per-day.json", Level::schema,
     {"rebuild-zero-hosts-per-day.json:98:32: /plan/procedures/0/steps/0/effect/hosts_per_day: hosts_per_day must be a number > 0, got 0"}},
    {"unknown-enum-rule.json", Level::schema,
     {"unknown-enum-rule.json:46:15: /assets/0/rule: unknown value \"majority\" (expected one of: all, any, threshold, linear)"}},
    {"empty-id.json", Level::schema,
     {"empty-id.json:21:13: /sectors/2/id: id must not be empty"}},
    {"lognormal-p90-below-median.json", Level::semantic,
     {"lognormal-p90-below-median.json:49:18: /assets/0/restore/lognormal/p90: p90 must be at least the median"}},
    {"distribution-two-kinds.json", Level::schema,
     {"distribution-two-kinds.json:67:18: /channels/0/latency: expected a duration (\"4h\") or a distribution object with exactly one of: lognormal, triangular, exponential, uniform, empirical; got an object with 2 keys"}},
    {"obligation-unknown-report-type.json", Level::schema,
     {"obligation-unknown-report-type.json:130:19: /plan/obligations/0/report: unknown value \"early-warning\"; did you mean \"early_warning\"?"}},
    {"obligation-unknown-regime.json", Level::schema,
     {"obligation-unknown-regime.json:130:19: /plan/obligations/0/regime: unknown regime \"CIRCIA (proposed)\": the text must start with one of NIS2, DORA, GDPR, national"}},
    {"decision-invalid-deliberation.json", Level::semantic,
     {"decision-invalid-deliberation.json:198:23: /decisions/0/deliberation/triangular: triangular needs min <= mode <= max"}},
    {"decision-without-default.json", Level::semantic,
     {"decision-without-default.json:174:5: /decisions/0: decision \"D-01\" has no \"default\" option: batch runs and a missed deadline need one"}},
    {"decision-without-options.json", Level::schema,
     {"decision-without-options.json:182:18: /decisions/0/options: decision \"D-01\" has no options: give at least one"}},
    {"reference-band-lo-above-hi.json", Level::semantic,
     {"reference-band-lo-above-hi.json:30:67: /reference/bands/0/lo: lo must be <= hi, got lo 6 > hi 2"}},
    {"objective-unknown-metric.json", Level::schema,
     {"objective-unknown-metric.json:202:17: /objectives/0/metric: unknown metric \"time_to_escalation_h\": no model produces it; did you mean \"time_to_escalate_h\"?"}},
    {"objective-ratings-out-of-order.json", Level::semantic,
     {"objective-ratings-out-of-order.json:203:18: /objectives/0/ratings: ratings must satisfy P <= S <= M when lower is better"}},
    {"condition-unknown-metric.json", Level::semantic,
     {"condition-unknown-metric.json:113:21: /plan/procedures/1/trigger/metric: unknown metric \"people_affected\" (a condition tests a live quantity: population_affected, sectors_affected, outages, severity, or a metric)"}},
    {"trigger-without-event.json", Level::schema,
     {"trigger-without-event.json:111:20: /plan/procedures/1/trigger: a trigger needs \"at\" (a time such as \"T+2h\") or \"on\" (an event)"}},
    {"unreachable-attack-goal.json", Level::semantic,
     {"unreachable-attack-goal.json:138:9: /attackers/0/steps/0: warning: attack step \"phish\" can never be reached",
      "unreachable-attack-goal.json:159:9: /attackers/0/goals/0: attack goal \"breakers\" is unreachable: it requires \"phish\", which can never succeed (unreachable or a requires cycle)"}},
    {"attack-requires-cycle.json", Level::semantic,
     {"attack-requires-cycle.json:138:9: /attackers/0/steps/0: warning: attack step \"phish\" can never be reached",
      "attack-requires-cycle.json:162:9: /attackers/0/goals/0: attack goal \"breakers\" is unreachable: it requires \"phish\", which can never succeed (unreachable or a requires cycle)"}},
    {"bad-attack-technique.json", Level::schema,
     {"bad-attack-technique.json:140:24: /attackers/0/steps/0/technique: expected an ATT&CK technique id such as \"T1566\" or \"T1566.001\", got \"T15\""}},
    {"procedure-steps-wait-in-cycle.json", Level::semantic,
     {"procedure-steps-wait-in-cycle.json:101:22: /plan/procedures/0/steps/1/after: steps of procedure \"triage\" wait for each other in a cycle (\"notify\" after \"assess\"): none of them can start"}},
    {"office-hours-close-before-open.json", Level::semantic,
     {"office-hours-close-before-open.json:30:20: /organisations/0/calendar/office_hours/close: close must be later than open"}},
    {"asset-depends-on-itself.json", Level::semantic,
     {"asset-depends-on-itself.json:48:20: /assets/0/depends_on/0/asset: asset \"grid\" depends on itself"}},
    {"include-escapes-folder.json", Level::schema,
     {"include-escapes-folder.json:211:5: /include/0: include \"../valid/minimal.json\" leaves the scenario's folder: \"..\" is not allowed in includes"}},
    {"include-absolute-path.json", Level::schema,
     {"include-absolute-path.json:211:5: /include/0: include \"/etc/passwd\" must be a relative path inside the scenario's folder, not an absolute path"}},
    {"include-missing-file.json", Level::semantic,
     {"include-missing-file.json:211:5: /include/0: cannot open included file \"parts/no-such-file.json\": no such file"}},
    {"include-cycle-a.json", Level::semantic,
     {"include-cycle-b.json:5:5: /include/0: include cycle: include-cycle-a.json -> include-cycle-b.json -> include-cycle-a.json"}},
    {"include-cycle-b.json", Level::semantic,
     {"include-cycle-a.json:5:5: /include/0: include cycle: include-cycle-b.json -> include-cycle-a.json -> include-cycle-b.json"}},
    {"included-file-unknown-sector.json", Level::semantic,
     {"parts/bad-infrastructure.json:12:17: /assets/1/sector: unknown sector \"telekom\"; did you mean \"telecom\"?"}},
    {"zero-buffer-cycle-undamped.json", Level::warning,
     {"zero-buffer-cycle-undamped.json:46:21: /assets/0/depends_on: warning: zero-buffer dependency cycle with no damping: \"grid\" needs \"core\" needs \"grid\" (give one edge a buffer, a degradation below 1, or a linear-rule weight below 1)"}},
    {"procedure-never-triggered.json", Level::warning,
     {"procedure-never-triggered.json:110:20: /plan/procedures/1/trigger: warning: procedure \"crisis-cell\" can never start: no threshold or escalate effect reaches level \"crisis\"",
      // The same defect leaves the escalation objective unreachable (reachability_lint.cpp).
      "procedure-never-triggered.json:196:17: /objectives/0/metric: warning: objective \"O-1\" is unreachable: its metric \"time_to_escalate_h\" can never happen (no threshold or escalate effect reaches a level above the baseline), so it always rates U"}},
    {"serves-shares-above-one.json", Level::semantic,
     {"serves-shares-above-one.json:84:20: /assets/1/serves/1/share: the shares of \"electricity\" in area \"north\" sum to 1.2 over the assets serving it (at most 1: a resident relies on one supplier)"}},
    {"serves-unknown-area.json", Level::semantic,
     {"serves-unknown-area.json:78:19: /assets/1/serves/0/area: unknown area \"nort\"; did you mean \"north\"?"}},
    {"serves-unknown-class.json", Level::schema,
     {"serves-unknown-class.json:77:20: /assets/1/serves/0/class: unknown service class \"internet\" (expected one of: electricity, mobile, fixed_internet, water, health_care, emergency_calls, payments, public_services, transport)"}},
    {"area-negative-residents.json", Level::schema,
     {"area-negative-residents.json:30:20: /areas/1/residents: residents must be at least 0, got -400000"}},
    {"basemap-frame-inverted.json", Level::semantic,
     {"basemap-frame-inverted.json:36:14: /basemap/frame: west must be less than east"}},
    {"basemap-province-ring-short.json", Level::schema,
     {"basemap-province-ring-short.json:50:39: /basemap/provinces/shapes/1/outline/0: expected a ring of at least 3 [longitude, latitude] points"}},
    {"sector-negative-output.json", Level::schema,
     {"sector-negative-output.json:15:27: /sectors/0/daily_output_eur: daily_output_eur must be a number >= 0, got -50000000"}},
    {"inject-to-organisation-outside-plan.json", Level::warning,
     {"inject-to-organisation-outside-plan.json:172:13: /injects/0/to: warning: inject \"I-01\" is addressed to \"ministry\", which has no part in the plan (no procedure, step, channel, obligation or decision names it)"}},
    // Limits and horizon lint (issue 15, sim/input/limits_lint.cpp).
    {"horizon-beyond-limit.json", Level::semantic,
     {"horizon-beyond-limit.json:9:17: /metadata/duration: horizon 4200d is longer than the limit of 3653d (10 years): the model's staff, rates and plans do not hold over that time"}},
    {"background-rate-beyond-limit.json", Level::schema,
     {"background-rate-beyond-limit.json:168:21: /background/rate_per_day: rate_per_day 1000000000 is above the limit of 1000000 tickets a day (about 12 a second)"}},
    {"horizon-beyond-run-cap.json", Level::warning,
     {"horizon-beyond-run-cap.json:9:17: /metadata/duration: warning: horizon 400d is longer than the default run cap of 366d: run, batch and live refuse it unless --max-sim-time is raised"}},
    {"background-rate-implausible.json", Level::warning,
     {"background-rate-implausible.json:168:21: /background/rate_per_day: warning: rate_per_day 5000 is implausible for a national CSIRT (CERT.be: about 43 a day in 2016 with vendor feeds); more than 1000 a day is likely a unit error"}},
    {"background-rate-reaches-event-cap.json", Level::warning,
     {"background-rate-reaches-event-cap.json:168:21: /background/rate_per_day: warning: rate_per_day 500000 is implausible for a national CSIRT (CERT.be: about 43 a day in 2016 with vendor feeds); more than 1000 a day is likely a unit error",
      "background-rate-reaches-event-cap.json:168:21: /background/rate_per_day: warning: about 30000000 background tickets over the horizon (60000000 events) exceed the default cap of 10000000 events: runs stop unless --max-events is raised"}},
    {"inject-after-horizon.json", Level::warning,
     {"inject-after-horizon.json:170:15: /injects/0/time: warning: inject \"I-01\" is timed at T+3d 00:00, after the horizon (T+2d 00:00): it is never delivered",
      // ... and the decision waiting for it is never asked (scenario_lint.cpp's trigger lint).
      "inject-after-horizon.json:182:15: /decisions/0/when: warning: decision \"D-01\" can never be asked: it waits for inject \"I-01\", which is never delivered (timed after the horizon)"}},
    {"decision-after-horizon.json", Level::warning,
     {"decision-after-horizon.json:183:15: /decisions/0/when/at: warning: decision \"D-01\" is asked at T+2d 02:00, after the horizon (T+2d 00:00): it is never asked"}},
    {"decision-deadline-after-horizon.json", Level::warning,
     {"decision-deadline-after-horizon.json:185:19: /decisions/0/deadline: warning: decision \"D-01\"'s deadline T+2d 16:00 falls after the horizon (T+2d 00:00): if nobody decides, the run ends before its default is applied"}},
    // Reachability lint (issue 15; docs/MODEL.md section 14): each loads without a warning on the code before it.
    {"decision-inject-wait-cycle.json", Level::warning,
     {"decision-inject-wait-cycle.json:170:15: /injects/0/when: warning: inject \"I-01\" can never be delivered: it waits for decision \"D-01\", which is never asked",
      "decision-inject-wait-cycle.json:185:15: /decisions/0/when: warning: decision \"D-01\" can never be asked: it waits for inject \"I-01\", which is never delivered"}},
    {"obligation-without-channel.json", Level::warning,
     {"obligation-without-channel.json:131:7: /plan/obligations/0: warning: obligation \"early-warning\" has no channel to meet it for \"gridco\": no reporting channel, notify effect or typed report carries their incidents to \"ministry\", so their clocks are always missed"}},
    {"objective-unreachable.json", Level::warning,
     {"objective-unreachable.json:206:17: /objectives/0/metric: warning: objective \"O-1\" is unreachable: its metric \"time_to_contain_h\" can never happen (no procedure step, decision option or inject contains or isolates an asset), so it always rates U"}},
};

/// Diagnostics of `file` with file names relative to the fixture folder.
std::vector<std::string> diagnostics_of(const fs::path& file, const fs::path& folder) {
  std::vector<std::string> out;
  for (Diagnostic d : load_scenario(file).diagnostics) {
    d.file = fs::path(d.file).lexically_relative(folder).string();
    out.push_back(cyberdrill::to_string(d));
  }
  return out;
}

nlohmann::json manifest() {
  std::ifstream in(kInvalid / "manifest.json");
  return nlohmann::json::parse(in);
}

}  // namespace

TEST_CASE("every invalid fixture yields exactly its expected diagnostics") {
  for (const Expected& e : kTable) {
    const std::string name = e.file;
    CAPTURE(name);
    const std::vector<std::string> got = diagnostics_of(kInvalid / e.file, kInvalid);
    CHECK(got == e.diagnostics);
    const cyberdrill::LoadResult r = load_scenario(kInvalid / e.file);
    if (e.level == Level::warning) {
      CHECK(r.error_count() == 0);
      CHECK(r.warning_count() > 0);
      CHECK(r.scenario.has_value());
    } else {
      CHECK(r.error_count() > 0);
      CHECK_FALSE(r.scenario.has_value());
    }
  }
}

TEST_CASE("the fixture table, the manifest and the folder list the same fixtures, with at least 30 errors") {
  const nlohmann::json man = manifest();
  std::set<std::string> in_table, in_manifest, on_disk;
  for (const Expected& e : kTable) in_table.insert(e.file);
  for (const auto& f : man["fixtures"]) in_manifest.insert(f["file"].get<std::string>());
  for (const auto& entry : fs::directory_iterator(kInvalid))
    if (entry.path().extension() == ".json" && entry.path().filename() != "manifest.json")
      on_disk.insert(entry.path().filename().string());
  for (const std::string& f : in_table) {
    CAPTURE(f);
    CHECK(in_manifest.count(f) == 1);
    CHECK(on_disk.count(f) == 1);
  }
  CHECK(in_table.size() == in_manifest.size());
  CHECK(in_table.size() == on_disk.size());
  const auto errors = std::count_if(kTable.begin(), kTable.end(), [](const Expected& e) { return e.level != Level::warning; });
  CHECK(errors >= 30);
  // Levels agree between the table and the manifest.
  for (const auto& f : man["fixtures"]) {
    const auto it = std::find_if(kTable.begin(), kTable.end(), [&](const Expected& e) { return f["file"] == e.file; });
    REQUIRE(it != kTable.end());
    const char* level = it->level == Level::schema ? "schema" : it->level == Level::semantic ? "semantic" : "warning";
    CHECK(f["level"].get<std::string>() == level);
  }
}

TEST_CASE("the loader and the JSON Schema agree on every fixture") {
  std::vector<fs::path> files;
  for (const Expected& e : kTable) files.push_back(kInvalid / e.file);
  std::vector<fs::path> valid;
  for (const auto& entry : fs::recursive_directory_iterator(kValid))
    if (entry.path().extension() == ".json") valid.push_back(entry.path());
  std::sort(valid.begin(), valid.end());
  REQUIRE(valid.size() >= 2);
  files.insert(files.end(), valid.begin(), valid.end());
  const cyberdrill::testing::SchemaVerdicts verdicts = cyberdrill::testing::check_against_schema(files);
  REQUIRE(verdicts.ok);
  for (std::size_t i = 0; i < kTable.size(); ++i) {
    CAPTURE(kTable[i].file);
    CHECK(verdicts.valid.at(files[i].string()) == (kTable[i].level != Level::schema));
  }
  // Every valid file (building blocks included) passes the schema; every top-level valid
  // scenario loads without a single diagnostic.
  for (const fs::path& f : valid) {
    CAPTURE(f.string());
    CHECK(verdicts.valid.at(f.string()));
  }
  for (const char* top : {"minimal.json", "rich/exercise.json"}) {
    CAPTURE(top);
    const cyberdrill::LoadResult r = load_scenario(kValid / top);
    CHECK(r.diagnostics.empty());
    for (const Diagnostic& d : r.diagnostics) MESSAGE(cyberdrill::to_string(d));
    CHECK(r.scenario.has_value());
  }
}

TEST_CASE("every shipped scenario under scenarios/ validates against the schema (python3-jsonschema required)") {
  const fs::path root = fs::path(CYBERDRILL_SOURCE_DIR) / "scenarios";
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.path().extension() != ".json") continue;
    const fs::path rel = entry.path().lexically_relative(root);
    if (*rel.begin() == "schema") continue;
    files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  // Runs even when no scenario is shipped yet: the schema itself is still checked (valid draft
  // 2020-12, a description on every property) and a missing python3-jsonschema fails here.
  const cyberdrill::testing::SchemaVerdicts verdicts = cyberdrill::testing::check_against_schema(files);
  REQUIRE_MESSAGE(verdicts.ok, verdicts.output);
  for (const fs::path& f : files) {
    CAPTURE(f.string());
    CHECK_MESSAGE(verdicts.valid.at(f.string()), verdicts.output);
  }
}
