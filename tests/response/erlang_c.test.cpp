// The triage queue against the M/M/c closed form (Erlang C).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "response_fixture.hpp"

using namespace cyberdrill;
using namespace cyberdrill::test;

namespace {

// Erlang C, written from the formula: offered load a = lambda / mu, c servers,
//   C(c, a) = (a^c / c!) (c / (c - a)) / (sum_{k<c} a^k / k! + (a^c / c!) (c / (c - a)))
//   Wq = C(c, a) / (c mu - lambda)
double erlang_c(int c, double a) {
  double term = 1, sum = 0;  // term = a^k / k!
  for (int k = 0; k < c; ++k) {
    sum += term;
    term *= a / (k + 1);
  }
  const double top = term * c / (c - a);
  return top / (sum + top);
}

struct Measured {
  double mean_wait_h;
  double waited_fraction;
  std::uint64_t served;
  double wait_standard_error_h;  // across replications' means
};

// Replications of a 24/7 triage desk with c staff, Poisson arrivals and exponential service,
// pooled over every customer served.
Measured simulate(int c, double lambda_per_h, double mean_service_h, Duration horizon, int replications) {
  Builder b;
  const Index cert = b.org("cert", OrgKind::csirt, c);
  b.sc.background.org = cert;
  b.sc.background.rate_per_day = lambda_per_h * 24;
  b.sc.background.service = DurationDist{Distribution::exponential(mean_service_h * 3.6e9)};
  QueueStats pooled;
  double sum = 0, sum_sq = 0;
  for (int r = 0; r < replications; ++r) {
    Simulation sim;
    FakeWorld world;
    DefaultDecisionPolicy policy;
    Response resp(b.sc, 1000 + static_cast<std::uint64_t>(r), world, policy);
    resp.start(sim);
    sim.run_until(T(horizon));
    const QueueStats q = resp.metrics(sim.now()).background_triage;
    pooled.served += q.served;
    pooled.waited += q.waited;
    pooled.total_wait_h += q.total_wait_h;
    sum += *q.mean_wait_h();
    sum_sq += *q.mean_wait_h() * *q.mean_wait_h();
  }
  const double n = replications;
  const double sd = std::sqrt(std::max(0.0, (sum_sq - sum * sum / n) / (n - 1)));
  return Measured{*pooled.mean_wait_h(), *pooled.waited_fraction(), pooled.served, sd / std::sqrt(n)};
}

}  // namespace

TEST_CASE("the closed form itself: known Erlang C values") {
  CHECK(erlang_c(1, 0.5) == doctest::Approx(0.5));         // M/M/1: P(wait) = rho
  CHECK(erlang_c(2, 1.0) == doctest::Approx(1.0 / 3.0));
  CHECK(erlang_c(3, 2.0) == doctest::Approx(4.0 / 9.0));
}

TEST_CASE("triage with exponential arrivals and service matches Erlang C within 2 %") {
  struct Case {
    int c;
    double lambda_per_h;
    double mean_service_h;
  };
  // rho = 2/3 with 3 staff; rho = 0.75 with 4 staff and a 1,300-a-month-like load scaled up.
  for (const Case& k : {Case{3, 2.0, 1.0}, Case{4, 6.0, 0.5}}) {
    CAPTURE(k.c);
    const double a = k.lambda_per_h * k.mean_service_h;
    const double p_wait = erlang_c(k.c, a);
    const double wq = p_wait / (k.c / k.mean_service_h - k.lambda_per_h);
    const Measured m = simulate(k.c, k.lambda_per_h, k.mean_service_h, Duration::weeks(300), 40);
    MESSAGE("c=", k.c, " lambda=", k.lambda_per_h, "/h: served ", m.served, "; P(wait) ", m.waited_fraction,
            " vs Erlang C ", p_wait, "; Wq ", m.mean_wait_h, " h (standard error ", m.wait_standard_error_h,
            ") vs ", wq, " h");
    CHECK(m.wait_standard_error_h < 0.005 * wq);  // the 2 % band is at least 4 standard errors wide
    CHECK(std::abs(m.waited_fraction - p_wait) / p_wait < 0.02);
    CHECK(std::abs(m.mean_wait_h - wq) / wq < 0.02);
  }
}
