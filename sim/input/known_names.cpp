// The names a scenario may use for metrics and policy knobs. Objectives may only reference
// known_metrics(); condition triggers may also test the live quantities of
// io::live_quantities() (population_affected, sectors_affected, outages, severity).
#include "cyberdrill/metrics.hpp"
#include "cyberdrill/scenario.hpp"

namespace cyberdrill {

const std::vector<std::string>& known_metrics() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const MetricInfo& m : kMetrics) v.emplace_back(m.name);  // include/cyberdrill/metrics.hpp
    return v;
  }();
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
