// Impact: people affected (counted once) and economic loss, from asset service levels.
//
// People (the overlap model)
//  - A scenario declares areas with their residents once ("areas"), and each asset that delivers a
//    service to people declares what it serves ("serves": class, area, share = the share of that
//    area's residents relying on this asset for that class).
//  - Within area r, the share of residents lacking class c is
//        L_rc = min(1, sum over serves (a, r, c) of share_a x lack_c(level_a)),
//    i.e. the assets serving c in r serve disjoint customers (a customer of a half-degraded asset
//    lacks the service with probability 1/2).
//  - lack_c(level) = 1 - level for every class but two. Payments and emergency calls are national
//    services with built-in alternatives and retries: a payment that fails at one terminal is paid
//    in cash, by another card or at another shop, and a 112 call that fails is redialled and
//    rerouted to another centre (one national number, several call centres). A card network or a
//    112 platform at partial capacity is slower, not absent, for the people who rely on it: they
//    lack it only below the usability threshold U = 0.5 (usable_level()), and then in proportion,
//        lack_c(level) = clamp((U - level) / U, 0, 1)   (0 at U and above, 1 at level 0).
//    Why: these assets' level is a national average that falls because merchants' terminals, ATMs
//    and call routes in a *blacked-out area* stop (their residents already count, as without
//    electricity); spread over every area linearly it counted half the country "without payments"
//    for a regional blackout (the flagship: 3.6 M people without payments, 6.5 M affected, against
//    the reference incident's 225,000 customers without power, Ukraine 2015, DOMAIN.md). U = 0.5
//    is a modelling assumption, not a published figure: a service that completes at least every
//    second attempt is usable with a retry (the expected number of attempts is at most 2).
//  - Every class is essential and the classes are independent within an area, so the share of r's
//    residents lacking at least one class is  A_r = 1 - prod_c (1 - L_rc).
//  - People affected = sum over areas of residents_r x A_r <= sum of residents (never more).
//    People without class c = sum over areas of residents_r x L_rc.
//  - Fallback for scenarios without areas (tutorials, tests): every asset with a `population` is
//    its own group of people, served by it alone (share 1, class "unspecified"), so people
//    affected = sum over assets of population x (1 - level): the per-asset sum of earlier
//    versions, which counts a person served by two assets twice. residents() is 0 then, and the
//    severity and escalation rules that need the country's population fall back to absolute
//    thresholds (response.hpp).
//
// Economic loss
//  - Each asset has an output per day in euros: its own "daily_output_eur" when given, else an
//    even part of what its sector's "daily_output_eur" leaves unassigned (0 when the sector gives
//    none). Loss rate = sum over assets of (1 - level) x output per day; its integral over time is
//    the economic loss (euros). national_output_per_day() = sum of the assets' outputs.
//
// Cost: set_level() is O(number of serves of the asset x number of classes); evaluate() over a
// sparse list of levels is O(their serves x classes x log areas touched).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "cyberdrill/scenario.hpp"

namespace cyberdrill {

/// People an asset serves, counted per asset: the sum of its serves' share x the area's residents
/// (without areas: its population). A size for drawing and ranking assets, not a count of distinct
/// people (a person served by two assets appears in both).
[[nodiscard]] double people_served(const Scenario& scenario, Index asset);

class ImpactModel {
 public:
  /// Classes plus the fallback's "unspecified" slot.
  static constexpr std::size_t kSlots = kServiceClassCount + 1;

  /// Copies what it needs; the scenario is not referenced afterwards. Every level starts at 1.
  explicit ImpactModel(const Scenario& scenario);

  /// Whether the scenario declares areas (else the population fallback is in use).
  [[nodiscard]] bool uses_areas() const { return uses_areas_; }
  /// Sum of the areas' residents; 0 without areas.
  [[nodiscard]] double residents() const { return residents_; }
  [[nodiscard]] double national_output_per_day() const { return national_output_; }
  [[nodiscard]] double output_per_day(Index asset) const { return output_[asset]; }
  /// The asset's sector index, kNone when it has none or it is out of range.
  [[nodiscard]] Index sector(Index asset) const { return sector_[asset]; }
  [[nodiscard]] std::size_t asset_count() const { return level_.size(); }
  [[nodiscard]] std::size_t area_count() const { return area_residents_.size(); }

