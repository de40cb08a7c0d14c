// What a live drill shows, as text: built from a session snapshot for the participant or the
// controller view, and drawn by the console and by the window alike (no SFML here).
//
// Participant view: only what the players can know: the escalation level, the triage
// organisation's and the operators' pictures (known incidents and believed levels), injects
// delivered, open decisions, obligations, and the people affected (each counted once: ImpactModel
// over the triage organisation's believed levels, unknown assets at full service) and the
// economic loss rate as that organisation believes them. Controller view adds ground truth: true
// levels, people affected and economic loss so far, attacker steps done and under way,
// compromised assets and undetected footholds.
// Every string from the scenario passes through printable() (control characters removed).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cyberdrill/impact.hpp"
#include "cyberdrill/scenario.hpp"
#include "cyberdrill/session.hpp"

namespace cyberdrill::cli {

/// `s` with C0/C1 control characters and DEL replaced by a space (UTF-8 text otherwise kept).
[[nodiscard]] std::string printable(std::string_view s);

/// "2026-03-12 09:45" in the scenario's local time at simulated time `t`.
[[nodiscard]] std::string local_time(const Scenario& sc, SimTime t);

enum class LiveView : unsigned char { participant, controller };

struct LiveDecisionView {
  int number = 0;  ///< 1-based, as `decide N OPTION` and the window's keys accept
  std::string id, question, owner, deadline;  ///< deadline: "T+04:00 (in 1h45m)" or "none"
  std::vector<std::string> options;           ///< "1) id: label"
};

struct LiveModel {
  LiveView view = LiveView::participant;
  std::string clock;     ///< "T+02:15  2026-03-12 09:45 Europe/Brussels"
  std::string phase;     ///< escalation level name (+ "crisis structure active")
  std::vector<LiveDecisionView> decisions;
  std::vector<std::string> injects;        ///< delivered, most recent first: "T+.. I-03 from -> to (method): message"
  std::vector<std::string> organisations;  ///< "nccc  staff 4  queue 2  knows 3 incident(s)"
  std::vector<std::string> obligations;    ///< running clocks: "NIS2-24h  op  due T+..  (in 3h)"
  std::vector<std::string> knowledge;      ///< triage organisation's picture: "asset  believed 40 %"
  std::string people;                      ///< people affected (believed; controller: true as well)
  std::string loss;                        ///< economic loss: believed rate (controller: true loss so far as well)
  double people_believed = 0;              ///< ImpactModel over the triage organisation's believed levels
  double loss_rate_believed = 0;           ///< euros a day, same picture
  double people_true = 0;                  ///< truth (shown in the controller view only)
  double loss_true = 0;                    ///< euros lost so far, truth (controller view only)
  // Controller only (empty in the participant view):
  std::vector<std::string> truth;          ///< attacker steps, compromised assets, outages
  std::vector<std::string> undetected;     ///< undetected footholds: asset ids
};

/// `impact`: an ImpactModel of `sc` to evaluate the believed picture with (built here when null;
/// front ends keep one, it costs O(assets) to build).
[[nodiscard]] LiveModel build_live_model(const Scenario& sc, const SessionSnapshot& snap, LiveView view,
                                         std::size_t max_injects = 6, const ImpactModel* impact = nullptr);

/// The model as console text (status command).
[[nodiscard]] std::string format_status(const LiveModel& m, std::string_view pacing);

}  // namespace cyberdrill::cli
