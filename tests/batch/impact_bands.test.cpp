// Impact bands (people affected and economic loss over time, median and 10-90 % per
// configuration) against a hand computation from independent runs; and the seed rules
// (--seeds crn | independent): determinism across threads, checkpoints and row stores.
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <set>
#include <string>

#include "cyberdrill/batch.hpp"
#include "cyberdrill/run.hpp"

using namespace cyberdrill;
using namespace cyberdrill::batch;
namespace fs = std::filesystem;

namespace {

fs::path flagship() { return fs::path(CYBERDRILL_SOURCE_DIR) / "scenarios" / "belgium" / "grid-blackout.json"; }

struct TempDir {
  fs::path path;
  TempDir() {
    static int n = 0;
    path = fs::temp_directory_path() / ("cyberdrill-bands-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::vector<RunRow> run_all(const Study& st, unsigned threads) {
  std::vector<std::optional<RunRow>> slots(st.total_runs());
  ExecuteOptions o;
  o.threads = threads;
  CHECK(execute(st, slots, o) == st.total_runs());
  std::vector<RunRow> rows;
  for (auto& s : slots) rows.push_back(std::move(*s));
  return rows;
}

}  // namespace

TEST_CASE("impact bands of a five-run study equal a hand computation from the runs' own samples") {
  const Study st = make_study(flagship(), {}, 5, 20260310);
  // The flagship lasts 4 days: hourly, T+0 .. T+96 h.
  CHECK(st.impact_step_h == 1.0);
  CHECK(st.impact_points == 97);
  const std::vector<RunRow> rows = run_all(st, 2);
  const std::vector<ImpactBand> bands = impact_bands(st, impact_column(st, rows));
  REQUIRE(bands.size() == 2);
  CHECK(bands[0].series == "people_affected");
  CHECK(bands[1].series == "economic_loss_eur");

  // By hand: re-run each seed, take the sample at exactly k hours, sort the five values; type 7
  // quantiles of five values are x0 + 0.4 (x1 - x0), x2 and x3 + 0.6 (x4 - x3).
  std::vector<std::vector<ImpactSample>> samples;
  for (std::uint32_t i = 0; i < st.runs; ++i) {
    RunOptions o;
    o.seed = 20260310 + i;
    o.policy = st.variants[0].policy.get();
    o.keep_records = false;
    const RunResult r = run_scenario(st.variants[0].scenario, o);
    samples.push_back(r.impact_samples);
    // The loss series ends at the run's economic loss.
    CHECK(rows[i].impact[2 * 97 - 1] == doctest::Approx(*r.metrics.values.at("economic_loss_eur")).epsilon(1e-9));
  }
  double peak_median = 0;
  for (const std::size_t k : {0, 1, 3, 6, 12, 24, 48, 96}) {
    for (std::size_t s = 0; s < 2; ++s) {
      CAPTURE(k);
      CAPTURE(s);
      std::vector<double> x;
      for (const auto& run : samples) {
        const auto it = std::find_if(run.begin(), run.end(), [&](const ImpactSample& m) {
          return m.time == SimTime::zero() + Duration::hours(static_cast<std::int64_t>(k));
        });
        REQUIRE(it != run.end());
        x.push_back(s == 0 ? it->people_affected : it->economic_loss_eur);
      }
      std::sort(x.begin(), x.end());
      CHECK(bands[s].time_h[k] == static_cast<double>(k));
      CHECK(bands[s].p10[k] == doctest::Approx(x[0] + 0.4 * (x[1] - x[0])));
      CHECK(bands[s].median[k] == doctest::Approx(x[2]));
      CHECK(bands[s].p90[k] == doctest::Approx(x[3] + 0.6 * (x[4] - x[3])));
      if (s == 0) peak_median = std::max(peak_median, x[2]);
    }
  }
  CHECK(peak_median > 1000);  // the flagship's blackout leaves people without service
  CHECK(bands[0].median[0] == 0);  // nobody is affected at T+0
  // The loss only grows.
  for (std::size_t k = 1; k < bands[1].median.size(); ++k) CHECK(bands[1].median[k] >= bands[1].median[k - 1]);

  // The CSV: a header and one row per (configuration, series, time).
  const std::string csv = impact_bands_csv(st, bands);
  CHECK(csv.starts_with("variant,series,time_h,runs,p10,median,p90\n"));
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 1 + 2 * 97);

