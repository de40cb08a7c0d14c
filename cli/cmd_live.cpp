// cyberdrill live: a tabletop drill from the console (commands on stdin) or a projector window.
#include <CLI/CLI.hpp>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <set>
#include <sstream>

#include "run_caps.hpp"
#include "commands.hpp"
#include "cyberdrill/drill_journal.hpp"
#include "cyberdrill/run_folder.hpp"
#include "cyberdrill/scenario_io.hpp"
#include "cyberdrill/version.hpp"
#include "live_drill.hpp"
#ifdef CYBERDRILL_HAVE_VIZ
#include "live_window.hpp"
#endif
#include "scenario_loading.hpp"

namespace cyberdrill::cli {

// --- the console ----------------------------------------------------------------------------------

namespace {

constexpr const char* kHelp =
    "commands (one a line):\n"
    "  status                      clock, phase, open decisions, injects, people affected\n"
    "  pause | resume              stop / run the clock (piped input: resume runs to the next inject or decision)\n"
    "  speed X                     1 (real time), 10, 60, 600 ... simulated seconds per second\n"
    "  step                        one event\n"
    "  next inject|decision|T+hh:mm  run to the next inject, the next decision, or a time (then pause)\n"
    "  decide ID OPTION            take an open decision (id or number) with an option (id or number)\n"
    "  injects                     the contingency injects not yet delivered\n"
    "  inject ID                   deliver an inject now (ad hoc)\n"
    "  note TEXT                   a note for the after-action report\n"
    "  view participant|controller what the players know / ground truth as well\n"
    "  help                        this list\n"
    "  quit                        end the drill: run to the horizon and write the run folder\n";

struct LiveArgs {
  std::string scenario;
  std::string out = "live-run";
  std::string journal;
  std::string resume;
  std::string who = "facilitator";
  std::int64_t seed = -1;
  bool console = false;
  bool large = false;
  RunCaps caps;
  std::string script;  ///< window: a key script played first
  std::string stats;       ///< window: per-frame timings written here (benchmark)
  std::string screenshot;  ///< window: the last frame as PNG
  unsigned max_fps = 60;
  std::string command_line;
};

// Console front end: announces what happens, executes commands.
class Console {
 public:
  Console(LiveDrill& drill, bool tty) : drill_(drill), tty_(tty) { announce(); }

  // Returns false on quit.
  bool execute(const std::string& raw) {
    std::istringstream in(raw);
    std::string cmd;
    in >> cmd;
    if (cmd.empty() || cmd[0] == '#') return true;
    std::string rest;
    std::getline(in, rest);
    rest.erase(0, rest.find_first_not_of(' '));
    RunSession& s = drill_.session();
    if (cmd == "quit" || cmd == "exit") return false;
    if (cmd == "help") {
      std::cout << kHelp;
    } else if (cmd == "status") {
      std::cout << format_status(drill_.model(view_), pacing());
    } else if (cmd == "pause") {
      paused_ = true;
      say("paused at " + format_sim_time(s.now()));
    } else if (cmd == "resume") {
      paused_ = false;
      if (!tty_) {  // no wall clock in a pipe: run to the next inject or decision
        s.advance_to_next(true, true, s.end());
        paused_ = true;
        say("now " + format_sim_time(s.now()));
      } else {
        say("running at x" + speed_text());
      }
    } else if (cmd == "speed") {
      char* end = nullptr;
      const std::string x = !rest.empty() && rest[0] == 'x' ? rest.substr(1) : rest;
      const double v = std::strtod(x.c_str(), &end);
      if (x.empty() || end == nullptr || *end != '\0' || !(v > 0) || v > 1e6) return error("speed needs a positive number, e.g. speed 60");
      speed_ = v;
      say("speed x" + speed_text());
    } else if (cmd == "step") {
      if (!s.step()) return error("nothing left to run before the end " + format_sim_time(s.end()));
      say("stepped to " + format_sim_time(s.now()) + " (event " + std::to_string(s.dispatched()) + ")");
    } else if (cmd == "next") {
      paused_ = true;
      if (rest == "inject" || rest == "decision" || rest.empty()) {
        const auto stop = s.advance_to_next(rest != "decision", rest != "inject", s.end());
        if (stop == RunSession::Stop::limit) say("no further " + (rest.empty() ? std::string("inject or decision") : rest) + "; at the end " + format_sim_time(s.now()));
      } else {
        std::string err;
        const auto t = try_parse_sim_time(rest, &err);
        if (!t) return error("next: " + err);
        if (*t < s.now()) return error("next " + rest + ": that is in the past (now " + format_sim_time(s.now()) + ")");
        s.advance_to(*t);
        say("now " + format_sim_time(s.now()));
      }
    } else if (cmd == "decide") {
      std::istringstream r(rest);
      std::string d, o;
      r >> d >> o;
      if (o.empty()) return error("decide needs a decision and an option, e.g. decide 1 2");
      const std::string err = drill_.decide(d, o, who_);
      if (!err.empty()) return error(err);
      say("decided " + printable(d) + " = " + printable(o) + " at " + format_sim_time(s.now()));
    } else if (cmd == "injects") {
      const auto list = drill_.contingency_injects();
      if (list.empty()) std::cout << "no contingency inject left\n";
      for (Index k : list)
        std::cout << "  " << printable(drill_.scenario().injects[k].id) << "  " << printable(drill_.scenario().injects[k].synopsis) << "\n";
    } else if (cmd == "inject") {
      if (rest.empty()) return error("inject needs an id (see 'injects')");
      const std::string err = drill_.inject(rest);
      if (!err.empty()) return error(err);
    } else if (cmd == "note") {
      if (rest.empty()) return error("note needs a text");
      drill_.note(rest);
      say("noted at " + format_sim_time(s.now()));
    } else if (cmd == "view") {
      if (rest == "participant") view_ = LiveView::participant;
      else if (rest == "controller") view_ = LiveView::controller;
      else return error("view participant|controller");
      say(std::string("view: ") + (view_ == LiveView::controller ? "CONTROLLER (ground truth)" : "participant"));
    } else {
      return error("unknown command '" + printable(cmd) + "'");
    }
    announce();
    return true;
  }

