// The run assembly: the only place where the world, the attacker and the response meet.
//
// Effect models (the world side of the response's effects; cascade rules in world.hpp):
//  - An attack's effect on an asset (degrade, disrupt, encrypt, wipe, ddos) is an imposition keyed
//    by the attack step. It ends by whichever comes first, and the asset_restored record's cause
//    says which: the attack step's own end (a timed ddos/disrupt: cause = the step), the operator's
//    own repair after the asset's `restore` time (wipe, encrypt, untimed disrupt: cause =
//    CauseKind::organisation + the operator), or the response (cause = the procedure step,
//    inject or decision). When the response ends it first, the attacker's pending end is
//    cancelled (AttackCampaigns::end_effect_early). The attack's own end and the operator's repair
//    wait the manual restoration delay while the asset's remote control is lost (world.hpp).
//  - restore: every imposition on the asset ends at once (and isolation with it).
//  - isolate: contained (attacker progress through the asset stops) and cut to Effect::level
//    (default 0) until a restore ends the isolation.
//  - disrupt: the asset is cut to the step's "level" (default 0: fully out) for its duration; a
//    level above 0 is a partial disruption, e.g. breakers opened at the substations feeding a part
//    of a distribution area (DOMAIN.md: Kyiv 2016, about a fifth of the city's load).
//  - manual_operation: `delay` after the step (crew dispatch; DOMAIN.md: Kyiv 2016 manual control
//    after 30 min, Ukraine 2015 restored by hand within 1-6 h) the attack's effects on the asset
//    end and crews win back the share Effect::level (default kManualLevel) of the capacity it had
//    lost: it runs at 1 - (1 - own level) x (1 - Effect::level) until a restore. A full outage
//    (own level 0) thus runs at Effect::level, as before; a partial one closer to 1.
//  - mitigate: `delay` after the step (onboarding; DOMAIN.md: Belnet 2021, a scrubbing provider
//    mitigated after about 8-10 h) every ddos on the asset is cut to the residual Effect::level
//    (default kMitigatedLevel) until the attacker stops (its own end lifts it) or a restore. Two
//    mitigations on one asset: the better residual holds.
//  - rebuild: the asset is restored delay + max(1, hosts) / hosts_per_day days x the backup
//    factor after the step: 1 with an offline copy, Effect::online_factor when backups were online
//    and encrypted, Effect::none_factor without backup. Defaults (scenario.hpp): 4,900 hosts a day
//    (NotPetya: 4,000 servers + 45,000 PCs in about 10 days, rebuilt from a surviving offline
//    copy); online 3.5 (a calibration: AZ Monica 2026, about 5 weeks against NotPetya's 10
//    days); none 5 (an assumption: everything rebuilt and re-entered by hand).
//  - resupply: the asset's fuel buffers are full again (CascadeModel::resupply).
#include "cyberdrill/run.hpp"
#include "cyberdrill/session.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <map>
#include <memory>
#include <stdexcept>

#include "cyberdrill/attack.hpp"
#include "cyberdrill/engine.hpp"
#include "cyberdrill/random.hpp"
#include "cyberdrill/world.hpp"

