// Scenario: the validated, typed form of a scenario file. Plain structs, no JSON.
//
// sim/io reads JSON into these structs (resolving includes, string ids into indices, planner units
// into Duration, distributions into DurationDist) and reports every problem at once; models and the
// world only ever see a Scenario that passed validation. All cross-references are indices into the
// vectors of the same Scenario; kNone marks "absent". `id` strings are kept for output.
//
// JSON shape (schema_version 1; scenarios/schema/scenario.schema.json is the full reference):
//   {
//     "$schema": "../schema/scenario.schema.json", "schema_version": 1,
//     "include": ["infrastructure.json", "plan-nis2.json"],      // merged first, in order
//     "metadata": {...}, "policy": {...},
//     "sectors": [...], "organisations": [...], "assets": [...], "channels": [...],
//     "plan": {...}, "attackers": [...], "background": {...},
//     "injects": [...], "decisions": [...], "objectives": [...]
//   }
// Composition: an included file has the same shape. Objects merge key by key (the including file
// wins); arrays of objects with "id" merge by id (same id: fields overridden; new id: appended);
// other arrays are replaced. Includes are relative paths inside the scenario's folder tree.
// Every element may carry "tlp" ("clear"|"green"|"amber"|"amber+strict"|"red") and "audience"
// ("all"|"participant"|"controller"), so participant and controller packs come from redaction.
// Durations are strings in planner units ("4h", "1h30m"); a duration *distribution* is written
// "2h" (fixed), {"lognormal": {"median": "6h", "p90": "1d"}}, {"triangular": ["1h", "3h", "8h"]},
// {"exponential": {"mean": "20m"}}, {"uniform": ["1h", "3h"]},
// {"empirical": [["1h", 3], ["4h", 1]]} (value, weight).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "cyberdrill/random.hpp"
#include "cyberdrill/time.hpp"
#include "cyberdrill/trace.hpp"

