// --vary on any value of the composed scenario (JSON pointer or dotted path), ranges LO:HI:STEP,
// and the Latin hypercube design.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>

#include "cyberdrill/batch.hpp"

using namespace cyberdrill;
using namespace cyberdrill::batch;
namespace fs = std::filesystem;

namespace {

fs::path flagship() { return fs::path(CYBERDRILL_SOURCE_DIR) / "scenarios" / "belgium" / "grid-blackout.json"; }

template <typename F>
std::string study_error_of(F&& f) {
  try {
    f();
  } catch (const StudyError& e) {
    return e.what();
  }
  return "(no StudyError)";
}

const Organisation& org(const Scenario& s, const std::string& id) {
  const auto it = std::find_if(s.organisations.begin(), s.organisations.end(),
                               [&](const Organisation& o) { return o.id == id; });
  REQUIRE(it != s.organisations.end());
  return *it;
}

}  // namespace

TEST_CASE("parse_vary: a JSON pointer or dotted path is a value axis and ranges expand inclusively") {
  const VaryAxis a = parse_vary("organisations.ncsirt.staff=2:6:2");
  CHECK(a.kind == VaryAxis::Kind::value);
  CHECK(a.values == std::vector<std::string>{"2", "4", "6"});
  REQUIRE(a.range);
  CHECK(a.range->step == 2);
  const VaryAxis b = parse_vary("/channels/0/coverage=0.1:0.5:0.1");
  CHECK(b.kind == VaryAxis::Kind::value);
  CHECK(b.values == std::vector<std::string>{"0.1", "0.2", "0.3", "0.4", "0.5"});  // no 0.30000000000000004
  CHECK(parse_vary("policy.csirt_staff_scale=0.5:2").values == std::vector<std::string>{"0.5", "2"});
  CHECK(parse_vary("a.b=T+02:30").values == std::vector<std::string>{"T+02:30"});  // a time, not a range
  CHECK(study_error_of([] { (void)parse_vary("a.b=5:1:1"); }).find("HI is below its LO") != std::string::npos);
  CHECK(study_error_of([] { (void)parse_vary("a.b=1:5:0"); }).find("STEP must be > 0") != std::string::npos);
  CHECK(study_error_of([] { (void)parse_vary("policy.csirt_staff_scale=-1:1:1"); }).find("below 0") !=
        std::string::npos);
  // The existing knob names keep their meaning.
  CHECK(parse_vary("policy.csirt_staff_scale=1,2").kind == VaryAxis::Kind::policy);
}

TEST_CASE("make_study sets a scenario value per variant before typing, by dotted path or pointer") {
  const Study st = make_study(flagship(), {parse_vary("organisations.ncsirt.staff=2,5")}, 1, 7);
  REQUIRE(st.variants.size() == 2);
  CHECK(org(st.variants[0].scenario, "ncsirt").staff == 2);
  CHECK(org(st.variants[1].scenario, "ncsirt").staff == 5);
  // The same value by pointer: find ncsirt's index in the composed scenario.
  const Scenario base = load_scenario_or_throw(flagship());
  const auto it = std::find_if(base.organisations.begin(), base.organisations.end(),
                               [](const Organisation& o) { return o.id == "ncsirt"; });
  REQUIRE(it != base.organisations.end());
  (void)it;
  const Study by_id = make_study(flagship(), {parse_vary("/organisations/ncsirt/staff=3")}, 1, 7);
  CHECK(org(by_id.variants[0].scenario, "ncsirt").staff == 3);
  // Different values make different keys (a checkpoint of one is refused by the other).
  const Study other = make_study(flagship(), {parse_vary("organisations.ncsirt.staff=2,6")}, 1, 7);
  CHECK(other.key() != st.key());
}

TEST_CASE("make_study: a wrong path or a wrongly typed value is a StudyError naming the path") {
  const std::string missing =
      study_error_of([] { (void)make_study(flagship(), {parse_vary("organisations.nope.staff=2")}, 1, 1); });
  CHECK(missing.find("--vary organisations.nope.staff=2") != std::string::npos);
  CHECK(missing.find("no element \"nope\"") != std::string::npos);
  const std::string member =
      study_error_of([] { (void)make_study(flagship(), {parse_vary("metadata.wheather=2")}, 1, 1); });
  CHECK(member.find("has no member \"wheather\"") != std::string::npos);
  const std::string not_int =
      study_error_of([] { (void)make_study(flagship(), {parse_vary("organisations.ncsirt.staff=1.5")}, 1, 1); });
  CHECK(not_int.find("organisations.ncsirt.staff") != std::string::npos);
  CHECK(not_int.find("an integer") != std::string::npos);
  const std::string not_json =
      study_error_of([] { (void)make_study(flagship(), {parse_vary("/channels/0/coverage=high")}, 1, 1); });
  CHECK(not_json.find("/channels/0/coverage") != std::string::npos);
  // Type is right but the reader refuses the value: its diagnostic is passed on.
  const std::string range =
      study_error_of([] { (void)make_study(flagship(), {parse_vary("/channels/0/coverage=1.5")}, 1, 1); });
  CHECK(range.find("--vary /channels/0/coverage=1.5") != std::string::npos);
  CHECK(range.find("coverage") != std::string::npos);
}

TEST_CASE("--design lhs: every stratum of every axis used exactly once, reproducible from the seed") {
  Design d;
  d.kind = Design::Kind::lhs;
  d.samples = 8;
  auto make = [&](std::uint64_t seed) {
    return make_study(flagship(),
                      {parse_vary("policy.csirt_staff_scale=0:4"), parse_vary("policy.reporting_coverage_scale=0:1")},
                      1, seed, LoadOptions{}, d);
  };
  const Study st = make(11);
  REQUIRE(st.variants.size() == 8);
  for (std::size_t axis = 0; axis < 2; ++axis) {
    const double hi = axis == 0 ? 4.0 : 1.0;
    std::set<int> strata;
    for (const Variant& v : st.variants) {
      const double x = std::stod(v.values[axis]);
      CHECK(x >= 0);
      CHECK(x <= hi);
      strata.insert(static_cast<int>(x / hi * 8));
    }
    CHECK(strata.size() == 8);  // one point in each eighth
  }
  CHECK(st.variants[3].scenario.policy.at("csirt_staff_scale") == std::stod(st.variants[3].values[0]));
  const Study again = make(11);
  for (std::size_t k = 0; k < 8; ++k) CHECK(again.variants[k].values == st.variants[k].values);
  const Study other = make(12);
  bool differs = false;
  for (std::size_t k = 0; k < 8; ++k) differs = differs || other.variants[k].values != st.variants[k].values;
  CHECK(differs);
  // With STEP the points are on the grid.
  const Study snapped = make_study(flagship(), {parse_vary("organisations.ncsirt.staff=1:8:1")}, 1, 3, LoadOptions{}, d);
  for (const Variant& v : snapped.variants) {
    const double x = std::stod(v.values[0]);
    CHECK(x == std::round(x));
  }
  CHECK(study_error_of([&] {
          Design one = d;
          one.samples = 1;
          (void)make_study(flagship(), {parse_vary("policy.csirt_staff_scale=0:4")}, 1, 1, LoadOptions{}, one);
        }).find("at least 2") != std::string::npos);
}
