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
  } else {
    std::string msg = where + "unknown PATH \"" + axis.path + "\": use policy.NAME, plan or decide.ID";
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

std::string Study::key() const {
  std::string s = "cyberdrill-batch-1\n";
  s += std::to_string(runs) + "\n" + std::to_string(base_seed) + "\n";
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

Study make_study(const fs::path& scenario, std::vector<VaryAxis> axes, std::uint32_t runs,
                 std::optional<std::uint64_t> base_seed, const LoadOptions& load) {
  if (runs == 0) throw StudyError("--runs must be at least 1");
  {
    std::set<std::string> paths;
    for (const VaryAxis& a : axes) {
      if (!paths.insert(a.path).second)
        throw StudyError("--vary " + a.path + " is given twice; list all its values in one --vary");
      if (a.values.empty()) throw StudyError("--vary " + a.path + ": no values");
    }
  }
  std::size_t variant_count = 1;
  for (const VaryAxis& a : axes) {
    variant_count *= a.values.size();
    if (variant_count > kMaxVariants)
      throw StudyError("the --vary axes make more than " + std::to_string(kMaxVariants) + " variants");
  }
  if (variant_count * runs > kMaxTotalRuns)
    throw StudyError("the study has " + std::to_string(variant_count) + " variants x " + std::to_string(runs) +
                     " runs, more than " + std::to_string(kMaxTotalRuns) + " runs in all");

  // Load the scenario once per plan (once when no axis varies the plan).
  std::optional<std::size_t> plan_axis;
  for (std::size_t i = 0; i < axes.size(); ++i)
    if (axes[i].kind == VaryAxis::Kind::plan) plan_axis = i;
  std::vector<std::string> plans = plan_axis ? axes[*plan_axis].values : std::vector<std::string>{""};
  struct Loaded {
    Scenario scenario;
    std::string hash;
  };
  std::vector<Loaded> loaded;
  for (const std::string& plan : plans) {
    LoadOptions lo = load;
    if (!plan.empty()) {
      std::error_code ec;
      if (!fs::is_regular_file(resolve_scenario_argument(plan), ec))  // a file, or "library:REL"
        throw StudyError("--vary plan: plan file \"" + plan + "\" does not exist or is not a file");
      lo.plan_override = plan;
    }
    Loaded l{load_scenario_or_throw(scenario, lo), scenario_hash(scenario, lo)};
    loaded.push_back(std::move(l));
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
  st.runs = runs;
  st.base_seed = base_seed ? *base_seed : loaded.front().scenario.metadata.seed;
  st.metrics = response_metric_names();
  for (const Objective& o : loaded.front().scenario.objectives) {
    st.objectives.push_back(o.id);
    st.objective_metrics.push_back(o.metric);
  }
  for (const Loaded& l : loaded) {
    std::vector<std::string> ids;
    for (const Objective& o : l.scenario.objectives) ids.push_back(o.id);
    if (ids != st.objectives)
      throw StudyError("--vary plan: the plans give the exercise different objectives; a study compares the same "
                       "objectives in every variant");
  }

  // The Cartesian product, first axis outermost.
  std::vector<std::size_t> pick(st.axes.size(), 0);
  st.variants.reserve(variant_count);
  for (std::size_t n = 0; n < variant_count; ++n) {
    std::size_t rest = n;
    for (std::size_t i = st.axes.size(); i-- > 0;) {
      pick[i] = rest % st.axes[i].values.size();
      rest /= st.axes[i].values.size();
    }
    const std::size_t plan_index = plan_axis ? pick[*plan_axis] : 0;
    Variant v;
    v.id = "v" + std::to_string(n);
    v.scenario = loaded[plan_index].scenario;
    v.scenario_hash = loaded[plan_index].hash;
    v.plan_path = plans[plan_index];
    for (std::size_t i = 0; i < st.axes.size(); ++i) {
      const VaryAxis& a = st.axes[i];
      const std::string& value = a.values[pick[i]];
      v.values.push_back(value);
      switch (a.kind) {
        case VaryAxis::Kind::policy: v.scenario.policy[a.name] = *parse_number(value); break;
        case VaryAxis::Kind::decide: v.decisions[a.name] = value; break;
        case VaryAxis::Kind::plan: break;
      }
    }
    try {
      v.policy = std::make_shared<const OverrideDecisionPolicy>(v.scenario, v.decisions);
    } catch (const std::invalid_argument& e) {
      throw StudyError(std::string("variant ") + v.id + ": " + e.what());
    }
    st.variants.push_back(std::move(v));
  }
  return st;
}

}  // namespace cyberdrill::batch
