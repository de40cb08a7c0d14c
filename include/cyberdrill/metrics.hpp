// The response metrics: one typed table of every metric a run produces (name, unit, which way is
// better, what it measures). The run computes them (Response::metrics), objectives and condition
// triggers name them (known_metrics), batch studies summarise them and the report words them: all
// from this table, so a metric is named in one place.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace cyberdrill {

enum class Better : std::uint8_t { lower, higher };

/// How a metric's value is read (the report words it by its unit).
enum class MetricUnit : std::uint8_t {
  hours,          ///< hours since T+0 (a "time to ...") or a duration in hours
  person_hours,   ///< people times hours without service
  asset_hours,    ///< assets times hours below full service
  people,         ///< a count of people
  count,          ///< a count (outages, obligations, sectors)
  fraction,       ///< 0..1
  severity,       ///< the national severity scale 0..5
  euros,          ///< economic loss in EUR
};

struct MetricInfo {
  std::string_view name;
  MetricUnit unit;
  Better better;
  std::string_view description;
};

/// The metric names, for code that sets or reads one value (no bare strings elsewhere).
namespace metric {
inline constexpr std::string_view time_to_detect = "time_to_detect_h";
inline constexpr std::string_view time_to_report = "time_to_report_h";
inline constexpr std::string_view time_to_triage = "time_to_triage_h";
inline constexpr std::string_view time_to_escalate = "time_to_escalate_h";
inline constexpr std::string_view time_to_crisis = "time_to_crisis_h";
inline constexpr std::string_view time_to_contain = "time_to_contain_h";
inline constexpr std::string_view time_to_recover = "time_to_recover_h";
inline constexpr std::string_view population_hours_lost = "population_hours_lost";
inline constexpr std::string_view service_hours_lost = "service_hours_lost";
inline constexpr std::string_view peak_outages = "peak_outages";
inline constexpr std::string_view peak_population_affected = "peak_population_affected";
inline constexpr std::string_view obligations_met_fraction = "obligations_met_fraction";
inline constexpr std::string_view obligations_missed = "obligations_missed";
inline constexpr std::string_view mean_triage_wait = "mean_triage_wait_h";
inline constexpr std::string_view max_severity = "max_severity";
inline constexpr std::string_view sectors_affected = "sectors_affected";
inline constexpr std::string_view plan_coverage = "plan_coverage";
inline constexpr std::string_view decisions_on_time_fraction = "decisions_on_time_fraction";
inline constexpr std::string_view economic_loss = "economic_loss_eur";
inline constexpr std::string_view time_to_first_restore = "time_to_first_restore_h";
inline constexpr std::string_view max_level_rank = "max_level_rank";
/// "peak_people_without_" + a service class name (service_class_names()): one metric per class.
inline constexpr std::string_view peak_people_without_prefix = "peak_people_without_";
}  // namespace metric

/// Every metric, in the order runs.csv and the summaries list them.
inline constexpr std::array kMetrics = {
    MetricInfo{metric::time_to_detect, MetricUnit::hours, Better::lower, "first detection of an attack step by an operator"},
    MetricInfo{metric::time_to_report, MetricUnit::hours, Better::lower, "first report reaching the triage organisation"},
    MetricInfo{metric::time_to_triage, MetricUnit::hours, Better::lower, "first triage completed"},
    MetricInfo{metric::time_to_escalate, MetricUnit::hours, Better::lower, "first escalation level above the baseline"},
    MetricInfo{metric::time_to_crisis, MetricUnit::hours, Better::lower, "top escalation level reached"},
    MetricInfo{metric::time_to_contain, MetricUnit::hours, Better::lower, "first containment or isolation"},
    MetricInfo{metric::time_to_recover, MetricUnit::hours, Better::lower, "every asset back at full service"},
    MetricInfo{metric::population_hours_lost, MetricUnit::person_hours, Better::lower, "people without service times hours"},
    MetricInfo{metric::service_hours_lost, MetricUnit::asset_hours, Better::lower, "service lost summed over assets and hours"},
    MetricInfo{metric::peak_outages, MetricUnit::count, Better::lower, "most assets below full service at once"},
    MetricInfo{metric::peak_population_affected, MetricUnit::people, Better::lower, "most people affected at once"},
    MetricInfo{metric::obligations_met_fraction, MetricUnit::fraction, Better::higher, "reporting obligations met on time"},
    MetricInfo{metric::obligations_missed, MetricUnit::count, Better::lower, "reporting obligations missed"},
    MetricInfo{metric::mean_triage_wait, MetricUnit::hours, Better::lower, "mean wait of scenario incidents for triage"},
    MetricInfo{metric::max_severity, MetricUnit::severity, Better::lower, "highest national severity assessed"},
    MetricInfo{metric::sectors_affected, MetricUnit::count, Better::lower, "most sectors affected at once"},
    MetricInfo{metric::plan_coverage, MetricUnit::fraction, Better::higher, "plan steps completed among those started"},
    MetricInfo{metric::decisions_on_time_fraction, MetricUnit::fraction, Better::higher, "decisions taken before their deadline"},
    MetricInfo{metric::economic_loss, MetricUnit::euros, Better::lower, "economic loss (output lost), EUR"},
    MetricInfo{"peak_people_without_electricity", MetricUnit::people, Better::lower, "most people without electricity at once"},
    MetricInfo{"peak_people_without_mobile", MetricUnit::people, Better::lower, "most people without mobile service at once"},
    MetricInfo{"peak_people_without_fixed_internet", MetricUnit::people, Better::lower, "most people without fixed internet at once"},
    MetricInfo{"peak_people_without_water", MetricUnit::people, Better::lower, "most people without drinking water at once"},
    MetricInfo{"peak_people_without_health_care", MetricUnit::people, Better::lower, "most people without health care at once"},
    MetricInfo{"peak_people_without_emergency_calls", MetricUnit::people, Better::lower, "most people without emergency calls at once"},
    MetricInfo{"peak_people_without_payments", MetricUnit::people, Better::lower, "most people without payments at once"},
    MetricInfo{"peak_people_without_public_services", MetricUnit::people, Better::lower, "most people without public services at once"},
    MetricInfo{"peak_people_without_transport", MetricUnit::people, Better::lower, "most people without transport at once"},
    MetricInfo{metric::time_to_first_restore, MetricUnit::hours, Better::lower, "from the first outage to the first asset restored"},
    MetricInfo{metric::max_level_rank, MetricUnit::count, Better::lower, "highest escalation level reached, as its rank (the baseline's if none)"},
};

/// The table entry of `name`, or nullptr when no model produces it.
[[nodiscard]] constexpr const MetricInfo* find_metric(std::string_view name) {
  for (const MetricInfo& m : kMetrics)
    if (m.name == name) return &m;
  return nullptr;
}

}  // namespace cyberdrill
