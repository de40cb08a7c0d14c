// The `cyberdrill batch` command: output folder, identical outputs for any -j and after --resume,
// bad --vary, and (in MPI builds) identical outputs from mpirun -np 2.
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cli_helpers.hpp"

using namespace cyberdrill::testing;
namespace fs = std::filesystem;

namespace {

const std::string kFlagship = std::string(CYBERDRILL_SOURCE_DIR) + "/scenarios/belgium/grid-blackout.json";
const std::string kPlans = std::string(CYBERDRILL_SOURCE_DIR) + "/scenarios/belgium/";

struct TempDir {
  fs::path path;
  TempDir() {
    static int n = 0;
    path = fs::temp_directory_path() / ("cyberdrill-cli-batch-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

// Runs `cyberdrill ARGS` inside `dir` (so -o names the same relative folder in every run and even
// manifest.json's command line is comparable).
CommandResult batch_in(const fs::path& dir, const std::string& args) {
  return run_command("cd '" + dir.string() + "' && " + std::string(CYBERDRILL_EXE) + " batch " + args);
}

std::size_t line_count(const std::string& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }

void check_same_folder(const fs::path& a, const fs::path& b) {
  for (const char* f : {"runs.csv", "summary.json", "summary.csv", "manifest.json", "censoring.csv", "survival.csv",
                        "sensitivity.csv"}) {
    CAPTURE(f);
    REQUIRE(fs::exists(a / f));
    REQUIRE(fs::exists(b / f));
    CHECK(slurp(a / f) == slurp(b / f));
  }
}

const std::string kSweep = kFlagship + " --runs 12 --vary policy.reporting_coverage_scale=0.3,1 --vary policy.csirt_staff_scale=1,2,3";

}  // namespace

TEST_CASE("batch writes the output folder and a table of the key metrics") {
  TempDir tmp;
  const CommandResult r = batch_in(tmp.path, kSweep + " -j 2 -o out");
  INFO(r.err);
  REQUIRE(r.code == 0);
  for (const char* f : {"manifest.json", "runs.csv", "summary.json", "summary.csv"}) CHECK(fs::exists(tmp.path / "out" / f));
  CHECK(!fs::exists(tmp.path / "out.partial"));
  // Cartesian product of two axes: 2 x 3 variants x 12 runs, plus the header.
  const std::string runs = slurp(tmp.path / "out" / "runs.csv");
  CHECK(line_count(runs) == 1 + 6 * 12);
  CHECK(runs.starts_with("variant,policy.reporting_coverage_scale,policy.csirt_staff_scale,run,seed,time_to_detect_h,"));
  CHECK(runs.find("\nv0,0.3,1,0,") != std::string::npos);
  CHECK(runs.find("\nv1,0.3,2,0,") != std::string::npos);
  CHECK(runs.find("\nv5,1,3,11,") != std::string::npos);
  const std::string summary = slurp(tmp.path / "out" / "summary.csv");
  CHECK(summary.find("v3,1,1,time_to_escalate_h,12,") != std::string::npos);
  const std::string manifest = slurp(tmp.path / "out" / "manifest.json");
  CHECK(manifest.find("\"variant_count\": 6") != std::string::npos);
  CHECK(manifest.find("common random numbers") != std::string::npos);
  // The table on stdout.
  for (const char* k : {"time_to_detect_h", "time_to_escalate_h", "time_to_crisis_h", "time_to_contain_h",
                        "population_hours_lost", "obligations_met_fraction", "max_level_rank",
                        "time_to_first_restore_h", "v5  policy.reporting_coverage_scale=1  "
                        "policy.csirt_staff_scale=3", "vs baseline (paired)", "objectives (runs rated P/S/M/U)"}) {
    CAPTURE(k);
    CHECK(r.out.find(k) != std::string::npos);
  }
  CHECK(r.err.find("72/72 runs") != std::string::npos);  // progress on stderr
}

TEST_CASE("batch output is byte-identical for -j 1 and -j 2") {
  TempDir a, b;
  REQUIRE(batch_in(a.path, kSweep + " -j 1 -o out").code == 0);
  REQUIRE(batch_in(b.path, kSweep + " -j 2 -o out").code == 0);
  check_same_folder(a.path / "out", b.path / "out");
}

TEST_CASE("batch resumes an interrupted study to the same outputs as an uninterrupted one") {
  TempDir full, parts;
  REQUIRE(batch_in(full.path, kSweep + " -j 2 -o out").code == 0);
  const CommandResult first = batch_in(parts.path, kSweep + " -j 2 --stop-after 20 -o out");
  CHECK(first.code == 1);
  CHECK(first.err.find("--resume") != std::string::npos);
  CHECK(!fs::exists(parts.path / "out"));
  CHECK(line_count(slurp(parts.path / "out.partial" / "runs.csv")) == 20);
  const CommandResult second = batch_in(parts.path, kSweep + " -j 1 --stop-after 30 --resume -o out");
  CHECK(second.code == 1);
  CHECK(second.err.find("20 of 72 runs restored") != std::string::npos);
  const CommandResult last = batch_in(parts.path, kSweep + " -j 2 --resume -o out");
  INFO(last.err);
  REQUIRE(last.code == 0);
  CHECK(last.err.find("50 of 72 runs restored") != std::string::npos);
  CHECK(!fs::exists(parts.path / "out.partial"));
  check_same_folder(full.path / "out", parts.path / "out");
}

TEST_CASE("batch refuses to resume the checkpoint of another study") {
  TempDir tmp;
  REQUIRE(batch_in(tmp.path, kSweep + " --stop-after 5 -o out").code == 1);
  const CommandResult r = batch_in(tmp.path, kFlagship + " --runs 7 --resume -o out");
  CHECK(r.code == 2);
  CHECK(r.err.find("different study") != std::string::npos);
  CHECK(fs::exists(tmp.path / "out.partial"));
}

TEST_CASE("batch with a bad --vary exits 2 and writes nothing") {
  TempDir tmp;
  struct Case {
    const char* vary;
    const char* message;
  };
  const Case cases[] = {
      {"policy.reportng_coverage_scale=0.5,1", "did you mean \"policy.reporting_coverage_scale\""},
      {"policy.csirt_staff_scale=1,lots", "\"lots\" is not a number"},
      {"policy.csirt_staff_scale", "expected PATH=V1,V2"},
      {"decide.D-02=panic", "has no option \"panic\""},
      {"plan=missing.json", "does not exist"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.vary);
    const CommandResult r = batch_in(tmp.path, kFlagship + " --runs 3 --vary '" + c.vary + "' -o out");
    CHECK(r.code == 2);
    CHECK(r.err.find(c.message) != std::string::npos);
    CHECK(fs::is_empty(tmp.path));
  }
}

TEST_CASE("batch leaves a folder that is not a cyberdrill output alone") {
  TempDir tmp;
  fs::create_directories(tmp.path / "mine");
  { std::ofstream(tmp.path / "mine" / "notes.txt") << "keep"; }
  const CommandResult r = batch_in(tmp.path, kFlagship + " --runs 2 -o mine");
  CHECK(r.code == 2);
  CHECK(r.err.find("not a cyberdrill output folder") != std::string::npos);
  CHECK(slurp(tmp.path / "mine" / "notes.txt") == "keep");
  CHECK(!fs::exists(tmp.path / "mine.partial"));
}

TEST_CASE("batch plan sweep runs the exercise against each plan version") {
  TempDir tmp;
  const CommandResult r = batch_in(
      tmp.path, kFlagship + " --runs 4 --vary plan=" + kPlans + "plan-2017.json," + kPlans + "plan-nis2.json -o out");
  INFO(r.err);
  REQUIRE(r.code == 0);
  const std::string manifest = slurp(tmp.path / "out" / "manifest.json");
  CHECK(manifest.find("plan-2017.json") != std::string::npos);
  CHECK(manifest.find("plan-nis2.json") != std::string::npos);
  CHECK(line_count(slurp(tmp.path / "out" / "runs.csv")) == 1 + 2 * 4);
}

#ifdef CYBERDRILL_TEST_MPI
TEST_CASE("batch over two MPI ranks (dynamic work sharing) writes the same folder as -j 1, byte for byte") {
  for (const std::string seeds : {"crn", "independent"}) {
    CAPTURE(seeds);
    TempDir threaded, ranks;
    const std::string study = kSweep + " --seeds " + seeds;
    REQUIRE(batch_in(threaded.path, study + " -j 1 -o out").code == 0);
    // OMPI_ALLOW_RUN_AS_ROOT*: Open MPI refuses to start as root (CI containers) without them.
    const CommandResult r = run_command("cd '" + ranks.path.string() +
                                        "' && OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 " +
                                        CYBERDRILL_MPIEXEC + " --oversubscribe -np 2 " + CYBERDRILL_EXE + " batch " +
                                        study + " -j 1 --mpi -o out");
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(r.out.find("vs baseline (paired)") != std::string::npos);
    check_same_folder(threaded.path / "out", ranks.path / "out");
    for (const auto& e : fs::directory_iterator(threaded.path / "out")) {
      CAPTURE(e.path().filename().string());
      CHECK(slurp(e.path()) == slurp(ranks.path / "out" / e.path().filename()));
    }
  }
}

TEST_CASE("batch over two MPI ranks with two threads each and many blocks writes the same folder as -j 1") {
  // 300 runs of 2 configurations: 34 blocks of 18 runs (600 / (2 ranks x 16)) shared by rank 0 and
  // the worker, the last of 6 runs; the rows travel as binary records.
  TempDir threaded, ranks;
  const std::string study = kFlagship + " --runs 300 --vary policy.csirt_staff_scale=1,2";
  REQUIRE(batch_in(threaded.path, study + " -j 1 -o out").code == 0);
  const CommandResult r = run_command("cd '" + ranks.path.string() +
                                      "' && OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 " +
                                      CYBERDRILL_MPIEXEC + " --oversubscribe -np 2 " + CYBERDRILL_EXE + " batch " +
                                      study + " -j 2 --mpi -o out");
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(line_count(slurp(ranks.path / "out" / "runs.csv")) == 1 + 600);
  for (const auto& e : fs::directory_iterator(threaded.path / "out")) {
    CAPTURE(e.path().filename().string());
    CHECK(slurp(e.path()) == slurp(ranks.path / "out" / e.path().filename()));
  }
  // Rank 0's row store was an anonymous temporary file: nothing but the output folder is left.
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator(ranks.path)) left.push_back(e.path().filename().string());
  CHECK(left == std::vector<std::string>{"out"});
}
#else
TEST_CASE("batch --mpi explains that this build has no MPI") {
  TempDir tmp;
  const CommandResult r = batch_in(tmp.path, kFlagship + " --runs 2 --mpi -o out");
  CHECK(r.code == 2);
  CHECK(r.err.find("built without MPI (configure with -DCYBERDRILL_WITH_MPI=ON)") != std::string::npos);
  CHECK(fs::is_empty(tmp.path));
}
#endif

TEST_CASE("batch --shard i/n then batch merge equals the unsharded study byte for byte") {
  TempDir tmp;
  const fs::path one = tmp.path / "one", split = tmp.path / "split";
  fs::create_directories(one);
  fs::create_directories(split);
  const std::string study = kFlagship + " --runs 5 --vary policy.reporting_coverage_scale=0:1:0.5 --vary organisations.ncsirt.staff=2,4";
  REQUIRE(batch_in(one, study + " -j 2 -o out").code == 0);
  for (int i = 1; i <= 4; ++i) {
    const CommandResult r = batch_in(split, study + " -j 1 --shard " + std::to_string(i) + "/4 -o s" + std::to_string(i));
    INFO(r.err);
    REQUIRE(r.code == 0);
  }
  // Shards in any order; missing or repeated shards are refused with exit 2.
  CHECK(batch_in(split, "merge s1 s2 s3 -o out").code == 2);
  CHECK(batch_in(split, "merge s1 s1 s2 s3 -o out").code == 2);
  const CommandResult m = batch_in(split, "merge s3 s1 s4 s2 -o out");
  INFO(m.err);
  REQUIRE(m.code == 0);
  check_same_folder(one / "out", split / "out");
  // Every file of the folder, not just the ones named above.
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(one / "out")) {
    ++files;
    CHECK(slurp(e.path()) == slurp(split / "out" / e.path().filename()));
  }
  CHECK(files >= 7);
  // A shard of another study is refused.
  REQUIRE(batch_in(split, kFlagship + " --runs 5 --shard 1/4 -o other").code == 0);
  CHECK(batch_in(split, "merge other s2 s3 s4 -o out2").code == 2);
  CHECK(batch_in(split, kFlagship + " --runs 5 --shard 5/4 -o bad").code == 2);
}

TEST_CASE("batch --seeds independent: the same folder for -j 1, -j 2 and a merge of shards") {
  TempDir tmp;
  const std::string study = kFlagship + " --runs 4 --seeds independent --vary policy.csirt_staff_scale=1,2";
  REQUIRE(batch_in(tmp.path, study + " -j 1 -o one").code == 0);
  REQUIRE(batch_in(tmp.path, study + " -j 2 -o two").code == 0);
  for (int i = 1; i <= 3; ++i)
    REQUIRE(batch_in(tmp.path, study + " -j 1 --shard " + std::to_string(i) + "/3 -o s" + std::to_string(i)).code == 0);
  REQUIRE(batch_in(tmp.path, "merge s2 s3 s1 -o merged").code == 0);
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(tmp.path / "one")) {
    ++files;
    CAPTURE(e.path().filename().string());
    if (e.path().filename() == "manifest.json") continue;  // holds the command line, with its own -o
    CHECK(slurp(e.path()) == slurp(tmp.path / "two" / e.path().filename()));
    CHECK(slurp(e.path()) == slurp(tmp.path / "merged" / e.path().filename()));
  }
  CHECK(files >= 8);  // with impact_bands.csv
  CHECK(slurp(tmp.path / "one" / "manifest.json").find("independent configurations") != std::string::npos);
  // Another seed rule is another study: the seeds differ from common random numbers.
  REQUIRE(batch_in(tmp.path, kFlagship + " --runs 4 --vary policy.csirt_staff_scale=1,2 -j 2 -o crn").code == 0);
  CHECK(slurp(tmp.path / "crn" / "runs.csv") != slurp(tmp.path / "one" / "runs.csv"));
  CHECK(batch_in(tmp.path, kFlagship + " --runs 4 --seeds paired -o bad").code == 2);
}

