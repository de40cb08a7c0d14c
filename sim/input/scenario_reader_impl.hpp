// The scenario reader's private parts: the Reader that converts a composed document into a
// Scenario with every check the format allows, its enum name tables and helpers. One Reader, its
// behaviour split by section over the files of this folder:
//   scenario_reader.cpp    the entry points (read_scenario, parse_scenario_time, live_quantities)
//                          and Reader::run, the order sections are read in
//   scenario_values.cpp    generic field access: strings, numbers, durations, times, references
//   scenario_world.cpp     metadata, policy, sectors, areas, organisations, assets, channels
//   scenario_triggers.cpp  triggers, selectors and effects
//   scenario_plan.cpp      the plan: levels, obligations, procedures and their steps
//   scenario_attack.cpp    attackers (campaigns) and the background load
//   scenario_exercise.cpp  the exercise layer: injects, decisions, objectives
//   scenario_lint.cpp      the semantic lint over the typed scenario
// Private to sim/input.
#pragma once

#include "scenario_reader.hpp"
#include <string>
#include <vector>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>
#include <optional>
#include <cmath>
#include <cstdio>
#include <functional>
#include <initializer_list>
#include <map>
#include <set>
#include <unordered_map>

#include "cyberdrill/effect_names.hpp"
#include "cyberdrill/suggest.hpp"
#include "flat_id_map.hpp"
#include "time_zone.hpp"

namespace cyberdrill::io::scenario_reading {

using Severity = Diagnostic::Severity;

inline std::string num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}
/// Long user text is shortened in messages.
inline std::string clip(std::string_view s) {
  return s.size() <= 80 ? std::string(s) : std::string(s.substr(0, 77)) + "...";
}
inline std::string in_quotes(std::string_view s) { return "\"" + clip(s) + "\""; }
/// A JSON value as it appears in a message, shortened.
inline std::string shown(const Value& v) { return clip(v.dump()); }
inline std::string at(const std::string& ptr, std::string_view key) { return ptr + "/" + escape_pointer_token(key); }
inline std::string at(const std::string& ptr, std::size_t i) { return ptr + "/" + std::to_string(i); }
inline std::string type_of(const Value& v) { return v.type_name(); }
inline const Value* get(const Value& o, std::string_view key) { return o.find(key); }
inline std::vector<std::string> names(std::initializer_list<std::string_view> l) {
  std::vector<std::string> v;
  for (auto s : l) v.emplace_back(s);
  return v;
}
inline std::string join(const std::vector<std::string>& v, std::string_view sep = ", ") {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? std::string(sep) : std::string()) + v[i];
  return out;
}

/// The pointer of member `key` under `base`, built only when a message needs it.
struct KeyPtr {
  const std::string& base;
  std::string_view key;
  operator std::string() const { return at(base, key); }  // NOLINT: implicit by design
};

/// Ids of one collection: position i holds element i's id ("" when it has none).
/// The ids are views into the composition's ValueStore (alive for the whole read).
struct IdTable {
  const char* what;
  std::vector<std::string_view> ids;
  FlatIdMap<Index> index;  ///< first element with each id; lookups only (flat: 10^6 ids)
  void collect(const Value* arr) {
    ids.clear();
    index.clear();
    if (arr == nullptr || !arr->is_array()) return;
    ids.reserve(arr->size());
    index.reserve(arr->size());
    for (const Value& el : *arr) {
      const Value* id = get(el, "id");
      ids.push_back(id != nullptr && id->is_string() ? id->str() : std::string_view());
      if (!ids.back().empty()) index.emplace(ids.back(), static_cast<Index>(ids.size() - 1));
    }
  }
  /// As collect(), from ids gathered elsewhere (LazyElements::ids: "" or null for none).
  void collect_ids(const std::vector<std::string_view>& from) {
    ids.clear();
    index.clear();
    ids.reserve(from.size());
    index.reserve(from.size());
    for (const std::string_view id : from) {
      ids.push_back(id.data() == nullptr ? std::string_view() : id);
      if (!ids.back().empty()) index.emplace(ids.back(), static_cast<Index>(ids.size() - 1));
    }
  }
  [[nodiscard]] std::vector<std::string> known() const {
    std::vector<std::string> v;
    for (const auto& s : ids)
      if (!s.empty()) v.emplace_back(s);
    return v;
  }
};

