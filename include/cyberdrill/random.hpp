// Randomness: one independent stream per (run seed, entity, purpose), and our own distributions.
//
// Contract
//  - A stream's key is derived by hashing (seed, entity, purpose) with SplitMix64 finalisers, so a
//    stream never depends on what other streams drew, on creation order, or on thread count.
//    Entities and purposes are named by strings (stable across scenario edits that add other
//    entities) or by integers.
//  - The generator is xoshiro256** (Blackman & Vigna), seeded from the key by SplitMix64.
//  - Distributions are implemented here, not taken from <random>, so a run draws the same numbers
//    with every standard library.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cyberdrill/time.hpp"

namespace cyberdrill {

/// SplitMix64 finaliser: a bijective 64-bit mixer.
[[nodiscard]] constexpr std::uint64_t mix64(std::uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// FNV-1a 64 of a name, then mixed: a stable 64-bit id for an entity or purpose name.
[[nodiscard]] constexpr std::uint64_t name_hash(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return mix64(h);
}

/// The key of the stream for (seed, entity, purpose).
[[nodiscard]] constexpr std::uint64_t stream_key(std::uint64_t seed, std::uint64_t entity, std::uint64_t purpose) {
  return mix64(mix64(mix64(seed) ^ entity) ^ (purpose * 0xd1b54a32d192ed03ULL));
}

class RandomStream {
 public:
  explicit RandomStream(std::uint64_t key);
  RandomStream(std::uint64_t seed, std::string_view entity, std::string_view purpose)
      : RandomStream(stream_key(seed, name_hash(entity), name_hash(purpose))) {}
  RandomStream(std::uint64_t seed, std::uint64_t entity, std::uint64_t purpose)
      : RandomStream(stream_key(seed, entity, purpose)) {}

  /// Next 64 random bits.
  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  /// Uniform in [0, 1) with 53 bits.
  double uniform01() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  /// Uniform in (0, 1]: safe for log().
  double uniform01_open_low() { return (static_cast<double>(next() >> 11) + 1.0) * 0x1.0p-53; }
  /// Uniform integer in [0, n), n > 0, unbiased (Lemire's method).
  std::uint64_t below(std::uint64_t n);
  /// true with probability p (p clipped to [0, 1]).
  bool bernoulli(double p) { return uniform01() < p; }
  /// Standard normal (Box-Muller, two uniforms per draw, no cached state).
  double normal();

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

/// A real-valued distribution as planners write them. Plain data; sample() is const.
/// For durations the values are microseconds (see DurationDist).
struct Distribution {
  enum class Kind : std::uint8_t { fixed, uniform, exponential, lognormal, triangular, bernoulli, empirical };
  Kind kind = Kind::fixed;
  double a = 0;  ///< fixed: value; uniform: low; exponential: mean; lognormal: mu; triangular: min; bernoulli: p
  double b = 0;  ///< uniform: high; lognormal: sigma; triangular: mode
  double c = 0;  ///< triangular: max
  std::vector<std::pair<double, double>> table;  ///< empirical: (value, cumulative weight), normalised to 1

  static Distribution fixed(double v);
  static Distribution uniform(double low, double high);
  static Distribution exponential(double mean);
  /// Lognormal given its median and 90th percentile (p90 >= median > 0), as planners think.
  static Distribution lognormal_median_p90(double median, double p90);
  static Distribution triangular(double min, double mode, double max);
  static Distribution bernoulli(double p);
  /// Weighted table of values; weights >= 0 with a positive sum.
  static Distribution empirical(const std::vector<std::pair<double, double>>& value_weight);

  [[nodiscard]] double sample(RandomStream& rng) const;
  /// The distribution of f * X for f > 0 (a bernoulli is returned unchanged: it is not a scale).
  [[nodiscard]] Distribution scaled(double f) const;
  [[nodiscard]] double mean() const;
  [[nodiscard]] double variance() const;
};

/// A distribution of durations: values in microseconds, samples rounded to the microsecond and
/// clamped at zero.
struct DurationDist {
  Distribution dist = Distribution::fixed(0);
  static DurationDist fixed(Duration d) { return {Distribution::fixed(static_cast<double>(d.us()))}; }
  [[nodiscard]] Duration sample(RandomStream& rng) const;
  [[nodiscard]] Duration mean() const;
};

/// z such that Phi(z) = 0.9 for the standard normal.
inline constexpr double z90 = 1.2815515655446004;

}  // namespace cyberdrill
