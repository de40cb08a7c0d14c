// The improvement plan as CSV, for the tracking spreadsheet the exercise's owner keeps (HSEEP IP
// matrix). RFC 4180 with CRLF; every text cell neutralised and quoted by csv::text_cell, as the
// MSEL export and the run folder writer do, so a scenario name cannot become a formula.
#include <string>

#include "cyberdrill/csv.hpp"
#include "cyberdrill/report.hpp"

namespace cyberdrill {

std::string improvement_plan_csv(const Report& report) {
  std::string out =
      "Capability,Issue / area for improvement,Corrective action,Capability element,Responsible organisation,Start,"
      "Completion,Source\r\n";
  for (const ImprovementItem& i : report.improvement_plan) {
    const std::string cells[] = {i.capability, i.issue, i.corrective_action, capability_element_name(i.element),
                                 i.responsible, i.start_date, i.completion_date, i.source};
    bool first = true;
    for (const std::string& c : cells) {
      if (!first) out += ',';
      out += csv::text_cell(c);
      first = false;
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace cyberdrill