/// The commonest duration form, one group "<digits><unit>" (unit w, d, h, m, s, ms or us) without
/// sign or spaces, as try_parse_duration reads it; nullopt for any other text (or one that would
/// overflow), which then goes through try_parse_duration.
inline std::optional<Duration> simple_duration(std::string_view text) {
  std::size_t i = 0;
  std::int64_t n = 0;
  while (i < text.size() && i < 12 && text[i] >= '0' && text[i] <= '9') n = n * 10 + (text[i++] - '0');
  if (i == 0 || i == 12) return std::nullopt;
  const std::string_view unit = text.substr(i);
  std::int64_t us = 0;
  if (unit == "s") us = 1'000'000;
  else if (unit == "m") us = 60'000'000;
  else if (unit == "h") us = 3'600'000'000;
  else if (unit == "d") us = 86'400'000'000;
  else if (unit == "w") us = 604'800'000'000;
  else if (unit == "ms") us = 1'000;
  else if (unit == "us") us = 1;
  else return std::nullopt;
  if (n > std::numeric_limits<std::int64_t>::max() / us) return std::nullopt;
  return Duration::from_us(n * us);
}

template <typename E>
struct EnumName {
  const char* name;
  E value;
};

inline constexpr EnumName<DependencyType> kDependencyTypes[] = {
    {"power", DependencyType::power}, {"telecom", DependencyType::telecom}, {"data", DependencyType::data},
    {"fuel", DependencyType::fuel},   {"control", DependencyType::control}, {"logical", DependencyType::logical},
    {"water", DependencyType::water}};
inline constexpr EnumName<CombineRule> kRules[] = {
    {"all", CombineRule::all}, {"any", CombineRule::any}, {"threshold", CombineRule::threshold}, {"linear", CombineRule::linear}};
inline constexpr EnumName<OrgKind> kOrgKinds[] = {
    {"csirt", OrgKind::csirt},         {"crisis_centre", OrgKind::crisis_centre}, {"authority", OrgKind::authority},
    {"operator", OrgKind::operator_},  {"police", OrgKind::police},               {"intelligence", OrgKind::intelligence},
    {"liaison", OrgKind::liaison},     {"government", OrgKind::government},       {"other", OrgKind::other}};
inline constexpr EnumName<Tlp> kTlps[] = {
    {"clear", Tlp::clear}, {"green", Tlp::green}, {"amber", Tlp::amber}, {"amber+strict", Tlp::amber_strict}, {"red", Tlp::red}};
inline constexpr EnumName<Audience> kAudiences[] = {
    {"all", Audience::all}, {"participant", Audience::participant}, {"controller", Audience::controller}};
using TriggerKind = Trigger::Kind;
inline constexpr EnumName<TriggerKind> kTriggerKinds[] = {
    {"detection", TriggerKind::detection}, {"report", TriggerKind::report},       {"escalation", TriggerKind::escalation},
    {"inject", TriggerKind::inject},       {"decision", TriggerKind::decision},   {"outage", TriggerKind::outage},
    {"condition", TriggerKind::condition}, {"procedure_done", TriggerKind::procedure_done}, {"triage", TriggerKind::triage}};
inline constexpr EnumName<ReportType> kReportTypes[] = {{"incident", ReportType::incident},
                                         {"early_warning", ReportType::early_warning},
                                         {"notification", ReportType::notification},
                                         {"intermediate", ReportType::intermediate},
                                         {"final", ReportType::final_report},
                                         {"initial_notification", ReportType::initial_notification},
                                         {"breach_notification", ReportType::breach_notification}};
