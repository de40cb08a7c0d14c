#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include "cyberdrill/random.hpp"

namespace cyberdrill {

__extension__ using u128 = unsigned __int128;

RandomStream::RandomStream(std::uint64_t key) {
  std::uint64_t x = key;
  for (auto& s : s_) {  // SplitMix64 sequence, as the xoshiro authors recommend for seeding
    x += 0x9e3779b97f4a7c15ULL;
    std::uint64_t z = x;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    s = z ^ (z >> 31);
  }
}

std::uint64_t RandomStream::below(std::uint64_t n) {
  // Lemire (2019): multiply-shift with rejection of the biased low range.
  u128 m = static_cast<u128>(next()) * n;
  auto low = static_cast<std::uint64_t>(m);
  if (low < n) {
    const std::uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      m = static_cast<u128>(next()) * n;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

double RandomStream::normal() {
  const double u1 = uniform01_open_low();
  const double u2 = uniform01();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

Distribution Distribution::fixed(double v) { return Distribution{Kind::fixed, v, 0, 0, {}}; }

Distribution Distribution::uniform(double low, double high) {
  if (!(low <= high)) throw std::invalid_argument("uniform: low must not exceed high");
  return Distribution{Kind::uniform, low, high, 0, {}};
}

Distribution Distribution::exponential(double mean) {
  if (!(mean > 0)) throw std::invalid_argument("exponential: mean must be positive");
  return Distribution{Kind::exponential, mean, 0, 0, {}};
}

Distribution Distribution::lognormal_median_p90(double median, double p90) {
  if (!(median > 0)) throw std::invalid_argument("lognormal: median must be positive");
  if (!(p90 >= median)) throw std::invalid_argument("lognormal: p90 must be at least the median");
  return Distribution{Kind::lognormal, std::log(median), (std::log(p90) - std::log(median)) / z90, 0, {}};
}

Distribution Distribution::triangular(double min, double mode, double max) {
  if (!(min <= mode && mode <= max)) throw std::invalid_argument("triangular: need min <= mode <= max");
  return Distribution{Kind::triangular, min, mode, max, {}};
}

Distribution Distribution::bernoulli(double p) {
  if (!(p >= 0 && p <= 1)) throw std::invalid_argument("bernoulli: p must be in [0, 1]");
  return Distribution{Kind::bernoulli, p, 0, 0, {}};
}

Distribution Distribution::empirical(const std::vector<std::pair<double, double>>& value_weight) {
  double sum = 0;
  for (const auto& [v, w] : value_weight) {
    if (!(w >= 0)) throw std::invalid_argument("empirical: weights must be non-negative");
    sum += w;
  }
  if (!(sum > 0)) throw std::invalid_argument("empirical: weights must have a positive sum");
  Distribution d{Kind::empirical, 0, 0, 0, {}};
  double acc = 0;
  for (const auto& [v, w] : value_weight) {
    acc += w / sum;
    d.table.emplace_back(v, acc);
  }
  d.table.back().second = 1.0;
  return d;
}

double Distribution::sample(RandomStream& rng) const {
  switch (kind) {
    case Kind::fixed: return a;
    case Kind::uniform: return a + (b - a) * rng.uniform01();
    case Kind::exponential: return -a * std::log(rng.uniform01_open_low());
    case Kind::lognormal: return std::exp(a + b * rng.normal());
    case Kind::triangular: {
      const double u = rng.uniform01();
      const double span = c - a;
      if (span <= 0) return a;
      const double f = (b - a) / span;
      if (u < f) return a + std::sqrt(u * span * (b - a));
      return c - std::sqrt((1 - u) * span * (c - b));
    }
    case Kind::bernoulli: return rng.uniform01() < a ? 1.0 : 0.0;
    case Kind::empirical: {
      const double u = rng.uniform01();
      auto it = std::upper_bound(table.begin(), table.end(), u,
                                 [](double x, const std::pair<double, double>& e) { return x < e.second; });
      if (it == table.end()) --it;
      return it->first;
    }
  }
  return a;
}

Distribution Distribution::scaled(double f) const {
  if (!(f > 0)) throw std::invalid_argument("scaled: factor must be positive");
  Distribution d = *this;
  switch (kind) {
    case Kind::bernoulli: return d;
    case Kind::lognormal: d.a += std::log(f); return d;  // mu shifts, sigma stays
    case Kind::empirical:
      for (auto& [v, cum] : d.table) v *= f;
      return d;
    default:
      d.a *= f;
      d.b *= f;
      d.c *= f;
      return d;
  }
}

double Distribution::mean() const {
  switch (kind) {
    case Kind::fixed: return a;
    case Kind::uniform: return (a + b) / 2;
    case Kind::exponential: return a;
    case Kind::lognormal: return std::exp(a + b * b / 2);
    case Kind::triangular: return (a + b + c) / 3;
    case Kind::bernoulli: return a;
    case Kind::empirical: {
      double m = 0, prev = 0;
      for (const auto& [v, cum] : table) { m += v * (cum - prev); prev = cum; }
      return m;
    }
  }
  return a;
}

double Distribution::variance() const {
  switch (kind) {
    case Kind::fixed: return 0;
    case Kind::uniform: return (b - a) * (b - a) / 12;
    case Kind::exponential: return a * a;
    case Kind::lognormal: return (std::exp(b * b) - 1) * std::exp(2 * a + b * b);
    case Kind::triangular: return (a * a + b * b + c * c - a * b - a * c - b * c) / 18;
    case Kind::bernoulli: return a * (1 - a);
    case Kind::empirical: {
      const double m = mean();
      double v = 0, prev = 0;
      for (const auto& [x, cum] : table) { v += (x - m) * (x - m) * (cum - prev); prev = cum; }
      return v;
    }
  }
  return 0;
}

Duration DurationDist::sample(RandomStream& rng) const {
  const double v = dist.sample(rng);
  if (!(v > 0)) return Duration::zero();
  if (v >= 9.2e18) return Duration::max();
  return Duration::from_us(std::llround(v));
}

// Saturates like sample(): a mean at or beyond int64 microseconds (e.g. uniform at the largest
// duration, 9.2e18 us, which rounds up as a double) is Duration::max(), not llround's overflow
// (found by fuzz/fuzz_distribution: a negative mean).
Duration DurationDist::mean() const {
  const double m = dist.mean();
  if (!(m > 0)) return Duration::zero();
  if (m >= 9.2e18) return Duration::max();
  return Duration::from_us(std::llround(m));
}

}  // namespace cyberdrill
