#include "scenario_reader.hpp"
#include "lint.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <functional>
#include <initializer_list>
#include <map>
#include <set>
#include <unordered_map>

#include "cyberdrill/suggest.hpp"
#include "time_zone.hpp"

namespace cyberdrill::io {
namespace {

using Severity = Diagnostic::Severity;

std::string num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}
/// Long user text is shortened in messages.
std::string clip(std::string_view s) {
  return s.size() <= 80 ? std::string(s) : std::string(s.substr(0, 77)) + "...";
}
std::string q(std::string_view s) { return "\"" + clip(s) + "\""; }
/// A JSON value as it appears in a message, shortened.
std::string shown(const Value& v) { return clip(v.dump()); }
std::string at(const std::string& ptr, std::string_view key) { return ptr + "/" + escape_pointer_token(key); }
std::string at(const std::string& ptr, std::size_t i) { return ptr + "/" + std::to_string(i); }
std::string type_of(const Value& v) { return v.type_name(); }
const Value* get(const Value& o, std::string_view key) { return o.find(key); }
std::vector<std::string> names(std::initializer_list<std::string_view> l) {
  std::vector<std::string> v;
  for (auto s : l) v.emplace_back(s);
  return v;
}
std::string join(const std::vector<std::string>& v, std::string_view sep = ", ") {
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
  std::unordered_map<std::string_view, Index> index;  ///< first element with each id; lookups only
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
  [[nodiscard]] std::vector<std::string> known() const {
    std::vector<std::string> v;
    for (const auto& s : ids)
      if (!s.empty()) v.emplace_back(s);
    return v;
  }
};

template <typename E>
struct EnumName {
  const char* name;
  E value;
};

constexpr EnumName<DependencyType> kDependencyTypes[] = {
    {"power", DependencyType::power}, {"telecom", DependencyType::telecom}, {"data", DependencyType::data},
    {"fuel", DependencyType::fuel},   {"control", DependencyType::control}, {"logical", DependencyType::logical},
    {"water", DependencyType::water}};
constexpr EnumName<CombineRule> kRules[] = {
    {"all", CombineRule::all}, {"any", CombineRule::any}, {"threshold", CombineRule::threshold}, {"linear", CombineRule::linear}};
constexpr EnumName<OrgKind> kOrgKinds[] = {
    {"csirt", OrgKind::csirt},         {"crisis_centre", OrgKind::crisis_centre}, {"authority", OrgKind::authority},
    {"operator", OrgKind::operator_},  {"police", OrgKind::police},               {"intelligence", OrgKind::intelligence},
    {"liaison", OrgKind::liaison},     {"government", OrgKind::government},       {"other", OrgKind::other}};
constexpr EnumName<Tlp> kTlps[] = {
    {"clear", Tlp::clear}, {"green", Tlp::green}, {"amber", Tlp::amber}, {"amber+strict", Tlp::amber_strict}, {"red", Tlp::red}};
constexpr EnumName<Audience> kAudiences[] = {
    {"all", Audience::all}, {"participant", Audience::participant}, {"controller", Audience::controller}};
using TK = Trigger::Kind;
constexpr EnumName<TK> kTriggerKinds[] = {
    {"detection", TK::detection}, {"report", TK::report},       {"escalation", TK::escalation},
    {"inject", TK::inject},       {"decision", TK::decision},   {"outage", TK::outage},
    {"condition", TK::condition}, {"procedure_done", TK::procedure_done}, {"triage", TK::triage}};
using RT = ReportType;
constexpr EnumName<RT> kReportTypes[] = {{"incident", RT::incident},
                                         {"early_warning", RT::early_warning},
                                         {"notification", RT::notification},
                                         {"intermediate", RT::intermediate},
                                         {"final", RT::final_report},
                                         {"initial_notification", RT::initial_notification},
                                         {"breach_notification", RT::breach_notification}};
constexpr EnumName<Regime> kRegimes[] = {
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
DurationDist default_preparation(ReportType t) {
  auto ln = [](Duration median, Duration p90) {
    return DurationDist{Distribution::lognormal_median_p90(static_cast<double>(median.us()), static_cast<double>(p90.us()))};
  };
  switch (t) {
    case RT::incident: return DurationDist::fixed(Duration::zero());
    case RT::early_warning: return ln(Duration::hours(2), Duration::hours(12));
    case RT::initial_notification: return ln(Duration::hours(1), Duration::hours(3));
    case RT::notification:
    case RT::intermediate:
    case RT::breach_notification: return ln(Duration::hours(24), Duration::hours(60));
    case RT::final_report: return ln(Duration::hours(21 * 24), Duration::hours(35 * 24));
  }
  return DurationDist::fixed(Duration::zero());
}
DurationDist default_classification() {
  return DurationDist{Distribution::lognormal_median_p90(static_cast<double>(Duration::hours(2).us()),
                                                         static_cast<double>(Duration::hours(12).us()))};
}
// Default deliberation of a decision (Decision::deliberation): the Brussels 2016 benchmark
// (DOMAIN.md): crisis cell within 1 h, threat level raised 75 min after the blast, metro shut
// after 90 min: median 75 min, p90 2 h.
DurationDist default_deliberation() {
  return DurationDist{Distribution::lognormal_median_p90(static_cast<double>(Duration::minutes(75).us()),
                                                         static_cast<double>(Duration::hours(2).us()))};
}
using EK = Effect::Kind;
constexpr EnumName<EK> kEffectKinds[] = {
    {"none", EK::none},
    {"contain", EK::contain},
    {"isolate", EK::isolate},
    {"fail_over", EK::fail_over},
    {"restore", EK::restore},
    {"escalate", EK::escalate},
    {"convene_cell", EK::convene_cell},
    {"notify", EK::notify},
    {"warn_public", EK::warn_public},
    {"request_assistance", EK::request_assistance},
    {"trigger_procedure", EK::trigger_procedure},
    {"fail_asset", EK::fail_asset},
    {"degrade_asset", EK::degrade_asset},
    {"start_campaign", EK::start_campaign},
    {"set_policy", EK::set_policy},
    {"inform", EK::inform},
    {"manual_operation", EK::manual_operation},
    {"mitigate", EK::mitigate},
    {"rebuild", EK::rebuild},
    {"resupply", EK::resupply}};
constexpr EnumName<BackupState> kBackupStates[] = {
    {"offline", BackupState::offline}, {"online", BackupState::online}, {"none", BackupState::none}};
constexpr EnumName<bool> kBufferKinds[] = {{"battery", false}, {"fuel", true}};
using AK = AttackEffect::Kind;
constexpr EnumName<AK> kAttackEffects[] = {{"foothold", AK::foothold}, {"degrade", AK::degrade},   {"disrupt", AK::disrupt},
                                           {"encrypt", AK::encrypt},   {"wipe", AK::wipe},         {"ddos", AK::ddos},
                                           {"exfiltrate", AK::exfiltrate}};
constexpr const char* kWeekdays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

bool is_asset_effect(EK k) {
  return k == EK::contain || k == EK::isolate || k == EK::fail_over || k == EK::restore || k == EK::fail_asset ||
         k == EK::degrade_asset || k == EK::manual_operation || k == EK::mitigate || k == EK::rebuild ||
         k == EK::resupply;
}

class Reader {
 public:
  explicit Reader(Composition& c) : c_(c) {}

  Scenario run(std::string source_path) {
    s_.source_path = std::move(source_path);
    const Value& root = c_.root;
    check_keys(root, "",
               {"$schema", "schema_version", "include", "description", "metadata", "policy", "sectors", "organisations",
                "areas", "assets", "channels", "plan", "attackers", "background", "injects", "decisions", "objectives"},
               false);
    const Value empty_object = Value::object(nullptr, 0);
    const Value* plan = get(root, "plan");
    const Value& plan_obj = plan != nullptr && plan->is_object() ? *plan : empty_object;

    sectors_.collect(get(root, "sectors"));
    areas_.collect(get(root, "areas"));
    orgs_.collect(get(root, "organisations"));
    assets_.collect(get(root, "assets"));
    levels_.collect(get(plan_obj, "levels"));
    procedures_.collect(get(plan_obj, "procedures"));
    campaigns_.collect(get(root, "attackers"));
    injects_.collect(get(root, "injects"));
    decisions_.collect(get(root, "decisions"));
    objectives_.collect(get(root, "objectives"));
    if (const Value* ds = get(root, "decisions"); ds != nullptr && ds->is_array()) {
      for (const Value& d : *ds) {
        IdTable t{"option", {}, {}};
        t.collect(get(d, "options"));
        options_.push_back(std::move(t));
      }
    }

    read_metadata(get(root, "metadata"));
    read_policy(get(root, "policy"));
    elements(get(root, "sectors"), "/sectors", [&](const Value& e, const std::string& p) { read_sector(e, p); });
    elements(get(root, "areas"), "/areas", [&](const Value& e, const std::string& p) { read_area(e, p); });
    elements(get(root, "organisations"), "/organisations",
             [&](const Value& e, const std::string& p) { read_organisation(e, p); });
    elements(get(root, "assets"), "/assets", [&](const Value& e, const std::string& p) { read_asset(e, p); });
    elements(get(root, "channels"), "/channels", [&](const Value& e, const std::string& p) { read_channel(e, p); });
    read_plan(plan);
    elements(get(root, "attackers"), "/attackers", [&](const Value& e, const std::string& p) { read_campaign(e, p); });
    read_background(get(root, "background"));
    elements(get(root, "injects"), "/injects", [&](const Value& e, const std::string& p) { read_inject(e, p); });
    elements(get(root, "decisions"), "/decisions", [&](const Value& e, const std::string& p) { read_decision(e, p); });
    elements(get(root, "objectives"), "/objectives", [&](const Value& e, const std::string& p) { read_objective(e, p); });

    if (!c_.has_errors()) lint();
    check_limits_and_lint(c_, s_);  // limits and horizon lint: sim/io/lint.cpp
    return std::move(s_);
  }

 private:
  // ------------------------------------------------------------------------------------------
  // Reporting and generic field access
  // ------------------------------------------------------------------------------------------
  void error(const std::string& ptr, std::string msg) { c_.report(Severity::error, ptr, std::move(msg)); }
  void error(const KeyPtr& ptr, std::string msg) { c_.report(Severity::error, std::string(ptr), std::move(msg)); }
  void warning(const std::string& ptr, std::string msg) { c_.report(Severity::warning, ptr, std::move(msg)); }

  void check_keys(const Value& o, const std::string& ptr, std::initializer_list<std::string_view> allowed,
                  bool marking = true) {
    if (!o.is_object()) return;
    auto is_known = [&](std::string_view key) {
      if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) return true;
      return marking && (key == "tlp" || key == "audience");
    };
    for (const Member* m = o.members_begin(); m != o.members_end(); ++m) {
      if (is_known(m->key.str())) continue;
      // Only now (an error) the list of known names is built.
      std::vector<std::string> known = names(allowed);
      if (marking) {
        known.emplace_back("tlp");
        known.emplace_back("audience");
      }
      const std::string key(m->key.str());
      const std::string hint = did_you_mean(key, known);
      error(at(ptr, key), "unknown field " + q(key) + (hint.empty() ? " (expected one of: " + join(known) + ")" : hint));
    }
  }

  bool expect_object(const Value& v, const std::string& ptr, std::string_view what) {
    if (v.is_object()) return true;
    error(ptr, "expected " + std::string(what) + " (an object), got " + type_of(v));
    return false;
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

  bool missing(const Value& o, const std::string& ptr, std::string_view key, bool required) {
    if (get(o, key) != nullptr) return false;
    if (required) error(ptr, "missing " + q(key));
    return true;
  }

  bool read_string(const Value& o, const std::string& ptr, std::string_view key, std::string& out, bool required = false) {
    if (missing(o, ptr, key, required)) return false;
    const Value& v = *get(o, key);
    if (!v.is_string()) {
      error(at(ptr, key), "expected a string, got " + type_of(v));
      return false;
    }
    out = v.get<std::string>();
    return true;
  }

  void read_id(const Value& o, const std::string& ptr, std::string& out) {
    if (read_string(o, ptr, "id", out, true) && out.empty()) error(at(ptr, "id"), "id must not be empty");
  }

  bool read_number(const Value& o, const std::string& ptr, std::string_view key, double& out, double lo, double hi,
                   const char* range, bool required = false) {
    if (missing(o, ptr, key, required)) return false;
    const Value& v = *get(o, key);
    if (!v.is_number()) {
      error(at(ptr, key), "expected a number, got " + type_of(v));
      return false;
    }
    const double d = v.get<double>();
    if (!(d >= lo && d <= hi)) {
      error(at(ptr, key), std::string(key) + " must be " + range + ", got " + num(d));
      return false;
    }
    out = d;
    return true;
  }
  bool read_probability(const Value& o, const std::string& ptr, std::string_view key, double& out, bool required = false) {
    return read_number(o, ptr, key, out, 0.0, 1.0, "a probability in [0, 1]", required);
  }
  bool read_nonnegative(const Value& o, const std::string& ptr, std::string_view key, double& out, bool required = false) {
    return read_number(o, ptr, key, out, 0.0, 1e300, "a number >= 0", required);
  }

  bool read_int(const Value& o, const std::string& ptr, std::string_view key, std::int64_t& out, std::int64_t lo,
                std::int64_t hi, bool required = false) {
    if (missing(o, ptr, key, required)) return false;
    const Value& v = *get(o, key);
    if (!v.is_number_integer()) {
      error(at(ptr, key), "expected an integer, got " + (v.is_number() ? "the number " + shown(v) : type_of(v)));
      return false;
    }
    if (v.is_number_unsigned() ? v.get<std::uint64_t>() > static_cast<std::uint64_t>(hi) : v.get<std::int64_t>() > hi) {
      error(at(ptr, key), std::string(key) + " must be at most " + std::to_string(hi) + ", got " + v.dump());
      return false;
    }
    if (!v.is_number_unsigned() && v.get<std::int64_t>() < lo) {
      error(at(ptr, key), std::string(key) + " must be at least " + std::to_string(lo) + ", got " + v.dump());
      return false;
    }
    out = v.get<std::int64_t>();
    return true;
  }
  bool read_int(const Value& o, const std::string& ptr, std::string_view key, int& out, int lo, int hi, bool required = false) {
    std::int64_t v = 0;
    if (!read_int(o, ptr, key, v, lo, hi, required)) return false;
    out = static_cast<int>(v);
    return true;
  }

  bool read_bool(const Value& o, const std::string& ptr, std::string_view key, bool& out) {
    if (missing(o, ptr, key, false)) return false;
    const Value& v = *get(o, key);
    if (!v.is_boolean()) {
      error(at(ptr, key), "expected true or false, got " + type_of(v));
      return false;
    }
    out = v.get<bool>();
    return true;
  }

  template <typename E, std::size_t N>
  bool read_enum(const Value& o, const std::string& ptr, std::string_view key, const EnumName<E> (&table)[N], E& out,
                 bool required = false) {
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
    error(ptr, "unknown value " + q(text) + (hint.empty() ? " (expected one of: " + join(known) + ")" : hint));
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
    const DurationParse p = try_parse_duration(text, true);
    if (!p) {
      error(ptr, p.error);
      return false;
    }
    if (p.value->is_negative()) {
      error(ptr, std::string(name) + " must not be negative, got " + q(text));
      return false;
    }
    out = *p.value;
    return true;
  }
  bool read_duration(const Value& o, const std::string& ptr, std::string_view key, Duration& out, bool required = false,
                     bool positive = false) {
    if (missing(o, ptr, key, required)) return false;
    Duration d;
    if (!duration_value(*get(o, key), KeyPtr{ptr, key}, key, d)) return false;
    if (positive && d == Duration::zero()) {
      error(at(ptr, key), std::string(key) + " must be longer than zero");
      return false;
    }
    out = d;
    return true;
  }

  bool read_time(const Value& o, const std::string& ptr, std::string_view key, SimTime& out, bool required = false) {
    if (missing(o, ptr, key, required)) return false;
    const Value& v = *get(o, key);
    if (!v.is_string()) {
      error(at(ptr, key), "expected a scenario time such as \"T+02:30\" or \"T+2h\", got " + type_of(v));
      return false;
    }
    std::string err;
    const auto t = parse_scenario_time(v.get<std::string>(), &err);
    if (!t) {
      error(at(ptr, key), err);
      return false;
    }
    out = *t;
    return true;
  }

  /// A duration distribution (see scenario.hpp).
  bool dist_value(const Value& v, const std::string& ptr, std::string_view name, DurationDist& out) {
    if (v.is_string()) {
      Duration d;
      if (!duration_value(v, ptr, name, d)) return false;
      out = DurationDist::fixed(d);
      return true;
    }
    const std::vector<std::string> kinds = names({"lognormal", "triangular", "exponential", "uniform", "empirical"});
    if (!v.is_object() || v.size() != 1) {
      error(ptr, "expected a duration (\"4h\") or a distribution object with exactly one of: " + join(kinds) + "; got " +
                     (v.is_object() ? "an object with " + std::to_string(v.size()) + " keys" : type_of(v)));
      return false;
    }
    const std::string kind(v.members_begin()->key.str());
    const Value& body = v.members_begin()->value;
    const std::string bp = at(ptr, kind);
    auto us = [](Duration d) { return static_cast<double>(d.us()); };
    if (kind == "lognormal") {
      if (!expect_object(body, bp, "{\"median\": duration, \"p90\": duration}")) return false;
      check_keys(body, bp, {"median", "p90"}, false);
      Duration median, p90;
      const bool ok = read_duration(body, bp, "median", median, true, true) & read_duration(body, bp, "p90", p90, true);
      if (!ok) return false;
      if (p90 < median) {
        error(at(bp, "p90"), "p90 must be at least the median");
        return false;
      }
      out.dist = Distribution::lognormal_median_p90(us(median), us(p90));
      return true;
    }
    if (kind == "exponential") {
      if (!expect_object(body, bp, "{\"mean\": duration}")) return false;
      check_keys(body, bp, {"mean"}, false);
      Duration mean;
      if (!read_duration(body, bp, "mean", mean, true, true)) return false;
      out.dist = Distribution::exponential(us(mean));
      return true;
    }
    if (kind == "triangular" || kind == "uniform") {
      const std::size_t n = kind == "triangular" ? 3 : 2;
      if (!body.is_array() || body.size() != n) {
        error(bp, kind == "triangular" ? "expected [min, mode, max] durations" : "expected [low, high] durations");
        return false;
      }
      std::vector<Duration> d(n);
      bool ok = true;
      for (std::size_t i = 0; i < n; ++i) ok = duration_value(body[i], at(bp, i), kind, d[i]) && ok;
      if (!ok) return false;
      if (kind == "triangular") {
        if (!(d[0] <= d[1] && d[1] <= d[2])) {
          error(bp, "triangular needs min <= mode <= max");
          return false;
        }
        out.dist = Distribution::triangular(us(d[0]), us(d[1]), us(d[2]));
      } else {
        if (d[1] < d[0]) {
          error(bp, "uniform needs low <= high");
          return false;
        }
        out.dist = Distribution::uniform(us(d[0]), us(d[1]));
      }
      return true;
    }
    if (kind == "empirical") {
      if (!body.is_array() || body.empty()) {
        error(bp, "expected a non-empty array of [duration, weight] pairs");
        return false;
      }
      std::vector<std::pair<double, double>> table;
      double sum = 0;
      bool ok = true;
      for (std::size_t i = 0; i < body.size(); ++i) {
        const Value& pair = body[i];
        if (!pair.is_array() || pair.size() != 2) {
          error(at(bp, i), "expected a [duration, weight] pair");
          ok = false;
          continue;
        }
        Duration d;
        ok = duration_value(pair[0], at(at(bp, i), std::size_t{0}), "value", d) && ok;
        if (!pair[1].is_number() || !(pair[1].get<double>() >= 0) || !std::isfinite(pair[1].get<double>())) {
          error(at(at(bp, i), std::size_t{1}), "weight must be a number >= 0");
          ok = false;
          continue;
        }
        sum += pair[1].get<double>();
        table.emplace_back(us(d), pair[1].get<double>());
      }
      if (!ok) return false;
      if (!(sum > 0)) {
        error(bp, "empirical weights must have a positive sum");
        return false;
      }
      out.dist = Distribution::empirical(table);
      return true;
    }
    error(at(ptr, kind), "unknown distribution " + q(kind) + did_you_mean(kind, kinds) +
                             (closest_match(kind, kinds).empty() ? " (expected one of: " + join(kinds) + ")" : ""));
    return false;
  }
  bool read_dist(const Value& o, const std::string& ptr, std::string_view key, DurationDist& out, bool required = false) {
    if (missing(o, ptr, key, required)) return false;
    return dist_value(*get(o, key), at(ptr, key), key, out);
  }

  Marking read_marking(const Value& o, const std::string& ptr) {
    Marking m;
    read_enum(o, ptr, "tlp", kTlps, m.tlp);
    read_enum(o, ptr, "audience", kAudiences, m.audience);
    return m;
  }

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
    error(ptr, "unknown " + std::string(t.what) + " " + q(clip(id)) + (suggest ? did_you_mean(id, t.known()) : std::string()));
    return kNone;
  }
  Index read_ref(const Value& o, const std::string& ptr, std::string_view key, const IdTable& t, bool required = false) {
    if (missing(o, ptr, key, required)) return kNone;
    return ref_value(*get(o, key), KeyPtr{ptr, key}, t);
  }
  std::vector<Index> read_refs(const Value& o, const std::string& ptr, std::string_view key, const IdTable& t) {
    std::vector<Index> out;
    const Value* arr = get(o, key);
    if (arr == nullptr) return out;
    if (!arr->is_array()) {
      error(at(ptr, key), "expected an array of " + std::string(t.what) + " ids, got " + type_of(*arr));
      return out;
    }
    for (std::size_t i = 0; i < arr->size(); ++i) {
      const Index r = ref_value((*arr)[i], at(at(ptr, key), i), t);
      if (r != kNone) out.push_back(r);
    }
    return out;
  }
  std::vector<std::string> read_strings(const Value& o, const std::string& ptr, std::string_view key) {
    std::vector<std::string> out;
    const Value* arr = get(o, key);
    if (arr == nullptr) return out;
    if (!arr->is_array()) {
      error(at(ptr, key), "expected an array of strings, got " + type_of(*arr));
      return out;
    }
    for (std::size_t i = 0; i < arr->size(); ++i) {
      if ((*arr)[i].is_string()) out.push_back((*arr)[i].get<std::string>());
      else error(at(at(ptr, key), i), "expected a string, got " + type_of((*arr)[i]));
    }
    return out;
  }

  // ------------------------------------------------------------------------------------------
  // Sections
  // ------------------------------------------------------------------------------------------
  void read_metadata(const Value* m) {
    const std::string ptr = "/metadata";
    if (m == nullptr) {
      error("", "missing \"metadata\": every scenario needs a name, a start and a duration");
      return;
    }
    if (!expect_object(*m, ptr, "metadata")) return;
    check_keys(*m, ptr, {"name", "description", "start", "time_zone", "duration", "seed", "version", "authors"}, false);
    Metadata& md = s_.metadata;
    read_string(*m, ptr, "name", md.name, true);
    read_string(*m, ptr, "description", md.description);
    read_string(*m, ptr, "version", md.version);
    read_strings(*m, ptr, "authors");
    md.time_zone = "UTC";
    bool zone_ok = true;
    if (read_string(*m, ptr, "time_zone", md.time_zone) && !is_supported_zone(md.time_zone)) {
      zone_ok = false;
      std::vector<std::string> candidates = supported_zone_names();
      candidates.emplace_back("UTC");
      error(at(ptr, "time_zone"), "unknown time zone " + q(md.time_zone) + did_you_mean(md.time_zone, candidates) +
                                      " (supported: \"UTC\", fixed offsets such as \"+01:00\", and the EU-rule zones " +
                                      join(supported_zone_names()) + ")");
    }
    if (read_string(*m, ptr, "start", md.start_local, true) && zone_ok) {
      const LocalToUtc r = local_to_utc(md.start_local, md.time_zone);
      if (!r.utc_s) error(at(ptr, "start"), r.error);
      else md.start_utc_s = *r.utc_s;
      if (!r.warning.empty()) warning(at(ptr, "start"), r.warning);
    }
    read_duration(*m, ptr, "duration", md.duration, true, true);
    std::int64_t seed = 0;
    if (const Value* sv = get(*m, "seed")) {
      if (sv->is_number_unsigned()) md.seed = sv->get<std::uint64_t>();
      else if (read_int(*m, ptr, "seed", seed, 0, std::numeric_limits<std::int64_t>::max())) md.seed = static_cast<std::uint64_t>(seed);
    }
  }

  void read_policy(const Value* p) {
    if (p == nullptr) return;
    if (!expect_object(*p, "/policy", "policy settings")) return;
    for (const Member* m = p->members_begin(); m != p->members_end(); ++m) {
      const std::string key(m->key.str());
      const Value& value = m->value;
      const std::string ptr = at(std::string("/policy"), key);
      if (!value.is_number()) {
        error(ptr, "expected a number, got " + type_of(value));
        continue;
      }
      s_.policy[key] = value.get<double>();
      warn_unknown_policy(key, ptr);
    }
  }
  void warn_unknown_policy(const std::string& name, const std::string& ptr) {
    const auto& known = known_policies();
    if (std::find(known.begin(), known.end(), name) != known.end()) return;
    const std::string hint = did_you_mean(name, known);
    warning(ptr, "policy " + q(name) + " is read by no model" +
                     (hint.empty() ? " (known: " + join(known) + ")" : hint));
  }

  void read_sector(const Value& e, const std::string& ptr) {
    Sector sec;
    if (expect_object(e, ptr, "a sector")) {
      check_keys(e, ptr, {"id", "name", "daily_output_eur"});
      read_id(e, ptr, sec.id);
      read_string(e, ptr, "name", sec.name);
      read_nonnegative(e, ptr, "daily_output_eur", sec.daily_output_eur);
      sec.marking = read_marking(e, ptr);
    }
    s_.sectors.push_back(std::move(sec));
  }

  void read_area(const Value& e, const std::string& ptr) {
    Area area;
    if (expect_object(e, ptr, "an area")) {
      check_keys(e, ptr, {"id", "name", "residents"});
      read_id(e, ptr, area.id);
      read_string(e, ptr, "name", area.name);
      std::int64_t r = 0;
      if (read_int(e, ptr, "residents", r, 0, std::int64_t{100'000'000'000}, true)) area.residents = static_cast<std::uint64_t>(r);
      area.marking = read_marking(e, ptr);
    }
    s_.areas.push_back(std::move(area));
  }

  /// An asset's "serves": [{"class", "area", "share"}]; per (area, class) the shares over all
  /// assets must not exceed 1 (reported at the serve that crosses it).
  void read_serves(const Value& e, const std::string& ptr, Asset& a) {
    elements(get(e, "serves"), at(ptr, "serves"), [&](const Value& v, const std::string& sp) {
      if (!expect_object(v, sp, "a served group {\"class\", \"area\", \"share\"}")) return;
      check_keys(v, sp, {"class", "area", "share"}, false);
      Serve sv;
      std::string cls;
      bool ok = read_string(v, sp, "class", cls, true);
      if (ok) {
        const auto& names = service_class_names();
        const auto it = std::find(names.begin(), names.end(), cls);
        if (it == names.end()) {
          const std::string hint = did_you_mean(cls, names);
          error(at(sp, "class"), "unknown service class " + q(cls) + (hint.empty() ? " (expected one of: " + join(names) + ")" : hint));
          ok = false;
        } else {
          sv.service = static_cast<ServiceClass>(it - names.begin());
        }
      }
      sv.area = read_ref(v, sp, "area", areas_, true);
      ok = read_probability(v, sp, "share", sv.share, true) && ok && sv.area != kNone;
      if (!ok) return;
      double& sum = share_sum_[{sv.area, static_cast<int>(sv.service)}];
      const bool was_ok = sum <= 1.0 + 1e-9;
      sum += sv.share;
      if (was_ok && sum > 1.0 + 1e-9)
        error(at(sp, "share"), "the shares of " + q(cls) + " in area " + q(std::string(areas_.ids[sv.area])) + " sum to " +
                                   num(sum) + " over the assets serving it (at most 1: a resident relies on one supplier)");
      a.serves.push_back(sv);
    });
  }

  void read_calendar(const Value& o, const std::string& ptr, Calendar& cal) {
    const Value* v = get(o, "calendar");
    if (v == nullptr) return;
    const std::string cp = at(ptr, "calendar");
    if (v->is_string()) {
      if (v->get<std::string>() != "24/7") error(cp, "expected \"24/7\" or an object with \"office_hours\", got " + shown(*v));
      return;
    }
    if (!expect_object(*v, cp, "\"24/7\" or a calendar")) return;
    check_keys(*v, cp, {"office_hours", "holidays", "on_call"}, false);
    const Value* oh = get(*v, "office_hours");
    if (oh == nullptr) {
      error(cp, "missing \"office_hours\" (use \"24/7\" for an always-staffed organisation)");
      return;
    }
    cal.always = false;
    const std::string op = at(cp, "office_hours");
    if (expect_object(*oh, op, "office hours")) {
      check_keys(*oh, op, {"days", "open", "close"}, false);
      if (const Value* days = get(*oh, "days")) {
        cal.weekdays = 0;
        if (!days->is_array()) {
          error(at(op, "days"), "expected an array of day names, got " + type_of(*days));
        } else {
          for (std::size_t i = 0; i < days->size(); ++i) {
            const Value& d = (*days)[i];
            const std::string text = d.is_string() ? d.get<std::string>() : shown(d);
            int bit = -1;
            for (int k = 0; k < 7; ++k)
              if (text == kWeekdays[k]) bit = k;
            if (bit < 0) error(at(at(op, "days"), i), "unknown day " + q(text) + " (expected mon, tue, wed, thu, fri, sat, sun)");
            else cal.weekdays = static_cast<std::uint8_t>(cal.weekdays | (1U << bit));
          }
        }
      }
      bool ok = read_clock(*oh, op, "open", cal.open);
      ok = read_clock(*oh, op, "close", cal.close) && ok;
      if (ok && !(cal.open < cal.close)) error(at(op, "close"), "close must be later than open");
    }
    const std::vector<std::string> hol = read_strings(*v, cp, "holidays");
    for (std::size_t i = 0; i < hol.size(); ++i) {
      if (!parse_date(hol[i])) error(at(at(cp, "holidays"), i), "expected a date \"YYYY-MM-DD\", got " + q(hol[i]));
      else cal.holidays.push_back(hol[i]);
    }
    if (const Value* oc = get(*v, "on_call")) {
      const std::string ocp = at(cp, "on_call");
      if (expect_object(*oc, ocp, "{\"callout\": duration}")) {
        check_keys(*oc, ocp, {"callout"}, false);
        cal.on_call = true;
        read_duration(*oc, ocp, "callout", cal.callout, true);
      }
    }
  }
  bool read_clock(const Value& o, const std::string& ptr, std::string_view key, Duration& out) {
    std::string text;
    if (!read_string(o, ptr, key, text, true)) return false;
    const bool shape = text.size() == 5 && text[2] == ':' && std::isdigit(static_cast<unsigned char>(text[0])) &&
                       std::isdigit(static_cast<unsigned char>(text[1])) && std::isdigit(static_cast<unsigned char>(text[3])) &&
                       std::isdigit(static_cast<unsigned char>(text[4]));
    const int h = shape ? (text[0] - '0') * 10 + (text[1] - '0') : 99;
    const int m = shape ? (text[3] - '0') * 10 + (text[4] - '0') : 99;
    if (!shape || h > 24 || m > 59 || (h == 24 && m != 0)) {
      error(at(ptr, key), "expected a local time of day \"HH:MM\", got " + q(text));
      return false;
    }
    out = Duration::minutes(h * 60 + m);
    return true;
  }

  void read_organisation(const Value& e, const std::string& ptr) {
    Organisation org;
    if (expect_object(e, ptr, "an organisation")) {
      check_keys(e, ptr, {"id", "name", "kind", "sector", "staff", "calendar", "monitoring"});
      read_id(e, ptr, org.id);
      read_string(e, ptr, "name", org.name);
      read_enum(e, ptr, "kind", kOrgKinds, org.kind);
      org.sector = read_ref(e, ptr, "sector", sectors_);
      read_int(e, ptr, "staff", org.staff, 0, 1'000'000);
      read_calendar(e, ptr, org.calendar);
      read_probability(e, ptr, "monitoring", org.monitoring);
      org.marking = read_marking(e, ptr);
    }
    s_.organisations.push_back(std::move(org));
  }

  void read_asset(const Value& e, const std::string& ptr) {
    Asset a;
    if (expect_object(e, ptr, "an asset")) {
      check_keys(e, ptr, {"id", "name", "sector", "operator", "population", "criticality", "tags", "rule", "phi",
                          "resilience", "restore", "depends_on", "position", "serves", "daily_output_eur", "hosts", "backup",
                          "personal_data"});
      read_bool(e, ptr, "personal_data", a.personal_data);
      read_id(e, ptr, a.id);
      read_string(e, ptr, "name", a.name);
      a.sector = read_ref(e, ptr, "sector", sectors_, true);
      a.operator_org = read_ref(e, ptr, "operator", orgs_);
      std::int64_t pop = 0;
      if (read_int(e, ptr, "population", pop, 0, std::int64_t{100'000'000'000})) a.population = static_cast<std::uint64_t>(pop);
      read_nonnegative(e, ptr, "criticality", a.criticality);
      read_serves(e, ptr, a);
      read_nonnegative(e, ptr, "daily_output_eur", a.daily_output_eur);
      a.tags = read_strings(e, ptr, "tags");
      read_enum(e, ptr, "rule", kRules, a.rule);
      read_probability(e, ptr, "phi", a.phi);
      read_nonnegative(e, ptr, "resilience", a.resilience);
      read_dist(e, ptr, "restore", a.restore);
      std::int64_t hosts = 0;
      if (read_int(e, ptr, "hosts", hosts, 0, std::int64_t{1'000'000'000})) a.hosts = static_cast<std::uint32_t>(hosts);
      read_enum(e, ptr, "backup", kBackupStates, a.backup);
      if (const Value* pos = get(e, "position")) {
        const std::string pp = at(ptr, "position");
        if (!pos->is_array() || pos->size() != 2 || !(*pos)[0].is_number() || !(*pos)[1].is_number()) {
          error(pp, "expected [x, y] with numbers in [0, 1]");
        } else {
          a.x = (*pos)[0].get<double>();
          a.y = (*pos)[1].get<double>();
          if (!(a.x >= 0 && a.x <= 1 && a.y >= 0 && a.y <= 1)) error(pp, "position must lie in [0, 1] x [0, 1]");
        }
      }
      elements(get(e, "depends_on"), at(ptr, "depends_on"), [&](const Value& d, const std::string& dp) {
        Dependency dep;
        if (expect_object(d, dp, "a dependency")) {
          check_keys(d, dp, {"asset", "type", "buffer", "weight", "degradation", "restart", "recharge", "buffer_kind",
                             "manual"},
                     false);
          dep.supplier = read_ref(d, dp, "asset", assets_, true);
          if (dep.supplier != kNone && dep.supplier == s_.assets.size())
            error(at(dp, "asset"), "asset " + q(a.id) + " depends on itself");
          read_enum(d, dp, "type", kDependencyTypes, dep.type, true);
          read_duration(d, dp, "buffer", dep.buffer);
          read_nonnegative(d, dp, "weight", dep.weight);
          read_probability(d, dp, "degradation", dep.degradation);
          read_duration(d, dp, "restart", dep.restart);
          read_duration(d, dp, "recharge", dep.recharge, false, true);
          dep.fuel = dep.type == DependencyType::fuel;
          read_enum(d, dp, "buffer_kind", kBufferKinds, dep.fuel);
          read_duration(d, dp, "manual", dep.manual);
        }
        a.depends_on.push_back(dep);
      });
      a.marking = read_marking(e, ptr);
    }
    s_.assets.push_back(std::move(a));
  }

  void read_channel(const Value& e, const std::string& ptr) {
    Channel ch;
    if (expect_object(e, ptr, "a reporting channel")) {
      check_keys(e, ptr, {"id", "from", "to", "coverage", "latency", "method", "essential"});
      read_bool(e, ptr, "essential", ch.essential);
      read_id(e, ptr, ch.id);
      if (const Value* from = get(e, "from")) {
        const std::string fp = at(ptr, "from");
        if (from->is_string()) {
          const Index o = ref_value(*from, fp, orgs_);
          if (o != kNone) ch.from.push_back(o);
        } else if (expect_object(*from, fp, "an organisation id or {\"kind\": ...}")) {
          check_keys(*from, fp, {"kind"}, false);
          OrgKind kind{};
          if (read_enum(*from, fp, "kind", kOrgKinds, kind, true)) {
            for (std::size_t i = 0; i < s_.organisations.size(); ++i)
              if (s_.organisations[i].kind == kind) ch.from.push_back(static_cast<Index>(i));
            if (ch.from.empty()) warning(fp, "no organisation of kind " + shown(*get(*from, "kind")) + ": this channel carries nothing");
          }
        }
      } else {
        error(ptr, "missing \"from\"");
      }
      ch.to = read_ref(e, ptr, "to", orgs_, true);
      read_probability(e, ptr, "coverage", ch.coverage);
      read_dist(e, ptr, "latency", ch.latency);
      read_string(e, ptr, "method", ch.method);
      ch.marking = read_marking(e, ptr);
    }
    s_.channels.push_back(std::move(ch));
  }

  // ------------------------------------------------------------------------------------------
  // Triggers, selectors and effects
  // ------------------------------------------------------------------------------------------
  void read_trigger(const Value& t, const std::string& ptr, Trigger& out) {
    if (!expect_object(t, ptr, "a trigger")) return;
    const bool has_at = get(t, "at") != nullptr;
    const Value* on = get(t, "on");
    if (on == nullptr) {
      if (!has_at) {
        error(ptr, "a trigger needs \"at\" (a time such as \"T+2h\") or \"on\" (an event)");
        return;
      }
      check_keys(t, ptr, {"at"}, false);
      out.kind = TK::at_time;
      read_time(t, ptr, "at", out.at, true);
      return;
    }
    std::string kind_text;
    if (!read_string(t, ptr, "on", kind_text, true)) return;
    if (!enum_value(kind_text, at(ptr, "on"), kTriggerKinds, out.kind)) return;
    switch (out.kind) {
      case TK::detection:
      case TK::report:
        check_keys(t, ptr, {"on", "org"}, false);
        out.org = read_ref(t, ptr, "org", orgs_);
        break;
      case TK::escalation:
        check_keys(t, ptr, {"on", "level"}, false);
        out.ref = read_ref(t, ptr, "level", levels_, true);
        break;
      case TK::inject:
        check_keys(t, ptr, {"on", "inject"}, false);
        out.ref = read_ref(t, ptr, "inject", injects_, true);
        break;
      case TK::decision:
        check_keys(t, ptr, {"on", "decision", "option"}, false);
        out.ref = read_ref(t, ptr, "decision", decisions_, true);
        if (out.ref != kNone && out.ref < options_.size()) out.option = read_ref(t, ptr, "option", options_[out.ref]);
        break;
      case TK::outage: {
        check_keys(t, ptr, {"on", "asset", "sector", "once"}, false);
        if (const Value* once = get(t, "once")) {
          if (once->is_boolean()) out.once = once->get<bool>();
          else error(at(ptr, "once"), "expected true or false, got " + type_of(*once));
        }
        const bool a = get(t, "asset") != nullptr, sct = get(t, "sector") != nullptr;
        if (a == sct) error(ptr, "an outage trigger names exactly one of \"asset\" or \"sector\"");
        out.ref = read_ref(t, ptr, "asset", assets_);
        out.sector = read_ref(t, ptr, "sector", sectors_);
        break;
      }
      case TK::condition: {
        check_keys(t, ptr, {"on", "metric", "at_least"}, false);
        if (read_string(t, ptr, "metric", out.metric, true)) {
          std::vector<std::string> all = live_quantities();
          all.insert(all.end(), known_metrics().begin(), known_metrics().end());
          if (std::find(all.begin(), all.end(), out.metric) == all.end())
            error(at(ptr, "metric"), "unknown metric " + q(out.metric) + did_you_mean(out.metric, all) +
                                         " (a condition tests a live quantity: " + join(live_quantities()) +
                                         ", or a metric)");
        }
        read_number(t, ptr, "at_least", out.at_least, -1e300, 1e300, "a number", true);
        break;
      }
      case TK::procedure_done:
        check_keys(t, ptr, {"on", "procedure"}, false);
        out.ref = read_ref(t, ptr, "procedure", procedures_, true);
        break;
      case TK::triage:
        check_keys(t, ptr, {"on", "org"}, false);
        out.org = read_ref(t, ptr, "org", orgs_);
        break;
      case TK::at_time:
        break;
    }
  }

  /// Asset selector {"operator", "sector", "tag"}: every asset matching all given criteria.
  std::vector<Index> read_selector(const Value& sel, const std::string& ptr, std::string& text) {
    std::vector<Index> out;
    if (!expect_object(sel, ptr, "an asset selector {\"operator\", \"sector\", \"tag\"}")) return out;
    check_keys(sel, ptr, {"operator", "sector", "tag"}, false);
    if (sel.empty()) {
      error(ptr, "an asset selector needs at least one of \"operator\", \"sector\", \"tag\"");
      return out;
    }
    bool ok = true;
    const Index op = get(sel, "operator") ? read_ref(sel, ptr, "operator", orgs_) : kNone;
    ok = ok && (get(sel, "operator") == nullptr || op != kNone);
    const Index sec = get(sel, "sector") ? read_ref(sel, ptr, "sector", sectors_) : kNone;
    ok = ok && (get(sel, "sector") == nullptr || sec != kNone);
    std::string tag;
    const bool has_tag = read_string(sel, ptr, "tag", tag);
    ok = ok && (get(sel, "tag") == nullptr || has_tag);
    if (!ok) return out;
    for (const char* k : {"operator", "sector", "tag"})
      if (const Value* v = get(sel, k)) text += (text.empty() ? "" : " ") + std::string(k) + "=" + v->get<std::string>();
    for (std::size_t i = 0; i < s_.assets.size(); ++i) {
      const Asset& a = s_.assets[i];
      if (op != kNone && a.operator_org != op) continue;
      if (sec != kNone && a.sector != sec) continue;
      if (has_tag && std::find(a.tags.begin(), a.tags.end(), tag) == a.tags.end()) continue;
      out.push_back(static_cast<Index>(i));
    }
    if (out.empty()) warning(ptr, "selector " + text + " matches no asset");
    return out;
  }

  void read_effect(const Value& e, const std::string& ptr, Effect& out) {
    if (!expect_object(e, ptr, "an effect")) return;
    std::string kind_text;
    if (!read_string(e, ptr, "kind", kind_text, true)) return;
    if (!enum_value(kind_text, at(ptr, "kind"), kEffectKinds, out.kind)) return;
    const EK k = out.kind;
    if (is_asset_effect(k)) {
      if (k == EK::degrade_asset) check_keys(e, ptr, {"kind", "assets", "target", "value"}, false);
      else if (k == EK::isolate) check_keys(e, ptr, {"kind", "assets", "target", "level"}, false);
      else if (k == EK::manual_operation || k == EK::mitigate)
        check_keys(e, ptr, {"kind", "assets", "target", "level", "delay"}, false);
      else if (k == EK::rebuild)
        check_keys(e, ptr, {"kind", "assets", "target", "delay", "hosts_per_day", "backup_factor"}, false);
      else check_keys(e, ptr, {"kind", "assets", "target"}, false);
      const bool has_assets = get(e, "assets") != nullptr, has_target = get(e, "target") != nullptr;
      if (has_assets == has_target) error(ptr, "effect " + q(kind_text) + " names exactly one of \"assets\" or \"target\"");
      if (has_assets) out.assets = read_refs(e, ptr, "assets", assets_);
      if (has_target) {
        std::string text;
        out.assets = read_selector(*get(e, "target"), at(ptr, "target"), text);
      }
      if (k == EK::degrade_asset)
        read_number(e, ptr, "value", out.value, 0, 1, "a service level in [0, 1]", true);
      if (k == EK::isolate || k == EK::manual_operation || k == EK::mitigate)
        read_number(e, ptr, "level", out.level, 0, 1, "a service level in [0, 1]");
      if (k == EK::manual_operation || k == EK::mitigate || k == EK::rebuild) read_duration(e, ptr, "delay", out.delay);
      if (k == EK::rebuild) {
        read_number(e, ptr, "hosts_per_day", out.hosts_per_day, 1e-9, 1e12, "a number > 0");
        if (const Value* bf = get(e, "backup_factor")) {
          const std::string bp = at(ptr, "backup_factor");
          if (expect_object(*bf, bp, "an object {\"online\": factor, \"none\": factor}")) {
            check_keys(*bf, bp, {"online", "none"}, false);
            read_number(*bf, bp, "online", out.online_factor, 1, 1e6, "a factor >= 1");
            read_number(*bf, bp, "none", out.none_factor, 1, 1e6, "a factor >= 1");
          }
        }
      }
      return;
    }
    switch (k) {
      case EK::escalate:
        check_keys(e, ptr, {"kind", "level"}, false);
        out.ref = read_ref(e, ptr, "level", levels_, true);
        break;
      case EK::convene_cell:
        check_keys(e, ptr, {"kind", "cell"}, false);
        read_string(e, ptr, "cell", out.name, true);
        break;
      case EK::notify:
        check_keys(e, ptr, {"kind", "org"}, false);
        out.org = read_ref(e, ptr, "org", orgs_, true);
        break;
      case EK::request_assistance:
        check_keys(e, ptr, {"kind", "org", "staff", "delay"}, false);
        out.org = read_ref(e, ptr, "org", orgs_, true);
        read_int(e, ptr, "staff", out.staff, 1, 1'000'000, true);
        read_duration(e, ptr, "delay", out.delay);
        break;
      case EK::trigger_procedure:
        check_keys(e, ptr, {"kind", "procedure"}, false);
        out.ref = read_ref(e, ptr, "procedure", procedures_, true);
        break;
      case EK::start_campaign:
        check_keys(e, ptr, {"kind", "campaign"}, false);
        out.ref = read_ref(e, ptr, "campaign", campaigns_, true);
        break;
      case EK::set_policy:
        check_keys(e, ptr, {"kind", "policy", "value"}, false);
        if (read_string(e, ptr, "policy", out.name, true)) warn_unknown_policy(out.name, at(ptr, "policy"));
        read_number(e, ptr, "value", out.value, -1e300, 1e300, "a number", true);
        break;
      default:  // none, warn_public, inform: no parameters
        check_keys(e, ptr, {"kind"}, false);
        break;
    }
  }

  // ------------------------------------------------------------------------------------------
  // The plan
  // ------------------------------------------------------------------------------------------
  void read_plan(const Value* p) {
    if (p == nullptr) {
      error("", "missing \"plan\": a scenario runs against a response plan (give it here, by include, or with --plan)");
      return;
    }
    const std::string ptr = "/plan";
    if (!expect_object(*p, ptr, "the plan")) return;
    check_keys(*p, ptr, {"id", "name", "version", "description", "levels", "procedures", "obligations", "crisis_handoff_factor",
                         "regimes", "incident_window"});
    Plan& plan = s_.plan;
    read_id(*p, ptr, plan.id);
    read_string(*p, ptr, "name", plan.name);
    read_string(*p, ptr, "version", plan.version);
    read_string(*p, ptr, "description", plan.description);
    read_number(*p, ptr, "crisis_handoff_factor", plan.crisis_handoff_factor, 0, 1e6, "a number >= 0");
    plan.incident_window = Duration::hours(24);  // see Plan::incident_window
    read_duration(*p, ptr, "incident_window", plan.incident_window);
    if (const Value* rg = get(*p, "regimes")) {
      const std::string rp = at(ptr, "regimes");
      if (!rg->is_array()) {
        error(rp, "expected an array of regimes (" + join(names({"national", "nis2", "dora", "gdpr"})) + "), got " + type_of(*rg));
      } else {
        for (std::size_t i = 0; i < rg->size(); ++i) {
          Regime r{};
          const std::string ip = at(rp, i);
          if (!(*rg)[i].is_string()) {
            error(ip, "expected a regime name (a string), got " + type_of((*rg)[i]));
          } else if (enum_value(std::string((*rg)[i].str()), ip, kRegimes, r)) {
            plan.regimes.push_back(r);
          }
        }
      }
    }
    elements(get(*p, "levels"), at(ptr, "levels"), [&](const Value& e, const std::string& lp) {
      EscalationLevel l;
      if (expect_object(e, lp, "an escalation level")) {
        check_keys(e, lp, {"id", "name", "rank", "min_severity", "min_population", "min_sectors", "deescalate_after", "activation",
                           "min_areas", "min_area_share", "min_population_share", "min_loss_share_per_day"});
        read_id(e, lp, l.id);
        read_string(e, lp, "name", l.name);
        read_int(e, lp, "rank", l.rank, 0, 1000, true);
        read_int(e, lp, "min_severity", l.min_severity, 0, 5);
        std::int64_t pop = 0;
        if (read_int(e, lp, "min_population", pop, 0, std::int64_t{100'000'000'000})) l.min_population = static_cast<std::uint64_t>(pop);
        read_int(e, lp, "min_sectors", l.min_sectors, 0, 1000);
        read_int(e, lp, "min_areas", l.min_areas, 0, 1'000'000);
        read_probability(e, lp, "min_area_share", l.min_area_share);
        read_probability(e, lp, "min_population_share", l.min_population_share);
        read_nonnegative(e, lp, "min_loss_share_per_day", l.min_loss_share_per_day);
        read_duration(e, lp, "deescalate_after", l.deescalate_after);
        read_string(e, lp, "activation", l.activation);
        l.marking = read_marking(e, lp);
      }
      plan.levels.push_back(std::move(l));
    });
    elements(get(*p, "procedures"), at(ptr, "procedures"),
             [&](const Value& e, const std::string& pp) { read_procedure(e, pp); });
    elements(get(*p, "obligations"), at(ptr, "obligations"), [&](const Value& e, const std::string& op) {
      Obligation ob;
      if (expect_object(e, op, "an obligation")) {
        check_keys(e, op, {"id", "name", "regime", "deadline", "applies_to", "to", "min_severity", "report", "starts",
                           "at_most_after_awareness", "preparation", "classification"});
        read_id(e, op, ob.id);
        read_string(e, op, "name", ob.name);
        if (read_string(e, op, "regime", ob.regime)) {
          // The regime is the text's leading word ("NIS2 Art. 23(4)(a)" -> nis2).
          std::string word;
          for (char ch : ob.regime) {
            if (!std::isalnum(static_cast<unsigned char>(ch))) break;
            word += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
          }
          bool known = false;
          for (const auto& [name, value] : kRegimes)
            if (word == name) {
              ob.regime_kind = value;
              known = true;
            }
          if (!known)
            error(at(op, "regime"), "unknown regime " + q(ob.regime) +
                                        ": the text must start with one of NIS2, DORA, GDPR, national");
          else if (!plan.regimes.empty() &&
                   std::find(plan.regimes.begin(), plan.regimes.end(), ob.regime_kind) == plan.regimes.end())
            error(at(op, "regime"), "obligation " + q(ob.id) + " is of regime " + q(regime_name(ob.regime_kind)) +
                                        ", which the plan's era does not apply (plan.regimes)");
        }
        read_enum(e, op, "report", kReportTypes, ob.report);
        if (const Value* st = get(e, "starts")) {
          const std::string sp = at(op, "starts");
          if (!st->is_string()) {
            error(sp, "expected \"awareness\", \"classification\" or a report type, got " + type_of(*st));
          } else if (st->str() == "awareness") {
            ob.starts = Obligation::Start::awareness;
          } else if (st->str() == "classification") {
            ob.starts = Obligation::Start::classification;
          } else if (enum_value(std::string(st->str()), sp, kReportTypes, ob.after)) {
            ob.starts = Obligation::Start::after_report;
            if (ob.after == ob.report) error(sp, "obligation " + q(ob.id) + " cannot start when its own report is filed");
          }
        }
        read_duration(e, op, "at_most_after_awareness", ob.cap);
        ob.preparation = default_preparation(ob.report);
        read_dist(e, op, "preparation", ob.preparation);
        ob.classification = default_classification();
        read_dist(e, op, "classification", ob.classification);
        read_duration(e, op, "deadline", ob.deadline, true, true);
        if (const Value* ap = get(e, "applies_to")) {
          const std::string app = at(op, "applies_to");
          if (expect_object(*ap, app, "{\"sectors\": [...]}")) {
            check_keys(*ap, app, {"sectors"}, false);
            ob.sectors = read_refs(*ap, app, "sectors", sectors_);
          }
        }
        ob.to = read_ref(e, op, "to", orgs_, true);
        read_int(e, op, "min_severity", ob.min_severity, 0, 5);
        ob.marking = read_marking(e, op);
      }
      plan.obligations.push_back(std::move(ob));
    });
  }

  void read_procedure(const Value& e, const std::string& ptr) {
    Procedure pr;
    if (expect_object(e, ptr, "a procedure")) {
      check_keys(e, ptr, {"id", "name", "owner", "trigger", "steps"});
      read_id(e, ptr, pr.id);
      read_string(e, ptr, "name", pr.name);
      pr.owner = read_ref(e, ptr, "owner", orgs_, true);
      if (missing(e, ptr, "trigger", true)) {
      } else {
        read_trigger(*get(e, "trigger"), at(ptr, "trigger"), pr.trigger);
      }
      IdTable steps{"step", {}, {}};
      steps.collect(get(e, "steps"));
      if (get(e, "steps") == nullptr) error(ptr, "missing \"steps\"");
      elements(get(e, "steps"), at(ptr, "steps"), [&](const Value& se, const std::string& sp) {
        ProcedureStep st;
        if (expect_object(se, sp, "a procedure step")) {
          check_keys(se, sp, {"id", "name", "org", "duration", "staff", "deadline", "after", "effect"});
          read_id(se, sp, st.id);
          read_string(se, sp, "name", st.name);
          st.org = read_ref(se, sp, "org", orgs_);
          read_dist(se, sp, "duration", st.duration);
          read_int(se, sp, "staff", st.staff, 0, 1'000'000);
          read_duration(se, sp, "deadline", st.deadline);
          st.after = read_refs(se, sp, "after", steps);
          if (const Value* ef = get(se, "effect")) read_effect(*ef, at(sp, "effect"), st.effect);
          st.marking = read_marking(se, sp);
        }
        pr.steps.push_back(std::move(st));
      });
      if (pr.steps.empty() && get(e, "steps") != nullptr && get(e, "steps")->is_array())
        warning(at(ptr, "steps"), "procedure " + q(pr.id) + " has no steps: it does nothing");
      check_step_order(pr, ptr);
      pr.marking = read_marking(e, ptr);
    }
    s_.plan.procedures.push_back(std::move(pr));
  }

  /// Steps waiting on each other in a cycle would never start.
  void check_step_order(const Procedure& pr, const std::string& ptr) {
    const std::size_t n = pr.steps.size();
    std::vector<int> state(n, 0);  // 0 new, 1 on stack, 2 done
    for (std::size_t start = 0; start < n; ++start) {
      if (state[start] != 0) continue;
      std::vector<std::pair<std::size_t, std::size_t>> stack{{start, 0}};
      state[start] = 1;
      while (!stack.empty()) {
        auto& [v, next] = stack.back();
        if (next < pr.steps[v].after.size()) {
          const std::size_t w = pr.steps[v].after[next++];
          if (w >= n) continue;
          if (state[w] == 1) {
            error(at(at(ptr, "steps"), v) + "/after",
                  "steps of procedure " + q(pr.id) + " wait for each other in a cycle (" + q(pr.steps[v].id) + " after " +
                      q(pr.steps[w].id) + "): none of them can start");
            return;
          }
          if (state[w] == 0) {
            state[w] = 1;
            stack.emplace_back(w, 0);
          }
        } else {
          state[v] = 2;
          stack.pop_back();
        }
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // Attackers, background, exercise layer
  // ------------------------------------------------------------------------------------------
  void read_campaign(const Value& e, const std::string& ptr) {
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
            error(at(sp, "technique"), "expected an ATT&CK technique id such as \"T1566\" or \"T1566.001\", got " + q(st.technique));
          std::string join_text;
          if (read_string(se, sp, "join", join_text)) {
            if (join_text == "and") st.requires_all = true;
            else if (join_text == "or") st.requires_all = false;
            else error(at(sp, "join"), "expected \"and\" or \"or\", got " + q(join_text));
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
                          st.effect.kind == AK::degrade);
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
  static bool valid_technique(const std::string& t) {
    auto digits = [&](std::size_t from, std::size_t n) {
      for (std::size_t i = from; i < from + n; ++i)
        if (i >= t.size() || !std::isdigit(static_cast<unsigned char>(t[i]))) return false;
      return true;
    };
    if (t.size() != 5 && t.size() != 9) return false;
    if (t[0] != 'T' || !digits(1, 4)) return false;
    return t.size() == 5 || (t[5] == '.' && digits(6, 3));
  }

  void read_background(const Value* b) {
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
      else error(at(ptr, "priority"), "expected \"fifo\" or \"severity\", got " + q(prio));
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

  void read_inject(const Value& e, const std::string& ptr) {
    Inject in;
    if (expect_object(e, ptr, "an inject")) {
      check_keys(e, ptr, {"id", "number", "time", "when", "from", "to", "method", "synopsis", "message", "expected_action",
                          "objective", "capability", "controller", "contingency", "status", "effect"});
      read_id(e, ptr, in.id);
      read_int(e, ptr, "number", in.number, 0, 1'000'000);
      const bool has_time = get(e, "time") != nullptr, has_when = get(e, "when") != nullptr;
      if (has_time == has_when) error(ptr, "an inject has exactly one of \"time\" (\"T+00:30\") or \"when\" (a trigger)");
      if (has_time) {
        in.when.kind = TK::at_time;
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
      else in.effect.kind = EK::inform;
      in.marking = read_marking(e, ptr);
    }
    s_.injects.push_back(std::move(in));
  }

  void read_decision(const Value& e, const std::string& ptr) {
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
        error(opts == nullptr ? ptr : at(ptr, "options"), "decision " + q(d.id) + " has no options: give at least one");
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
          error(ptr, "decision " + q(d.id) + " has no \"default\" option: batch runs and a missed deadline need one");
      } else if (di < options_.size()) {
        d.default_option = read_ref(e, ptr, "default", options_[di]);
      }
      d.marking = read_marking(e, ptr);
    }
    s_.decisions.push_back(std::move(d));
  }

  void read_objective(const Value& e, const std::string& ptr) {
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
          error(at(ptr, "metric"), "unknown metric " + q(o.metric) + ": no model produces it" +
                                       (hint.empty() ? " (known: " + join(known) + ")" : hint));
        }
      }
      std::string better;
      if (read_string(e, ptr, "better", better)) {
        if (better == "lower") o.lower_is_better = true;
        else if (better == "higher") o.lower_is_better = false;
        else error(at(ptr, "better"), "expected \"lower\" or \"higher\", got " + q(better));
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

  // ------------------------------------------------------------------------------------------
  // Semantic lint over the typed scenario (only run when the conversion had no error)
  // ------------------------------------------------------------------------------------------
  void lint() {
    lint_dependency_cycles();
    lint_attack_graphs();
    lint_triggers();
    lint_inject_addressees();
  }

  /// Warns about every cycle of zero-buffer dependencies that nothing damps. An edge damps when
  /// it passes on less than all of its supplier's loss: degradation < 1, or a weight < 1 into an
  /// asset using the linear rule. A cycle of non-damping zero-buffer edges spreads a failure around
  /// instantly and for ever (the cascade model must then settle it by its fixed-point iteration).
  void lint_dependency_cycles() {
    const std::size_t n = s_.assets.size();
    std::vector<std::vector<std::size_t>> needs(n);  // dependent -> suppliers over undamped edges
    for (std::size_t i = 0; i < n; ++i) {
      const Asset& a = s_.assets[i];
      for (const Dependency& d : a.depends_on) {
        if (d.supplier >= n || d.buffer != Duration::zero()) continue;
        const bool damped = d.degradation < 1.0 || (a.rule == CombineRule::linear && d.weight < 1.0);
        if (!damped) needs[i].push_back(d.supplier);
      }
    }
    // Tarjan's strongly connected components, iteratively.
    std::vector<int> index(n, -1), low(n, 0), comp(n, -1);
    std::vector<bool> on_stack(n, false);
    std::vector<std::size_t> stack;
    int counter = 0, comps = 0;
    for (std::size_t root = 0; root < n; ++root) {
      if (index[root] >= 0) continue;
      std::vector<std::pair<std::size_t, std::size_t>> work{{root, 0}};
      while (!work.empty()) {
        auto [v, k] = work.back();
        if (k == 0) {
          index[v] = low[v] = counter++;
          stack.push_back(v);
          on_stack[v] = true;
        }
        if (k < needs[v].size()) {
          work.back().second = k + 1;
          const std::size_t w = needs[v][k];
          if (index[w] < 0) work.emplace_back(w, 0);
          else if (on_stack[w]) low[v] = std::min(low[v], index[w]);
          continue;
        }
        if (low[v] == index[v]) {
          while (true) {
            const std::size_t w = stack.back();
            stack.pop_back();
            on_stack[w] = false;
            comp[w] = comps;
            if (w == v) break;
          }
          ++comps;
        }
        work.pop_back();
        if (!work.empty()) low[work.back().first] = std::min(low[work.back().first], low[v]);
      }
    }
    std::vector<bool> reported(static_cast<std::size_t>(comps), false);
    std::vector<std::size_t> comp_size(static_cast<std::size_t>(comps), 0);
    for (std::size_t v = 0; v < n; ++v) ++comp_size[static_cast<std::size_t>(comp[v])];
    for (std::size_t v = 0; v < n; ++v) {
      const auto cv = static_cast<std::size_t>(comp[v]);
      if (reported[cv]) continue;
      // A cycle exists in v's component when it has another member or a self-loop.
      const bool cyclic = comp_size[cv] > 1 || std::find(needs[v].begin(), needs[v].end(), v) != needs[v].end();
      if (!cyclic) continue;
      reported[cv] = true;
      // BFS inside the component from v back to v for one concrete cycle.
      std::vector<std::size_t> parent(n, n);
      std::vector<std::size_t> queue{v};
      std::size_t last = n;
      for (std::size_t qi = 0; qi < queue.size() && last == n; ++qi) {
        const std::size_t u = queue[qi];
        for (std::size_t w : needs[u]) {
          if (comp[w] != comp[v]) continue;
          if (w == v) {
            last = u;
            break;
          }
          if (parent[w] == n) {
            parent[w] = u;
            queue.push_back(w);
          }
        }
      }
      std::vector<std::size_t> path;
      for (std::size_t u = last; u != v && u != n; u = parent[u]) path.push_back(u);
      std::reverse(path.begin(), path.end());
      std::string text = q(s_.assets[v].id);
      for (std::size_t u : path) text += " needs " + q(s_.assets[u].id);
      text += " needs " + q(s_.assets[v].id);
      warning(at(std::string("/assets"), v) + "/depends_on",
              "zero-buffer dependency cycle with no damping: " + text +
                  " (give one edge a buffer, a degradation below 1, or a linear-rule weight below 1)");
    }
  }

  /// A goal is reachable when its prerequisites can all (join "and") or partly (join "or") be
  /// satisfied, starting from steps without prerequisites; a step with success 0 never succeeds.
  void lint_attack_graphs() {
    for (std::size_t c = 0; c < s_.campaigns.size(); ++c) {
      const Campaign& cam = s_.campaigns[c];
      const std::string cp = at(std::string("/attackers"), c);
      const std::size_t n = cam.steps.size();
      std::vector<bool> ok(n, false);
      for (bool changed = true; changed;) {
        changed = false;
        for (std::size_t i = 0; i < n; ++i) {
          if (ok[i]) continue;
          const AttackStep& st = cam.steps[i];
          if (st.success <= 0) continue;
          bool sat = st.requires_all;
          if (st.requires_steps.empty()) sat = true;
          for (Index r : st.requires_steps) {
            if (st.requires_all) sat = sat && ok[r];
            else sat = sat || ok[r];
          }
          if (sat) {
            ok[i] = true;
            changed = true;
          }
        }
      }
      if (cam.goals.empty() && n > 0) warning(cp, "campaign " + q(cam.id) + " has no \"goals\": nothing marks it as successful");
      for (std::size_t g = 0; g < cam.goals.size(); ++g) {
        const Index gi = cam.goals[g];
        if (ok[gi]) continue;
        const AttackStep& st = cam.steps[gi];
        std::string why;
        if (st.success <= 0) {
          why = "its success probability is 0";
        } else {
          std::vector<std::string> blocked;
          for (Index r : st.requires_steps)
            if (!ok[r]) blocked.push_back(q(cam.steps[r].id));
          why = std::string(st.requires_all ? "it requires " : "none of its prerequisites can succeed: ") + join(blocked) +
                (st.requires_all ? ", which can never succeed (unreachable or a requires cycle)" : "");
        }
        error(at(cp + "/goals", g), "attack goal " + q(st.id) + " is unreachable: " + why);
      }
      for (std::size_t i = 0; i < n; ++i) {
        if (ok[i] || std::find(cam.goals.begin(), cam.goals.end(), i) != cam.goals.end()) continue;
        warning(at(cp + "/steps", i), "attack step " + q(cam.steps[i].id) + " can never be reached");
      }
    }
  }

  /// Warns about triggers that can never fire: an escalation level nothing reaches, a report to an
  /// organisation no channel reaches, the completion of a procedure that itself never starts.
  void lint_triggers() {
    const Plan& plan = s_.plan;
    std::vector<bool> level_reached(plan.levels.size(), false);
    for (std::size_t i = 0; i < plan.levels.size(); ++i) {
      const EscalationLevel& l = plan.levels[i];
      level_reached[i] = l.rank == 0 || l.min_severity <= 5 || l.min_population > 0 || l.min_sectors > 0 || l.min_areas > 0 ||
                        l.min_population_share > 0 || l.min_loss_share_per_day > 0;
    }
    auto note_effect = [&](const Effect& e) {
      if (e.kind == EK::escalate && e.ref < level_reached.size()) level_reached[e.ref] = true;
    };
    for (const Procedure& p : plan.procedures)
      for (const ProcedureStep& st : p.steps) note_effect(st.effect);
    for (const Decision& d : s_.decisions)
      for (const DecisionOption& o : d.options)
        for (const Effect& e : o.effects) note_effect(e);
    for (const Inject& in : s_.injects) note_effect(in.effect);
    std::vector<bool> reported_to(s_.organisations.size(), false);
    for (const Channel& ch : s_.channels)
      if (ch.to < reported_to.size() && !ch.from.empty()) reported_to[ch.to] = true;

    // Why a trigger can never fire ("" when it may).
    auto dead = [&](const Trigger& t, const std::vector<bool>& procedure_fires) -> std::string {
      switch (t.kind) {
        case TK::escalation:
          if (t.ref < level_reached.size() && !level_reached[t.ref])
            return "no threshold or escalate effect reaches level " + q(plan.levels[t.ref].id);
          break;
        case TK::report:
          if (t.org < reported_to.size() && !reported_to[t.org])
            return "no reporting channel delivers to " + q(s_.organisations[t.org].id);
          break;
        case TK::procedure_done:
          if (t.ref < procedure_fires.size() && !procedure_fires[t.ref])
            return "procedure " + q(plan.procedures[t.ref].id) + " never starts";
          break;
        case TK::outage:
          if (t.sector != kNone &&
              std::none_of(s_.assets.begin(), s_.assets.end(), [&](const Asset& a) { return a.sector == t.sector; }))
            return "sector " + q(s_.sectors[t.sector].id) + " has no assets";
          break;
        default:
          break;
      }
      return {};
    };
    // Procedures start by their trigger or by a trigger_procedure effect.
    std::vector<bool> fires(plan.procedures.size(), true);
    std::vector<bool> started_by_effect(plan.procedures.size(), false);
    auto note_start = [&](const Effect& e) {
      if (e.kind == EK::trigger_procedure && e.ref < started_by_effect.size()) started_by_effect[e.ref] = true;
    };
    for (const Procedure& p : plan.procedures)
      for (const ProcedureStep& st : p.steps) note_start(st.effect);
    for (const Decision& d : s_.decisions)
      for (const DecisionOption& o : d.options)
        for (const Effect& e : o.effects) note_start(e);
    for (const Inject& in : s_.injects) note_start(in.effect);
    for (bool changed = true; changed;) {  // greatest fixed point: a procedure_done chain or cycle
      changed = false;
      for (std::size_t i = 0; i < plan.procedures.size(); ++i) {
        if (!fires[i] || started_by_effect[i]) continue;
        if (!dead(plan.procedures[i].trigger, fires).empty()) {
          fires[i] = false;
          changed = true;
        }
      }
    }
    for (std::size_t i = 0; i < plan.procedures.size(); ++i) {
      if (started_by_effect[i]) continue;
      const std::string why = dead(plan.procedures[i].trigger, fires);
      if (!why.empty())
        warning(at(std::string("/plan/procedures"), i) + "/trigger",
                "procedure " + q(plan.procedures[i].id) + " can never start: " + why);
    }
    for (std::size_t i = 0; i < s_.injects.size(); ++i) {
      const std::string why = dead(s_.injects[i].when, fires);
      if (!why.empty())
        warning(at(std::string("/injects"), i) + "/when", "inject " + q(s_.injects[i].id) + " can never be delivered: " + why);
    }
    for (std::size_t i = 0; i < s_.decisions.size(); ++i) {
      const std::string why = dead(s_.decisions[i].when, fires);
      if (!why.empty())
        warning(at(std::string("/decisions"), i) + "/when", "decision " + q(s_.decisions[i].id) + " can never be asked: " + why);
    }
  }

  /// Injects go to organisations that play a part in the plan (owner or performer of a procedure,
  /// recipient of an obligation, sender or recipient of a channel, owner of a decision).
  void lint_inject_addressees() {
    std::vector<bool> in_plan(s_.organisations.size(), false);
    auto mark = [&](Index o) {
      if (o < in_plan.size()) in_plan[o] = true;
    };
    for (const Procedure& p : s_.plan.procedures) {
      mark(p.owner);
      for (const ProcedureStep& st : p.steps) {
        mark(st.org);
        mark(st.effect.org);
      }
    }
    for (const Obligation& ob : s_.plan.obligations) mark(ob.to);
    for (const Channel& ch : s_.channels) {
      mark(ch.to);
      for (Index f : ch.from) mark(f);
    }
    for (const Decision& d : s_.decisions) mark(d.owner);
    for (std::size_t i = 0; i < s_.injects.size(); ++i) {
      const Index to = s_.injects[i].to;
      if (to < in_plan.size() && !in_plan[to])
        warning(at(std::string("/injects"), i) + "/to",
                "inject " + q(s_.injects[i].id) + " is addressed to " + q(s_.organisations[to].id) +
                    ", which has no part in the plan (no procedure, step, channel, obligation or decision names it)");
    }
  }

  Composition& c_;
  Scenario s_;
  IdTable areas_{"area", {}, {}};
  std::map<std::pair<Index, int>, double> share_sum_;  ///< (area, service class) -> sum of shares
  IdTable sectors_{"sector", {}, {}}, orgs_{"organisation", {}, {}}, assets_{"asset", {}, {}},
      levels_{"escalation level", {}, {}}, procedures_{"procedure", {}, {}}, campaigns_{"campaign", {}, {}},
      injects_{"inject", {}, {}}, decisions_{"decision", {}, {}}, objectives_{"objective", {}, {}};
  std::vector<IdTable> options_;  ///< per decision
  int suggestions_left_ = 200;    ///< "did you mean" searches over id tables per load
};

}  // namespace

const std::vector<std::string>& live_quantities() {
  static const std::vector<std::string> v{"population_affected", "sectors_affected", "outages", "severity"};
  return v;
}

std::optional<SimTime> parse_scenario_time(std::string_view text, std::string* error) {
  std::size_t i = 0;
  while (i < text.size() && text[i] == ' ') ++i;
  const std::string expected = "expected a scenario time such as \"T+02:30\", \"T+1d 06:00\" or \"T+2h\", got \"" +
                               std::string(text) + "\"";
  if (i + 1 >= text.size() || (text[i] != 'T' && text[i] != 't') || text[i + 1] != '+') {
    if (error) *error = (i + 1 < text.size() && text[i + 1] == '-') ? "scenario times before T+0 are not allowed, got \"" + std::string(text) + "\"" : expected;
    return std::nullopt;
  }
  const std::string_view rest = text.substr(i + 2);
  std::size_t j = 0;
  while (j < rest.size() && rest[j] == ' ') ++j;
  if (j < rest.size() && (rest[j] == '+' || rest[j] == '-')) {
    if (error) *error = expected;
    return std::nullopt;
  }
  if (const auto t = try_parse_sim_time(text)) return t;
  const DurationParse d = try_parse_duration(rest);
  if (d) return SimTime::zero() + *d.value;
  if (error) *error = expected;
  return std::nullopt;
}

Scenario read_scenario(Composition& c, std::string source_path) {
  Reader r(c);
  return r.run(std::move(source_path));
}

}  // namespace cyberdrill::io