inline constexpr EnumName<Regime> kRegimes[] = {
    {"national", Regime::national}, {"nis2", Regime::nis2}, {"dora", Regime::dora}, {"gdpr", Regime::gdpr}};

// Default report preparation times (from the clock's start to filing) when an obligation gives
// none. DOMAIN.md has no published preparation times; these are planner's estimates sized on the
// legal windows and on the shipped NIS2 plan's first-report latency (median 2 h, p90 12 h):
//  early_warning: two yes/no questions (malicious? cross-border?), as fast as the first report:
//    median 2 h, p90 12 h.
//  initial_notification (DORA): a short form due 4 h after classification: median 1 h, p90 3 h.
//  notification, intermediate, breach_notification: severity, impact and indicators need an
//    assessment: median 1 d, p90 2.5 d (most inside the 72 h window, some not).
//  final: root cause and mitigation after recovery (NotPetya rebuild about 10 days):
//    median 3 weeks, p90 5 weeks (some miss the month).
// Default classification time (DORA "major", Reg. 2024/1772 Art. 8-9 criteria): median 2 h,
// p90 12 h, so that the 24 h cap after awareness sometimes decides the due time.
inline DurationDist default_preparation(ReportType t) {
  auto ln = [](Duration median, Duration p90) {
    return DurationDist{Distribution::lognormal_median_p90(static_cast<double>(median.us()), static_cast<double>(p90.us()))};
  };
  switch (t) {
    case ReportType::incident: return DurationDist::fixed(Duration::zero());
    case ReportType::early_warning: return ln(Duration::hours(2), Duration::hours(12));
    case ReportType::initial_notification: return ln(Duration::hours(1), Duration::hours(3));
    case ReportType::notification:
    case ReportType::intermediate:
    case ReportType::breach_notification: return ln(Duration::hours(24), Duration::hours(60));
    case ReportType::final_report: return ln(Duration::hours(21 * 24), Duration::hours(35 * 24));
  }
  return DurationDist::fixed(Duration::zero());
}
inline DurationDist default_classification() {
  return DurationDist{Distribution::lognormal_median_p90(static_cast<double>(Duration::hours(2).us()),
                                                         static_cast<double>(Duration::hours(12).us()))};
}
// Default deliberation of a decision (Decision::deliberation): the Brussels 2016 benchmark
// (DOMAIN.md): crisis cell within 1 h, threat level raised 75 min after the blast, metro shut
// after 90 min: median 75 min, p90 2 h.
inline DurationDist default_deliberation() {
  return DurationDist{Distribution::lognormal_median_p90(static_cast<double>(Duration::minutes(75).us()),
                                                         static_cast<double>(Duration::hours(2).us()))};
}
using EffectKind = Effect::Kind;
inline constexpr EnumName<EffectKind> kEffectKinds[] = {
    {"none", EffectKind::none},
    {"contain", EffectKind::contain},
    {"isolate", EffectKind::isolate},
    {"fail_over", EffectKind::fail_over},
    {"restore", EffectKind::restore},
    {"escalate", EffectKind::escalate},
    {"convene_cell", EffectKind::convene_cell},
    {"notify", EffectKind::notify},
    {"warn_public", EffectKind::warn_public},
    {"request_assistance", EffectKind::request_assistance},
    {"trigger_procedure", EffectKind::trigger_procedure},
    {"fail_asset", EffectKind::fail_asset},
    {"degrade_asset", EffectKind::degrade_asset},
    {"start_campaign", EffectKind::start_campaign},
    {"set_policy", EffectKind::set_policy},
    {"inform", EffectKind::inform},
    {"manual_operation", EffectKind::manual_operation},
    {"mitigate", EffectKind::mitigate},
    {"rebuild", EffectKind::rebuild},
    {"resupply", EffectKind::resupply}};
inline constexpr EnumName<BackupState> kBackupStates[] = {
    {"offline", BackupState::offline}, {"online", BackupState::online}, {"none", BackupState::none}};
