// JSON -> Scenario: the entry points of the scenario reader (scenario_reader.hpp) and the order in
// which Reader::run reads the sections. The sections themselves are in the scenario_*.cpp files
// beside this one (see scenario_reader_impl.hpp).
#include "heap_pages.hpp"
#include "limits_lint.hpp"
#include "reachability_lint.hpp"
#include "reference_reader.hpp"
#include "scenario_reader_impl.hpp"

namespace cyberdrill::io::scenario_reading {

Scenario Reader::run(std::string source_path, Reader* typed) {
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
  // The probe's assets, when it read every element of this parse (else the text is read again).
  if (typed != nullptr && !(lazy_assets && typed->probe_begun_ && typed->s_.assets.size() == lazy.ranges.size()))
    typed = nullptr;
  if (typed != nullptr) assets_ = std::move(typed->assets_);  // the same ids, collected as the parse went
  else if (lazy_assets) assets_.collect_ids(lazy.ids);
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
  if (const Value* as = get(root, "assets"); typed == nullptr && as != nullptr && as->is_array())
    s_.assets.reserve(s_.assets.size() + as->size());
  if (lazy_assets) read_lazy_assets(typed);
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

void Reader::probe_begin(const Value& root_before, std::size_t bytes_left) {
  probe_reset();
  probe_kept_ = 0;
  // Room for the assets without moving them as the vector grows (each one moved is 288 bytes
  // copied and its old page touched): a generated asset is 500-550 bytes of text; one of 256 or
  // more needs no reallocation. Only what is filled becomes resident.
  s_.assets.reserve(bytes_left / 256);
  if (bytes_left >= FileText::kMapFromBytes) {  // a large file: its typed assets on huge pages
    advise_huge_pages(s_.assets.data(), s_.assets.capacity() * sizeof(Asset));
    prepare_heap_for(bytes_left);
  }
  probing_ = true;
  probe_begun_ = true;
  suggestions_left_ = 0;  // the probe's messages are only counted
  sectors_.collect(get(root_before, "sectors"));
  areas_.collect(get(root_before, "areas"));
  orgs_.collect(get(root_before, "organisations"));
}

void Reader::probe_asset(std::size_t index, const Value& e, std::string_view id) {
  if (!probe_begun_ || index != s_.assets.size()) return;  // not this parse's (cannot happen)
  // The element's id goes in first, as collect_ids() would have it when the asset is read.
  assets_.ids.push_back(id.data() == nullptr ? std::string_view() : id);
  if (!assets_.ids.back().empty()) assets_.index.emplace(assets_.ids.back(), static_cast<Index>(index));
  const std::size_t reports = c_.report_count();
  const std::size_t pending = pending_.size();
  const std::size_t chars = pending_chars_.size();
  check_duplicate_ids_in_element(c_, 0, e, "assets", index);
  probe_ptr_.assign("/assets/");
  probe_ptr_ += std::to_string(index);
  s_.assets.push_back(type_asset(e, probe_ptr_, index));
  const bool clean = c_.report_count() == reports;
  probe_clean_.push_back(clean ? 1 : 0);
  if (!clean) {  // read again by the real reader: its references too
    pending_.resize(pending);
    pending_chars_.resize(chars);
    c_.clear_reports();
  }
}

void Reader::probe_reset() {
  probe_begun_ = false;
  s_.assets.clear();
  assets_.ids.clear();
  assets_.index.clear();
  probe_clean_.clear();
  pending_.clear();
  pending_chars_.clear();
  c_.clear_reports();
}

void Reader::read_lazy_assets(Reader* typed) {
  const LazyElements& lazy = c_.lazy_assets;
  const FileText& text = c_.files.front().text;
  std::vector<std::uint8_t> clean;
  if (typed != nullptr && s_.assets.empty()) {
    s_.assets = std::move(typed->s_.assets);
    clean = std::move(typed->probe_clean_);
    // References to ids the probe had not seen yet; one that names nothing or the asset itself
    // makes the asset read again (the real reader reports it).
    for (const PendingRef& p : typed->pending_) {
      const std::string_view id(typed->pending_chars_.data() + p.offset, p.size);
      const auto it = assets_.index.find(id);
      if (it == assets_.index.end() || it->second == p.asset) clean[p.asset] = 0;
      else s_.assets[p.asset].depends_on[p.dep].supplier = it->second;
    }
    typed->probe_kept_ = static_cast<std::size_t>(std::count(clean.begin(), clean.end(), std::uint8_t{1}));
    typed->probe_reset();
  }
  const bool typed_here = !clean.empty();
  ValueStore scratch;
  scratch.set_scratch();
  scratch.set_borrowing();  // each asset's values are dropped before the next; the text outlives them
  // The text's pages were given back behind the parse: read them in again ahead of the reader
  // (8 MiB steps) and give them back behind it.
  constexpr std::size_t kStep = std::size_t{8} << 20;
  std::size_t mark = 0;
  for (std::size_t i = 0; i < lazy.ranges.size(); ++i) {
    if (typed_here && clean[i] != 0) {
      add_shares(s_.assets[i], i);
      continue;
    }
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
      if (!typed_here) s_.assets.emplace_back();
      continue;
    }
    check_duplicate_ids_in_element(c_, 0, *e, lazy.key, i);
    if (typed_here) s_.assets[i] = type_asset(*e, ptr, i);
    else read_asset(*e, ptr);
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

struct LazyAssetTyper::State {
  Composition probe;  ///< the probe reader's reports (counted, then dropped)
  Reader reader{probe};
};

Scenario read_scenario(Composition& c, std::string source_path, LazyAssetTyper* typed) {
  Reader r(c);
  return r.run(std::move(source_path), typed != nullptr ? &typed->state_->reader : nullptr);
}

LazyAssetTyper::LazyAssetTyper() : state_(std::make_unique<State>()) {}
LazyAssetTyper::~LazyAssetTyper() = default;
void LazyAssetTyper::begin(const Value& root_before, std::size_t bytes_left) {
  state_->reader.probe_begin(root_before, bytes_left);
}
void LazyAssetTyper::element(std::size_t index, const Value& element, std::string_view id) {
  state_->reader.probe_asset(index, element, id);
}
void LazyAssetTyper::reset() { state_->reader.probe_reset(); }
std::size_t LazyAssetTyper::kept() const { return state_->reader.probe_kept(); }

}  // namespace cyberdrill::io