  // The same bands from the on-disk store, and rows survive a checkpoint line.
  TempDir tmp;
  RowStore store(st, tmp.path);
  for (const RunRow& r : rows) store.put(r);
  CHECK(impact_bands_csv(st, impact_bands(st, impact_column(st, store))) == csv);
  CHECK(impact_bands_csv(st, impact_bands(st, store)) == csv);  // by radix selection, not sorting
  for (std::size_t i = 0; i < rows.size(); ++i) {
    CHECK(store.get(i) == rows[i]);
    const auto back = decode_row_or_null(st, encode_row(rows[i]));
    REQUIRE(back);
    CHECK(*back == rows[i]);
  }

  // The binary record the MPI ranks exchange: a fixed size, an exact round trip (impact, metrics
  // that never happened, ratings), and a record that does not fit the study is refused.
  std::string packed;
  for (const RunRow& r : rows) pack_row(st, r, packed);
  const std::size_t record = row_record_bytes(st);
  REQUIRE(packed.size() == rows.size() * record);
  bool some_absent = false;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    CHECK(unpack_row(st, std::string_view(packed).substr(i * record, record)) == rows[i]);
    for (const auto& m : rows[i].metrics) some_absent = some_absent || !m;
  }
  CHECK(some_absent);  // the round trip covered a metric that never happened
  CHECK_THROWS_AS((void)unpack_row(st, std::string_view(packed).substr(0, record - 1)), std::invalid_argument);
  std::string foreign = packed.substr(0, record);
  const std::uint32_t bad_variant = 99;
  std::memcpy(foreign.data(), &bad_variant, sizeof bad_variant);
  CHECK_THROWS_AS((void)unpack_row(st, foreign), std::invalid_argument);

  // execute_streamed hands every row to the sink once, equal to the stored rows.
  std::vector<std::optional<RunRow>> streamed(rows.size());
  ExecuteOptions o;
  o.threads = 2;
  CHECK(execute_streamed(st, [&](const RunRow& r) {
          const std::size_t i = std::size_t{r.variant} * st.runs + r.run;
          CHECK_FALSE(streamed[i].has_value());
          streamed[i] = r;
        }, o) == rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    REQUIRE(streamed[i]);
    CHECK(*streamed[i] == rows[i]);
  }
}

TEST_CASE("--seeds independent: seeds from (base, configuration, replication), the same for any thread count") {
  Study st = make_study(flagship(), {parse_vary("policy.csirt_staff_scale=1,1.0")}, 3, 99);
  Study crn = st;
  st.seeds = SeedMode::independent;
  CHECK(st.key() != crn.key());  // a checkpoint of one is not resumed as the other
  std::set<std::uint64_t> seen;
  for (std::uint32_t v = 0; v < 2; ++v)
    for (std::uint32_t i = 0; i < 3; ++i) {
      CHECK(crn.seed_for(v, i) == 99 + i);
      seen.insert(st.seed_for(v, i));
      CHECK(st.seed_for(v, i) == derive_seed(SeedMode::independent, 99, v, i));
    }
  CHECK(seen.size() == 6);
  const std::vector<RunRow> one = run_all(st, 1), two = run_all(st, 2);
  CHECK(one == two);
  // Two identical configurations on independent seeds trace differently (with CRN they would not).
  bool differs = false;
  for (std::uint32_t i = 0; i < 3; ++i) {
    CHECK(one[i].seed == st.seed_for(0, i));
    differs = differs || one[i].fingerprint != one[3 + i].fingerprint;
  }
  CHECK(differs);
  // The store and the checkpoint line derive and check the same seeds.
  TempDir tmp;
  RowStore store(st, tmp.path);
  for (const RunRow& r : one) store.put(r);
  for (std::size_t i = 0; i < one.size(); ++i) {
    CHECK(store.get(i) == one[i]);
    CHECK(decode_row_or_null(st, encode_row(one[i])).has_value());
    CHECK_FALSE(decode_row_or_null(crn, encode_row(one[i])).has_value());  // a seed of the other rule
  }
}