inline constexpr EnumName<bool> kBufferKinds[] = {{"battery", false}, {"fuel", true}};
using AttackKind = AttackEffect::Kind;
// The names come from include/cyberdrill/effect_names.hpp (indexed by AttackEffect::Kind).
inline constexpr EnumName<AttackKind> kAttackEffects[] = {
    {kAttackEffectNames[0].data(), AttackKind::foothold},
    {kAttackEffectNames[1].data(), AttackKind::degrade},
    {kAttackEffectNames[2].data(), AttackKind::disrupt},
    {kAttackEffectNames[3].data(), AttackKind::encrypt},
    {kAttackEffectNames[4].data(), AttackKind::wipe},
    {kAttackEffectNames[5].data(), AttackKind::ddos},
    {kAttackEffectNames[6].data(), AttackKind::exfiltrate}};
inline constexpr const char* kWeekdays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

inline bool is_asset_effect(EffectKind k) {
  return k == EffectKind::contain || k == EffectKind::isolate || k == EffectKind::fail_over || k == EffectKind::restore || k == EffectKind::fail_asset ||
         k == EffectKind::degrade_asset || k == EffectKind::manual_operation || k == EffectKind::mitigate || k == EffectKind::rebuild ||
         k == EffectKind::resupply;
}

class Reader {
 public:
  explicit Reader(Composition& c) : c_(c) {}

  /// `typed`: the assets a LazyAssetTyper typed while the file was parsed (used when they are
  /// Composition::lazy_assets' elements; nullptr: every lazy asset is parsed again here).
  Scenario run(std::string source_path, Reader* typed = nullptr);

  // ------------------------------------------------------------------------------------------
  // Typing the lazy assets during the parse (LazyAssetTyper). A probe reader reports into a
  // composition of its own and only counts the reports: an asset it reads without any report is
  // "clean" and its Asset is kept; any other is read again by the real reader from its text, as
  // without the probe. What a clean read cannot know yet is left to the real reader: asset
  // references to ids not seen so far (kept as text, resolved when every id is known) and the
  // per-(area, class) share sums (added in asset order with the re-read ones).
  // ------------------------------------------------------------------------------------------
  /// Starts probing: sectors, areas and organisations from the root's members before "assets".
  void probe_begin(const Value& root_before, std::size_t bytes_left);
  /// Reads element `index` (the next one) with its string id (`id.data() == nullptr`: none).
  void probe_asset(std::size_t index, const Value& e, std::string_view id);
  /// Forgets every probed asset.
  void probe_reset();
  /// How many probed assets the last real read kept as typed (for the tests).
  [[nodiscard]] std::size_t probe_kept() const { return probe_kept_; }

 private:
  // ------------------------------------------------------------------------------------------
  // Reporting and generic field access
  // ------------------------------------------------------------------------------------------
  void error(const std::string& ptr, std::string msg) { c_.report(Severity::error, ptr, std::move(msg)); }
  void error(const KeyPtr& ptr, std::string msg) { c_.report(Severity::error, std::string(ptr), std::move(msg)); }
  void warning(const std::string& ptr, std::string msg) { c_.report(Severity::warning, ptr, std::move(msg)); }

  void check_keys(const Value& o, const std::string& ptr, std::initializer_list<std::string_view> allowed,
                  bool marking = true);

  bool expect_object(const Value& v, const std::string& ptr, std::string_view what);

  /// Two strings reused for the pointers of one array and its elements (see elements_at).
  struct PtrBuffers {
    std::string array;
    std::string element;
  };
  /// As elements(arr = o's member `key`, ptr + "/" + key, f), the pointers built in `bufs` (no
  /// allocation per element once the buffers are warm). `bufs` must not be in use by a caller.
  template <typename F>
  void elements_at(const Value& o, const std::string& ptr, std::string_view key, PtrBuffers& bufs, F&& f) {
    const Value* arr = get(o, key);
    if (arr == nullptr) return;
    bufs.array.assign(ptr);
    bufs.array += '/';
    bufs.array += escape_pointer_token(key);
    if (!arr->is_array()) {
      error(bufs.array, "expected an array, got " + type_of(*arr));
      return;
    }
    for (std::size_t i = 0; i < arr->size(); ++i) {
      bufs.element.assign(bufs.array);
      bufs.element += '/';
      char digits[24];
      const auto printed = std::to_chars(digits, digits + sizeof digits, i);
      bufs.element.append(digits, printed.ptr);
      f((*arr)[i], static_cast<const std::string&>(bufs.element));
    }
  }

