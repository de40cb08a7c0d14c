// The infrastructure world and its cascade model.
//
// World: the static dependency topology of a Scenario's assets (a compressed-sparse-row graph,
// private to sim/world) plus the run's state: per asset a service level in [0, 1], the levels
// imposed on it by attacks, injects and procedures, and the contained / isolated / failed-over
// flags; per dependency edge the level the dependent currently *perceives* (the overlay that
// changes during a run). No Boost type appears here.
//
// CascadeModel: the EventHandler that changes that state on one Simulation, by the rules of
// scenario.hpp (CombineRule, Dependency):
//
//  - Effective input of edge j->i: e = 1 - degradation_ij * (1 - level_j), or 1 while the edge is
//    failed over. The dependent combines its *perceived* inputs p_ij, not the suppliers' levels.
//  - Loss: when e drops below p and the dependent perceives the supplier as fully up (p = 1), the
//    edge's buffer starts: p := e (the supplier's level at that moment) `buffer` later, by an
//    event. If e is back to >= p before then, the event is cancelled (O(1)): the backup rode
//    through. When p < 1 already (backup exhausted), further drops apply at once. buffer = 0
//    applies at once.
//  - Recovery: when e rises above p, p := e `restart` later (cancelled if the supplier drops back
//    to <= p first; restart = 0 applies at once).
//  - Combination (CombineRule): all = min p, any = max p (no supplier: 1), threshold = 0 once the
//    weight of inputs with p < 0.5 reaches phi x total weight (and is > 0), else 1; each capped by
//    the asset's own level. linear: q = min(1, sum_j weight_ij (1 - p_ij) + c_i), level = 1 - q,
//    with c_i = 1 - own level (the IIM perturbation).
//  - Own level: the minimum of the levels imposed on the asset (1 when none). Impositions are
//    keyed by their cause, so an attack's effect and an inject's effect on one asset are lifted
//    independently; restore() clears them all.
//  - Same-instant propagation: zero-delay changes settle inside the call (or event) that caused
//    them, through a FIFO work list, before control returns: a re-evaluation is queued only when an
//    input actually changed, and a level change propagates only when it exceeds 1e-12. Cycles
//    therefore settle (all, any and threshold reach a fixed point in finitely many steps; linear
//    iterates to the IIM fixed point within 1e-12, geometric when the spectral radius of A* is below
//    1, saturating at q = 1 otherwise). A safety cap of 64 x (assets + edges) + 10^6 re-evaluations
//    per settle stops a pathological non-converging linear system (the levels then stay where the
//    iteration stopped).
//  - Dynamic IIM: a linear-rule asset with resilience k > 0 (per hour) does not jump to its
//    target. A global hourly tick (started by the first such asset that has a target different
//    from its level, at now + 1h, and repeated while any has) computes every active asset's target
//    q* = min(1, A* q(t) + c(t)) from the *current* inputs first, then sets q(t+1) = q(t) +
//    min(1, k) (q* - q(t)) for all of them, then propagates: the discrete DIIM recurrence
//    q(t+1) = q(t) + K [A* q(t) + c*(t) - q(t)] sampled hourly. An asset within 1e-12 of its
//    target snaps to it and leaves the active set; so does one whose target and new level are both
//    at full service (>= kFullServiceLevel): recovery within the full-service tolerance completes,
//    instead of an endless geometric tail (0.99999993...) that would never count as recovered.
//  - Trace: one RecordKind::asset_level record per asset per settle whose level changed by more
//    than 1e-9 (subject = asset, value = new level, previous_value = old level), in the order
//    the assets first changed. cause_kind/cause: CauseKind::asset + the supplier whose edge update
//    made it change, or the external cause given to impose/lift/restore/fail_over. Also
//    asset_contained (set_contained) and asset_restored (restore of an asset that had impositions).
//  - Buffers (state of charge). A buffered edge holds a charge in [0, 1] (1 = full, at T+0). While
//    the supplier is down (the drop above is pending) the charge drains at 1/buffer per unit time;
//    the dependent perceives the loss when it reaches 0, i.e. charge x buffer after the drop, not
//    a full `buffer` later. From the moment the supplier rises again (or is back before the buffer
//    ran out) the charge recharges at 1/recharge (Dependency::recharge, time from empty to full).
//    So a second outage soon after a first finds the buffer partly charged: it rides through
//    (c0 - t_down/buffer + t_up/recharge, capped at 1) x buffer. Fuel buffers (Dependency::fuel: a
//    generator's tank; DOMAIN.md: generators need fresh diesel after at most 72 h, hospitals plan
//    for 96 h) drain and refill the same way, and can also be resupplied while the supplier is down
//    (resupply(): the tank is full again at once; a generator that had run dry restarts). Without a
//    resupply a fuel buffer runs dry after `buffer`.
//  - Dependency types. supply (power, fuel, water): the dependent sees the loss once the buffer is
//    empty (above). data, telecom, logical (services): a degraded level, 1 - degradation x loss.
//    control (a SCADA/EMS or its telecom link to the field; DOMAIN.md: "telecom -> grid SCADA: loss
//    of remote control only; operators fall back to manual field crews"): passes no level loss -
//    the dependent keeps running (its degradation is ignored) - but while any of its control
//    suppliers is below full service (kFullServiceLevel) the dependent's restoration after an
//    outage that is not itself manual (end_imposition(): the attack's own end, the operator's own
//    repair) waits Dependency::manual longer (the longest over its degraded control edges; default
//    30 min, Kyiv 2016). restore(), operate_manually() and mitigations are crews' work already and
//    apply at once.
//  - Ends of outages. end_imposition() ends one imposition (an attack's effect) on behalf of what
//    ended it and emits asset_restored (subject = asset, cause = what ended it: a procedure step,
//    the attack step's own end, or the operator's own repair as CauseKind::organisation + operator;
//    detail = the key's index, e.g. the attack step; value = the asset's own level afterwards);
//    the level change that follows carries the same cause. restore() clears every imposition and
//    ends isolation.
//  - Outage: level < 0.5. Population unserved: the distinct people lacking at least one essential
//    service (ImpactModel, include/cyberdrill/impact.hpp: residents declared once per area, assets
//    serve shares of them); its integral over time is population-hours lost. Scenarios without
//    areas fall back to sum_i population_i x (1 - level_i).
//  - Events run at Priority::world. The hot path (edge scans, re-evaluation) does not allocate
//    once the work lists have grown; impositions allocate.
//
// A World may be driven by one CascadeModel at a time; World::reset() returns it to the initial
// state (every level 1, nothing imposed) for the next replication without rebuilding the topology.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "cyberdrill/engine.hpp"
#include "cyberdrill/impact.hpp"
#include "cyberdrill/scenario.hpp"
#include "cyberdrill/time.hpp"
#include "cyberdrill/trace.hpp"

