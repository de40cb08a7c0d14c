// PHOLD on the cyberdrill engine, following the RESULT line contract of
// ../shared/bench/peers/README.md (plugged in with ENGINE_PHOLD_CMD).
//
// Same workload as the peers: LPS logical processes, INIT initial events each; every processed
// event bumps its LP's counter and schedules one event at a uniformly random LP with delay
// LOOKAHEAD + Exp(mean MEAN - LOOKAHEAD); stop after EVENTS events. The model draws from one
// std::mt19937_64 stream in the peers' order (delay, then destination) with the same <random>
// distributions, so the model's work is identical and only the engine differs. One time unit is one
// second; the engine rounds delays to whole microseconds, so the event sequence (and checksum) is
// close to, not identical with, the double-time peers'. wall_s times the event loop only.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "cyberdrill/engine.hpp"

namespace {

struct Params {
  std::uint32_t lps = 1000;
  std::uint32_t init = 10;
  std::uint64_t events = 2'000'000;
  double mean = 1.0;
  double lookahead = 0.1;
  std::uint64_t seed = 42;
};

class Phold final : public cyberdrill::EventHandler {
 public:
  explicit Phold(const Params& p)
      : p_(p), gen_(p.seed), expo_(1.0 / (p.mean - p.lookahead)), pick_(0, p.lps - 1), count_(p.lps, 0) {}

  void start(cyberdrill::Simulation& sim) {
    self_ = sim.add_handler(*this);
    for (std::uint32_t lp = 0; lp < p_.lps; ++lp)
      for (std::uint32_t k = 0; k < p_.init; ++k) sim.schedule_in(delay(), self_, 0, lp);
  }
  void handle(cyberdrill::Simulation& sim, const cyberdrill::Event& ev) override {
    ++count_[ev.arg];
    if (++done_ == p_.events) {
      sim.stop();
      return;
    }
    const cyberdrill::Duration d = delay();
    sim.schedule_in(d, self_, 0, pick_(gen_));
  }
  [[nodiscard]] std::uint64_t done() const { return done_; }
  [[nodiscard]] std::uint64_t checksum() const {
    std::uint64_t c = 0;
    for (std::size_t i = 0; i < count_.size(); ++i) c += count_[i] * (i + 1);
    return c;
  }

 private:
  cyberdrill::Duration delay() {
    const double seconds = p_.lookahead + expo_(gen_);
    return cyberdrill::Duration::from_us(static_cast<std::int64_t>(seconds * 1e6 + 0.5));
  }
  Params p_;
  std::mt19937_64 gen_;
  std::exponential_distribution<double> expo_;
  std::uniform_int_distribution<std::uint32_t> pick_;
  std::vector<std::uint64_t> count_;
  std::uint64_t done_ = 0;
  cyberdrill::HandlerId self_ = 0;
};

bool opt(const char* a, const char* key, const char** val) {
  const std::size_t n = std::strlen(key);
  if (std::strncmp(a, key, n) == 0 && a[n] == '=') {
    *val = a + n + 1;
    return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  Params p;
  for (int i = 1; i < argc; ++i) {
    const char* v = nullptr;
    if (opt(argv[i], "--lps", &v)) p.lps = static_cast<std::uint32_t>(std::strtoul(v, nullptr, 10));
    else if (opt(argv[i], "--init", &v)) p.init = static_cast<std::uint32_t>(std::strtoul(v, nullptr, 10));
    else if (opt(argv[i], "--events", &v)) p.events = std::strtoull(v, nullptr, 10);
    else if (opt(argv[i], "--mean", &v)) p.mean = std::strtod(v, nullptr);
    else if (opt(argv[i], "--lookahead", &v)) p.lookahead = std::strtod(v, nullptr);
    else if (opt(argv[i], "--seed", &v)) p.seed = std::strtoull(v, nullptr, 10);
    else {
      std::fprintf(stderr,
                   "usage: %s [--lps=N] [--init=N] [--events=N] [--mean=X] [--lookahead=X] [--seed=N]\n"
                   "PHOLD on the cyberdrill engine; prints one RESULT line (see bench/README.md)\n",
                   argv[0]);
      return 2;
    }
  }
  if (p.lps == 0 || p.init == 0 || !(p.mean > p.lookahead) || p.lookahead < 0) {
    std::fprintf(stderr, "phold: need lps > 0, init > 0, mean > lookahead >= 0\n");
    return 2;
  }
  cyberdrill::Simulation sim;
  Phold model(p);
  model.start(sim);
  const auto t0 = std::chrono::steady_clock::now();
  sim.run();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("RESULT name=cyberdrill_phold events=%llu sim_time=%.4f wall_s=%.4f events_per_s=%.0f checksum=%llu "
              "lps=%u init=%u\n",
              static_cast<unsigned long long>(model.done()), static_cast<double>(sim.now().us()) / 1e6, wall,
              static_cast<double>(model.done()) / wall, static_cast<unsigned long long>(model.checksum()), p.lps,
              p.init);
  return 0;
}
