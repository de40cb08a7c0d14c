// Summary statistics against closed forms and tabulated values.
#include <doctest/doctest.h>

#include <cmath>
#include <numbers>

#include "cyberdrill/batch.hpp"
#include "cyberdrill/csv.hpp"

using namespace cyberdrill;
using namespace cyberdrill::batch;

TEST_CASE("t quantiles match the tabulated values") {
  struct Row {
    double p, df, t;
  };
  // Two-sided 95 % (p = 0.975), 90 % (0.95) and 99 % (0.995) critical values.
  const Row table[] = {{0.975, 1, 12.706204736174698}, {0.975, 2, 4.302652729696142}, {0.975, 3, 3.182446305284263},
                       {0.975, 5, 2.570581835636314},  {0.975, 7, 2.364624251592785}, {0.975, 10, 2.228138851986274},
                       {0.975, 30, 2.042272456301238}, {0.975, 100, 1.983971518523552}, {0.95, 10, 1.812461122811676},
                       {0.995, 4, 4.604094871415897}};
  for (const Row& r : table) {
    CAPTURE(r.p);
    CAPTURE(r.df);
    CHECK(t_quantile(r.p, r.df) == doctest::Approx(r.t).epsilon(1e-9));
    CHECK(t_quantile(1 - r.p, r.df) == doctest::Approx(-r.t).epsilon(1e-9));
  }
  // Closed forms: df = 1 is the Cauchy distribution (tan), df = 2 has t = (2p-1) sqrt(2 / (1 - (2p-1)^2)).
  for (const double p : {0.6, 0.75, 0.9, 0.99, 0.999}) {
    CAPTURE(p);
    CHECK(t_quantile(p, 1) == doctest::Approx(std::tan(std::numbers::pi * (p - 0.5))).epsilon(1e-9));
    const double a = 2 * p - 1;
    CHECK(t_quantile(p, 2) == doctest::Approx(a * std::sqrt(2 / (1 - a * a))).epsilon(1e-9));
  }
  CHECK(t_quantile(0.5, 7) == 0.0);
}

TEST_CASE("t quantiles approach the normal quantile for large df") {
  CHECK(normal_quantile(0.975) == doctest::Approx(1.959963984540054).epsilon(1e-12));
  CHECK(normal_quantile(0.999) == doctest::Approx(3.090232306167813).epsilon(1e-12));
  CHECK(normal_quantile(0.001) == doctest::Approx(-3.090232306167813).epsilon(1e-12));
  CHECK(normal_quantile(0.5) == 0.0);
  CHECK(t_quantile(0.975, 1e6) == doctest::Approx(1.959963984540054).epsilon(1e-5));
  CHECK(t_quantile(0.975, 1e9) == doctest::Approx(1.959963984540054).epsilon(1e-12));
  CHECK(t_quantile(0.975, 1e6) > t_quantile(0.975, 1e9));
}

TEST_CASE("quantile functions reject arguments outside their domain") {
  CHECK_THROWS_AS((void)t_quantile(0.0, 5), std::domain_error);
  CHECK_THROWS_AS((void)t_quantile(1.0, 5), std::domain_error);
  CHECK_THROWS_AS((void)t_quantile(0.5, 0), std::domain_error);
  CHECK_THROWS_AS((void)normal_quantile(1.5), std::domain_error);
}

TEST_CASE("describe gives the mean and sample sd and Student t CI and type-7 quantiles of a fixed sample") {
  const auto s = describe({9, 4, 2, 4, 5, 4, 7, 5});  // order does not matter
  REQUIRE(s);
  CHECK(s->n == 8);
  CHECK(s->mean == doctest::Approx(5.0));
  REQUIRE(s->sd);
  CHECK(*s->sd == doctest::Approx(std::sqrt(32.0 / 7)));
  const double half = 2.364624251592785 * std::sqrt(32.0 / 7) / std::sqrt(8.0);
  CHECK(*s->ci_low == doctest::Approx(5.0 - half).epsilon(1e-10));
  CHECK(*s->ci_high == doctest::Approx(5.0 + half).epsilon(1e-10));
  CHECK(s->min == 2);
  CHECK(s->max == 9);
  CHECK(s->median == doctest::Approx(4.5));
  CHECK(s->p10 == doctest::Approx(3.4));  // h = 0.7: 2 + 0.7 (4 - 2)
  CHECK(s->p90 == doctest::Approx(7.6));  // h = 6.3: 7 + 0.3 (9 - 7)
}

TEST_CASE("describe of one value has no sd or CI and of none is empty") {
  const auto one = describe({3.5});
  REQUIRE(one);
  CHECK(one->n == 1);
  CHECK(one->mean == 3.5);
  CHECK(!one->sd);
  CHECK(!one->ci_low);
  CHECK(one->p10 == 3.5);
  CHECK(one->p90 == 3.5);
  CHECK(!describe({}));
  const auto same = describe({2, 2, 2});
  REQUIRE(same);
  CHECK(*same->sd == 0.0);
  CHECK(*same->ci_low == 2.0);
  CHECK(*same->ci_high == 2.0);
}