namespace cyberdrill {

/// Why something changed: the entity named in trace records' cause_kind / cause.
struct Cause {
  CauseKind kind = CauseKind::none;
  Index index = kNone;
  friend bool operator==(const Cause&, const Cause&) = default;
};

/// Service level under which an asset counts as out of service.
inline constexpr double kOutageLevel = 0.5;
/// Service level from which an asset counts as at full service (a ripple under 1 % goes
/// unnoticed; the same tolerance as the response's "Full service", response.hpp).
inline constexpr double kFullServiceLevel = 0.99;

class CascadeModel;

class World {
 public:
  /// Builds the topology from the scenario's assets and their depends_on. Throws
  /// std::invalid_argument if a supplier index is out of range or an asset's sector is neither
  /// kNone nor a valid sector index. The scenario is not referenced after construction.
  explicit World(const Scenario& scenario);
  ~World();
  World(World&&) noexcept;
  World& operator=(World&&) noexcept;
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  [[nodiscard]] std::size_t asset_count() const;
  [[nodiscard]] std::size_t edge_count() const;
  [[nodiscard]] std::size_t sector_count() const;
  /// Bytes held by the world's graph, state arrays and side tables (capacities, with an estimate of
  /// the hash maps' nodes and buckets; the impact model's arrays not counted). For the benchmarks.
  [[nodiscard]] std::size_t memory_bytes() const;

  // --- static facts ----------------------------------------------------------------------------
  [[nodiscard]] std::uint64_t population(Index asset) const;
  [[nodiscard]] Index sector(Index asset) const;
  /// Suppliers of `asset` in depends_on order (duplicates kept).
  [[nodiscard]] std::vector<Index> suppliers(Index asset) const;
  /// Dependents of `asset` (one per edge), ordered by dependent index.
  [[nodiscard]] std::vector<Index> dependents(Index asset) const;
  /// Number of edges leaving `asset` (its dependents, with multiplicity).
  [[nodiscard]] std::size_t out_degree(Index asset) const;
  /// Assets reachable from `from` along supplier -> dependent edges, `from` included: the assets a
  /// loss of `from` can reach at most (breadth-first search on the topology).
  [[nodiscard]] std::vector<Index> downstream(Index from) const;