namespace cyberdrill {
namespace {

constexpr std::uint16_t kTagSample = 1;
constexpr std::uint16_t kTagRepair = 2;
constexpr std::uint16_t kTagAction = 3;  // arg = index into actions_: a delayed response effect acts

// Defaults of the effect models (header comment). A modelling assumption each, in the range the
// task's sources give: manual operation restores most feeders at once, the rest follow by the
// restore step; a scrubbing centre passes almost all legitimate traffic.
constexpr double kManualLevel = 0.85;
constexpr double kMitigatedLevel = 0.95;

Cause cause_of(const EffectSource& s) { return Cause{s.cause_kind, s.cause}; }

class Assembly final : public AttackTarget,
                       public AttackListener,
                       public ResponseWorld,
                       public TraceObserver,
                       public EventHandler {
 public:
  Assembly(const Scenario& sc, std::uint64_t seed, Simulation& sim, World& world, CascadeModel& cascade,
           SimTime end, Duration sample_every, bool keep_samples)
      : sc_(sc), seed_(seed), sim_(sim), world_(world), cascade_(cascade), end_(end), sample_every_(sample_every),
        keep_samples_(keep_samples),
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
  void start() {
    // One sample at 0 and every sample_every_ up to end_ (handle): their tables allocated once.
    if (sample_every_ > Duration::zero() && end_ >= SimTime::zero()) {
      const std::int64_t n = end_.since_start().us() / sample_every_.us() + 1;
      const auto rows = static_cast<std::size_t>(std::min<std::int64_t>(n, 1 << 16));
      if (keep_samples_) samples_.reserve(rows);
      impact_samples_.reserve(rows);
    }
    sim_.schedule_at(SimTime::zero(), self_, kTagSample, 0, Priority::last);
  }

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
      case K::disrupt: cascade_.impose(asset, effect.level, cause); break;  // level 0 unless the step gives one
      case K::encrypt:
      case K::wipe: cascade_.impose(asset, 0.0, cause); break;
    }
    active_[asset].push_back(Active{step, effect.kind});
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
    const Cause cause{CauseKind::attack_step, step};
    forget(asset, step);
    cascade_.end_imposition(asset, cause, cause);  // the attack step's own end
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
  void isolate(Simulation& sim, Index asset, const EffectSource& s) override { isolate_at(sim, asset, 0.0, s); }
  void isolate_at(Simulation& sim, Index asset, double level, const EffectSource& s) override {
    cascade_.set_isolated(asset, true, s.org, cause_of(s), level);
    attack_->on_contained(sim, asset);
  }
  void manual_operation(Simulation& sim, Index asset, double level, Duration delay, const EffectSource& s) override {
    schedule_action(sim, Action{Effect::Kind::manual_operation, asset, level < 0 ? kManualLevel : level, s}, delay);
  }
  void mitigate(Simulation& sim, Index asset, double level, Duration delay, const EffectSource& s) override {
    schedule_action(sim, Action{Effect::Kind::mitigate, asset, level < 0 ? kMitigatedLevel : level, s}, delay);
  }
  void rebuild(Simulation& sim, Index asset, const Effect& e, const EffectSource& s) override {
    schedule_action(sim, Action{Effect::Kind::rebuild, asset, 1.0, s}, rebuild_time(sc_.assets[asset], e));
  }
  void resupply(Simulation&, Index asset, const EffectSource& s) override { cascade_.resupply(asset, cause_of(s)); }
  void fail_over(Simulation&, Index asset, const EffectSource& s) override {
    cascade_.fail_over(asset, kNone, cause_of(s));
  }
  void restore(Simulation& sim, Index asset, const EffectSource& s) override { restore_now(sim, asset, cause_of(s)); }
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
    if (r.kind == RecordKind::asset_restored) response_->on_restored(sim_, r.subject);
    if (r.kind != RecordKind::asset_level) return;
    const Index a = r.subject;
    integrate(a, r.time);
    integrate_people(r.time);
    if (sc_.assets[a].sector != kNone) sector_naive_[sc_.assets[a].sector] += people_weight_[a] * (level_[a] - r.value);
    level_[a] = r.value;
    levels_changed_ = true;
    people_now_ = world_.population_unserved();
    response_->on_outage_changed(sim_, a, r.value, static_cast<std::uint64_t>(world_.population_unserved() + 0.5),
                                 static_cast<int>(world_.sectors_with_outage()));
  }