  template <typename F>
  void elements(const Value* arr, const std::string& ptr, F&& f) {
    if (arr == nullptr) return;
    if (!arr->is_array()) {
      error(ptr, "expected an array, got " + type_of(*arr));
      return;
    }
    for (std::size_t i = 0; i < arr->size(); ++i) f((*arr)[i], at(ptr, i));
  }

  bool missing(const Value& o, const std::string& ptr, std::string_view key, bool required);
  /// The member `key` of `o` (one lookup), nullptr when absent; reported as missing when required.
  const Value* present(const Value& o, const std::string& ptr, std::string_view key, bool required);

  bool read_string(const Value& o, const std::string& ptr, std::string_view key, std::string& out, bool required = false);

  void read_id(const Value& o, const std::string& ptr, std::string& out);

  bool read_number(const Value& o, const std::string& ptr, std::string_view key, double& out, double lo, double hi,
                   const char* range, bool required = false);
  bool read_probability(const Value& o, const std::string& ptr, std::string_view key, double& out, bool required = false);
  bool read_nonnegative(const Value& o, const std::string& ptr, std::string_view key, double& out, bool required = false);

  bool read_int(const Value& o, const std::string& ptr, std::string_view key, std::int64_t& out, std::int64_t lo,
                std::int64_t hi, bool required = false);
  bool read_int(const Value& o, const std::string& ptr, std::string_view key, int& out, int lo, int hi, bool required = false);

  bool read_bool(const Value& o, const std::string& ptr, std::string_view key, bool& out);

  template <typename E, std::size_t N>
  bool read_enum(const Value& o, const std::string& ptr, std::string_view key, const EnumName<E> (&table)[N], E& out,
                 bool required = false) {
    // The common case, a string naming a value, without a copy; anything else as below.
    if (const Value* v = get(o, key); v != nullptr && v->is_string()) {
      const std::string_view given = v->str();
      for (const auto& e : table)
        if (given == e.name) {
          out = e.value;
          return true;
        }
    }
    std::string text;
    if (!read_string(o, ptr, key, text, required)) return false;
    return enum_value(text, at(ptr, key), table, out);
  }
  template <typename E, std::size_t N>
  bool enum_value(const std::string& text, const std::string& ptr, const EnumName<E> (&table)[N], E& out) {
    std::vector<std::string> known;
    for (const auto& e : table) {
      if (text == e.name) {
        out = e.value;
        return true;
      }
      known.emplace_back(e.name);
    }
    const std::string hint = did_you_mean(text, known);
    error(ptr, "unknown value " + in_quotes(text) + (hint.empty() ? " (expected one of: " + join(known) + ")" : hint));
    return false;
  }

  /// A duration value ("4h"); never negative. `ptr`: a std::string or a KeyPtr.
  template <typename Ptr>
  bool duration_value(const Value& v, const Ptr& ptr, std::string_view name, Duration& out) {
    if (!v.is_string()) {
      error(ptr, "expected a duration such as \"4h\" or \"1h30m\", got " + type_of(v));
      return false;
    }
    const std::string_view text = v.str();
    if (const std::optional<Duration> simple = simple_duration(text)) {  // "0s", "5m", "48h": no string built
      out = *simple;
      return true;
    }
    const DurationParse p = try_parse_duration(text, true);
    if (!p) {
      error(ptr, p.error);
      return false;
    }
    if (p.value->is_negative()) {
      error(ptr, std::string(name) + " must not be negative, got " + in_quotes(text));
      return false;
    }
    out = *p.value;
    return true;
  }
  bool read_duration(const Value& o, const std::string& ptr, std::string_view key, Duration& out, bool required = false,
                     bool positive = false);

