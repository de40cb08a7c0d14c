// The run assembly: the only place where the world, the attacker and the response meet.
#include "cyberdrill/run.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <map>
#include <memory>

#include "cyberdrill/attack.hpp"
#include "cyberdrill/engine.hpp"
#include "cyberdrill/random.hpp"
#include "cyberdrill/world.hpp"

namespace cyberdrill {
namespace {

constexpr std::uint16_t kTagSample = 1;
constexpr std::uint16_t kTagRepair = 2;

Cause cause_of(const EffectSource& s) { return Cause{s.cause_kind, s.cause}; }

class Assembly final : public AttackTarget,
                       public AttackListener,
                       public ResponseWorld,
                       public TraceObserver,
                       public EventHandler {
 public:
  Assembly(const Scenario& sc, std::uint64_t seed, Simulation& sim, World& world, CascadeModel& cascade,
           SimTime end, Duration sample_every)
      : sc_(sc), seed_(seed), sim_(sim), world_(world), cascade_(cascade), end_(end), sample_every_(sample_every),
        level_(sc.assets.size(), 1.0), since_(sc.assets.size(), SimTime::zero()),
        sector_population_(sc.sectors.size(), 0), sector_assets_(sc.sectors.size(), 0),
        sector_pop_hours_(sc.sectors.size(), 0.0), sector_service_hours_(sc.sectors.size(), 0.0),
        people_weight_(sc.assets.size(), 0.0), sector_naive_(sc.sectors.size(), 0.0) {
    // People an asset serves, counted per asset (overlaps included): with areas the sum of its
    // serves' share x residents, else its population (the fallback of impact.hpp).
    for (std::size_t i = 0; i < sc.assets.size(); ++i) {
      const Asset& a = sc.assets[i];
      if (sc.areas.empty()) {
        people_weight_[i] = static_cast<double>(a.population);
      } else {
        for (const Serve& sv : a.serves)
          if (sv.area < sc.areas.size()) people_weight_[i] += sv.share * static_cast<double>(sc.areas[sv.area].residents);
      }
    }
    for (std::size_t i = 0; i < sc.assets.size(); ++i) {
      const Asset& a = sc.assets[i];
      if (a.sector == kNone) continue;
      sector_population_[a.sector] += static_cast<std::uint64_t>(std::llround(people_weight_[i]));
      ++sector_assets_[a.sector];
    }
    self_ = sim.add_handler(*this);
  }
  void connect(AttackCampaigns& attack, Response& response) {
    attack_ = &attack;
    response_ = &response;
  }
  void start() { sim_.schedule_at(SimTime::zero(), self_, kTagSample, 0, Priority::last); }

  // --- AttackTarget ---------------------------------------------------------------------------
  bool is_contained(Index asset) const override { return world_.contained(asset) || world_.isolated(asset); }
  double monitoring(Index asset) const override {
    const Index op = sc_.assets[asset].operator_org;
    return op == kNone ? 0.5 : sc_.organisations[op].monitoring;
  }
  void apply(Simulation& sim, Index asset, const AttackEffect& effect, Index step) override {
    const Cause cause{CauseKind::attack_step, step};
    TraceRecord rec;
    rec.kind = RecordKind::asset_compromised;
    rec.subject = asset;
    rec.cause_kind = CauseKind::attack_step;
    rec.cause = step;
    rec.detail = static_cast<std::uint32_t>(effect.kind);
    sim.emit(rec);
    using K = AttackEffect::Kind;
    switch (effect.kind) {
      case K::foothold:
      case K::exfiltrate: return;
      case K::degrade:
      case K::ddos: cascade_.impose(asset, effect.level, cause); break;
      case K::disrupt:
      case K::encrypt:
      case K::wipe: cascade_.impose(asset, 0.0, cause); break;
    }
    const bool timed = (effect.kind == K::ddos || effect.kind == K::disrupt) && effect.duration > Duration::zero();
    if (!timed && effect.kind != K::degrade && effect.kind != K::ddos) {
      // The operator repairs on its own after the asset's restore time (a plan step may be faster).
      auto it = repair_rng_.find(asset);
      if (it == repair_rng_.end())
        it = repair_rng_.emplace(asset, RandomStream(seed_, sc_.assets[asset].id, "restore")).first;
      const Duration d = sc_.assets[asset].restore.sample(it->second);
      repairs_.push_back({asset, cause});
      sim.schedule_in(d, self_, kTagRepair, repairs_.size() - 1, Priority::world);
    }
  }
  void end_effect(Simulation&, Index asset, const AttackEffect&, Index step) override {
    cascade_.lift(asset, Cause{CauseKind::attack_step, step});
  }

  // --- AttackListener ---------------------------------------------------------------------------
  void on_detected(Simulation& sim, Index, Index step, Index asset, bool visible) override {
    if (asset != kNone) response_->on_detected(sim, asset, CauseKind::attack_step, step, visible);
  }

  // --- ResponseWorld ----------------------------------------------------------------------------
  void contain(Simulation& sim, Index asset, const EffectSource& s) override {
    cascade_.set_contained(asset, true, s.org, cause_of(s));
    attack_->on_contained(sim, asset);
  }
  void isolate(Simulation& sim, Index asset, const EffectSource& s) override {
    cascade_.set_isolated(asset, true, s.org, cause_of(s));
    attack_->on_contained(sim, asset);
  }
  void fail_over(Simulation&, Index asset, const EffectSource& s) override {
    cascade_.fail_over(asset, kNone, cause_of(s));
  }
  void restore(Simulation&, Index asset, const EffectSource& s) override { cascade_.restore(asset, cause_of(s)); }
  void fail_asset(Simulation&, Index asset, const EffectSource& s) override {
    cascade_.impose(asset, 0.0, cause_of(s));
  }
  void degrade_asset(Simulation&, Index asset, double level, const EffectSource& s) override {
    cascade_.impose(asset, level, cause_of(s));
  }
  void start_campaign(Simulation& sim, Index campaign, const EffectSource&) override {
    (void)attack_->start_campaign(sim, campaign);
  }

  // --- TraceObserver: ground truth to the response, and per-sector impact integrals -------------
  void on_record(const TraceRecord& r) override {
    if (r.kind != RecordKind::asset_level) return;
    const Index a = r.subject;
    integrate(a, r.time);
    integrate_people(r.time);
    if (sc_.assets[a].sector != kNone) sector_naive_[sc_.assets[a].sector] += people_weight_[a] * (level_[a] - r.value);
    level_[a] = r.value;
    people_now_ = world_.population_unserved();
    response_->on_outage_changed(sim_, a, r.value, static_cast<std::uint64_t>(world_.population_unserved() + 0.5),
                                 static_cast<int>(world_.sectors_with_outage()));
  }

  // --- EventHandler: sampling and operator repairs ----------------------------------------------
  void handle(Simulation& sim, const Event& ev) override {
    if (ev.tag == kTagRepair) {
      const Repair& rp = repairs_[ev.arg];
      cascade_.lift(rp.asset, rp.cause);
      return;
    }
    SectorLevels row;
    row.time = sim.now();
    row.level.assign(sc_.sectors.size(), 0.0);
    std::vector<double> weight(sc_.sectors.size(), 0.0);
    for (std::size_t i = 0; i < sc_.assets.size(); ++i) {
      const Index s = sc_.assets[i].sector;
      if (s == kNone) continue;
      const double w = sector_population_[s] > 0 ? people_weight_[i] : 1.0;
      row.level[s] += w * level_[i];
      weight[s] += w;
    }
    for (std::size_t s = 0; s < row.level.size(); ++s) row.level[s] = weight[s] > 0 ? row.level[s] / weight[s] : 1.0;
    samples_.push_back(std::move(row));
    const SimTime next = sim.now() + sample_every_;
    if (next <= end_) sim.schedule_at(next, self_, kTagSample, 0, Priority::last);
  }

  void finish(SimTime end) {
    for (Index a = 0; a < level_.size(); ++a) integrate(a, end);
    integrate_people(end);
  }
  std::vector<SectorLevels> take_samples() { return std::move(samples_); }
  const std::vector<double>& sector_population_hours() const { return sector_pop_hours_; }
  const std::vector<double>& sector_service_hours() const { return sector_service_hours_; }

 private:
  void integrate(Index a, SimTime now) {
    const Index s = sc_.assets[a].sector;
    const double h = (now - since_[a]).to_hours();
    since_[a] = now;
    if (s == kNone || h <= 0) return;
    const double loss = 1.0 - level_[a];
    sector_service_hours_[s] += loss * h;
  }
  // Person-hours per sector: each sector's people counted per asset (sector_naive_), scaled down
  // by min(1, distinct people affected / their sum over sectors), so the sectors add up to the
  // distinct people of World::population_unserved() (impact.hpp) and never exceed them.
  void integrate_people(SimTime now) {
    const double h = (now - people_since_).to_hours();
    people_since_ = now;
    if (h <= 0) return;
    double naive = 0;
    for (double v : sector_naive_) naive += std::max(0.0, v);
    if (naive <= 0) return;
    const double scale = std::min(1.0, people_now_ / naive);
    for (std::size_t s = 0; s < sector_naive_.size(); ++s) sector_pop_hours_[s] += std::max(0.0, sector_naive_[s]) * scale * h;
  }

  struct Repair {
    Index asset;
    Cause cause;
  };
  const Scenario& sc_;
  std::uint64_t seed_;
  Simulation& sim_;
  World& world_;
  CascadeModel& cascade_;
  AttackCampaigns* attack_ = nullptr;
  Response* response_ = nullptr;
  SimTime end_;
  Duration sample_every_;
  HandlerId self_ = 0;
  std::vector<double> level_;
  std::vector<SimTime> since_;
  std::vector<std::uint64_t> sector_population_;
  std::vector<std::size_t> sector_assets_;
  std::vector<double> sector_pop_hours_;
  std::vector<double> sector_service_hours_;
  std::vector<double> people_weight_;  // per asset: people it serves, overlaps included
  std::vector<double> sector_naive_;   // per sector: sum of people_weight x (1 - level)
  SimTime people_since_ = SimTime::zero();
  double people_now_ = 0;              // distinct people affected after the last level record
  std::map<Index, RandomStream> repair_rng_;
  std::vector<Repair> repairs_;
  std::vector<SectorLevels> samples_;
};

double knob(const Scenario& sc, const char* name) {
  const auto it = sc.policy.find(name);
  return it == sc.policy.end() ? 1.0 : it->second;
}

Duration scaled(Duration d, double f) { return Duration::from_us(std::llround(static_cast<double>(d.us()) * f)); }

// The world- and attacker-side policy knobs (the response reads its own): a scaled copy of the
// scenario, made only when some knob differs from 1.
//   monitoring_scale   every organisation's monitoring (clipped to 1)
//   detection_scale    every attack step's detection hazard
//   restore_time_scale every asset's restore time
//   buffer_scale       every dependency buffer
std::optional<Scenario> apply_world_policy(const Scenario& sc) {
  const double mon = knob(sc, "monitoring_scale"), det = knob(sc, "detection_scale");
  const double rst = knob(sc, "restore_time_scale"), buf = knob(sc, "buffer_scale");
  if (mon == 1.0 && det == 1.0 && rst == 1.0 && buf == 1.0) return std::nullopt;
  Scenario out = sc;
  for (Organisation& o : out.organisations) o.monitoring = std::clamp(o.monitoring * mon, 0.0, 1.0);
  for (Campaign& c : out.campaigns)
    for (AttackStep& st : c.steps) st.detection_per_day *= det;
  for (Asset& a : out.assets) {
    a.restore.dist = a.restore.dist.scaled(rst);
    for (Dependency& e : a.depends_on) e.buffer = scaled(e.buffer, buf);
  }
  return out;
}

}  // namespace

RunResult run_scenario(const Scenario& scenario, const RunOptions& options) {
  const std::optional<Scenario> policy_scaled = apply_world_policy(scenario);
  const Scenario& sc = policy_scaled ? *policy_scaled : scenario;
  SimTime end = SimTime::zero() + sc.metadata.duration;
  if (options.until && *options.until < end) end = *options.until;

  Simulation sim;
  TraceRecorder recorder;
  Fingerprint fingerprint;
  if (options.keep_records) sim.add_trace_observer(recorder);
  sim.add_trace_observer(fingerprint);

  World world(sc);
  CascadeModel cascade(sim, world);
  Assembly assembly(sc, options.seed, sim, world, cascade, end, options.sample_every);
  AttackCampaigns attack(sim, sc.campaigns, options.seed, assembly, &assembly);
  DefaultDecisionPolicy default_policy;
  Response response(sc, options.seed, assembly, options.policy ? *options.policy : default_policy);
  assembly.connect(attack, response);
  sim.add_trace_observer(assembly);

  response.start(sim);
  attack.start(sim);
  assembly.start();
  sim.run_until(end);
  assembly.finish(end);

  RunResult result;
  result.seed = options.seed;
  result.end = sim.now();
  result.metrics = response.metrics(end);
  result.ratings = rate_objectives(sc, result.metrics.values);
  emit_objective_ratings(sim, result.ratings);
  result.events = sim.dispatched();
  result.fingerprint = fingerprint.value();
  result.record_count = fingerprint.count();
  if (options.keep_records) result.records = recorder.records();
  result.journal = response.journal();
  result.incidents = response.incidents();
  result.service_levels = assembly.take_samples();
  result.sector_population_hours = assembly.sector_population_hours();
  result.sector_service_hours = assembly.sector_service_hours();
  return result;
}

}  // namespace cyberdrill
