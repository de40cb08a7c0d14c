// Studies on the flagship exercise: --vary axes, the Cartesian product, common random numbers,
// thread-count independence, stopping and resuming, checkpoints, and sweeps that must move the
// metrics in the expected direction.
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <iterator>
#include <string>

#include "cyberdrill/batch.hpp"

using namespace cyberdrill;
using namespace cyberdrill::batch;
namespace fs = std::filesystem;

namespace {

fs::path belgium() { return fs::path(CYBERDRILL_SOURCE_DIR) / "scenarios" / "belgium"; }
fs::path flagship() { return belgium() / "grid-blackout.json"; }

template <typename F>
std::string study_error_of(F&& f) {
  try {
    f();
  } catch (const StudyError& e) {
    return e.what();
  }
  return "(no StudyError)";
}

std::vector<RunRow> run_all(const Study& st, unsigned threads) {
  std::vector<std::optional<RunRow>> slots(st.total_runs());
  ExecuteOptions o;
  o.threads = threads;
  CHECK(execute(st, slots, o) == st.total_runs());
  std::vector<RunRow> rows;
  for (auto& s : slots) {
    REQUIRE(s);
    rows.push_back(*s);
  }
  return rows;
}

std::size_t metric_index(const Study& st, const std::string& name) {
  const auto it = std::find(st.metrics.begin(), st.metrics.end(), name);
  REQUIRE(it != st.metrics.end());
  return static_cast<std::size_t>(it - st.metrics.begin());
}

struct TempDir {
  fs::path path;
  TempDir() {
    static int n = 0;
    path = fs::temp_directory_path() / ("cyberdrill-batch-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

}  // namespace

TEST_CASE("parse_vary reads policy and plan and decide axes") {
  const VaryAxis p = parse_vary("policy.csirt_staff_scale=1, 2,4");
  CHECK(p.kind == VaryAxis::Kind::policy);
  CHECK(p.path == "policy.csirt_staff_scale");
  CHECK(p.name == "csirt_staff_scale");
  CHECK(p.values == std::vector<std::string>{"1", "2", "4"});
  const VaryAxis plan = parse_vary("plan=a.json,b.json");
  CHECK(plan.kind == VaryAxis::Kind::plan);
  CHECK(plan.values.size() == 2);
  const VaryAxis d = parse_vary("decide.D-02=alert,wait");
  CHECK(d.kind == VaryAxis::Kind::decide);
  CHECK(d.name == "D-02");
  CHECK(parse_vary("policy.mandatory_reporting=0,1").values.size() == 2);
}

TEST_CASE("parse_vary rejects bad axes and says what is expected") {
  CHECK(study_error_of([] { (void)parse_vary("policy.reportng_coverage_scale=1"); })
            .find("did you mean \"policy.reporting_coverage_scale\"") != std::string::npos);
  CHECK(study_error_of([] { (void)parse_vary("csirt_staff_scale=1"); })
            .find("did you mean \"policy.csirt_staff_scale\"") != std::string::npos);
  CHECK(study_error_of([] { (void)parse_vary("policy.csirt_staff_scale"); }).find("expected PATH=V1,V2") !=
        std::string::npos);
  CHECK(study_error_of([] { (void)parse_vary("policy.csirt_staff_scale=1,two"); }).find("\"two\" is not a number") !=
        std::string::npos);
  CHECK(study_error_of([] { (void)parse_vary("policy.csirt_staff_scale=-1"); }).find("negative") != std::string::npos);
  CHECK(study_error_of([] { (void)parse_vary("policy.csirt_staff_scale=nan"); }).find("not a number") !=
        std::string::npos);
  CHECK(study_error_of([] { (void)parse_vary("policy.csirt_staff_scale=1,,2"); }).find("empty value") !=
        std::string::npos);
  CHECK(study_error_of([] { (void)parse_vary("policy.csirt_staff_scale=2,2"); }).find("listed twice") !=
        std::string::npos);
  CHECK(study_error_of([] { (void)parse_vary("policy.csirt_staff_scale="); }).find("no values") != std::string::npos);
  CHECK(study_error_of([] { (void)parse_vary("=1"); }).find("PATH before '=' is empty") != std::string::npos);
  CHECK(study_error_of([] { (void)parse_vary("weather=1"); }).find("use policy.NAME, plan or decide.ID") !=
        std::string::npos);
  CHECK(study_error_of([] { (void)parse_vary("decide.=a"); }).find("needs a decision id") != std::string::npos);
}

TEST_CASE("make_study checks decisions and plans and repeated axes against the scenario") {
  CHECK(study_error_of([] { (void)make_study(flagship(), {parse_vary("decide.D-2=alert")}, 2, 1); })
            .find("did you mean \"decide.D-02\"") != std::string::npos);
  CHECK(study_error_of([] { (void)make_study(flagship(), {parse_vary("decide.D-02=panic")}, 2, 1); })
            .find("has no option \"panic\"") != std::string::npos);
  CHECK(study_error_of([] { (void)make_study(flagship(), {parse_vary("plan=/no/such/plan.json")}, 2, 1); })
            .find("does not exist") != std::string::npos);
  CHECK(study_error_of([] {
          (void)make_study(flagship(), {parse_vary("policy.staff_scale=1"), parse_vary("policy.staff_scale=2")}, 2, 1);
        }).find("given twice") != std::string::npos);
  CHECK(study_error_of([] { (void)make_study(flagship(), {}, 0, 1); }).find("--runs") != std::string::npos);
}

TEST_CASE("two axes make the Cartesian product with the first axis outermost") {
  const Study st = make_study(
      flagship(), {parse_vary("policy.csirt_staff_scale=1,2"), parse_vary("decide.D-02=alert,wait,pre-alert")}, 3, 7);
  REQUIRE(st.variants.size() == 6);
  CHECK(st.total_runs() == 18);
  const std::vector<std::vector<std::string>> expected{{"1", "alert"}, {"1", "wait"}, {"1", "pre-alert"},
                                                       {"2", "alert"}, {"2", "wait"}, {"2", "pre-alert"}};
  for (std::size_t v = 0; v < 6; ++v) {
    CAPTURE(v);
    CHECK(st.variants[v].id == "v" + std::to_string(v));
    CHECK(st.variants[v].values == expected[v]);
    CHECK(st.variants[v].scenario.policy.at("csirt_staff_scale") == (v < 3 ? 1.0 : 2.0));
    CHECK(st.variants[v].decisions.at("D-02") == expected[v][1]);
  }
  CHECK(st.seed_of(0) == 7);
  CHECK(st.seed_of(2) == 9);
  // The decision axis is applied: some run decides D-02 differently and so traces differently.
  bool differs = false;
  for (std::uint32_t i = 0; i < st.runs; ++i)
    differs = differs || run_one(st, i).fingerprint != run_one(st, st.runs + i).fingerprint;
  CHECK(differs);
  // Default base seed: the scenario's metadata.seed.
  const Study dflt = make_study(flagship(), {}, 1, std::nullopt);
  CHECK(dflt.base_seed == dflt.variants[0].scenario.metadata.seed);
  CHECK(dflt.variants.size() == 1);
}

TEST_CASE("every variant runs on the same seeds so equal variants give equal rows") {
  // "1" and "1.0" are different texts of the same value: two identical variants.
  const Study st = make_study(flagship(), {parse_vary("policy.csirt_staff_scale=1,1.0")}, 4, std::nullopt);
  for (std::uint32_t i = 0; i < st.runs; ++i) {
    RunRow a = run_one(st, i);
    RunRow b = run_one(st, st.runs + i);
    CHECK(a.seed == st.base_seed + i);
    CHECK(b.seed == a.seed);
    b.variant = a.variant;
    CHECK(a == b);
  }
}

TEST_CASE("execute gives the same rows for any thread count and any order of indices") {
  const Study st = make_study(flagship(), {parse_vary("policy.reporting_coverage_scale=0.5,1")}, 6, std::nullopt);
  const std::vector<RunRow> one = run_all(st, 1);
  const std::vector<RunRow> two = run_all(st, 2);
  CHECK(one == two);
  // Reversed subsets, then the rest; progress and on_row see every run once.
  std::vector<std::optional<RunRow>> slots(st.total_runs());
  ExecuteOptions o;
  o.threads = 2;
  o.indices = {11, 7, 3, 0};
  std::size_t seen = 0;
  o.on_row = [&](const RunRow&) { ++seen; };
  Progress last;
  o.on_progress = [&](const Progress& p) { last = p; };
  CHECK(execute(st, slots, o) == 4);
  CHECK(last.done == 4);
  o.indices.clear();
  CHECK(execute(st, slots, o) == st.total_runs() - 4);
  CHECK(seen == st.total_runs());
  CHECK(last.done == st.total_runs());
  CHECK(last.total == st.total_runs());
  for (std::size_t i = 0; i < slots.size(); ++i) CHECK(*slots[i] == one[i]);
}

TEST_CASE("execute stops after the asked number of runs or on cancel and continues from the filled slots") {
  const Study st = make_study(flagship(), {}, 9, std::nullopt);
  std::vector<std::optional<RunRow>> slots(st.total_runs());
  ExecuteOptions o;
  o.threads = 2;
  o.stop_after = 4;
  CHECK(execute(st, slots, o) == 4);
  CHECK(std::count_if(slots.begin(), slots.end(), [](const auto& s) { return s.has_value(); }) == 4);
  std::atomic<bool> cancel{true};
  o.stop_after = 0;
  o.cancel = &cancel;
  CHECK(execute(st, slots, o) == 0);
  o.cancel = nullptr;
  CHECK(execute(st, slots, o) == 5);
  const std::vector<RunRow> full = run_all(st, 1);
  for (std::size_t i = 0; i < slots.size(); ++i) CHECK(*slots[i] == full[i]);
}

TEST_CASE("checkpoint lines round-trip exactly and a checkpoint resumes only its own study") {
  const Study st = make_study(flagship(), {parse_vary("policy.reporting_coverage_scale=0.3,1")}, 3, std::nullopt);
  const std::vector<RunRow> rows = run_all(st, 2);
  for (const RunRow& r : rows) {
    const std::optional<RunRow> back = decode_row_or_null(st, encode_row(r));
    REQUIRE(back);
    CHECK(*back == r);
  }
  // Malformed lines are refused.
  const std::string good = encode_row(rows[1]);
  CHECK(!decode_row_or_null(st, good.substr(0, good.size() - 2)));
  CHECK(!decode_row_or_null(st, "9" + good));                          // variant out of range
  std::string wrong_seed = good;
  wrong_seed.replace(wrong_seed.find(std::to_string(rows[1].seed)), 1, "7");
  CHECK(!decode_row_or_null(st, wrong_seed));
  std::string bad_rating = good;
  bad_rating.back() = 'X';
  CHECK(!decode_row_or_null(st, bad_rating));

  TempDir tmp;
  const fs::path dir = tmp.path / "out.partial";
  {
    Checkpoint cp(dir, st, false);
    for (std::size_t i = 0; i < 4; ++i) cp.append(rows[i]);
  }
  // A crash in the middle of a line leaves a partial line: it is dropped and truncated away.
  std::ofstream(dir / "runs.csv", std::ios::app) << "1,2,3,4";
  {
    Checkpoint cp(dir, st, true);
    CHECK(cp.restored_count() == 4);
    const auto restored = cp.restored_rows();
    for (std::size_t i = 0; i < 4; ++i) CHECK(*restored[i] == rows[i]);
    CHECK(!restored[4]);
    RowStore store(st, tmp.path);
    CHECK(cp.restore_into(store) == 4);
    CHECK(store.count() == 4);
    for (std::size_t i = 0; i < 4; ++i) CHECK(store.get(i) == rows[i]);
    CHECK_FALSE(store.has(4));
    cp.append(rows[4]);
  }
  {
    Checkpoint cp(dir, st, true);
    CHECK(cp.restored_count() == 5);
  }
  const Study other = make_study(flagship(), {parse_vary("policy.reporting_coverage_scale=0.3,1")}, 4, std::nullopt);
  CHECK(study_error_of([&] { Checkpoint cp(dir, other, true); }).find("different study") != std::string::npos);
  {
    Checkpoint fresh(dir, st, false);  // without resume: starts afresh
    CHECK(fresh.restored_count() == 0);
    fresh.remove();
  }
  CHECK(!fs::exists(dir));
}

TEST_CASE("lower reporting coverage delays reports and escalation and misses obligations on the flagship") {
  // Baseline: full coverage; variant: 0.3. Paired by seed, 30 runs each.
  const Study st = make_study(flagship(), {parse_vary("policy.reporting_coverage_scale=1.0,0.3")}, 30, std::nullopt);
  const auto s = summarise(st, run_all(st, 2));
  const MetricSummary& report = s[1].metrics[metric_index(st, "time_to_report_h")];
  const MetricSummary& escalate = s[1].metrics[metric_index(st, "time_to_escalate_h")];
  const MetricSummary& met = s[1].metrics[metric_index(st, "obligations_met_fraction")];
  REQUIRE(report.diff);
  REQUIRE(escalate.diff);
  REQUIRE(met.diff);
  MESSAGE("coverage 0.3 - 1.0: report " << report.diff->mean << " h, escalate " << escalate.diff->mean
                                        << " h, obligations met " << met.diff->mean);
  CHECK(report.diff->mean > 0);
  CHECK(escalate.diff->mean > 0);
  CHECK(s[1].metrics[metric_index(st, "time_to_report_h")].stats->mean >
        s[0].metrics[metric_index(st, "time_to_report_h")].stats->mean);
  CHECK(met.diff->mean < 0);
  CHECK(*met.diff->ci_high < 0);
  // Detection does not depend on reporting: with common random numbers the difference is exactly 0.
  const MetricSummary& detect = s[1].metrics[metric_index(st, "time_to_detect_h")];
  REQUIRE(detect.diff);
  CHECK(detect.diff->mean == 0.0);
  CHECK(*detect.diff->sd == 0.0);
}

TEST_CASE("the 2017 plan meets fewer obligations than the NIS2 plan on the flagship") {
  const Study st = make_study(
      flagship(), {parse_vary("plan=" + (belgium() / "plan-nis2.json").string() + "," + (belgium() / "plan-2017.json").string())},
      30, std::nullopt);  // 30 runs: with 20 the paired CI's upper end sat at -0.003 before the
                          // flagship's calibration (issue 9) and at +0.007 after it - no power to spare
  CHECK(st.variants[0].scenario_hash != st.variants[1].scenario_hash);
  const auto s = summarise(st, run_all(st, 2));
  const std::size_t m = metric_index(st, "obligations_met_fraction");
  REQUIRE(s[0].metrics[m].stats);
  REQUIRE(s[1].metrics[m].stats);
  CHECK(s[1].metrics[m].stats->mean < s[0].metrics[m].stats->mean);
  REQUIRE(s[1].metrics[m].diff);
  CHECK(*s[1].metrics[m].diff->ci_high < 0);
}

TEST_CASE("MpiSession explains how to get MPI when built without it") {
  if (built_with_mpi()) return;  // the MPI build runs the mpirun case of cli_batch.test.cpp instead
  try {
    MpiSession s;
    FAIL("no exception");
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()).find("-DCYBERDRILL_WITH_MPI=ON") != std::string::npos);
  }
}

namespace {

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

TEST_CASE("a RowStore gives the same rows, statistics and runs.csv as rows in memory") {
  const Study st = make_study(flagship(), {parse_vary("policy.reporting_coverage_scale=0.5,1")}, 7, std::nullopt);
  const std::vector<RunRow> mem = run_all(st, 2);
  TempDir tmp;
  RowStore store(st, tmp.path);
  ExecuteOptions o;
  o.threads = 2;
  o.stop_after = 5;
  CHECK(execute(st, store, o) == 5);
  CHECK(store.count() == 5);
  o.stop_after = 0;
  std::size_t seen = 0;
  o.on_row = [&](const RunRow& r) {
    ++seen;
    CHECK(r == mem[static_cast<std::size_t>(r.variant) * st.runs + r.run]);
  };
  CHECK(execute(st, store, o) == st.total_runs() - 5);
  CHECK(seen == st.total_runs() - 5);
  CHECK(store.count() == st.total_runs());
  for (std::size_t i = 0; i < mem.size(); ++i) CHECK(store.get(i) == mem[i]);
  CHECK(summary_csv(st, summarise(st, store)) == summary_csv(st, summarise(st, mem)));
  write_runs_csv(tmp.path / "runs.csv", st, store);
  CHECK(read_text(tmp.path / "runs.csv") == runs_csv(st, mem));
  // Nothing is left in the folder: the store's file is anonymous.
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(tmp.path)) files += e.path().filename() != "runs.csv" ? 1 : 0;
  CHECK(files == 0);
}

TEST_CASE("statistics from a RowStore equal the in-memory ones on many runs with ties, gaps and negatives") {
  // Synthetic rows (no simulation): 3 variants x 2,000 runs, values drawn to include repeated
  // values, negative numbers, metrics that never happened and runs where only one variant has one.
  const Study st = make_study(flagship(), {parse_vary("policy.reporting_coverage_scale=0.5,1,2")}, 2000, 5);
  std::vector<RunRow> rows;
  TempDir tmp;
  RowStore store(st, tmp.path);
  std::uint64_t x = 88172645463325252ull;
  auto next = [&] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  for (std::size_t i = 0; i < st.total_runs(); ++i) {
    RunRow r;
    r.variant = static_cast<std::uint32_t>(i / st.runs);
    r.run = static_cast<std::uint32_t>(i % st.runs);
    r.seed = st.seed_of(r.run);
    r.events = next() % 100000;
    r.fingerprint = next();
    for (std::size_t m = 0; m < st.metrics.size(); ++m) {
      const std::uint64_t u = next();
      if (u % 7 == 0) r.metrics.emplace_back();                                          // never happened
      else if (m % 3 == 0) r.metrics.emplace_back(static_cast<double>(u % 5));            // many ties
      else r.metrics.emplace_back((static_cast<double>(u % 200001) - 100000.0) / 37.0);  // negatives
    }
    for (std::size_t k = 0; k < st.objectives.size(); ++k) r.ratings.push_back(static_cast<Rating>(next() % 4));
    for (std::size_t k = 0; k < 2 * std::size_t{st.impact_points}; ++k) r.impact.push_back(static_cast<double>(next() % 1000));
    rows.push_back(r);
  }
  // Stored out of order, as threads would.
  for (std::size_t i = rows.size(); i-- > 0;) store.put(rows[i]);
  REQUIRE(store.count() == rows.size());
  CHECK(summary_csv(st, summarise(st, store)) == summary_csv(st, summarise(st, rows)));
  write_runs_csv(tmp.path / "runs.csv", st, store);
  CHECK(read_text(tmp.path / "runs.csv") == runs_csv(st, rows));
  CHECK(impact_bands_csv(st, impact_bands(st, impact_column(st, store))) ==
        impact_bands_csv(st, impact_bands(st, impact_column(st, rows))));
  CHECK_THROWS_AS((void)store.get(st.total_runs()), std::out_of_range);
}
