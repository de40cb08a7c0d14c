// cyberdrill analyze: which asset hurts most (criticality ranking by knockout with the real
// cascade) and how inoperability spreads between sectors (static IIM).
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "cyberdrill/analysis.hpp"
#include "commands.hpp"
#include "scenario_loading.hpp"
#include "cyberdrill/csv.hpp"
#include "cyberdrill/scenario_io.hpp"
#include "cyberdrill/time.hpp"

namespace cyberdrill::cli {
namespace {

constexpr const char* kAnalyzeHelp = R"(Rank the assets whose loss hurts most, and show how inoperability spreads between sectors.

Criticality: each candidate asset is knocked out at T+0 (never restored) and the real cascade
(buffers, restart delays, every combine rule) runs to the horizon; the ranking is by
person-hours lost (distinct people lacking an essential service, integrated over time), and
also shown by economic loss (sum of (1 - level) x daily output, integrated over time).
Candidates are the --top K assets by the cheap score criticality x (people served + output /
EUR 100, own and of direct dependents); --top 0 knocks out every asset.
IIM: the Inoperability Input-Output Model between sectors, q = (I - A*)^-1 c*, with A* the
output-normalised interdependency matrix built from the dependencies (see
include/cyberdrill/analysis.hpp); each row perturbs one sector by --perturbation.

Examples:
  cyberdrill analyze scenarios/belgium/grid-blackout.json
  cyberdrill analyze big.json --top 50 --horizon 2d --csv ranking.csv
  cyberdrill analyze big.json --json > analysis.json
  cyberdrill analyze g1m.json --large --top 1       # a generated file over 64 MiB)";

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

}  // namespace

Action add_analyze(CLI::App& app) {
  struct Options {
    std::string scenario;
    std::size_t top = 20;
    std::string horizon = "3d";
    bool json = false;
    std::string csv;
    double perturbation = 0.1;
    bool large = false;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* sub = app.add_subcommand("analyze", "Criticality ranking (knockout cascades) and sector IIM inoperability");
  sub->footer(kAnalyzeHelp);
  sub->add_option("scenario", opt->scenario, "Scenario file")->required();
  sub->add_option("--top", opt->top, "Knock out the K assets with the highest cheap score (0 = every asset)")
      ->default_val(20);
  sub->add_option("--horizon", opt->horizon, "How long each knockout cascade runs (planner units)")->default_val("3d");
  sub->add_flag("--json", opt->json, "Print the results as JSON on stdout instead of tables");
  sub->add_option("--csv", opt->csv, "Also write the ranking as CSV to this file (atomically)");
  sub->add_option("--perturbation", opt->perturbation, "IIM perturbation of the perturbed sector's assets, in (0, 1]")
      ->default_val(0.1);
  add_large_flag(sub, opt->large);
  return [opt] {
    const DurationParse horizon = try_parse_duration(opt->horizon);
    if (!horizon) throw UsageError("--horizon: " + horizon.error);
    if (!(opt->perturbation > 0 && opt->perturbation <= 1)) throw UsageError("--perturbation must be in (0, 1]");
    LoadOptions load_options;
    apply_large(load_options, opt->large);
    const LoadResult loaded = load_scenario(opt->scenario, load_options);
    for (const Diagnostic& d : loaded.diagnostics)
      if (d.severity == Diagnostic::Severity::error) std::cerr << to_string(d) << '\n';
    hint_large(loaded, load_options);
    if (!loaded.scenario) return static_cast<int>(Exit::bad_input);
    const Scenario& s = *loaded.scenario;
    if (s.assets.empty()) throw UsageError(opt->scenario + ": the scenario has no assets to analyse");

    CriticalityOptions co;
    co.top = opt->top;
    co.horizon = *horizon.value;
    std::size_t last_report = 0;
    const auto ranking = rank_criticality(s, co, [&](std::size_t done, std::size_t total) {
      if (total >= 20 && done * 10 / total != last_report) {
        last_report = done * 10 / total;
        spdlog::info("analyze: {} / {} knockouts", done, total);
      }
    });
    const SectorInoperability iim = iim_by_sector(s, opt->perturbation);
    auto sector_id = [&](Index sec) { return sec == kNone ? std::string("-") : s.sectors[sec].id; };

    if (!opt->csv.empty()) {
      const std::filesystem::path out_path(opt->csv);
      std::filesystem::path tmp = out_path;
      tmp += ".tmp";
      // The .tmp is removed on every failure (a throw from here on), so none is left behind.
      struct RemoveTmp {
        const std::filesystem::path& p;
        bool armed = true;
        ~RemoveTmp() {
          std::error_code ec;
          if (armed) std::filesystem::remove(p, ec);
        }
      } remove_tmp{tmp};
      {
        std::ofstream out(tmp, std::ios::trunc);
        if (!out) throw std::runtime_error("cannot write " + tmp.string());
        out << "rank,asset,sector,population_hours_lost,assets_out,sectors_hit,downstream,score,economic_loss_eur\n";
        for (std::size_t r = 0; r < ranking.size(); ++r) {
          const CriticalityEntry& e = ranking[r];
          const Asset& a = s.assets[e.asset];
          out << r + 1 << ',' << csv::text_cell(a.id) << ',' << (a.sector == kNone ? std::string("-") : csv::text_cell(sector_id(a.sector))) << ',' << fixed(e.population_hours, 1) << ','
              << e.assets_out << ',' << e.sectors_hit << ',' << e.downstream << ',' << fixed(e.score, 1) << ','
              << fixed(e.economic_loss_eur, 0) << '\n';
        }
        if (!out.flush()) throw std::runtime_error("failed writing " + tmp.string());
        out.close();
        if (out.fail()) throw std::runtime_error("failed writing " + tmp.string());
      }
      std::filesystem::rename(tmp, out_path);
      remove_tmp.armed = false;
    }

    if (opt->json) {
      std::cout << analysis_report_json(s, opt->scenario, co.horizon, ranking, iim) << '\n';
      return static_cast<int>(Exit::ok);
    }

    std::printf("Criticality ranking: %zu knockout(s), horizon %s, by person-hours lost (distinct people)\n",
                ranking.size(), format_duration(co.horizon).c_str());
    std::printf("%4s  %-28s %-12s %16s %16s %10s %8s %10s\n", "rank", "asset", "sector", "pop-hours lost",
                "EUR lost", "assets out", "sectors", "downstream");
    for (std::size_t r = 0; r < ranking.size(); ++r) {
      const CriticalityEntry& e = ranking[r];
      const Asset& a = s.assets[e.asset];
      std::printf("%4zu  %-28.28s %-12.12s %16s %16s %10zu %8zu %10zu\n", r + 1, a.id.c_str(), sector_id(a.sector).c_str(),
                  fixed(e.population_hours, 0).c_str(), fixed(e.economic_loss_eur, 0).c_str(), e.assets_out,
                  e.sectors_hit, e.downstream);
    }
    std::printf("\nBy economic loss:\n");
    const auto by_loss = rank_by_economic_loss(ranking);
    for (std::size_t r = 0; r < by_loss.size() && r < 10; ++r)
      std::printf("%4zu  %-28.28s %16s EUR\n", r + 1, s.assets[by_loss[r].asset].id.c_str(),
                  fixed(by_loss[r].economic_loss_eur, 0).c_str());
    std::printf("\nIIM: inoperability of each sector (columns) when the perturbed sector (rows) has c* = %.3g\n"
                "(q = (I - A*)^-1 c*, A* = output-normalised interdependencies from the dependencies)\n%-14s",
                iim.perturbation, "perturbed");
    for (const Sector& sec : s.sectors) std::printf(" %10.10s", sec.id.c_str());
    std::printf("\n");
    for (std::size_t p = 0; p < iim.response.size(); ++p) {
      std::printf("%-14.14s", s.sectors[p].id.c_str());
      for (double v : iim.response[p]) std::printf(" %10.4f", v);
      std::printf("\n");
    }
    return static_cast<int>(Exit::ok);
  };
}

}  // namespace cyberdrill::cli