  // --- state -----------------------------------------------------------------------------------
  [[nodiscard]] double level(Index asset) const;
  /// Levels of every asset, by index.
  [[nodiscard]] std::vector<double> levels() const;
  /// The minimum imposed level (1 when nothing is imposed).
  [[nodiscard]] double own_level(Index asset) const;
  [[nodiscard]] bool in_outage(Index asset) const { return level(asset) < kOutageLevel; }
  [[nodiscard]] bool contained(Index asset) const;
  [[nodiscard]] bool isolated(Index asset) const;
  /// Whether the edge from `supplier` to `asset` is failed over (kNone: any of its edges).
  [[nodiscard]] bool failed_over(Index asset, Index supplier = kNone) const;
  /// The level `asset` currently perceives from `supplier` (first such edge); 1 if none.
  [[nodiscard]] double perceived(Index asset, Index supplier) const;
  /// State of charge in [0, 1] at `now` (>= the last change) of the buffer on the first edge from
  /// `supplier` to `asset`; 0 when there is no such edge or it has no buffer.
  [[nodiscard]] double buffer_charge(Index asset, Index supplier, SimTime now) const;
  /// Whether some control supplier of `asset` is below full service (restoration is manual).
  [[nodiscard]] bool remote_control_lost(Index asset) const;

  // --- aggregates (maintained incrementally) ---------------------------------------------------
  [[nodiscard]] std::size_t outage_count() const;
  /// Assets of sector `s` in outage; sector kNone counts assets without a sector.
  [[nodiscard]] std::size_t outages_in_sector(Index s) const;
  /// Number of distinct sectors with at least one asset in outage.
  [[nodiscard]] std::size_t sectors_with_outage() const;
  /// Sum of population over assets in outage.
  [[nodiscard]] std::uint64_t population_in_outage() const;
  /// Distinct people affected now (impact().people_affected()); without areas the fallback
  /// sum of population x (1 - level).
  [[nodiscard]] double population_unserved() const;
  /// The impact model kept in step with the levels (people per class and area, loss rate).
  [[nodiscard]] const ImpactModel& impact() const;
  /// Integral of population_unserved() from T+0 to `now` (>= the last change), in person-hours.
  [[nodiscard]] double population_hours_lost(SimTime now) const;
  /// Integral of impact().loss_per_day() from T+0 to `now` (>= the last change), in euros.
  [[nodiscard]] double economic_loss_eur(SimTime now) const;
  /// Integral of the number of assets x (1 - level) from T+0 to `now`, in service-hours.
  [[nodiscard]] double service_hours_lost(SimTime now) const;

  /// Back to the initial state: every level and perception 1, no imposition, no flag, no pending
  /// edge event, integrals 0. Only between runs (no CascadeModel may be using the world).
  void reset();

 private:
  friend class CascadeModel;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// The cascade on one Simulation. Registers itself as an event handler on construction. Every
/// operation acts at sim.now() and settles same-instant propagation before returning; they may be
/// called from inside other handlers or between runs of the loop. The simulation and the world
/// must outlive the model. Asset indices out of range are programmer errors (asserted).
class CascadeModel final : public EventHandler {
 public:
  CascadeModel(Simulation& sim, World& world);
  ~CascadeModel() override;
  CascadeModel(const CascadeModel&) = delete;
  CascadeModel& operator=(const CascadeModel&) = delete;

  /// Imposes `level` (clipped to [0, 1]) on `asset` on behalf of `cause` (an attack step's effect,
  /// an inject's fail_asset/degrade_asset...). Replaces an earlier imposition by the same cause.
  void impose(Index asset, double level, Cause cause);
  /// Lifts the imposition of `cause` (no-op if none). The change is recorded with that cause.
  void lift(Index asset, Cause cause);
  /// Clears every imposition on `asset` (rebuilt / restored); emits asset_restored if there was
  /// any, with `cause`.
  void restore(Index asset, Cause cause);
  /// Fails `asset` over from `supplier` (kNone: from every supplier): those edges are perceived
  /// at 1 at once (the backup is already running) and pending edge events are cancelled.
  void fail_over(Index asset, Index supplier, Cause cause);
  /// Ends a fail-over: the edges see their supplier again (restart delay applies to a rise,
  /// buffer to a drop, as for any change).
  void end_fail_over(Index asset, Index supplier, Cause cause);
  /// Marks the asset contained (attack progress through it stops); emits asset_contained
  /// (actor = `actor` organisation) when it becomes contained. Changes no level.
  void set_contained(Index asset, bool contained, Index actor, Cause cause);
  /// Isolation disconnects the asset: it is contained and `level` (default 0) is imposed by
  /// `cause`; ending isolation (or restore()) lifts that imposition (containment stays).
  void set_isolated(Index asset, bool isolated, Index actor, Cause cause, double level = 0.0);

