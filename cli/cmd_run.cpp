// cyberdrill run: one seeded run of a scenario -> the run folder.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>

#include "commands.hpp"
#include "integer_range.hpp"
#include "run_caps.hpp"
#include "cyberdrill/metrics.hpp"
#include "cyberdrill/atomic_output.hpp"
#include "cyberdrill/terminal_text.hpp"
#include "cyberdrill/drill_journal.hpp"
#include "cyberdrill/run.hpp"
#include "cyberdrill/run_folder.hpp"
#include "cyberdrill/scenario_io.hpp"
#include "cyberdrill/version.hpp"
#include "scenario_loading.hpp"

namespace cyberdrill::cli {
namespace {

struct RunArgs {
  std::string scenario;
  std::string out;
  std::string plan;
  std::string journal;
  std::string until;
  std::string fork_at;
  std::vector<std::string> decide;
  std::int64_t seed = -1;
  bool large = false;
  RunCaps caps;
  std::string command_line;
};

std::string hours(const std::optional<double>& v) {
  if (!v) return "never";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f h", *v);
  return buf;
}

int run(const RunArgs& a) {
  {
    namespace fs = std::filesystem;
    const fs::path out(a.out);
    if (fs::exists(out) && (!fs::is_directory(out) || (!fs::is_empty(out) && !fs::exists(out / "manifest.json"))))
      throw UsageError("-o " + a.out + ": exists and is not a cyberdrill run folder; choose another folder");
  }
  LoadOptions lo;
  lo.plan_override = a.plan;
  apply_large(lo, a.large);
  const Scenario sc = load_or_usage_error(a.scenario, lo);

  RunOptions ro;
  ro.seed = a.seed >= 0 ? static_cast<std::uint64_t>(a.seed) : sc.metadata.seed;
  apply_caps(a.caps, ro);
  // --until T: the run stops at T, with or without --journal. --fork-at T (with --journal): the
  // journal is replayed before T, from T on --decide and the defaults decide (the fork).
  auto scenario_time = [](const std::string& option, const std::string& text) {
    std::string err;
    const auto t = try_parse_sim_time(text, &err);
    if (!t) throw UsageError(option + ": " + err);
    if (*t < SimTime::zero()) throw UsageError(option + " " + text + ": before the start of the exercise (T+0)");
    return *t;
  };
  if (!a.until.empty()) ro.until = scenario_time("--until", a.until);
  std::optional<SimTime> fork_at;
  if (!a.fork_at.empty()) {
    if (a.journal.empty())
      throw UsageError("--fork-at " + a.fork_at + ": needs --journal (the recorded decisions replayed before the fork)");
    fork_at = scenario_time("--fork-at", a.fork_at);
    if (ro.until && *ro.until < *fork_at)
      throw UsageError("--fork-at " + a.fork_at + " is after --until " + a.until + ": the run would stop before the fork");
  }
  std::map<std::string, std::string> overrides;
  for (const std::string& d : a.decide) {
    try {
      const auto [it, fresh] = overrides.insert(parse_decision_override(d));
      if (!fresh)
        throw UsageError("--decide " + d + ": decision " + it->first + " is already decided (--decide " + it->first + "=" +
                         it->second + "); give each decision once");
    } catch (const UsageError&) {
      throw;
    } catch (const std::exception& e) {
      throw UsageError(std::string("--decide ") + d + ": " + e.what());
    }
  }
  // Decisions: --decide overrides (else defaults). With --journal, the journal's decisions are
  // replayed; with --journal and --fork-at T, only those before T are, and later decisions come
  // from --decide / defaults: the counterfactual fork.
  // A drill journal (`cyberdrill live`): the facilitator's actions replayed where they were
  // taken, decisions waiting for them as in the drill (defaults at their deadlines); --fork-at
  // cuts the actions at T. Gives the drill's exact trace.
  std::optional<DrillJournal> drill;
  if (!a.journal.empty() && is_drill_journal(a.journal)) {
    if (!a.decide.empty()) throw UsageError("--decide: not with a drill journal (edit the journal's decide lines instead)");
    try {
      drill = read_drill_journal(a.journal);
    } catch (const std::exception& e) {
      throw UsageError(std::string("--journal: ") + e.what());
    }
    if (drill->torn) std::cerr << "warning: " << *drill->torn << "\n";
    if (a.seed < 0) ro.seed = drill->header.seed;
    if (drill->header.seed != ro.seed || drill->header.scenario_hash != scenario_hash(a.scenario, lo))
      std::cerr << "warning: the drill journal was recorded with another scenario or seed; its actions are applied "
                   "where they still apply\n";
    if (fork_at) std::erase_if(drill->actions, [&](const DrillAction& x) { return x.time >= *fork_at; });
  }
  std::unique_ptr<DecisionPolicy> fallback;
  std::unique_ptr<DecisionPolicy> replay;
  try {
    fallback = std::make_unique<OverrideDecisionPolicy>(sc, overrides);
    if (!a.journal.empty() && !drill) {
      const DecisionJournal journal = read_decision_journal(a.journal);
      replay = std::make_unique<JournalReplayPolicy>(sc, journal, fork_at, *fallback);
    }
  } catch (const std::exception& e) {
    throw UsageError(e.what());
  }
  ro.policy = replay ? replay.get() : fallback.get();

  spdlog::info("running {} (seed {}, horizon {})", terminal_safe(sc.metadata.name), ro.seed, format_duration(sc.metadata.duration));
  const auto t0 = std::chrono::steady_clock::now();
  const LiveDecisionPolicy live;
  if (drill) ro.policy = &live;
  const RunResult res = drill ? replay_drill(sc, ro, drill->actions) : run_scenario(sc, ro);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  spdlog::info("{} events, {} records in {:.2f} s", res.events, res.record_count, wall);

  RunManifest man;
  man.version = build::version;
  man.git_commit = build::git_commit;
  man.scenario_path = a.scenario;
  man.scenario_hash = scenario_hash(a.scenario, lo);
  man.plan_path = a.plan;
  man.journal_path = a.journal;
  man.command_line = a.command_line;
  man.until = a.until;
  man.fork_at = a.fork_at;
  if (drill) {
    man.live = true;
    man.drill = drill->actions;
  }
  write_run_folder(a.out, sc, res, man);

  const MetricValues& m = res.metrics.values;
  auto get = [&](std::string_view k) { auto it = m.find(std::string(k)); return it == m.end() ? std::optional<double>{} : it->second; };
  std::cout << "cyberdrill run: " << terminal_safe(sc.metadata.name) << " (plan " << terminal_safe(sc.plan.id) << ", seed " << ro.seed << ")\n";
  std::cout << "  detect    " << hours(get(metric::time_to_detect)) << "\n";
  std::cout << "  report    " << hours(get(metric::time_to_report)) << "\n";
  std::cout << "  escalate  " << hours(get(metric::time_to_escalate)) << "   crisis " << hours(get(metric::time_to_crisis))
            << "\n";
  std::cout << "  contain   " << hours(get(metric::time_to_contain)) << "\n";
  std::cout << "  recover   " << hours(get(metric::time_to_recover)) << "\n";
  int met = 0, missed = 0;
  for (const ObligationClock& c : res.metrics.obligations) {
    met += c.state == ObligationClock::State::met;
    missed += c.state == ObligationClock::State::missed;
  }
  std::cout << "  obligations met " << met << " of " << (met + missed) << "\n";
  std::cout << "  objectives ";
  for (const ObjectiveRating& r : res.ratings) std::cout << terminal_safe(sc.objectives[r.objective].id) << "=" << rating_letter(r.rating) << " ";
  std::cout << "\n  run folder " << a.out << "\n";
  return Exit::ok;
}

}  // namespace

Action add_run(CLI::App& app) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* sub = app.add_subcommand("run", "Run a scenario once (seeded) and write the run folder");
  sub->footer(R"(
The run folder holds manifest.json, events.jsonl (every trace record), metrics.json,
service_levels.csv and decisions.jsonl. The same scenario, seed and decisions give byte-identical
events.jsonl.

Examples:
  cyberdrill run scenarios/belgium/grid-blackout.json -o runs/grid
  cyberdrill run EX.json --plan scenarios/belgium/plan-2017.json -o runs/grid-2017
  cyberdrill run EX.json --decide D-01=declare-crisis -o runs/what-if
  cyberdrill run EX.json --until T+06:00 -o runs/first-6h   # stop at T+06:00
  cyberdrill run EX.json --journal runs/grid/decisions.jsonl --fork-at T+04:00 \
                 --decide D-02=isolate -o runs/fork        # replay before T+04:00, then decide anew

--until T always stops the run at scenario time T, with or without --journal (with --journal the
recorded decisions before T are replayed, then the run stops). --fork-at T needs --journal: the
journal's decisions before T are replayed, from T on --decide and the defaults decide, and the
run goes on to the horizon (or to --until). Times are scenario times: T+hh:mm, T+2d 03:15, or a
duration from T+0 such as 6h, 3h30m, T+3h30.)");
  sub->add_option("scenario", args->scenario, "Scenario file (JSON)")->required()->check(CLI::ExistingFile);
  sub->add_option("-o,--out", args->out, "Run folder to write (replaced if it holds a previous run)")->required();
  sub->add_option("--seed", args->seed, "Seed (default: the scenario's metadata.seed)")
      ->check(integer_range(0, INT64_MAX));
  sub->add_option("--plan", args->plan, "Run against this plan file instead of the scenario's own")
      ->check(CLI::ExistingFile);
  sub->add_option("--decide", args->decide, "Decide a decision point: ID=OPTION (repeatable)");
  sub->add_option("--journal", args->journal,
                  "Replay the decisions of a recorded decisions.jsonl, or a live drill's journal (every action)")
      ->check(CLI::ExistingFile);
  sub->add_option("--until", args->until,
                  "Stop the run at this scenario time (T+hh:mm), with or without --journal");
  sub->add_option("--fork-at", args->fork_at,
                  "With --journal: replay its decisions before this time, then let --decide / defaults "
                  "decide (a counterfactual fork)");
  add_large_flag(sub, args->large);
  add_cap_options(sub, args->caps);
  return [args, &app] {
    args->out = without_trailing_separators(args->out).string();  // "-o runs/x/" is runs/x
    args->command_line = "cyberdrill run " + args->scenario + " -o " + args->out;
    if (args->seed >= 0) args->command_line += " --seed " + std::to_string(args->seed);
    if (!args->plan.empty()) args->command_line += " --plan " + args->plan;
    for (const auto& d : args->decide) args->command_line += " --decide " + d;
    if (!args->journal.empty()) args->command_line += " --journal " + args->journal;
    if (!args->until.empty()) args->command_line += " --until " + args->until;
    if (!args->fork_at.empty()) args->command_line += " --fork-at " + args->fork_at;
    if (args->large) args->command_line += " --large";
    (void)app;
    return run(*args);
  };
}

}  // namespace cyberdrill::cli