  // --- incremental state ------------------------------------------------------------------------
  /// Every level back to 1.
  void reset();
  /// `asset` is now at `level` (clipped to [0, 1]).
  void set_level(Index asset, double level);
  /// A hint only (no effect on any value): brings what set_level(asset, ..) reads into the cache,
  /// for callers that walk a list of assets (the cascade's end of settle).
  void prefetch(Index asset) const {
    __builtin_prefetch(&level_[asset], 1);
    __builtin_prefetch(&serve_offset_[asset]);
    __builtin_prefetch(&output_[asset]);
    __builtin_prefetch(&sector_[asset]);
  }
  [[nodiscard]] double level(Index asset) const { return level_[asset]; }
  /// Distinct people lacking at least one essential service now.
  [[nodiscard]] double people_affected() const { return people_; }
  /// People lacking class c now (0 for every class in the fallback).
  [[nodiscard]] double people_without(ServiceClass c) const { return class_people_[static_cast<std::size_t>(c)]; }
  /// People affected in area r now (areas only).
  [[nodiscard]] double people_in_area(Index area) const { return area_people_[area]; }
  /// Euros a day being lost now, in total and per sector (Scenario::sectors).
  [[nodiscard]] double loss_per_day() const { return loss_rate_; }
  [[nodiscard]] double sector_loss_per_day(Index sector) const { return sector_loss_rate_[sector]; }

  // --- stateless evaluation (pictures: believed levels) -------------------------------------------
  struct Evaluation {
    double people = 0;
    std::array<double, kServiceClassCount> without{};
    /// Areas with someone affected: (area, share of its residents affected), by area index.
    std::vector<std::pair<Index, double>> areas;
    double loss_per_day = 0;
    /// Areas whose affected share is at least `share`.
    [[nodiscard]] int areas_at_least(double share) const;
  };
  /// Impact of the given (asset, level) pairs, every other asset at 1. An asset listed twice
  /// counts twice (callers list each once).
  [[nodiscard]] Evaluation evaluate(std::span<const std::pair<Index, double>> levels) const;
  /// Impact of a full level vector (one level per asset).
  [[nodiscard]] Evaluation evaluate_all(std::span<const double> levels) const;
  /// evaluate(levels).people alone, without building the rest (no allocation).
  [[nodiscard]] double evaluate_people(std::span<const std::pair<Index, double>> levels) const;

  /// evaluate() kept up to date over a sparse list of levels that changes a little at a time (a
  /// national picture of believed levels): update(levels) returns what evaluate(levels) returns,
  /// bit for bit, recomputing only the areas served by the assets whose level changed since the
  /// last call (each such area's sums re-added from 0 in ascending asset order, as evaluate()
  /// adds them for an ascending list; the totals re-summed over the touched areas ascending).
  /// `levels` must be ascending by asset without repeats; any other list is handed to evaluate().
  /// Refers to the model, which must outlive it; not thread-safe (one per owner).
  class Tracker {
   public:
    explicit Tracker(const ImpactModel& model);
    /// The evaluation of `levels`; valid until the next update.
    const Evaluation& update(std::span<const std::pair<Index, double>> levels);

   private:
    void set_raw(Index asset, double level);
    void recompute(std::uint32_t area);
    const ImpactModel& m_;
    std::vector<std::pair<Index, double>> last_;  ///< the list of the last update
    std::vector<double> raw_;                     ///< per asset: its level in last_ (1 if absent)
    /// Per area: the serves (indices into serves_, ascending: by asset, then declaration) of the
    /// listed assets at loss > 0, the only terms of its sums.
    std::vector<std::vector<std::uint32_t>> lossy_;
    std::vector<double> sums_;                    ///< per area x kSlots
    std::vector<double> share_;                   ///< per area: affected share
    std::vector<double> terms_;  ///< per area: residents x share, then residents x lack per class
    std::vector<std::uint8_t> touched_mark_, dirty_mark_;
    std::vector<std::uint32_t> touched_;  ///< areas with a listed asset at loss > 0, ascending
    std::vector<std::uint32_t> dirty_;
    std::vector<Index> serve_asset_;  ///< per serve: its asset
    Evaluation ev_;
    bool valid_ = false;
  };

  /// The share of a class's users an asset at `level` leaves without it (header: lack_c).
  [[nodiscard]] static double lack_of(ServiceClass c, double level);
  /// The usability threshold U of a class: 1 for the linear classes, 0.5 for payments and
  /// emergency calls (header comment).
  [[nodiscard]] static double usable_level(ServiceClass c);

 private:
  struct Slot {
    std::uint32_t area;   ///< area index (fallback: pseudo-area per asset)
    std::uint32_t klass;  ///< class slot
    double share;
  };
  void recompute_area(std::uint32_t area);

  bool uses_areas_ = false;
  double residents_ = 0;
  double national_output_ = 0;
  std::vector<double> area_residents_;  // per area (fallback: per pseudo-area)
  std::vector<std::uint32_t> serve_offset_;  // per asset, size n + 1
  std::vector<Slot> serves_;
  std::vector<double> output_;
  std::vector<Index> sector_;
  // State.
  std::vector<double> level_;
  std::vector<double> sums_;  // per area x kSlots: unclipped sum of share x (1 - level)
  std::vector<double> area_people_;
  std::array<double, kSlots> class_people_{};
  double people_ = 0;
  double loss_rate_ = 0;
  std::vector<double> sector_loss_rate_;
};

}  // namespace cyberdrill