  // --- EventHandler: sampling and operator repairs ----------------------------------------------
  void handle(Simulation& sim, const Event& ev) override {
    if (ev.tag == kTagRepair) {
      const Repair& rp = repairs_[ev.arg];
      const Index op = sc_.assets[rp.asset].operator_org;
      forget(rp.asset, rp.cause.index);
      cascade_.end_imposition(rp.asset, rp.cause, Cause{CauseKind::organisation, op});  // the operator's own repair
      return;
    }
    if (ev.tag == kTagAction) {
      act(sim, actions_[ev.arg]);
      return;
    }
    // Without keep_samples_ the one row kept is reused: its time moves on and its levels are
    // re-summed (the same sums into the same zeros) only when some level changed.
    const bool reuse = !keep_samples_ && !samples_.empty();
    SectorLevels fresh;
    SectorLevels& row = reuse ? samples_.back() : fresh;
    row.time = sim.now();
    if (!reuse) row.level.assign(sc_.sectors.size(), 0.0);
    if (!levels_changed_ && !samples_.empty()) {
      if (!reuse) row.level = samples_.back().level;  // no asset level changed since: the same sums
    } else {
      if (reuse) row.level.assign(sc_.sectors.size(), 0.0);
      if (!sample_list_made_) make_sample_list();
      std::vector<double>& weight = sample_weight_;
      weight.assign(sc_.sectors.size(), 0.0);
      for (const Sampled& x : sampled_) {  // assets in index order, as the sums always ran
        row.level[x.sector] += x.weight * level_[x.asset];
        weight[x.sector] += x.weight;
      }
      for (std::size_t s = 0; s < row.level.size(); ++s) row.level[s] = weight[s] > 0 ? row.level[s] / weight[s] : 1.0;
      levels_changed_ = false;
    }
    if (!reuse) samples_.push_back(std::move(fresh));
    impact_samples_.push_back(ImpactSample{sim.now(), world_.population_unserved(), world_.economic_loss_eur(sim.now())});
    const SimTime next = sim.now() + sample_every_;
    if (next <= end_) sim.schedule_at(next, self_, kTagSample, 0, Priority::last);
  }