  // Interactive pacing: advance by wall-clock time x speed while running.
  void tick(double wall_seconds) {
    if (paused_) return;
    RunSession& s = drill_.session();
    const auto us = static_cast<std::int64_t>(std::llround(wall_seconds * speed_ * 1e6));
    const SimTime target = s.now() + Duration::from_us(us);
    // Stop at each decision so the room can take it.
    if (s.advance_to_next(false, true, target) == RunSession::Stop::decision) {
      paused_ = true;
      say("paused: a decision is open");
    }
    announce();
    if (s.at_end()) {
      paused_ = true;
      say("the scenario's horizon is reached; 'quit' writes the run folder");
    }
  }

  std::string pacing() const { return (paused_ ? "paused" : "running") + std::string(" x") + speed_text(); }

 private:
  bool error(const std::string& msg) {
    std::cout << "error: " << msg << " (type 'help' for the commands)" << std::endl;
    return true;
  }
  void say(const std::string& msg) { std::cout << msg << std::endl; }
  std::string speed_text() const {
    std::ostringstream o;
    o << speed_;
    return o.str();
  }

  // New injects and newly opened decisions since the last announcement.
  void announce() {
    const SessionSnapshot snap = drill_.session().snapshot();
    const Scenario& sc = drill_.scenario();
    for (std::size_t k = injects_seen_; k < snap.injects.size(); ++k) {
      const Inject& in = sc.injects[snap.injects[k].inject];
      std::cout << "INJECT " << format_sim_time(snap.injects[k].time) << " " << printable(in.id);
      auto org = [&](Index o) { return o < sc.organisations.size() ? printable(sc.organisations[o].id) : std::string("-"); };
      std::cout << " " << org(in.from) << " -> " << org(in.to);
      if (!in.method.empty()) std::cout << " (" << printable(in.method) << ")";
      std::cout << ": " << printable(in.message.empty() ? in.synopsis : in.message) << "\n";
    }
    injects_seen_ = snap.injects.size();
    const LiveModel m = build_live_model(sc, snap, view_, 6, &drill_.impact());
    for (const LiveDecisionView& d : m.decisions) {
      if (!decisions_seen_.insert(d.id).second) continue;
      std::cout << "DECISION " << d.number << ": " << d.id << " " << d.question << " (owner " << d.owner
                << ", deadline " << d.deadline << ")\n";
      for (const std::string& o : d.options) std::cout << "    " << o << "\n";
    }
    std::cout.flush();
  }

  LiveDrill& drill_;
  bool tty_;
  bool paused_ = true;
  double speed_ = 60;
  LiveView view_ = LiveView::participant;
  std::string who_ = "facilitator";
  std::size_t injects_seen_ = 0;
  std::set<std::string> decisions_seen_;