namespace cyberdrill {

using Index = std::uint32_t;  ///< index into one of Scenario's vectors; kNone when absent

/// TLP 2.0 marking. JSON "tlp".
enum class Tlp : std::uint8_t { clear, green, amber, amber_strict, red };
/// Who may see an element. JSON "audience": "all" (default), "participant", "controller" (only).
enum class Audience : std::uint8_t { all, participant, controller };

struct Marking {
  Tlp tlp = Tlp::clear;
  Audience audience = Audience::all;
};

// ---------------------------------------------------------------------------------------------
// Metadata and policy
// ---------------------------------------------------------------------------------------------

/// JSON "metadata": {"name", "description", "start": "2026-03-10T09:00", "time_zone":
/// "Europe/Brussels", "duration": "5d", "seed": 20260310, "version": "1.2", "authors": [...]}
struct Metadata {
  std::string name;
  std::string description;
  std::string start_local;      ///< ISO 8601 local date-time at T+0, "YYYY-MM-DDTHH:MM"
  std::string time_zone;        ///< "UTC", a fixed offset "+01:00", or an IANA zone of the EU rule set
  std::int64_t start_utc_s = 0; ///< T+0 as seconds since the Unix epoch (UTC), computed by the loader
  Duration duration;            ///< the exercise horizon; runs stop here
  std::uint64_t seed = 1;       ///< default seed of `run`
  std::string version;
};

/// JSON "policy": {"name": number, ...}: named knobs that sweeps vary and models read, e.g.
/// "reporting_coverage_scale", "csirt_staff_scale". Unknown names are a lint warning.
using Policy = std::map<std::string, double>;

// ---------------------------------------------------------------------------------------------
// Infrastructure
// ---------------------------------------------------------------------------------------------

/// JSON "sectors": [{"id": "energy", "name": "Energy", "daily_output_eur": 35.2e6}]
struct Sector {
  std::string id;
  std::string name;
  Marking marking;
  /// Gross value added per day in euros (the sector's economic output); < 0 = not given (no
  /// economic loss counted for its assets unless they declare their own).
  double daily_output_eur = -1;
};

/// JSON "areas": [{"id": "antwerp", "name": "Province of Antwerp", "residents": 1926522}]
/// Residents are declared once per area so people are counted once (include/cyberdrill/impact.hpp).
struct Area {
  std::string id;
  std::string name;
  std::uint64_t residents = 0;
  Marking marking;
};

/// Service classes people rely on (JSON names in service_class_names()). Every class is essential:
/// lacking any one counts a resident as affected (impact.hpp).
enum class ServiceClass : std::uint8_t {
  electricity, mobile, fixed_internet, water, health_care, emergency_calls, payments, public_services, transport
};
inline constexpr std::size_t kServiceClassCount = 9;
/// JSON names of ServiceClass, by value.
inline const std::vector<std::string>& service_class_names() {
  static const std::vector<std::string> names{"electricity", "mobile",   "fixed_internet",  "water",    "health_care",
                                              "emergency_calls", "payments", "public_services", "transport"};
  return names;
}

/// JSON element of an asset's "serves": {"class": "electricity", "area": "antwerp", "share": 0.6}:
/// the share of the area's residents relying on this asset for that class.
struct Serve {
  ServiceClass service = ServiceClass::electricity;
  Index area = kNone;
  double share = 1.0;  ///< in [0, 1]; per (area, class) the shares of all assets sum to <= 1
};

/// Dependency classes (typed edges). JSON "type".
enum class DependencyType : std::uint8_t { power, telecom, data, fuel, control, logical, water };

/// How an asset combines its suppliers. JSON "rule".
///  all:       level = min_j e_j                 (needs every supplier)
///  any:       level = max_j e_j                 (redundant suppliers)
///  threshold: level = 0 once the weighted fraction of failed suppliers (e_j < 0.5) reaches phi,
///             else 1                            (Watts 2002)
///  linear:    q = min(1, sum_j a_ij q_j + c_i), level = 1 - q   (Inoperability Input-Output Model,
///             a_ij = the edge's weight, c_i = the asset's own perturbation from attacks and injects)
/// where e_j = 1 - degradation_ij * (1 - level_j) is supplier j's effective contribution as seen
/// through the edge (after its buffer ran out). The asset's own perturbation caps the result:
/// level = min(level, 1 - c_i) for the rules other than linear.
enum class CombineRule : std::uint8_t { all, any, threshold, linear };

/// JSON element of an asset's "depends_on":
///   {"asset": "grid-tso", "type": "power", "buffer": "8h", "weight": 1.0, "degradation": 1.0,
///    "restart": "30m"}
struct Dependency {
  Index supplier = kNone;
  DependencyType type = DependencyType::logical;
  Duration buffer;          ///< how long backup rides through the supplier's loss (0 = immediate)
  double weight = 1.0;      ///< a_ij for the linear rule; weight in the threshold fraction
  double degradation = 1.0; ///< share of the supplier's loss passed on, in [0, 1]
  Duration restart;         ///< delay after the supplier returns before the dependent uses it again
  /// Buffer state of charge (world.hpp, "Buffers"): time to recharge an empty buffer to full once
  /// the supplier is back, > 0. JSON "recharge". Default 15 h: EN 50171 (central safety power
  /// supplies) asks chargers to restore 80 % of battery capacity within 12 h, i.e. about 15 h to full.
  Duration recharge = Duration::hours(15);
  /// A fuel buffer (a generator's tank): run dry unless resupplied (effect "resupply"). JSON
  /// "buffer_kind": "fuel" | "battery"; default "fuel" for type fuel, else "battery".
  bool fuel = false;
  /// Control edges only: how much longer the dependent's restoration takes by hand (field crews)
  /// while its controller is below full service. JSON "manual". Default 30 min: Kyiv 2016,
  /// manual control of the substation after 30 min (DOMAIN.md).
  Duration manual = Duration::minutes(30);
};

/// Backups of an asset's systems, for the rebuild effect. JSON "backup".
enum class BackupState : std::uint8_t {
  offline,  ///< an offline or immutable copy survived: restore, then reimage
  online,   ///< backups were online and encrypted or wiped with the systems
  none,     ///< no usable backup: rebuild from scratch
};

/// JSON "assets": [{"id", "name", "sector", "operator", "population", "criticality", "tags": ["OT"],
///   "rule": "all", "phi": 0.5, "resilience": 0.1, "restore": <duration distribution>,
///   "depends_on": [...], "position": [x, y]}]
struct Asset {
  std::string id;
  std::string name;
  Index sector = kNone;
  Index operator_org = kNone;          ///< JSON "operator": an organisation id
  std::uint64_t population = 0;        ///< people served
  double criticality = 1.0;            ///< planner's weight, used by analyze's cheap score
  std::vector<std::string> tags;       ///< free labels for selectors ("OT", "IT", "SCADA", "cloud")
  CombineRule rule = CombineRule::all;
  double phi = 0.5;                    ///< threshold rule's failed fraction
  double resilience = 0.0;             ///< DIIM resilience coefficient k_i per hour, >= 0
  DurationDist restore = DurationDist::fixed(Duration::hours(24));  ///< rebuild after wipe/encrypt
  std::vector<Dependency> depends_on;
  std::uint32_t hosts = 0;             ///< JSON "hosts": machines the rebuild effect reimages (0 = one unit)
  BackupState backup = BackupState::offline;  ///< JSON "backup": "offline" | "online" | "none"
  double x = 0, y = 0;                 ///< map position in [0, 1] for the viewer (0,0 = unset)
  Marking marking;
  /// JSON "serves": whom the asset delivers a service to. When the scenario declares areas, people
  /// affected come only from serves and `population` is ignored; without areas, `population` is
  /// the fallback (each asset its own group of people, as before areas existed).
  std::vector<Serve> serves;
  /// JSON "daily_output_eur": this asset's share of its sector's output, euros a day; < 0 = not
  /// given (the sector's unassigned output is spread evenly over such assets).
  double daily_output_eur = -1;
  /// JSON "personal_data": true when the asset holds personal data, so that encrypting or wiping
  /// it is a personal-data breach (GDPR Art. 33); exfiltration is one on any asset.
  bool personal_data = false;
};

// ---------------------------------------------------------------------------------------------
// Organisations, calendars, reporting channels
// ---------------------------------------------------------------------------------------------

enum class OrgKind : std::uint8_t { csirt, crisis_centre, authority, operator_, police, intelligence, liaison, government, other };

/// JSON "calendar": "24/7" | {"office_hours": {"days": ["mon", ...], "open": "09:30",
///   "close": "16:30"}, "holidays": ["2026-07-21"], "on_call": {"callout": "45m"}}
struct Calendar {
  bool always = true;                  ///< 24/7
  std::uint8_t weekdays = 0x1F;        ///< bit 0 = Monday ... bit 6 = Sunday
  Duration open = Duration::hours(9);  ///< local time of day
  Duration close = Duration::hours(17);
  std::vector<std::string> holidays;   ///< local dates "YYYY-MM-DD"
  bool on_call = false;                ///< outside hours, reachable after callout
  Duration callout;
};

/// JSON "organisations": [{"id", "name", "kind", "sector", "staff": 4, "calendar": ...,
///   "monitoring": 0.6}]
struct Organisation {
  std::string id;
  std::string name;
  OrgKind kind = OrgKind::other;
  Index sector = kNone;
  int staff = 1;                       ///< servers of the organisation's work queue
  Calendar calendar;
  double monitoring = 0.5;             ///< scales attacker detection hazards on its assets, [0, 1]
  Marking marking;
};

/// JSON "channels": [{"id", "from": "operator-x" | {"kind": "operator"} , "to": "cert",
///   "coverage": 0.4, "latency": <duration distribution>, "method": "phone"}]
/// A channel from a kind covers every organisation of that kind (resolved to `from` indices).
struct Channel {
  std::string id;
  std::vector<Index> from;
  Index to = kNone;
  double coverage = 1.0;               ///< probability a report is actually sent
  DurationDist latency = DurationDist::fixed(Duration::hours(1));
  std::string method;
  Marking marking;
  /// JSON "essential": true for the line operators of essential services use (CERT.be's 24/7
  /// phone for essential operators): an incident first reported to the triage organisation over
  /// it is triaged ahead of procedure steps and the background load.
  bool essential = false;
};

// ---------------------------------------------------------------------------------------------
// The plan
// ---------------------------------------------------------------------------------------------

/// JSON "plan.levels": [{"id": "national-crisis", "name", "rank": 2, "min_severity": 4,
///   "min_population": 100000, "min_sectors": 2, "deescalate_after": "12h", "activation": "alert"}]
/// Escalation goes to the highest level whose thresholds (any one) are met by the escalating
/// organisation's picture; rank 0 is the baseline. Relative thresholds (Belgian emergency
/// planning: more than one province, many victims, harm to vital interests) need areas and
/// sector outputs: "min_areas": 2, "min_area_share": 0.5 (two areas with half their residents
/// affected), "min_population_share": 0.2, "min_loss_share_per_day": 0.25.
struct EscalationLevel {
  std::string id;
  std::string name;
  int rank = 0;
  int min_severity = 99;               ///< severity 0-5 (US CISS scale); 99 = not used
  std::uint64_t min_population = 0;    ///< people affected; 0 = not used
  int min_sectors = 0;                 ///< sectors with an outage; 0 = not used
  Duration deescalate_after;           ///< calm time before stepping down; 0 = never
  std::string activation;              ///< crisis-centre activation level name, if any
  Marking marking;
  // Thresholds relative to the country (need scenario areas / sector outputs; 0 = not used):
  int min_areas = 0;                   ///< areas with at least min_area_share of residents affected
  double min_area_share = 0.05;        ///< share of an area's residents for it to count in min_areas
  double min_population_share = 0;     ///< people affected / the scenario's residents
  double min_loss_share_per_day = 0;   ///< economic loss rate / national daily output (sum of sectors)
};

/// What starts a procedure, an inject, a decision or an objective window.
/// JSON "trigger"/"when": {"at": "T+2h"} | {"on": "detection"} | {"on": "report", "org": "cert"} |
///   {"on": "escalation", "level": "national-crisis"} | {"on": "inject", "inject": "I-04"} |
///   {"on": "decision", "decision": "D-01", "option": "declare"} |
///   {"on": "outage", "asset": "grid-tso"} | {"on": "outage", "sector": "health"} |
///   {"on": "condition", "metric": "population_affected", "at_least": 100000} |
///   {"on": "triage"} (an incident's triage completed; "org": the triaging organisation, optional)
struct Trigger {
  enum class Kind : std::uint8_t { at_time, detection, report, escalation, inject, decision, outage, condition, procedure_done, triage };
  Kind kind = Kind::at_time;
  SimTime at;                          ///< at_time
  Index org = kNone;                   ///< detection/report: by/to this org (kNone = any)
  Index ref = kNone;                   ///< level / inject / decision / asset / procedure index
  Index option = kNone;                ///< decision option
  Index sector = kNone;                ///< outage in a sector
  std::string metric;                  ///< condition
  double at_least = 0;
  /// JSON "once": true on an outage trigger of a procedure: one instance per run (on the first
  /// matching outage) instead of one per asset - for procedures whose steps name their assets.
  bool once = false;
};

/// Effects of procedure steps, inject and decision options. JSON "effect": {"kind": "contain",
///   "assets": [...] | "target": {selector}, "level": "...", "org": "...", "staff": 4,
///   "delay": "6h", "cell": "management", "policy": "name", "value": 1}
struct Effect {
  enum class Kind : std::uint8_t {
    none, contain, isolate, fail_over, restore, escalate, convene_cell, notify, warn_public,
    request_assistance, trigger_procedure, fail_asset, degrade_asset, start_campaign, set_policy, inform,
    // World effects with parameters (models in include/cyberdrill/world.hpp and sim/run/run.cpp):
    manual_operation,  ///< field crews run the asset by hand at `level` after `delay` (crew dispatch)
    mitigate,          ///< DDoS mitigation: after `delay` (onboarding) the asset's DDoS impact is cut
                       ///< to the residual `level` until the attacker stops
    rebuild,           ///< reimage the asset's `hosts` from backups; time by hosts and backup state
    resupply,          ///< refill the asset's fuel buffers (a fuel delivery)
  };
  Kind kind = Kind::none;
  std::vector<Index> assets;           ///< contain/isolate/fail_over/restore/fail_asset/degrade_asset
  Index ref = kNone;                   ///< escalate: level; trigger_procedure: procedure; start_campaign
  Index org = kNone;                   ///< notify: to; request_assistance: helped org
  int staff = 0;                       ///< request_assistance
  Duration delay;                      ///< request_assistance arrival delay
  double value = 0;                    ///< degrade_asset: level; set_policy: value
  std::string name;                    ///< convene_cell: cell name; set_policy: policy name
  /// JSON "level": isolate: the isolated service's level (default 0: fully cut off);
  /// manual_operation: the share of the lost capacity won back by hand (default 0.85: a failed asset
  /// runs at 0.85; see sim/run/run.cpp); mitigate: the residual level while
  /// the attacker continues (default 0.95). -1 = the kind's default. Also uses `delay` (JSON
  /// "delay"): manual_operation's crew dispatch, mitigate's onboarding, rebuild's start-up.
  double level = -1;
  /// rebuild: JSON "hosts_per_day", machines reimaged a day with offline backups (default 4,900:
  /// NotPetya, 4,000 servers and 45,000 PCs rebuilt in about 10 days); JSON "backup_factor":
  /// {"online": 3.5, "none": 5} multiplies the time when backups were lost (defaults in world.hpp).
  double hosts_per_day = 4900;
  double online_factor = 3.5;
  double none_factor = 5.0;
};

/// JSON "plan.procedures[].steps": [{"id", "name", "org", "duration": <dist>, "staff": 1,
///   "deadline": "4h", "after": ["step-id"], "effect": {...}}]
struct ProcedureStep {
  std::string id;
  std::string name;
  Index org = kNone;                   ///< performing organisation (kNone = the procedure's owner)
  DurationDist duration = DurationDist::fixed(Duration::hours(1));
  int staff = 1;
  Duration deadline;                   ///< since the procedure started; 0 = none
  std::vector<Index> after;            ///< steps (of this procedure) that must complete first
  Effect effect;
  Marking marking;
};

/// JSON "plan.procedures": [{"id", "name", "owner", "trigger": {...}, "steps": [...]}]
struct Procedure {
  std::string id;
  std::string name;
  Index owner = kNone;
  Trigger trigger;
  std::vector<ProcedureStep> steps;
  Marking marking;
};

/// The legal regime of an obligation: the leading word of JSON "regime" ("NIS2 Art. 23(4)(a)",
/// "DORA Art. 19", "GDPR Art. 33", "national sector law ..."), case-insensitive.
enum class Regime : std::uint8_t { national, nis2, dora, gdpr };

/// The type of a report an operator files (JSON "report"). A report meets only the clocks of its
/// own type. `incident` is the untyped first report: its clock is met as soon as the recipient
/// knows an incident of the operator, however it learned of it (channel report, notify, ...).
enum class ReportType : std::uint8_t {
  incident,              ///< "incident"
  early_warning,         ///< "early_warning"          NIS2 Art. 23(4)(a), 24 h
  notification,          ///< "notification"           NIS2 Art. 23(4)(b), 72 h
  intermediate,          ///< "intermediate"           NIS2 on request; DORA 72 h
  final_report,          ///< "final"                  NIS2 / DORA, one month
  initial_notification,  ///< "initial_notification"   DORA, 4 h after classification, <= 24 h
  breach_notification,   ///< "breach_notification"    GDPR Art. 33, 72 h
};

/// JSON "plan.obligations": [{"id": "nis2-early-warning", "name", "regime": "NIS2 Art. 23",
///   "deadline": "24h", "applies_to": {"sectors": [...]} , "to": "cert", "min_severity": 3,
///   "report": "early_warning", "starts": "awareness" | "classification" | <report type>,
///   "at_most_after_awareness": "24h", "preparation": <dist>, "classification": <dist>}]
/// A clock per (obligation, affected operator). The operator becomes *aware* when it first knows
/// a significant incident (severity >= min_severity in its own picture; sector filter applied;
/// for GDPR only a personal-data breach). The clock starts at awareness ("awareness"), after the
/// operator's classification of the incident ("classification": DORA's "major" decision, which
/// takes a `classification` time), or when the operator files its report of another type (e.g.
/// NIS2's final report one month after the notification). It is due `deadline` after its start
/// and at most `at_most_after_awareness` after awareness (0 = no cap). The operator files the
/// obligation's report `preparation` after the clock started; the clock is met when that report
/// reaches `to` by the due time. `report` "incident" keeps the untyped rule (see ReportType).
struct Obligation {
  enum class Start : std::uint8_t { awareness, classification, after_report };
  std::string id;
  std::string name;
  std::string regime;
  Duration deadline;
  std::vector<Index> sectors;          ///< empty = every operator
  Index to = kNone;
  int min_severity = 3;
  Marking marking;
  Regime regime_kind = Regime::national;
  ReportType report = ReportType::incident;
  Start starts = Start::awareness;
  ReportType after = ReportType::incident;  ///< the report whose filing starts the clock (after_report)
  Duration cap;                        ///< at most this long after awareness; 0 = no cap
  DurationDist preparation;            ///< report preparation time from the clock's start
  DurationDist classification;         ///< awareness -> classification (starts == classification)
};

/// Report type names as in JSON ("incident", "early_warning", ..., "final", ...).
[[nodiscard]] const char* report_type_name(ReportType t);
/// Regime names ("national", "nis2", "dora", "gdpr").
[[nodiscard]] const char* regime_name(Regime r);

/// JSON "plan": {"id": "plan-nis2", "name", "version", "description", "levels", "procedures",
///   "obligations", "crisis_handoff_factor": 0.5, "regimes": ["nis2", "dora", "gdpr"],
///   "incident_window": "24h"}
struct Plan {
  std::string id;
  std::string name;
  std::string version;
  std::string description;
  std::vector<EscalationLevel> levels;
  std::vector<Procedure> procedures;
  std::vector<Obligation> obligations;
  double crisis_handoff_factor = 1.0;  ///< hand-off delays are multiplied by this in a crisis
  /// The legal reporting regimes in force in the plan's era; an obligation of another regime is
  /// an error. Empty = not stated (any regime).
  std::vector<Regime> regimes;
  /// Detections at the same operator within this time of its last detection join its incident
  /// (see the incident rule in response.hpp). 0 = never by time alone. The reader's default is
  /// 24 h (NIS2's early-warning window: an entity reports one significant incident per day's
  /// events, however many of its assets are hit); plain structs default to 0.
  Duration incident_window;
};

// ---------------------------------------------------------------------------------------------
// Attackers
// ---------------------------------------------------------------------------------------------

/// What a successful step does to its targets. JSON "effect": {"kind": "disrupt"} |
/// {"kind": "degrade", "level": 0.6} | {"kind": "ddos", "level": 0.1, "duration": "10h"} | ...
struct AttackEffect {
  enum class Kind : std::uint8_t { foothold, degrade, disrupt, encrypt, wipe, ddos, exfiltrate };
  Kind kind = Kind::foothold;
  double level = 0;                    ///< service level while the effect lasts (degrade, ddos, disrupt)
  Duration duration;                   ///< ddos / disrupt: how long; 0 = until restored
};

/// JSON step target: "asset-id" | {"operator": "org", "sector": "energy", "tag": "OT"} (every
/// matching asset). Resolved into `assets`; `selector` keeps the text for display.
struct AttackStep {
  std::string id;
  std::string name;
  std::string technique;               ///< ATT&CK id, e.g. "T1566.001"
  bool requires_all = true;            ///< JSON "join": "and" (default) | "or"
  std::vector<Index> requires_steps;   ///< JSON "requires": step ids of the same campaign
  std::vector<Index> targets;
  std::string selector;
  DurationDist time_to_compromise = DurationDist::fixed(Duration::hours(1));
  double success = 1.0;                ///< probability the attempt succeeds
  double detection_per_day = 0.0;      ///< hazard while in progress, scaled by target monitoring
  AttackEffect effect;
  Marking marking;
};

/// JSON "attackers": [{"id", "name", "actor", "start": "T+0", "steps": [...], "goals": [ids]}]
struct Campaign {
  std::string id;
  std::string name;
  std::string actor;
  SimTime start;
  std::vector<AttackStep> steps;
  std::vector<Index> goals;
  Marking marking;
};

/// JSON "background": {"rate_per_day": 43, "service": <dist>, "priority": "fifo"|"severity",
///   "org": "cert", "severity": [[1, 60], [2, 30], [3, 9], [4, 1]]}
struct BackgroundLoad {
  double rate_per_day = 0;
  DurationDist service = DurationDist::fixed(Duration::minutes(30));
  bool severity_first = false;
  Index org = kNone;
  Distribution severity = Distribution::fixed(1);
};

// ---------------------------------------------------------------------------------------------
// Exercise layer
// ---------------------------------------------------------------------------------------------

/// JSON "injects": [{"id": "I-01", "number": 1, "time": "T+00:30" | "when": {trigger},
///   "from", "to", "method", "synopsis", "message", "expected_action", "objective",
///   "capability", "controller", "contingency": false, "status": "planned", "effect": {...}}]
struct Inject {
  std::string id;
  int number = 0;
  Trigger when;                        ///< at_time for timed injects
  Index from = kNone;
  Index to = kNone;
  std::string method;
  std::string synopsis;
  std::string message;
  std::string expected_action;
  Index objective = kNone;
  std::string capability;
  std::string controller;
  bool contingency = false;
  std::string status = "planned";
  Effect effect;                       ///< kind inform = no simulated effect
  Marking marking;
};

/// JSON "decisions": [{"id": "D-01", "question", "owner", "when": {trigger}, "deadline": "2h",
///   "deliberation": <dist>,
///   "options": [{"id": "declare", "label", "effects": [{...}]}], "default": "declare"}]
struct DecisionOption {
  std::string id;
  std::string label;
  std::vector<Effect> effects;
};
struct Decision {
  std::string id;
  std::string question;
  Index owner = kNone;
  Trigger when;
  Duration deadline;
  std::vector<DecisionOption> options;
  Index default_option = kNone;
  Marking marking;
  /// JSON "deliberation": <duration distribution>: how long the owner deliberates once it can act
  /// and knows of the incident (the default policy only). Default (set by the reader): lognormal
  /// median 75 min, p90 2 h, from the Brussels 2016 benchmark (crisis cell within 1 h, threat
  /// level raised 75 min after the blast, metro shut after 90 min; DOMAIN.md). 0 in plain structs.
  DurationDist deliberation;
};

/// JSON "objectives": [{"id": "O-1", "name", "capability", "metric": "time_to_escalate_h",
///   "better": "lower"|"higher", "ratings": {"P": 4, "S": 8, "M": 24}}]
/// Rating: for "lower", value <= P -> P, <= S -> S, <= M -> M, else U (mirror for "higher");
/// a metric that never happened (e.g. never escalated) rates U.
struct Objective {
  std::string id;
  std::string name;
  std::string capability;
  std::string metric;
  bool lower_is_better = true;
  double p = 0, s = 0, m = 0;
  Marking marking;
};

/// One acceptance band of an exercise (JSON "reference.bands[]"): a statistic of `metric` over
/// the reference runs must lie in [lo, hi].
///   "median"         the median over the runs where the metric happened; a band is missed when
///                    it happened in fewer than half of the runs (a median of "never" is "never")
///   "share_happened" the share of runs where the metric happened (e.g. time_to_crisis_h: the
///                    share of runs that reached the top level), in [0, 1]
///   "share_at_most"  the share of runs where the metric happened and was <= `value`
///                    (e.g. time_to_recover_h <= 168: runs recovered within a week), in [0, 1]
/// JSON: {"metric": "time_to_recover_h", "statistic": "median", "lo": 168, "hi": 336,
///        "source": "DOMAIN.md: NotPetya 2017, rebuilt in about 10 days"} (+ "value" for share_at_most)
struct ReferenceBand {
  enum class Statistic : std::uint8_t { median, share_happened, share_at_most };
  std::string metric;                  ///< a name of known_metrics()
  Statistic statistic = Statistic::median;
  double lo = 0, hi = 0;               ///< lo <= hi; shares within [0, 1]
  double value = 0;                    ///< share_at_most only: the bound on the metric
  std::string source;                  ///< where the band comes from (a DOMAIN.md reference incident)
};

/// JSON "reference": {"seeds": 30, "bands": [...]}: the exercise's reference timeline as
/// acceptance bands, checked over seeds 1..seeds by tests/run/reference.test.cpp. Data only: no
/// model reads it. seeds 0 = no reference section.
struct Reference {
  int seeds = 0;                       ///< 1..10000
  std::vector<ReferenceBand> bands;
};

/// The whole validated scenario.
/// JSON "basemap": the geography under the assets on the map figures. An asset's "position"
/// [x, y] in [0, 1] is read in this frame: longitude = west + x (east - west), latitude = north -
/// y (north - south). The outline (the country's borders) is drawn under the assets, projected
/// with the frame's aspect ratio (equirectangular, longitudes scaled by the cosine of the mid
/// latitude). Data, not behaviour: the figures only draw it. Absent: east <= west.
struct Basemap {
  std::string source;    ///< where the outline comes from (shown on the map)
  std::string licence;
  double west = 0, south = 0, east = 0, north = 0;  ///< degrees
  std::vector<std::vector<std::pair<double, double>>> outline;  ///< rings of (longitude, latitude)
  [[nodiscard]] bool present() const { return east > west && north > south; }
  /// JSON "provinces": the country's first-level subdivisions, drawn as thin lines under the
  /// assets (and over nothing else); empty when absent. Same frame and ring form as `outline`.
  struct Province {
    std::string name;
    std::vector<std::vector<std::pair<double, double>>> outline;  ///< rings of (longitude, latitude)
  };
  std::string provinces_source;   ///< where the province shapes come from (shown on the map)
  std::string provinces_licence;
  std::vector<Province> provinces;
};

struct Scenario {
  std::string source_path;             ///< the top-level file
  Metadata metadata;
  Policy policy;
  std::vector<Sector> sectors;
  std::vector<Area> areas;             ///< JSON "areas"; empty = asset populations are the fallback
  Basemap basemap;                     ///< JSON "basemap" (map figures only)
  std::vector<Organisation> organisations;
  std::vector<Asset> assets;
  std::vector<Channel> channels;
  Plan plan;
  std::vector<Campaign> campaigns;
  BackgroundLoad background;
  std::vector<Inject> injects;
  std::vector<Decision> decisions;
  std::vector<Objective> objectives;
  Reference reference;                 ///< JSON "reference" (exercise files); empty when absent
};

/// Metric names a scenario may reference (objectives, conditions). Models produce each one.
const std::vector<std::string>& known_metrics();

/// Policy knob names models read (JSON "policy" keys and set_policy effects); any other name is a
/// lint warning. Models that read a new knob register its name here (sim/input/known_names.cpp).
const std::vector<std::string>& known_policies();

}  // namespace cyberdrill
