// JSON -> Scenario: the entry points of the scenario reader (scenario_reader.hpp) and the order in
// which Reader::run reads the sections. The sections themselves are in the scenario_*.cpp files
// beside this one (see scenario_reader_impl.hpp).
#include "limits_lint.hpp"
#include "reachability_lint.hpp"
#include "reference_reader.hpp"
#include "scenario_reader_impl.hpp"

namespace cyberdrill::io::scenario_reading {

Scenario Reader::run(std::string source_path) {
  s_.source_path = std::move(source_path);
  const Value& root = c_.root;
  check_keys(root, "",
             {"$schema", "schema_version", "include", "description", "metadata", "policy", "sectors", "organisations",
              "areas", "assets", "channels", "plan", "attackers", "background", "injects", "decisions", "objectives",
              "reference", "basemap"},
             false);
  const Value empty_object = Value::object(nullptr, 0);
  const Value* plan = get(root, "plan");
  const Value& plan_obj = plan != nullptr && plan->is_object() ? *plan : empty_object;

  sectors_.collect(get(root, "sectors"));
  areas_.collect(get(root, "areas"));
  orgs_.collect(get(root, "organisations"));
  // The assets kept as text (LazyElements, a large file): ids from the parse, elements built one
  // at a time below. Only when the merged "assets" is still the top file's array of placeholders.
  const Value* assets_value = get(root, "assets");
  const LazyElements& lazy = c_.lazy_assets;
  const bool lazy_assets = !lazy.ranges.empty() && assets_value != nullptr && assets_value->is_array() &&
                           assets_value->size() == lazy.ranges.size() && !c_.files.empty();
  if (lazy_assets) assets_.collect_ids(lazy.ids);
  else assets_.collect(assets_value);
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
  read_basemap(get(root, "basemap"));
  elements(get(root, "organisations"), "/organisations",
           [&](const Value& e, const std::string& p) { read_organisation(e, p); });
  if (const Value* as = get(root, "assets"); as != nullptr && as->is_array()) s_.assets.reserve(s_.assets.size() + as->size());
  if (lazy_assets) read_lazy_assets();
  else elements(get(root, "assets"), "/assets", [&](const Value& e, const std::string& p) { read_asset(e, p); });
  elements(get(root, "channels"), "/channels", [&](const Value& e, const std::string& p) { read_channel(e, p); });
  read_plan(plan);
  elements(get(root, "attackers"), "/attackers", [&](const Value& e, const std::string& p) { read_campaign(e, p); });
  read_background(get(root, "background"));
  elements(get(root, "injects"), "/injects", [&](const Value& e, const std::string& p) { read_inject(e, p); });
  elements(get(root, "decisions"), "/decisions", [&](const Value& e, const std::string& p) { read_decision(e, p); });
  elements(get(root, "objectives"), "/objectives", [&](const Value& e, const std::string& p) { read_objective(e, p); });
  read_reference(c_, get(root, "reference"), s_.reference);  // reference_reader.cpp

  if (!c_.has_errors()) lint();
  check_limits_and_lint(c_, s_);  // limits and horizon lint: limits_lint.cpp
  check_reachability_lint(c_, s_);  // obligations without a channel, unreachable objectives: reachability_lint.cpp
  return std::move(s_);
}

void Reader::read_lazy_assets() {
  const LazyElements& lazy = c_.lazy_assets;
  const FileText& text = c_.files.front().text;
  ValueStore scratch;
  scratch.set_scratch();
  scratch.set_borrowing();  // each asset's values are dropped before the next; the text outlives them
  // The text's pages were given back behind the parse: read them in again ahead of the reader
  // (8 MiB steps) and give them back behind it.
  constexpr std::size_t kStep = std::size_t{8} << 20;
  std::size_t mark = 0;
  for (std::size_t i = 0; i < lazy.ranges.size(); ++i) {
    const auto [offset, length] = lazy.ranges[i];
    if (offset >= mark) {
      text.prefetch(offset, offset + 2 * kStep);
      if (offset > kStep) text.release(0, offset - kStep);
      mark = offset + kStep;
    }
    scratch.clear();
    const std::string ptr = at(std::string("/assets"), i);
    // The parse that made the ranges checked this text (syntax, limits, duplicate keys).
    const std::optional<Value> e = fast_parse_value(text.view().substr(offset, length), scratch, kMaxDepth, kMaxValues);
    if (!e) {
      error(ptr, "internal error: this asset could not be read again");
      s_.assets.emplace_back();
      continue;
    }
    check_duplicate_ids_in_element(c_, 0, *e, lazy.key, i);
    read_asset(*e, ptr);
  }
}

}  // namespace cyberdrill::io::scenario_reading

namespace cyberdrill::io {

using scenario_reading::Reader;

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