 public:
  void set_who(std::string w) { who_ = std::move(w); }
};

void run_console(LiveDrill& drill, const std::string& who) {
  const bool tty = ::isatty(0) != 0;
  Console console(drill, tty);
  console.set_who(who);
  if (!tty) {
    std::string line;
    while (std::getline(std::cin, line))
      if (!console.execute(line)) return;
    return;
  }
  std::cout << "cyberdrill live: paused at T+00:00; 'help' lists the commands, 'resume' starts the clock\n> "
            << std::flush;
  auto last = std::chrono::steady_clock::now();
  std::string pending;
  for (;;) {
    pollfd p{0, POLLIN, 0};
    const int r = ::poll(&p, 1, 100);
    const auto now = std::chrono::steady_clock::now();
    console.tick(std::chrono::duration<double>(now - last).count());
    last = now;
    if (r <= 0) continue;
    char buf[512];
    const ssize_t n = ::read(0, buf, sizeof buf);
    if (n <= 0) return;  // end of input: as quit
    pending.append(buf, static_cast<std::size_t>(n));
    for (std::size_t nl; (nl = pending.find('\n')) != std::string::npos;) {
      const std::string line = pending.substr(0, nl);
      pending.erase(0, nl + 1);
      if (!console.execute(line)) return;
      std::cout << "> " << std::flush;
    }
  }
}

int live(const LiveArgs& a) {
  namespace fs = std::filesystem;
  {
    const fs::path out(a.out);
    if (fs::exists(out) && (!fs::is_directory(out) || (!fs::is_empty(out) && !fs::exists(out / "manifest.json"))))
      throw UsageError("-o " + a.out + ": exists and is not a cyberdrill run folder; choose another folder");
  }
  LoadOptions lo;
  apply_large(lo, a.large);
  const Scenario sc = load_or_usage_error(a.scenario, lo);
  const std::string hash = scenario_hash(a.scenario, lo);
  const std::uint64_t seed = a.seed >= 0 ? static_cast<std::uint64_t>(a.seed) : sc.metadata.seed;

  const LiveDecisionPolicy policy;
  RunOptions ro;
  ro.seed = seed;
  ro.policy = &policy;
  apply_caps(a.caps, ro);
  check_run_caps(sc, ro);  // before the journal is created

  std::optional<DrillJournal> resumed;
  std::string journal_path = a.journal.empty() ? a.out + ".journal.jsonl" : a.journal;
  std::optional<DrillJournalWriter> writer;
  if (!a.resume.empty()) {
    if (!a.journal.empty() && a.journal != a.resume) throw UsageError("--resume continues its own journal; drop --journal");
    journal_path = a.resume;
    try {
      resumed = read_drill_journal(a.resume);
    } catch (const std::exception& e) {
      throw UsageError(std::string("--resume: ") + e.what());
    }
    if (resumed->header.scenario_hash != hash)
      throw UsageError("--resume " + a.resume + ": the journal belongs to another scenario (hash " +
                       resumed->header.scenario_hash + ", this scenario " + hash + ")");
    if (resumed->header.seed != seed)
      throw UsageError("--resume " + a.resume + ": the journal was recorded with seed " +
                       std::to_string(resumed->header.seed) + ", this drill uses seed " + std::to_string(seed) +
                       " (--seed)");
    if (resumed->torn) std::cerr << "warning: " << *resumed->torn << "\n";
    writer = DrillJournalWriter::resume(a.resume, resumed->valid_bytes);
  } else {
    if (fs::exists(journal_path))
      throw UsageError("journal " + journal_path + " exists: continue it with --resume " + journal_path +
                       " or choose another --journal");
    writer = DrillJournalWriter::create(journal_path, DrillJournalHeader{a.scenario, hash, seed});
  }

  LiveDrill drill(sc, ro, std::move(*writer));
  if (resumed) {
    for (const DrillAction& act : resumed->actions)
      if (!drill.session().replay(act))
        throw UsageError("--resume " + a.resume + ": the action at " + format_sim_time(act.time) +
                         " no longer applies to this scenario");
    std::cerr << "resumed " << journal_path << ": " << resumed->actions.size() << " action(s) replayed, now "
              << format_sim_time(drill.session().now()) << "\n";
  }
  spdlog::info("live drill {} (seed {}), journal {}", sc.metadata.name, seed, journal_path);

  if (a.console) {
    run_console(drill, a.who);
  } else {
#ifdef CYBERDRILL_HAVE_VIZ
    LiveWindowOptions wo;
    wo.max_fps = a.max_fps;
    wo.stats_path = a.stats;
    wo.screenshot_path = a.screenshot;
    std::vector<ScriptEntry>& script = wo.script;
    if (!a.script.empty()) {
      std::ifstream in(a.script, std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      if (!in) throw UsageError("--script " + a.script + ": cannot read it");
      try {
        script = parse_key_script(text.str());
      } catch (const std::exception& e) {
        throw UsageError("--script " + a.script + ": " + e.what());
      }
    }
    run_live_window(drill, a.who, wo);
#else
    throw UsageError("this cyberdrill was built without the window (CYBERDRILL_BUILD_VIZ=OFF); use --console");
#endif
  }

  // The end of the drill: the run to the horizon, the run folder as `run` writes it.
  RunSession& s = drill.session();
  const std::vector<DrillAction> actions = s.actions();
  const RunResult res = s.finish();
  RunManifest man;
  man.version = build::version;
  man.git_commit = build::git_commit;
  man.scenario_path = a.scenario;
  man.scenario_hash = hash;
  man.journal_path = journal_path;
  man.command_line = a.command_line;
  man.live = true;
  man.drill = actions;
  write_run_folder(a.out, sc, res, man);
  char fp[17];
  std::snprintf(fp, sizeof fp, "%016llx", static_cast<unsigned long long>(res.fingerprint));
  std::cout << "drill ended: " << actions.size() << " action(s), " << res.journal.entries.size()
            << " decision(s), fingerprint " << fp << "\n  run folder " << a.out << "\n  journal " << journal_path
            << "\n";
  return Exit::ok;
}

}  // namespace

Action add_live(CLI::App& app) {
  auto args = std::make_shared<LiveArgs>();
  CLI::App* sub = app.add_subcommand("live", "A live tabletop drill: projector window or --console");
  sub->footer(R"(
Every facilitator action (decision, ad hoc inject, note) is journaled, flushed and synced before
it takes effect. After a crash, --resume JOURNAL restores the drill exactly. On quit the run
folder is written as by 'run' (with drill.jsonl: the actions and notes).
Console commands (stdin, one a line): status, pause, resume, speed X, step,
next inject|decision|T+hh:mm, decide ID OPTION, injects, inject ID, note TEXT,
view participant|controller, help, quit. With piped input there is no wall clock: 'resume' runs
to the next inject or decision; the drill ends at 'quit' or at the end of input.

Examples:
  cyberdrill live scenarios/belgium/grid-blackout.json
  cyberdrill live EX.json --console --journal drill.jsonl -o runs/drill
  cyberdrill live EX.json --console --resume drill.jsonl -o runs/drill
  cyberdrill run EX.json --journal drill.jsonl -o runs/replay     # the drill, headless
  cyberdrill batch EX.json --runs 100 --journal drill.jsonl -o studies/drill   # under other draws

Window key script (--script FILE): entries the window plays, one per frame, before the
facilitator's own input: a prepared opening (speed, jump to where the last session stopped, a
note), a rehearsal, or an unattended demo. One entry a line, '#' starts a comment:
  KEY          space, enter, esc, backspace, f1..f4, a..z, 0..9 (the window's keys, see 'h')
  type TEXT    characters typed (after t: the note; after j: the time, e.g. 02:00)
  click X Y    a left click at X Y of the 1920x1080 layout (a decision option, the view banner)
  move X Y     the pointer moved to X Y (over a map tile: its name, sector and status)
  wait S       the script waits S seconds while the window runs (a demo, a benchmark)
A script ending with q ends the drill and writes the run folder. Example:
  f4
  j
  type 01:30
  enter
  t
  type session 2 starts here
  enter)");
  sub->add_option("scenario", args->scenario, "Scenario file (JSON)")->required()->check(CLI::ExistingFile);
  sub->add_option("-o,--out", args->out, "Run folder written at the end (default: live-run)");
  sub->add_option("--journal", args->journal, "Drill journal to write (default: OUT.journal.jsonl); must not exist");
  sub->add_option("--resume", args->resume, "Continue the drill recorded in this journal")->check(CLI::ExistingFile);
  sub->add_option("--seed", args->seed, "Seed (default: the scenario's metadata.seed)")->check(CLI::NonNegativeNumber);
  sub->add_option("--who", args->who, "Name journaled with the decisions (default: facilitator)");
  sub->add_flag("--console", args->console, "Commands on stdin instead of the window");
  sub->add_option("--script", args->script, "Window: a key script played first (see below)")->check(CLI::ExistingFile);
  sub->add_option("--max-fps", args->max_fps, "Window: frames per second at most (default 60; 0: as fast as it draws)");
  sub->add_option("--frame-stats", args->stats, "Window: write each frame's display time and the pause latencies here at the end (bench/live_frames.sh)");
  sub->add_option("--screenshot", args->screenshot, "Window: save the last frame as PNG at the end");
  add_large_flag(sub, args->large);
  add_cap_options(sub, args->caps);
  return [args] {
    args->command_line = "cyberdrill live " + args->scenario + " -o " + args->out;
    if (args->seed >= 0) args->command_line += " --seed " + std::to_string(args->seed);
    if (args->console) args->command_line += " --console";
    if (args->console && !args->script.empty()) throw UsageError("--script: for the window; with --console, pipe the commands in");
    if (args->console && (!args->stats.empty() || !args->screenshot.empty()))
      throw UsageError("--frame-stats and --screenshot: for the window, not with --console");
    return live(*args);
  };
}

}  // namespace cyberdrill::cli
