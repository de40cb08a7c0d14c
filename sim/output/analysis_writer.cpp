// The JSON of `analyze --json` (contract in include/cyberdrill/analysis.hpp).
#include <nlohmann/json.hpp>

#include "cyberdrill/metrics.hpp"
#include "cyberdrill/analysis.hpp"

namespace cyberdrill {

std::string analysis_report_json(const Scenario& s, const std::string& scenario_path, Duration horizon,
                                 const std::vector<CriticalityEntry>& ranking, const SectorInoperability& iim) {
  const auto sector_id = [&](Index i) { return i == kNone ? std::string() : s.sectors[i].id; };
  nlohmann::ordered_json j;
  j["scenario"] = scenario_path;
  j["horizon"] = format_duration(horizon);
  j["candidates"] = ranking.size();
  auto& rows = j["ranking"] = nlohmann::ordered_json::array();
  for (std::size_t r = 0; r < ranking.size(); ++r) {
    const CriticalityEntry& e = ranking[r];
    const Asset& a = s.assets[e.asset];
    rows.push_back({{"rank", r + 1}, {"asset", a.id}, {"sector", sector_id(a.sector)},
                    {std::string(metric::population_hours_lost), e.population_hours}, {"assets_out", e.assets_out},
                    {"sectors_hit", e.sectors_hit}, {"downstream", e.downstream}, {"score", e.score},
                    {std::string(metric::economic_loss), e.economic_loss_eur}});
  }
  auto& by_loss = j["ranking_by_economic_loss"] = nlohmann::ordered_json::array();
  for (const CriticalityEntry& e : rank_by_economic_loss(ranking))
    by_loss.push_back({{"asset", s.assets[e.asset].id}, {std::string(metric::economic_loss), e.economic_loss_eur},
                       {std::string(metric::population_hours_lost), e.population_hours}});
  auto& m = j["iim"];
  m["perturbation"] = iim.perturbation;
  auto& astar = m["a_star"];
  for (std::size_t i = 0; i < iim.a_star.size(); ++i)
    for (std::size_t k = 0; k < iim.a_star[i].size(); ++k) astar[s.sectors[i].id][s.sectors[k].id] = iim.a_star[i][k];
  auto& resp = m["response"] = nlohmann::ordered_json::array();
  for (std::size_t p = 0; p < iim.response.size(); ++p) {
    nlohmann::ordered_json row;
    row["perturbed"] = s.sectors[p].id;
    for (std::size_t t = 0; t < iim.response[p].size(); ++t) row["inoperability"][s.sectors[t].id] = iim.response[p][t];
    resp.push_back(row);
  }
  return j.dump(2);
}

}  // namespace cyberdrill