  bool read_time(const Value& o, const std::string& ptr, std::string_view key, SimTime& out, bool required = false);

  /// A duration distribution (see scenario.hpp).
  bool dist_value(const Value& v, const std::string& ptr, std::string_view name, DurationDist& out);
  bool read_dist(const Value& o, const std::string& ptr, std::string_view key, DurationDist& out, bool required = false);

  Marking read_marking(const Value& o, const std::string& ptr);

  /// Resolves an id reference held by `v`. `ptr`: a std::string or a KeyPtr.
  template <typename Ptr>
  Index ref_value(const Value& v, const Ptr& ptr, const IdTable& t) {
    if (!v.is_string()) {
      error(ptr, "expected " + std::string(t.what) + " id (a string), got " + type_of(v));
      return kNone;
    }
    const std::string_view id = v.str();
    if (const auto it = t.index.find(id); it != t.index.end()) return it->second;
    // Suggestions cost |ids| edit distances each: a budget keeps a file full of bad references fast.
    const bool suggest = suggestions_left_ > 0 && t.ids.size() <= 100'000;
    if (suggest) --suggestions_left_;
    error(ptr, "unknown " + std::string(t.what) + " " + in_quotes(clip(id)) + (suggest ? did_you_mean(id, t.known()) : std::string()));
    return kNone;
  }
  Index read_ref(const Value& o, const std::string& ptr, std::string_view key, const IdTable& t, bool required = false);
  std::vector<Index> read_refs(const Value& o, const std::string& ptr, std::string_view key, const IdTable& t);
  std::vector<std::string> read_strings(const Value& o, const std::string& ptr, std::string_view key);

  // ------------------------------------------------------------------------------------------
  // Sections
  // ------------------------------------------------------------------------------------------
  void read_metadata(const Value* m);

  void read_policy(const Value* p);
  void warn_unknown_policy(const std::string& name, const std::string& ptr);

  void read_sector(const Value& e, const std::string& ptr);

  void read_area(const Value& e, const std::string& ptr);
  /// "basemap" (scenario_world.cpp).
  void read_basemap(const Value* b);

  /// An asset's "serves": [{"class", "area", "share"}]; per (area, class) the shares over all
  /// assets must not exceed 1 (reported at the serve that crosses it).
  void read_serves(const Value& e, const std::string& ptr, Asset& a);

  void read_calendar(const Value& o, const std::string& ptr, Calendar& cal);
  bool read_clock(const Value& o, const std::string& ptr, std::string_view key, Duration& out);

  void read_organisation(const Value& e, const std::string& ptr);

  void read_asset(const Value& e, const std::string& ptr);
  /// The assets of Composition::lazy_assets, built one at a time from their text (the ones
  /// `typed` did not read cleanly: all of them without it).
  void read_lazy_assets(Reader* typed);
  /// An asset as read_asset reads it, `self` its index (for the self-dependency check).
  Asset type_asset(const Value& e, const std::string& ptr, std::size_t self);
  /// The share sums of a clean probed asset's serves, as read_serves adds them (and reports).
  void add_shares(const Asset& a, std::size_t index);
  /// Adds one served group's share to its (area, class) sum and reports the sum the first time it
  /// passes 1; `share_ptr()` gives the share's JSON pointer, built only then.
  template <class SharePtr>
  void add_share(const Serve& sv, const SharePtr& share_ptr) {
    double& sum = share_sum_[{sv.area, static_cast<int>(sv.service)}];
    const bool was_ok = sum <= 1.0 + 1e-9;
    sum += sv.share;
    if (was_ok && sum > 1.0 + 1e-9) report_share_sum(share_ptr(), sv, sum);
  }
  void report_share_sum(const std::string& share_ptr, const Serve& sv, double sum);

