// Defining a study: --vary axes, the Cartesian product of variants, the study key.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <set>

#include "cyberdrill/batch.hpp"
#include "cyberdrill/library_path.hpp"
#include "cyberdrill/random.hpp"
#include "cyberdrill/suggest.hpp"

namespace cyberdrill::batch {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxVariants = 100'000;
constexpr std::size_t kMaxTotalRuns = 100'000'000;

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

std::optional<double> parse_number(std::string_view s) {
  double v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::string policy_paths_hint() {
  std::string s;
  for (const std::string& p : known_policies()) s += (s.empty() ? "" : ", ") + p;
  return s;
}

// "LO:HI" or "LO:HI:STEP" with numbers only; empty when the text is not of that form (a list).
std::optional<VaryAxis::Range> parse_range(const std::string& text, const std::string& where) {
  if (text.find(',') != std::string::npos) return std::nullopt;
  const std::size_t c1 = text.find(':');
  if (c1 == std::string::npos) return std::nullopt;
  const std::size_t c2 = text.find(':', c1 + 1);
  const auto lo = parse_number(trim(std::string_view(text).substr(0, c1)));
  const auto hi = parse_number(trim(std::string_view(text).substr(c1 + 1, c2 == std::string::npos ? std::string::npos : c2 - c1 - 1)));
  std::optional<double> step = 0.0;
  if (c2 != std::string::npos) {
    if (text.find(':', c2 + 1) != std::string::npos) return std::nullopt;
    step = parse_number(trim(std::string_view(text).substr(c2 + 1)));
  }
  if (!lo || !hi || !step) return std::nullopt;  // e.g. a time "T+02:30" is a value, not a range
  if (*hi < *lo) throw StudyError(where + "the range's HI is below its LO (LO:HI:STEP)");
  if (*step < 0 || (c2 != std::string::npos && *step == 0))
    throw StudyError(where + "the range's STEP must be > 0 (LO:HI:STEP)");
  return VaryAxis::Range{*lo, *hi, *step};
}

// A number as the shortest text, after rounding away accumulation noise (0.1 * 3 -> 0.3).
std::string clean_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.12g", v);
  const std::optional<double> r = parse_number(buf);
  double x = r ? *r : v;
  if (x == 0) x = 0;  // no "-0"
  return format_number(x);
}

constexpr std::size_t kMaxRangeValues = 10'000;

std::vector<std::string> range_values(const VaryAxis::Range& r, const std::string& where) {
  if (r.step == 0) {
    if (r.lo == r.hi) return {clean_number(r.lo)};
    return {clean_number(r.lo), clean_number(r.hi)};
  }
  const double count = std::floor((r.hi - r.lo) / r.step + 1e-9) + 1;
  if (count > static_cast<double>(kMaxRangeValues))
    throw StudyError(where + "the range has more than " + std::to_string(kMaxRangeValues) + " values");
  std::vector<std::string> out;
  for (std::size_t k = 0; k < static_cast<std::size_t>(count); ++k) {
    std::string v = clean_number(r.lo + static_cast<double>(k) * r.step);
    if (out.empty() || out.back() != v) out.push_back(std::move(v));
  }
  return out;
}

}  // namespace

