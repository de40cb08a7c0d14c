// The MSEL's columns (HSEEP MSEL column names) and the inject field each one carries: plain data
// shared by the import (sim/input) and the export (sim/output), so the two never disagree.
#pragma once

#include <cstddef>
#include <vector>

#include "cyberdrill/msel.hpp"

namespace cyberdrill::msel {

// Column names and the inject field each one carries.
enum class Col { id, number, time, trigger, synopsis, from, to, method, message, expected, objective, capability,
                 controller, contingency, status, effect, tlp, audience };

struct ColumnDef {
  Col col;
  const char* name;
  const char* field;  ///< inject JSON key
};

inline constexpr ColumnDef kColumns[] = {
    {Col::id, "Inject ID", "id"},
    {Col::number, "Inject #", "number"},
    {Col::time, "Scenario time", "time"},
    {Col::trigger, "Trigger", "when"},
    {Col::synopsis, "Event synopsis", "synopsis"},
    {Col::from, "From", "from"},
    {Col::to, "To", "to"},
    {Col::method, "Delivery method", "method"},
    {Col::message, "Message", "message"},
    {Col::expected, "Expected player action", "expected_action"},
    {Col::objective, "Objective", "objective"},
    {Col::capability, "Core capability", "capability"},
    {Col::controller, "Responsible controller", "controller"},
    {Col::contingency, "Contingency", "contingency"},
    {Col::status, "Status", "status"},
    {Col::effect, "Effect", "effect"},
    {Col::tlp, "TLP", "tlp"},
    {Col::audience, "Audience", "audience"},
};

inline const ColumnDef& def(Col c) { return kColumns[static_cast<std::size_t>(c)]; }

inline std::vector<Col> columns_of(Audience a) {
  if (a == Audience::participant)
    return {Col::id, Col::number, Col::time, Col::synopsis, Col::from, Col::to, Col::method, Col::message, Col::tlp};
  std::vector<Col> all;
  for (const ColumnDef& d : kColumns) all.push_back(d.col);
  return all;
}

}  // namespace cyberdrill::msel
