// The names a scenario may use for metrics and policy knobs. Objectives may only reference
// known_metrics(); condition triggers may also test the live quantities of
// io::live_quantities() (population_affected, sectors_affected, outages, severity).
#include "cyberdrill/scenario.hpp"

namespace cyberdrill {

const std::vector<std::string>& known_metrics() {
  static const std::vector<std::string> names{
      "time_to_detect_h",       "time_to_report_h",   "time_to_triage_h",          "time_to_escalate_h",
      "time_to_crisis_h",       "time_to_contain_h",  "time_to_recover_h",         "population_hours_lost",
      "service_hours_lost",     "peak_outages",       "peak_population_affected",  "obligations_met_fraction",
      "obligations_missed",     "mean_triage_wait_h", "max_severity",              "sectors_affected",
      "plan_coverage",          "decisions_on_time_fraction",
      // Impact (include/cyberdrill/impact.hpp): euros lost, and per service class the most people
      // without it at once.
      "economic_loss_eur",
      "peak_people_without_electricity", "peak_people_without_mobile", "peak_people_without_fixed_internet",
      "peak_people_without_water", "peak_people_without_health_care", "peak_people_without_emergency_calls",
      "peak_people_without_payments", "peak_people_without_public_services", "peak_people_without_transport",
      // Response (include/cyberdrill/response.hpp): the first outage's length before the first
      // restore, and the highest escalation level's rank.
      "time_to_first_restore_h", "max_level_rank"};
  return names;
}

const std::vector<std::string>& known_policies() {
  static const std::vector<std::string> names{
      "reporting_coverage_scale",  // multiplies every channel's coverage (clipped to 1)
      "reporting_latency_scale",   // multiplies every channel's latency
      "csirt_staff_scale",         // multiplies the staff of csirt organisations
      "staff_scale",               // multiplies every organisation's staff
      "monitoring_scale",          // multiplies every organisation's monitoring (clipped to 1)
      "detection_scale",           // multiplies attack steps' detection hazards
      "background_rate_scale",     // multiplies the background incident rate
      "triage_service_scale",      // multiplies triage service times
      "restore_time_scale",        // multiplies asset restore times
      "buffer_scale",              // multiplies dependency buffers
      "crisis_handoff_factor",     // overrides plan.crisis_handoff_factor
      "mandatory_reporting",       // 1 = reporting is mandatory for operators, 0 = voluntary
  };
  return names;
}

const char* report_type_name(ReportType t) {
  switch (t) {
    case ReportType::incident: return "incident";
    case ReportType::early_warning: return "early_warning";
    case ReportType::notification: return "notification";
    case ReportType::intermediate: return "intermediate";
    case ReportType::final_report: return "final";
    case ReportType::initial_notification: return "initial_notification";
    case ReportType::breach_notification: return "breach_notification";
  }
  return "unknown";
}

const char* regime_name(Regime r) {
  switch (r) {
    case Regime::national: return "national";
    case Regime::nis2: return "nis2";
    case Regime::dora: return "dora";
    case Regime::gdpr: return "gdpr";
  }
  return "unknown";
}

}  // namespace cyberdrill