VaryAxis parse_vary(std::string_view text) {
  const std::string where = "--vary " + std::string(text) + ": ";
  const auto eq = text.find('=');
  if (eq == std::string_view::npos)
    throw StudyError(where + "expected PATH=V1,V2,... (e.g. policy.csirt_staff_scale=1,2 or plan=a.json,b.json)");
  VaryAxis axis;
  axis.path = trim(text.substr(0, eq));
  if (axis.path.empty()) throw StudyError(where + "the PATH before '=' is empty (policy.NAME, plan or decide.ID)");

  static constexpr std::string_view kPolicy = "policy.";
  static constexpr std::string_view kDecide = "decide.";
  if (axis.path == "plan") {
    axis.kind = VaryAxis::Kind::plan;
  } else if (axis.path.starts_with(kPolicy)) {
    axis.kind = VaryAxis::Kind::policy;
    axis.name = axis.path.substr(kPolicy.size());
    const auto& known = known_policies();
    if (std::find(known.begin(), known.end(), axis.name) == known.end()) {
      std::string msg = where + "unknown policy knob \"" + axis.name + "\"";
      const std::string guess = closest_match(axis.name, known);
      if (!guess.empty())
        msg += "; did you mean \"policy." + guess + "\"?";
      else
        msg += " (known: " + policy_paths_hint() + ")";
      throw StudyError(msg);
    }
  } else if (axis.path.starts_with(kDecide)) {
    axis.kind = VaryAxis::Kind::decide;
    axis.name = axis.path.substr(kDecide.size());
    if (axis.name.empty()) throw StudyError(where + "decide.ID needs a decision id (e.g. decide.D-02=optA,optB)");
  } else if (axis.path.front() == '/' || axis.path.find('.') != std::string::npos) {
    axis.kind = VaryAxis::Kind::value;  // a value of the composed scenario: checked by make_study
    axis.name = axis.path;
  } else {
    std::string msg = where + "unknown PATH \"" + axis.path +
                      "\": use policy.NAME, plan or decide.ID, or a scenario value by JSON pointer (/a/0/b) or dotted path (a.ID.b)";
    const auto& known = known_policies();
    if (std::find(known.begin(), known.end(), axis.path) != known.end()) {
      msg += "; did you mean \"policy." + axis.path + "\"?";
    } else {
      std::vector<std::string> paths{"plan"};
      for (const std::string& p : known) paths.push_back("policy." + p);
      msg += did_you_mean(axis.path, paths);
    }
    throw StudyError(msg);
  }

  const std::string_view list = text.substr(eq + 1);
  if (trim(list).empty()) throw StudyError(where + "no values after '=' (give one or more, separated by commas)");
  if (axis.kind == VaryAxis::Kind::policy || axis.kind == VaryAxis::Kind::value) {
    if (std::optional<VaryAxis::Range> r = parse_range(trim(list), where)) {
      axis.range = r;
      axis.values = range_values(*r, where);
      if (axis.kind == VaryAxis::Kind::policy && r->lo < 0)
        throw StudyError(where + "the range starts below 0 (policy values are numbers >= 0)");
      return axis;
    }
  }
  std::size_t start = 0;
  std::set<std::string> seen;
  while (true) {
    const std::size_t comma = list.find(',', start);
    const std::string v = trim(list.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (v.empty()) throw StudyError(where + "an empty value in the list (values are separated by single commas)");
    if (!seen.insert(v).second) throw StudyError(where + "value \"" + v + "\" is listed twice");
    if (axis.kind == VaryAxis::Kind::policy) {
      const std::optional<double> x = parse_number(v);
      if (!x) throw StudyError(where + "value \"" + v + "\" is not a number (policy values are numbers >= 0, e.g. 0.5,1,2)");
      if (*x < 0) throw StudyError(where + "value \"" + v + "\" is negative (policy values are numbers >= 0)");
    }
    axis.values.push_back(v);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return axis;
}

std::uint64_t derive_seed(SeedMode mode, std::uint64_t base, std::uint32_t variant, std::uint32_t run) {
  if (mode == SeedMode::crn) return base + run;
  return mix64(mix64(mix64(base) ^ (std::uint64_t{variant} + 1)) ^ (std::uint64_t{run} * 0x9e3779b97f4a7c15ULL));
}

std::uint64_t Study::seed_for(std::uint32_t variant, std::uint32_t run) const {
  return derive_seed(seeds, base_seed, variant, run);
}

std::string Study::key() const {
  std::string s = "cyberdrill-batch-1\n";
  s += std::to_string(runs) + "\n" + std::to_string(base_seed) + "\n";
  // Newer parts of the study, appended so the key of an older study's parts stays as it was.
  if (seeds != SeedMode::crn) s += "seeds=independent\n";
  s += "impact=" + std::to_string(impact_points) + "x" + std::to_string(impact_step_h) + "\n";
  for (const VaryAxis& a : axes) s += a.path + "\n";
  for (const Variant& v : variants) {
    s += v.id;
    for (const std::string& x : v.values) s += '\x1f' + x;
    s += '\x1e' + v.scenario_hash + "\n";
  }
  for (const std::string& m : metrics) s += m + ",";
  s += "\n";
  for (const std::string& o : objectives) s += o + ",";
  if (drill) {
    s += "\ndrill";
    for (const DrillAction& a : *drill)
      s += '\x1e' + std::to_string(static_cast<int>(a.kind)) + '\x1f' + std::to_string(a.time.us()) + '\x1f' +
           (a.event ? std::to_string(*a.event) : "-") + '\x1f' + a.decision + '\x1f' + a.option + '\x1f' + a.inject +
           '\x1f' + a.who + '\x1f' + a.text;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(name_hash(s)));
  return buf;
}

namespace {

// A Latin hypercube: configs[k][a] for k < samples. Axis a's [LO, HI] (its range) or its list of
// values is cut into `samples` strata; a permutation drawn from (seed, "lhs", axis path) assigns
// one stratum to each configuration, and the point inside the stratum is uniform.
std::vector<std::vector<std::string>> latin_hypercube(const std::vector<VaryAxis>& axes, std::uint32_t samples,
                                                      std::uint64_t seed) {
  std::vector<std::vector<std::string>> configs(samples, std::vector<std::string>(axes.size()));
  for (std::size_t a = 0; a < axes.size(); ++a) {
    const VaryAxis& axis = axes[a];
    RandomStream rng(seed, "lhs", axis.path);
    std::vector<std::uint32_t> perm(samples);
    for (std::uint32_t k = 0; k < samples; ++k) perm[k] = k;
    for (std::uint32_t k = samples; k > 1; --k) std::swap(perm[k - 1], perm[rng.below(k)]);
    for (std::uint32_t k = 0; k < samples; ++k) {
      const double u = (static_cast<double>(perm[k]) + rng.uniform01()) / static_cast<double>(samples);
      if (axis.range) {
        const VaryAxis::Range& r = *axis.range;
        double x = r.lo + u * (r.hi - r.lo);
        if (r.step > 0) x = std::min(r.hi, r.lo + std::round((x - r.lo) / r.step) * r.step);
        configs[k][a] = clean_number(x);
      } else {
        const auto m = axis.values.size();
        configs[k][a] = axis.values[std::min(m - 1, static_cast<std::size_t>(u * static_cast<double>(m)))];
      }
    }
  }
  return configs;
}

}  // namespace

Study make_study(const fs::path& scenario, std::vector<VaryAxis> axes, std::uint32_t runs,
                 std::optional<std::uint64_t> base_seed, const LoadOptions& load) {
  return make_study(scenario, std::move(axes), runs, base_seed, load, Design{});
}

Study make_study(const fs::path& scenario, std::vector<VaryAxis> axes, std::uint32_t runs,
                 std::optional<std::uint64_t> base_seed, const LoadOptions& load, const Design& design) {
  if (runs == 0) throw StudyError("--runs must be at least 1");
  {
    std::set<std::string> paths;
    for (const VaryAxis& a : axes) {
      if (!paths.insert(a.path).second)
        throw StudyError("--vary " + a.path + " is given twice; list all its values in one --vary");
      if (a.values.empty()) throw StudyError("--vary " + a.path + ": no values");
    }
  }

  // The configurations: one value text per axis per variant.
  std::vector<std::vector<std::string>> configs;
  if (design.kind == Design::Kind::grid) {
    std::size_t variant_count = 1;
    for (const VaryAxis& a : axes) {
      variant_count *= a.values.size();
      if (variant_count > kMaxVariants)
        throw StudyError("the --vary axes make more than " + std::to_string(kMaxVariants) + " variants");
    }
    configs.reserve(variant_count);
    for (std::size_t n = 0; n < variant_count; ++n) {
      std::vector<std::string> c(axes.size());
      std::size_t rest = n;
      for (std::size_t i = axes.size(); i-- > 0;) {
        c[i] = axes[i].values[rest % axes[i].values.size()];
        rest /= axes[i].values.size();
      }
      configs.push_back(std::move(c));
    }
  } else {
    if (axes.empty()) throw StudyError("--design lhs needs at least one --vary axis");
    if (design.samples < 2) throw StudyError("--design lhs needs --samples of at least 2");
    if (design.samples > kMaxVariants)
      throw StudyError("--samples " + std::to_string(design.samples) + ": more than " + std::to_string(kMaxVariants));
    std::uint64_t layout_seed = 0;
    if (base_seed) layout_seed = *base_seed;
    else layout_seed = load_scenario_or_throw(scenario, load).metadata.seed;
    configs = latin_hypercube(axes, design.samples, layout_seed);
  }
  const std::size_t variant_count = configs.size();
  if (variant_count * runs > kMaxTotalRuns)
    throw StudyError("the study has " + std::to_string(variant_count) + " variants x " + std::to_string(runs) +
                     " runs, more than " + std::to_string(kMaxTotalRuns) + " runs in all");

  std::optional<std::size_t> plan_axis;
  for (std::size_t i = 0; i < axes.size(); ++i)
    if (axes[i].kind == VaryAxis::Kind::plan) {
      plan_axis = i;
      for (const std::string& plan : axes[i].values) {
        std::error_code ec;
        if (!fs::is_regular_file(resolve_scenario_argument(plan), ec))  // a file, or "library:REL"
          throw StudyError("--vary plan: plan file \"" + plan + "\" does not exist or is not a file");
      }
    }

  // Load the scenario once per distinct (plan, value overrides): once per plan without value axes.
  struct Loaded {
    Scenario scenario;
    std::string hash;
  };
  std::map<std::string, std::size_t> cache;
  std::vector<Loaded> loaded;
  std::vector<std::size_t> loaded_of(variant_count);
  for (std::size_t n = 0; n < variant_count; ++n) {
    LoadOptions lo = load;
    std::string key;
    if (plan_axis) {
      const std::string& plan = configs[n][*plan_axis];
      lo.plan_override = plan;
      key = plan;
    }
    std::string settings;
    for (std::size_t i = 0; i < axes.size(); ++i) {
      if (axes[i].kind != VaryAxis::Kind::value) continue;
      lo.overrides.push_back(ValueOverride{axes[i].path, configs[n][i]});
      key += '\x1e' + axes[i].path + '\x1f' + configs[n][i];
      settings += (settings.empty() ? "" : " ") + ("--vary " + axes[i].path + "=" + configs[n][i]);
    }
    if (const auto it = cache.find(key); it != cache.end()) {
      loaded_of[n] = it->second;
      continue;
    }
    Scenario s;
    try {
      s = load_scenario_or_throw(scenario, lo);
    } catch (const ScenarioError& e) {
      if (lo.overrides.empty()) throw;
      std::string msg = settings + ": the scenario does not accept this value:";
      for (const Diagnostic& d : e.diagnostics())
        if (d.severity == Diagnostic::Severity::error) msg += "\n  " + (d.pointer.empty() ? std::string() : d.pointer + ": ") + d.message;
      throw StudyError(msg);
    }
    LoadOptions hash_options = lo;
    hash_options.overrides.clear();
    loaded.push_back(Loaded{std::move(s), scenario_hash(scenario, hash_options)});
    cache.emplace(key, loaded.size() - 1);
    loaded_of[n] = loaded.size() - 1;
  }

  // Decision axes: the decision exists and every option exists, in every loaded scenario.
  for (const VaryAxis& a : axes) {
    if (a.kind != VaryAxis::Kind::decide) continue;
    for (const Loaded& l : loaded) {
      std::vector<std::string> ids;
      for (const Decision& d : l.scenario.decisions) ids.push_back(d.id);
      if (std::find(ids.begin(), ids.end(), a.name) == ids.end()) {
        std::string msg = "--vary " + a.path + ": the scenario has no decision \"" + a.name + "\"";
        const std::string guess = closest_match(a.name, ids);
        if (!guess.empty()) msg += "; did you mean \"decide." + guess + "\"?";
        else if (!ids.empty()) {
          std::string all;
          for (const auto& id : ids) all += (all.empty() ? "" : ", ") + id;
          msg += " (decisions: " + all + ")";
        }
        throw StudyError(msg);
      }
      for (const std::string& v : a.values) {
        try {
          const OverrideDecisionPolicy check(l.scenario, {{a.name, v}});
        } catch (const std::invalid_argument& e) {
          throw StudyError("--vary " + a.path + ": " + e.what());
        }
      }
    }
  }

  Study st;
  st.scenario_path = scenario;
  st.axes = std::move(axes);
  st.design = design;
  st.runs = runs;
  const Loaded& first = loaded[loaded_of[0]];
  st.base_seed = base_seed ? *base_seed : first.scenario.metadata.seed;
  st.metrics = response_metric_names();
  for (const Objective& o : first.scenario.objectives) {
    st.objectives.push_back(o.id);
    st.objective_metrics.push_back(o.metric);
  }
  for (const Loaded& l : loaded) {
    std::vector<std::string> ids;
    for (const Objective& o : l.scenario.objectives) ids.push_back(o.id);
    if (ids != st.objectives)
      throw StudyError("--vary: the variants give the exercise different objectives; a study compares the same "
                       "objectives in every variant");
  }

  st.variants.reserve(variant_count);
  for (std::size_t n = 0; n < variant_count; ++n) {
    const Loaded& l = loaded[loaded_of[n]];
    Variant v;
    v.id = "v" + std::to_string(n);
    v.scenario = l.scenario;
    v.scenario_hash = l.hash;
    v.plan_path = plan_axis ? configs[n][*plan_axis] : std::string();
    for (std::size_t i = 0; i < st.axes.size(); ++i) {
      const VaryAxis& a = st.axes[i];
      const std::string& value = configs[n][i];
      v.values.push_back(value);
      switch (a.kind) {
        case VaryAxis::Kind::policy: v.scenario.policy[a.name] = *parse_number(value); break;
        case VaryAxis::Kind::decide: v.decisions[a.name] = value; break;
        case VaryAxis::Kind::plan: break;
        case VaryAxis::Kind::value: break;
      }
    }
    try {
      v.policy = std::make_shared<const OverrideDecisionPolicy>(v.scenario, v.decisions);
    } catch (const std::invalid_argument& e) {
      throw StudyError(std::string("variant ") + v.id + ": " + e.what());
    }
    st.variants.push_back(std::move(v));
  }
  // The impact grid over the longest horizon: hourly up to 240 h, else whole hours keeping at
  // most 241 points (batch.hpp).
  double horizon_h = 0;
  for (const Variant& v : st.variants) horizon_h = std::max(horizon_h, v.scenario.metadata.duration.to_hours());
  st.impact_step_h = std::max(1.0, std::ceil(horizon_h / 240.0));
  st.impact_points = static_cast<std::uint32_t>(std::floor(horizon_h / st.impact_step_h + 1e-9)) + 1;
  return st;
}

}  // namespace cyberdrill::batch