  /// Rebuild time of `a` by the rebuild effect `e` (header comment).
  static Duration rebuild_time(const Asset& a, const Effect& e) {
    double factor = 1.0;
    if (a.backup == BackupState::online) factor = e.online_factor;
    else if (a.backup == BackupState::none) factor = e.none_factor;
    const double days = static_cast<double>(std::max<std::uint32_t>(1, a.hosts)) / e.hosts_per_day * factor;
    return e.delay + Duration::from_us(std::llround(days * 86'400e6));
  }

  void finish(SimTime end) {
    for (Index a = 0; a < level_.size(); ++a) integrate(a, end);
    integrate_people(end);
  }
  std::vector<SectorLevels> take_samples() { return std::move(samples_); }
  std::vector<ImpactSample> take_impact_samples() { return std::move(impact_samples_); }
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
  struct Active {  // an attack effect in force on an asset
    Index step;
    AttackEffect::Kind kind;
  };
  struct Action {  // a response effect acting after a delay
    Effect::Kind kind;
    Index asset;
    double level;
    EffectSource source;
  };

  void forget(Index asset, Index step) {
    std::erase_if(active_[asset], [&](const Active& a) { return a.step == step; });
  }
  // The response ends every attack effect on `asset` now: the attacker's pending ends are cancelled.
  void end_attacks(Simulation& sim, Index asset) {
    for (const Active& a : active_[asset]) (void)attack_->end_effect_early(sim, a.step, asset);
    active_[asset].clear();
  }
  void restore_now(Simulation& sim, Index asset, Cause by) {
    end_attacks(sim, asset);
    cascade_.restore(asset, by);
  }
  void schedule_action(Simulation& sim, const Action& a, Duration delay) {
    actions_.push_back(a);
    sim.schedule_in(std::max(delay, Duration::zero()), self_, kTagAction, actions_.size() - 1, Priority::world);
  }
  void act(Simulation& sim, const Action& a) {
    const Cause by = cause_of(a.source);
    switch (a.kind) {
      case Effect::Kind::manual_operation: {
        const double own = world_.own_level(a.asset);
        if (active_[a.asset].empty() && own >= 1.0) return;
        end_attacks(sim, a.asset);
        // Crews win back the share a.level of the capacity lost (header comment): a full blackout
        // runs at a.level, a partial one (breakers opened at some substations) closer to 1.
        cascade_.operate_manually(a.asset, 1.0 - (1.0 - std::clamp(own, 0.0, 1.0)) * (1.0 - a.level), by);
        return;
      }
      case Effect::Kind::mitigate:
        for (const Active& x : active_[a.asset])
          if (x.kind == AttackEffect::Kind::ddos) cascade_.mitigate(a.asset, Cause{CauseKind::attack_step, x.step}, a.level, by);
        return;
      case Effect::Kind::rebuild: restore_now(sim, a.asset, by); return;
      default: return;
    }
  }
  const Scenario& sc_;
  std::uint64_t seed_;
  Simulation& sim_;
  World& world_;
  CascadeModel& cascade_;
  AttackCampaigns* attack_ = nullptr;
  Response* response_ = nullptr;
  SimTime end_;
  Duration sample_every_;
  bool keep_samples_ = true;  // every sample row, else only the last (RunOptions::keep_service_levels)
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
  std::vector<ImpactSample> impact_samples_;  // with samples_
  std::map<Index, RandomStream> repair_rng_;
  std::vector<Repair> repairs_;
  std::vector<std::vector<Active>> active_ = std::vector<std::vector<Active>>(sc_.assets.size());
  std::vector<Action> actions_;
  std::vector<SectorLevels> samples_;
  // The sampling's per-asset constants (sector, weight), listed once: a sample reads no Asset.
  struct Sampled {
    Index asset;
    Index sector;
    double weight;
  };
  std::vector<Sampled> sampled_;
  std::vector<double> sample_weight_;
  bool sample_list_made_ = false;
  bool levels_changed_ = true;  ///< an asset level changed since the last sample
  void make_sample_list() {
    sample_list_made_ = true;
    for (std::size_t i = 0; i < sc_.assets.size(); ++i) {
      const Index s = sc_.assets[i].sector;
      if (s == kNone) continue;
      sampled_.push_back(Sampled{static_cast<Index>(i), s, sector_population_[s] > 0 ? people_weight_[i] : 1.0});
    }
  }
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

struct RunPrep::Data {
  explicit Data(const Scenario& s) : source(&s), scaled(apply_world_policy(s)), response(scaled ? *scaled : s) {}
  const Scenario* source;
  std::optional<Scenario> scaled;  // apply_world_policy(*source)
  ResponsePrep response;           // of the scenario the run uses (scaled or *source)
};

RunPrep::RunPrep(const Scenario& scenario) : data_(std::make_unique<Data>(scenario)) {}
RunPrep::~RunPrep() = default;
const Scenario& RunPrep::source() const { return *data_->source; }

// ---------------------------------------------------------------------------------------------
// RunSession: the run above, advanced piece by piece
// ---------------------------------------------------------------------------------------------

DecisionChoice LiveDecisionPolicy::decide(const Scenario&, const DecisionRequest& request) const {
  return DecisionChoice{kNone, request.opened, "live"};
}

namespace {

// Collects what a snapshot needs from the trace (reads only; never changes the run).
class SessionWatch final : public TraceObserver {
 public:
  explicit SessionWatch(std::size_t assets) : compromised(assets, 0) {}
  void on_record(const TraceRecord& r) override {
    if (r.kind == RecordKind::inject_delivered) injects.push_back(InjectSeen{r.time, r.subject});
    else if (r.kind == RecordKind::asset_compromised && r.subject < compromised.size()) compromised[r.subject] = 1;
  }
  std::vector<InjectSeen> injects;
  std::vector<std::uint8_t> compromised;
};

Index index_of_id(const auto& items, std::string_view id) {
  for (Index i = 0; i < items.size(); ++i)
    if (items[i].id == id) return i;
  return kNone;
}

}  // namespace

struct RunSession::Impl {
  // Construction order is run_scenario's historical order (handler ids and observers alike).
  Impl(const Scenario& scenario, const RunOptions& opts, bool watched = true)
      : options(opts), scaled(opts.prep ? std::nullopt : apply_world_policy(scenario)),
        sc(opts.prep ? (opts.prep->data().scaled ? *opts.prep->data().scaled : scenario) : scaled ? *scaled : scenario),
        end(SimTime::zero() + sc.metadata.duration), watch(sc.assets.size()) {
    if (opts.prep && opts.prep->data().source != &scenario)
      throw std::invalid_argument("run: RunOptions::prep was made from another scenario");
    if (options.until && *options.until < end) end = *options.until;
    if (options.keep_records) sim.add_trace_observer(recorder);
    sim.add_trace_observer(fingerprint);
    if (watched) sim.add_trace_observer(watch);  // read by snapshot() and advance_to_next() only
    world = std::make_unique<World>(sc);
    cascade = std::make_unique<CascadeModel>(sim, *world);
    assembly = std::make_unique<Assembly>(sc, options.seed, sim, *world, *cascade, end, options.sample_every,
                                          options.keep_service_levels);
    attack = std::make_unique<AttackCampaigns>(sim, sc.campaigns, options.seed, *assembly, assembly.get());
    ResponseOptions ro;
    if (options.prep) ro.prep = &options.prep->data().response;
    response = std::make_unique<Response>(sc, options.seed, *assembly,
                                          options.policy ? *options.policy : default_policy, ro);
    assembly->connect(*attack, *response);
    sim.add_trace_observer(*assembly);
    response->start(sim);
    attack->start(sim);
    assembly->start();
  }

  RunOptions options;
  std::optional<Scenario> scaled;
  const Scenario& sc;
  SimTime end;
  Simulation sim;
  TraceRecorder recorder;
  Fingerprint fingerprint;
  SessionWatch watch;
  DefaultDecisionPolicy default_policy;
  std::unique_ptr<World> world;
  std::unique_ptr<CascadeModel> cascade;
  std::unique_ptr<Assembly> assembly;
  std::unique_ptr<AttackCampaigns> attack;
  std::unique_ptr<Response> response;
  std::vector<DrillAction> actions;
  bool finished = false;

  SimTime next_time() {
    const SimTime t = sim.next_time();
    return t > end ? SimTime::max() : t;
  }
  void record(DrillAction a) {
    a.time = sim.now();
    a.event = sim.dispatched();
    actions.push_back(std::move(a));
  }
};

void check_run_caps(const Scenario& scenario, const RunOptions& options) {
  if (!options.max_sim_time) return;
  Duration span = scenario.metadata.duration;
  if (options.until && options.until->since_start() < span) span = options.until->since_start();
  auto days = [](Duration d) {
    const std::int64_t day = Duration::days(1).us();
    return d.us() % day == 0 ? std::to_string(d.us() / day) + "d" : format_duration(d);
  };
  if (span > *options.max_sim_time)
    throw LimitExceeded("the run would last " + days(span) + " of simulated time (the horizon, metadata.duration" +
                        std::string(span < scenario.metadata.duration ? ", cut by until" : "") +
                        "), more than the limit of " + days(*options.max_sim_time));
}

RunSession::RunSession(const Scenario& scenario, const RunOptions& options)
    : impl_((check_run_caps(scenario, options), std::make_unique<Impl>(scenario, options))) {
  impl_->sim.set_event_limit(options.max_events);
}
RunSession::RunSession(const Scenario& scenario, const RunOptions& options, Unwatched)
    : impl_((check_run_caps(scenario, options), std::make_unique<Impl>(scenario, options, false))) {
  impl_->sim.set_event_limit(options.max_events);
}
RunSession::~RunSession() = default;

SimTime RunSession::now() const { return impl_->sim.now(); }
SimTime RunSession::end() const { return impl_->end; }
std::uint64_t RunSession::dispatched() const { return impl_->sim.dispatched(); }
SimTime RunSession::next_event_time() { return impl_->next_time(); }
bool RunSession::at_end() { return impl_->next_time() == SimTime::max() && impl_->sim.now() >= impl_->end; }
const Scenario& RunSession::scenario() const { return impl_->sc; }
const Response& RunSession::response() const { return *impl_->response; }
const std::vector<DrillAction>& RunSession::actions() const { return impl_->actions; }

void RunSession::advance_to(SimTime t) {
  if (impl_->finished) return;
  t = std::min(t, impl_->end);
  if (t < impl_->sim.now()) return;
  impl_->sim.run_until(t);
}

bool RunSession::step() {
  if (impl_->finished || impl_->next_time() == SimTime::max()) return false;
  return impl_->sim.step();
}

RunSession::Stop RunSession::advance_to_next(bool on_inject, bool on_decision, SimTime limit) {
  limit = std::min(limit, impl_->end);
  while (!impl_->finished) {
    const SimTime t = impl_->next_time();
    if (t == SimTime::max() || t > limit) break;
    const std::size_t injects = impl_->watch.injects.size();
    const std::size_t open = impl_->response->open_decisions().size();
    impl_->sim.step();
    if (on_inject && impl_->watch.injects.size() > injects) return Stop::inject;
    if (on_decision && impl_->response->open_decisions().size() > open) return Stop::decision;
  }
  advance_to(limit);
  return Stop::limit;
}

bool RunSession::decide(Index decision, Index option, std::string_view who) {
  if (impl_->finished || decision >= impl_->sc.decisions.size()) return false;
  const Decision& d = impl_->sc.decisions[decision];
  if (option >= d.options.size()) return false;
  if (!impl_->response->decide(impl_->sim, decision, option, who)) return false;
  DrillAction a;
  a.kind = DrillAction::Kind::decide;
  a.decision = d.id;
  a.option = d.options[option].id;
  a.who = std::string(who);
  impl_->record(std::move(a));
  return true;
}

bool RunSession::deliver_inject(Index inject) {
  if (impl_->finished || !impl_->response->deliver_inject(impl_->sim, inject)) return false;
  DrillAction a;
  a.kind = DrillAction::Kind::inject;
  a.inject = impl_->sc.injects[inject].id;
  impl_->record(std::move(a));
  return true;
}

void RunSession::note(std::string_view text) {
  DrillAction a;
  a.kind = DrillAction::Kind::note;
  a.text = std::string(text);
  impl_->record(std::move(a));
}

bool RunSession::apply(const DrillAction& action) {
  switch (action.kind) {
    case DrillAction::Kind::decide: {
      const Index d = index_of_id(impl_->sc.decisions, action.decision);
      if (d == kNone) return false;
      const Index o = index_of_id(impl_->sc.decisions[d].options, action.option);
      if (o == kNone) return false;
      return decide(d, o, action.who.empty() ? std::string_view("journal") : std::string_view(action.who));
    }
    case DrillAction::Kind::inject: {
      const Index i = index_of_id(impl_->sc.injects, action.inject);
      return i != kNone && deliver_inject(i);
    }
    case DrillAction::Kind::note: note(action.text); return true;
  }
  return false;
}

bool RunSession::replay(const DrillAction& action) {
  Simulation& sim = impl_->sim;
  if (impl_->finished || action.time < sim.now() || action.time > impl_->end) return false;
  if (action.event) {
    // Exactly where it was taken: after `event` dispatched events, at `time`.
    for (;;) {
      const SimTime t = impl_->next_time();
      if (t == SimTime::max()) break;
      if (t < action.time || (t == action.time && sim.dispatched() < *action.event)) {
        sim.step();
        continue;
      }
      break;
    }
  }
  if (sim.now() < action.time) sim.run_until(action.time);
  return apply(action);
}

SessionSnapshot RunSession::snapshot() const {
  const Impl& m = *impl_;
  SessionSnapshot s;
  s.now = m.sim.now();
  s.end = m.end;
  s.dispatched = m.sim.dispatched();
  const Response& r = *m.response;
  s.level = r.current_level();
  s.national_severity = r.national_severity();
  s.crisis_structure = r.crisis_structure_active();
  s.triage_org = r.triage_org();
  std::vector<std::uint8_t> known_to_someone(m.sc.assets.size(), 0);
  for (Index o = 0; o < m.sc.organisations.size(); ++o) {
    OrgSnapshot os;
    os.org = o;
    os.staff = r.staff(o);
    os.queue = r.queue_length(o);
    for (const IncidentInfo& inc : r.incidents()) {
      if (inc.asset == kNone) continue;
      if (const auto b = r.believed_level(o, inc.asset)) {
        os.known.emplace_back(inc.asset, *b);
        known_to_someone[inc.asset] = 1;
      }
    }
    s.orgs.push_back(std::move(os));
  }
  s.open_decisions = r.open_decision_info();
  const ResponseMetrics metrics = r.metrics(s.now);
  s.obligations = metrics.obligations;
  s.metrics = metrics.values;
  s.injects = m.watch.injects;
  s.asset_level = m.world->levels();
  s.compromised = m.watch.compromised;
  s.contained.assign(m.sc.assets.size(), 0);
  for (Index a = 0; a < m.sc.assets.size(); ++a) {
    s.contained[a] = (m.world->contained(a) || m.world->isolated(a)) ? 1 : 0;
    if (s.compromised[a] && !s.contained[a] && !known_to_someone[a]) s.undetected_footholds.push_back(a);
  }
  for (Index g = 0; g < m.attack->step_count(); ++g) {
    const AttackStepState st = m.attack->status(g).state;
    if (st == AttackStepState::succeeded) s.steps_done.push_back(g);
    else if (st == AttackStepState::in_progress) s.steps_in_progress.push_back(g);
  }
  s.people_affected = static_cast<std::uint64_t>(m.world->population_unserved() + 0.5);
  s.outages = m.world->outage_count();
  return s;
}

RunResult RunSession::finish() {
  Impl& m = *impl_;
  if (m.finished) throw std::logic_error("RunSession::finish called twice");
  m.finished = true;
  const SimTime end = m.end;
  m.sim.run_until(end);
  m.assembly->finish(end);

  RunResult result;
  result.seed = m.options.seed;
  result.end = m.sim.now();
  result.metrics = m.response->metrics(end);
  result.ratings = rate_objectives(m.sc, result.metrics.values);
  emit_objective_ratings(m.sim, result.ratings);
  result.events = m.sim.dispatched();
  result.fingerprint = m.fingerprint.value();
  result.record_count = m.fingerprint.count();
  if (m.options.keep_records) result.records = m.recorder.records();
  result.journal = m.response->journal();
  result.incidents = m.response->incidents();
  result.service_levels = m.assembly->take_samples();
  result.impact_samples = m.assembly->take_impact_samples();
  result.sector_population_hours = m.assembly->sector_population_hours();
  result.sector_service_hours = m.assembly->sector_service_hours();
  return result;
}

RunResult run_scenario(const Scenario& scenario, const RunOptions& options) {
  RunSession session(scenario, options, RunSession::Unwatched{});
  return session.finish();
}

RunResult replay_drill(const Scenario& scenario, const RunOptions& options, const std::vector<DrillAction>& actions) {
  RunSession session(scenario, options, RunSession::Unwatched{});
  for (const DrillAction& a : actions) (void)session.replay(a);
  return session.finish();
}

}  // namespace cyberdrill