TEST_CASE("batch --plots draws the impact bands and report STUDY_DIR embeds every figure") {
  TempDir tmp;
  const CommandResult b = batch_in(tmp.path, kFlagship + " --runs 4 -j 2 --vary policy.csirt_staff_scale=1,2 --plots -o out");
  INFO(b.err);
  if (b.err.find("built without the viz layer") != std::string::npos) {
    // A build without the viz layer (the sanitizer stage's): --plots is a usage error, exit 2.
    CHECK(b.code == 2);
    return;
  }
  REQUIRE(b.code == 0);
  for (const char* f : {"impact-bands-people_affected.png", "impact-bands-economic_loss_eur.png", "tornado.png",
                        "cdf-time_to_escalate_h.png"})
    CHECK(fs::file_size(tmp.path / "out" / "plots" / f) > 1000);
  const CommandResult r = run_command("cd '" + tmp.path.string() + "' && " + std::string(CYBERDRILL_EXE) +
                                      " report out -o aar --rank-by economic_loss_eur");
  INFO(r.err);
  REQUIRE(r.code == 0);
  const std::string html = slurp(tmp.path / "aar" / "study-report.html");
  std::size_t images = 0;
  for (std::size_t at = html.find("data:image/png;base64,"); at != std::string::npos;
       at = html.find("data:image/png;base64,", at + 1))
    ++images;
  std::size_t plots = 0;
  for (const auto& e : fs::directory_iterator(tmp.path / "out" / "plots")) plots += e.path().extension() == ".png";
  CHECK(images == plots);
  CHECK(fs::exists(tmp.path / "aar" / "figures" / "impact-bands-people_affected.png"));
  const std::string md = slurp(tmp.path / "aar" / "study-report.md");
  CHECK(md.find("Configurations ranked by economic\\_loss\\_eur") != std::string::npos);
  CHECK(md.find("Impact over time") != std::string::npos);
  // A metric the study does not have is bad input.
  CHECK(run_command("cd '" + tmp.path.string() + "' && " + std::string(CYBERDRILL_EXE) +
                    " report out -o aar2 --rank-by nonsense").code == 2);
}

TEST_CASE("batch --vary on a scenario path: a wrong path or type exits 2 naming the path") {
  TempDir tmp;
  const CommandResult r = batch_in(tmp.path, kFlagship + " --runs 2 --vary organisations.ncsirt.stuff=2 -o out");
  CHECK(r.code == 2);
  CHECK(r.err.find("organisations.ncsirt.stuff") != std::string::npos);
  const CommandResult t = batch_in(tmp.path, kFlagship + " --runs 2 --vary organisations.ncsirt.staff=many -o out");
  CHECK(t.code == 2);
  CHECK(t.err.find("organisations.ncsirt.staff") != std::string::npos);
  CHECK_FALSE(fs::exists(tmp.path / "out"));
  const CommandResult l = batch_in(tmp.path, kFlagship + " --runs 2 --vary policy.csirt_staff_scale=0.5:2 --design lhs --samples 3 -o out");
  INFO(l.err);
  CHECK(l.code == 0);
  CHECK(l.out.find("censored outcomes (Kaplan-Meier)") != std::string::npos);
  CHECK(fs::exists(tmp.path / "out" / "sensitivity.csv"));
}