  /// Ends the imposition keyed `key` on `asset` on behalf of `by` (rule "Ends of outages"): emits
  /// asset_restored and lifts it, at once or - when the asset's remote control is lost - after
  /// the manual restoration delay (rule "Dependency types"). No-op if there is no such imposition
  /// (then or when the delay runs out).
  void end_imposition(Index asset, Cause key, Cause by);
  /// Field crews run the asset by hand: every imposition on it ends (asset_restored, cause `by`)
  /// and `level` is imposed by `by` instead, at once (no manual delay: this is the manual work).
  void operate_manually(Index asset, double level, Cause by);
  /// Replaces the level of the imposition keyed `key` by max(its level, `level`), recording the
  /// change with cause `by` (a mitigation cutting an attack's impact to a residual). No-op if
  /// there is no such imposition.
  void mitigate(Index asset, Cause key, double level, Cause by);
  /// Refills every fuel buffer of `asset`'s edges (rule "Buffers"): a generator that ran dry
  /// restarts (the edge is perceived at 1 again and drains anew).
  void resupply(Index asset, Cause by);
  /// Whether `asset` carries an imposition keyed `key`.
  [[nodiscard]] bool imposed(Index asset, Cause key) const;

  /// Schedules impose(asset, level, cause) at `at` (>= now) as an event of this model; level < 0
  /// schedules lift(asset, cause) instead. For drivers, tests and benchmarks.
  void schedule_impose(SimTime at, Index asset, double level, Cause cause);

  /// Edge updates applied (perceived value changes), and edges scanned, since construction.
  [[nodiscard]] std::uint64_t edge_updates() const { return edge_updates_; }
  [[nodiscard]] std::uint64_t edges_scanned() const { return edges_scanned_; }
  /// Whether a dynamic-IIM tick is pending (some asset is still relaxing).
  [[nodiscard]] bool relaxing() const;

  void handle(Simulation& sim, const Event& ev) override;

 private:
  struct Scheduled {
    Index asset;
    double level;
    Cause cause;
  };
  void enqueue(Index v, Cause cause);
  /// As enqueue, but an entry already queued for v takes `cause` (external causes win).
  void enqueue_with(Index v, Cause cause);
  void settle();
  void propagate(Index u, double old_level);
  void input_changed(Index v, std::uint32_t k, double old, double now, Index supplier);
  void edge_changed(std::uint32_t k, double e);
  [[nodiscard]] double effective(std::uint32_t k) const;
  [[nodiscard]] double linear_target(Index v) const;
  void apply_edge(std::uint32_t k, double e);
  double evaluate(Index v);
  void touch(Index v, Cause cause);
  void finish();
  void set_own(Index asset, double own, Cause cause);
  /// Sets (level >= 0) or removes (level < 0) the imposition keyed `key`; records `cause`.
  void update_imposition(Index asset, Cause key, double level, Cause cause);
  void diim_tick();
  void finish_end(Index asset, Cause key, Cause by);
  struct PendingEnd {
    Index asset;
    Cause key;
    Cause by;
  };
  std::vector<PendingEnd> pending_ends_;

  Simulation& sim_;
  World& world_;
  World::Impl& w_;
  HandlerId self_;
  struct Queued {
    Index asset;
    Cause cause;
  };
  std::vector<Queued> queue_;
  std::vector<Index> diim_changed_;
  Cause current_cause_;
  std::size_t head_ = 0;
  struct Touched {
    Index asset;
    double old_level;
    Cause cause;
  };
  std::vector<Touched> touched_;
  std::vector<Index> diim_active_;
  std::vector<double> diim_target_;
  std::vector<double> diim_old_;
  EventId diim_tick_;
  std::vector<Scheduled> scheduled_;
  std::uint64_t edge_updates_ = 0;
  std::uint64_t edges_scanned_ = 0;
  bool in_settle_ = false;
};

}  // namespace cyberdrill