  void read_channel(const Value& e, const std::string& ptr);

  // ------------------------------------------------------------------------------------------
  // Triggers, selectors and effects
  // ------------------------------------------------------------------------------------------
  void read_trigger(const Value& t, const std::string& ptr, Trigger& out);

  /// Asset selector {"operator", "sector", "tag"}: every asset matching all given criteria.
  std::vector<Index> read_selector(const Value& sel, const std::string& ptr, std::string& text);

  void read_effect(const Value& e, const std::string& ptr, Effect& out);

  // ------------------------------------------------------------------------------------------
  // The plan
  // ------------------------------------------------------------------------------------------
  void read_plan(const Value* p);

  void read_procedure(const Value& e, const std::string& ptr);

  /// Steps waiting on each other in a cycle would never start.
  void check_step_order(const Procedure& pr, const std::string& ptr);

  // ------------------------------------------------------------------------------------------
  // Attackers, background, exercise layer
  // ------------------------------------------------------------------------------------------
  void read_campaign(const Value& e, const std::string& ptr);
  static bool valid_technique(const std::string& t);

  void read_background(const Value* b);

  void read_inject(const Value& e, const std::string& ptr);

  void read_decision(const Value& e, const std::string& ptr);

  void read_objective(const Value& e, const std::string& ptr);

  // ------------------------------------------------------------------------------------------
  // Semantic lint over the typed scenario (only run when the conversion had no error)
  // ------------------------------------------------------------------------------------------
  void lint();

  /// Warns about every cycle of zero-buffer dependencies that nothing damps. An edge damps when
  /// it passes on less than all of its supplier's loss: degradation < 1, or a weight < 1 into an
  /// asset using the linear rule. A cycle of non-damping zero-buffer edges spreads a failure around
  /// instantly and for ever (the cascade model must then settle it by its fixed-point iteration).
  void lint_dependency_cycles();

  /// A goal is reachable when its prerequisites can all (join "and") or partly (join "or") be
  /// satisfied, starting from steps without prerequisites; a step with success 0 never succeeds.
  void lint_attack_graphs();

  /// Warns about triggers that can never fire: an escalation level nothing reaches, a report to an
  /// organisation no channel reaches, the completion of a procedure that itself never starts.
  void lint_triggers();

  /// Injects go to organisations that play a part in the plan (owner or performer of a procedure,
  /// recipient of an obligation, sender or recipient of a channel, owner of a decision).
  void lint_inject_addressees();


  Composition& c_;
  Scenario s_;
  IdTable areas_{"area", {}, {}};
  std::map<std::pair<Index, int>, double> share_sum_;  ///< (area, service class) -> sum of shares
  IdTable sectors_{"sector", {}, {}}, orgs_{"organisation", {}, {}}, assets_{"asset", {}, {}},
      levels_{"escalation level", {}, {}}, procedures_{"procedure", {}, {}}, campaigns_{"campaign", {}, {}},
      injects_{"inject", {}, {}}, decisions_{"decision", {}, {}}, objectives_{"objective", {}, {}};
  std::vector<IdTable> options_;  ///< per decision
  int suggestions_left_ = 200;    ///< "did you mean" searches over id tables per load
  PtrBuffers serves_ptr_, depends_ptr_;  ///< read_asset's reused pointer buffers

  // Probe state (probe_begin .. probe_reset); the probed assets are s_.assets.
  struct PendingRef {
    std::uint32_t asset;   ///< index of the dependent asset
    std::uint32_t dep;     ///< index in its depends_on
    std::size_t offset;    ///< the supplier id: pending_chars_.substr(offset, size)
    std::uint32_t size;
  };
  std::size_t probe_kept_ = 0;
  bool probing_ = false;
  bool probe_begun_ = false;
  std::vector<std::uint8_t> probe_clean_;  ///< per probed asset: read without any report
  std::vector<PendingRef> pending_;
  std::string pending_chars_;
  std::string probe_ptr_;
};

}  // namespace cyberdrill::io::scenario_reading