namespace {

// A study of two variants of one metric and one objective, without a scenario: summarise only
// reads the shape.
Study synthetic_study(std::uint32_t runs) {
  Study st;
  st.runs = runs;
  st.base_seed = 100;
  st.metrics = {"m"};
  st.objectives = {"O-1"};
  st.objective_metrics = {"m"};
  st.variants.resize(2);
  st.variants[0].id = "v0";
  st.variants[1].id = "v1";
  return st;
}

RunRow row(std::uint32_t variant, std::uint32_t run, std::optional<double> m, Rating g) {
  RunRow r;
  r.variant = variant;
  r.run = run;
  r.seed = 100 + run;
  r.metrics = {m};
  r.ratings = {g};
  return r;
}

}  // namespace

TEST_CASE("summarise pairs each variant with the baseline run by run") {
  const Study st = synthetic_study(4);
  // Baseline 1, 2, 3, (never); variant 2, 4, 5, 7: pairs only where both happened.
  const std::vector<RunRow> rows{row(0, 0, 1.0, Rating::P), row(0, 1, 2.0, Rating::S), row(0, 2, 3.0, Rating::S),
                                 row(0, 3, std::nullopt, Rating::U), row(1, 0, 2.0, Rating::P),
                                 row(1, 1, 4.0, Rating::M), row(1, 2, 5.0, Rating::U), row(1, 3, 7.0, Rating::U)};
  const auto s = summarise(st, rows);
  REQUIRE(s.size() == 2);
  const MetricSummary& base = s[0].metrics.at(0);
  CHECK(base.runs == 4);
  REQUIRE(base.stats);
  CHECK(base.stats->n == 3);
  CHECK(base.stats->mean == doctest::Approx(2.0));
  CHECK(!base.diff);
  const MetricSummary& var = s[1].metrics.at(0);
  REQUIRE(var.stats);
  CHECK(var.stats->n == 4);
  CHECK(var.stats->mean == doctest::Approx(4.5));
  REQUIRE(var.diff);
  CHECK(var.diff->n == 3);  // differences 1, 2, 2
  CHECK(var.diff->mean == doctest::Approx(5.0 / 3));
  CHECK(*var.diff->sd == doctest::Approx(std::sqrt(1.0 / 3)));
  const double half = 4.302652729696142 * std::sqrt(1.0 / 3) / std::sqrt(3.0);
  CHECK(*var.diff->ci_low == doctest::Approx(5.0 / 3 - half).epsilon(1e-10));
  CHECK(*var.diff->ci_high == doctest::Approx(5.0 / 3 + half).epsilon(1e-10));
  // Rating counts P, S, M, U.
  CHECK(s[0].ratings.at(0) == std::array<std::size_t, 4>{1, 2, 0, 1});
  CHECK(s[1].ratings.at(0) == std::array<std::size_t, 4>{1, 0, 1, 2});
}

TEST_CASE("summarise refuses rows that are incomplete or out of order") {
  const Study st = synthetic_study(2);
  std::vector<RunRow> rows{row(0, 0, 1.0, Rating::P), row(0, 1, 2.0, Rating::P), row(1, 0, 1.0, Rating::P)};
  CHECK_THROWS_AS((void)summarise(st, rows), std::invalid_argument);
  rows.push_back(row(1, 1, 1.0, Rating::P));
  std::swap(rows[0], rows[1]);
  CHECK_THROWS_AS((void)summarise(st, rows), std::invalid_argument);
}

TEST_CASE("numbers are written in the shortest form that reads back exactly") {
  for (const double v : {0.1, 1.0 / 3, 6.015628623055555, 1e-300, 123456789.0, -2.5, 0.0}) {
    const std::string s = format_number(v);
    CHECK(std::stod(s) == v);
  }
  CHECK(format_number(0.1) == "0.1");
  CHECK(format_number(2.0) == "2");
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_field("plain") == "plain");
  // Formula-led text is neutralised with a ' (OWASP); numbers are data and stay as they are.
  CHECK(csv_field("=1+1") == "'=1+1");
  CHECK(csv_field("+x") == "'+x");
  CHECK(csv_field("-cmd|' /C calc'!A0") == "'-cmd|' /C calc'!A0");
  CHECK(csv_field("@SUM(A1)") == "'@SUM(A1)");
  CHECK(csv_field("\tx") == "'\tx");
  CHECK(csv_field("=a,b") == "\"'=a,b\"");
  CHECK(csv_field("-0.5") == "-0.5");
  CHECK(csv_field("+3") == "+3");
  CHECK(csv_field("-1e-3") == "-1e-3");
  CHECK(csv_field("'=x") == "''=x");
  for (const std::string s : {"=1", "''=x", "'x", "-0.5", "'-0.5", "a", "\rb", "'", ""})
    CHECK(cyberdrill::csv::unneutralise(cyberdrill::csv::neutralise(s)) == s);
}
