// Batch studies: many seeded replications of a scenario, over a Cartesian product of variants
// (sweeps of policy knobs, plan versions and decisions), with summary statistics.
//
// Contract
//  - A Study is a scenario, a list of variants and a number of runs per variant. Variant order is
//    the Cartesian product of the axes with the first axis outermost (slowest changing); variant 0
//    (the first value of every axis) is the baseline.
//  - Seeds (Study::seeds): by default common random numbers. Run i of EVERY variant uses seed
//    base_seed + i, so variants are compared on the same draws (a paired comparison: differences
//    against the baseline have a much smaller variance than two independent samples). With
//    SeedMode::independent run i of variant v uses a seed hashed from (base_seed, v, i), so the
//    configurations are independent samples. base_seed defaults to the scenario's metadata.seed.
//  - A run is run_scenario(variant scenario, seed, variant decisions) with keep_records = false;
//    results are stored by index = variant * runs + run, so every output is a pure function of the
//    study: identical for any thread count, any completion order, any MPI rank count, and after a
//    resume from a checkpoint.
//  - Statistics are computed in index order from the stored rows (never from completion order).
//  - The library never prints: progress goes through a callback and tables are returned as text.
//  - Errors in the study definition (a bad --vary, an unknown decision or option, objectives that
//    differ between plans) throw StudyError; a scenario or plan that does not load throws
//    ScenarioError (scenario_io.hpp). Both mean bad input.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "cyberdrill/decisions.hpp"
#include "cyberdrill/response.hpp"
#include "cyberdrill/scenario.hpp"
#include "cyberdrill/scenario_io.hpp"
#include "cyberdrill/session.hpp"

namespace cyberdrill {
class RunPrep;  // run.hpp
}

namespace cyberdrill::batch {

/// Bad study definition (bad input: the CLI exits 2). what() says what is wrong and what is expected.
class StudyError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// One run of a study took longer than Study::max_wall_per_run_s of wall-clock time and was
/// stopped (sim/batch/wall_limit.cpp). execute() does not rethrow it: it reports the run through
/// ExecuteOptions::on_timed_out, stores no row for it and goes on with the other runs.
class RunTimedOut : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// ---------------------------------------------------------------------------------------------
// Defining a study
// ---------------------------------------------------------------------------------------------

/// One --vary PATH=V1,V2,... axis.
///  policy.NAME   a Scenario::policy knob (one of known_policies()); values are numbers >= 0 that
///                replace the scenario's own value for that knob
///  plan          plan files: the scenario is loaded once per plan with LoadOptions::plan_override
///  decide.ID     options of decision ID, forced through OverrideDecisionPolicy
///  PATH          any other path: a JSON pointer ("/organisations/2/staff") or a dotted path
///                ("organisations.CSIRT.staff", array elements by index or id) of a value of the
///                composed scenario, set before typing (LoadOptions::overrides); make_study checks
///                that it exists and that every value has its type
/// Values: a list V1,V2,... or, for policy and PATH axes, a range LO:HI:STEP (LO, LO+STEP, ...,
/// up to HI inclusive) or LO:HI (grid: the two ends; lhs: the interval).
struct VaryAxis {
  enum class Kind : std::uint8_t { policy, plan, decide, value };
  Kind kind = Kind::policy;
  std::string path;                 ///< as written: "policy.csirt_staff_scale", "plan", "decide.D-02"
  std::string name;                 ///< the knob or decision id; "" for plan
  std::vector<std::string> values;  ///< as written, in order, at least one, no duplicates
  /// Set when the values were written as a range LO:HI[:STEP] (step 0 when not given); `values`
  /// then holds the grid's values.
  struct Range {
    double lo = 0, hi = 0, step = 0;
  };
  std::optional<Range> range;
};

/// How the configurations (variants) are chosen from the axes.
///  grid  the Cartesian product of the axes' values (first axis outermost)
///  lhs   a Latin hypercube of `samples` configurations: each axis's range [LO, HI] (or its list of
///        values) is cut into `samples` equal strata, each stratum used once, in an order drawn
///        from the base seed; within a stratum the point is uniform (snapped to STEP when given).
struct Design {
  enum class Kind : std::uint8_t { grid, lhs };
  Kind kind = Kind::grid;
  std::uint32_t samples = 0;  ///< lhs: number of configurations (>= 2)
};

/// Parses "PATH=V1,V2,...": syntax, the path's kind, policy names (unknown ones get "did you mean")
/// and policy values (finite numbers >= 0). Plan files and decision options are checked by
/// make_study, which has the scenario. Throws StudyError.
[[nodiscard]] VaryAxis parse_vary(std::string_view text);

struct Variant {
  std::string id;                               ///< "v0", "v1", ... in product order
  std::vector<std::string> values;              ///< one per axis, as written
  Scenario scenario;                            ///< the scenario with this variant's plan and knobs
  std::map<std::string, std::string> decisions; ///< decision id -> option id (decide axes)
  std::shared_ptr<const DecisionPolicy> policy; ///< decides this variant's decision points
  std::string plan_path;                        ///< the plan override, "" for the scenario's own
  std::string scenario_hash;                    ///< scenario_hash() of the files this variant loaded
};

/// How run seeds are derived (`batch --seeds`).
///  crn          common random numbers: seed base + run for every configuration (the default)
///  independent  seed_for(v, i) = mix64(mix64(mix64(base) ^ (v + 1)) ^ (i * 0x9e3779b97f4a7c15)), v the
///               configuration and i the replication (random.hpp's SplitMix64 finaliser)
enum class SeedMode : std::uint8_t { crn, independent };
/// The seed of replication `run` of configuration `variant` under `mode` (rule above).
[[nodiscard]] std::uint64_t derive_seed(SeedMode mode, std::uint64_t base, std::uint32_t variant, std::uint32_t run);

struct Study {
  std::filesystem::path scenario_path;
  std::vector<VaryAxis> axes;
  Design design;
  std::vector<Variant> variants;        ///< never empty; variants[0] is the baseline
  std::uint32_t runs = 0;               ///< replications per variant
  std::uint64_t base_seed = 0;
  std::vector<std::string> metrics;     ///< response_metric_names(), the column order everywhere
  std::vector<std::string> objectives;  ///< objective ids (the same for every variant)
  std::vector<std::string> objective_metrics;  ///< the metric each objective rates
  /// A live drill's journal (`batch --journal`): when set, every run replays these actions at
  /// their positions (replay_drill) with LiveDecisionPolicy, as `run --journal` does: the drill
  /// under other draws. Not with decide axes.
  std::optional<std::vector<DrillAction>> drill;
  /// Caps of every run (RunOptions::max_events, max_sim_time); not part of key().
  std::uint64_t max_events = 0;
  std::optional<Duration> max_sim_time;
  /// Wall-clock seconds one run may take (0 = no limit; `batch --max-wall-per-run`); not part of
  /// key(). A run over it is stopped (RunTimedOut): the clock is read every 4,096 engine events
  /// (with --journal, also after each replayed action), so a run stops within that many events of
  /// the limit. Which runs are stopped depends on the machine; the other runs' rows do not.
  double max_wall_per_run_s = 0;

  /// The seed rule (part of key()); set by the caller after make_study.
  SeedMode seeds = SeedMode::crn;
  /// Impact bands: every run's people affected and economic loss are sampled at times
  /// k * impact_step_h hours, k = 0 .. impact_points - 1, covering the longest variant horizon
  /// (hourly up to 240 h; for longer horizons the step is the whole number of hours that keeps at
  /// most 241 points). Set by make_study; part of key().
  double impact_step_h = 1;
  std::uint32_t impact_points = 0;

  [[nodiscard]] std::size_t total_runs() const { return variants.size() * runs; }
  /// Common random numbers: the same seed for run `run` of every variant.
  [[nodiscard]] std::uint64_t seed_of(std::uint32_t run) const { return base_seed + run; }
  /// The seed of run `run` of variant `variant` under `seeds` (seed_of(run) with SeedMode::crn).
  [[nodiscard]] std::uint64_t seed_for(std::uint32_t variant, std::uint32_t run) const;
  /// 16 hex digits over everything that determines the results (variants' scenario hashes and
  /// values, runs, base seed, metric and objective lists): a checkpoint belongs to a study with the
  /// same key.
  [[nodiscard]] std::string key() const;
};

/// Loads the scenario (once per plan value of a plan axis; once when there is none), builds every
/// variant (policy values set, decision policies constructed and checked). `base_seed` empty =
/// the scenario's metadata.seed. Throws StudyError (bad axes, runs == 0, too many variants,
/// objectives that differ between variants) or ScenarioError (a file that does not load).
[[nodiscard]] Study make_study(const std::filesystem::path& scenario, std::vector<VaryAxis> axes, std::uint32_t runs,
                               std::optional<std::uint64_t> base_seed, const LoadOptions& load = {});
/// The same with a design (grid = the overload above). Value axes load the scenario once per
/// variant with that variant's overrides; a path that does not exist or a value of the wrong type
/// throws StudyError naming the --vary path and value.
[[nodiscard]] Study make_study(const std::filesystem::path& scenario, std::vector<VaryAxis> axes, std::uint32_t runs,
                               std::optional<std::uint64_t> base_seed, const LoadOptions& load, const Design& design);

// ---------------------------------------------------------------------------------------------
// Running it
// ---------------------------------------------------------------------------------------------

/// The result of one (variant, run) that the outputs need.
struct RunRow {
  std::uint32_t variant = 0;
  std::uint32_t run = 0;
  std::uint64_t seed = 0;
  std::vector<std::optional<double>> metrics;  ///< per Study::metrics; empty = never happened
  std::vector<Rating> ratings;                  ///< per Study::objectives
  std::uint64_t events = 0;                     ///< engine events dispatched
  std::uint64_t fingerprint = 0;                ///< trace fingerprint
  /// People affected at the Study's impact grid (impact_points values), then the economic loss
  /// so far (EUR) at the same times: 2 * impact_points values. Each is the value of the run's
  /// last impact sample at or before the grid time (RunResult::impact_samples).
  std::vector<double> impact;
  friend bool operator==(const RunRow&, const RunRow&) = default;
};

/// Runs (variant, run) of index = variant * runs + run. Thread-safe.
[[nodiscard]] RunRow run_one(const Study& study, std::size_t index);
/// The same with the variant's per-scenario state made once (RunOptions::prep): `prep` made from
/// study.variants[index / study.runs].scenario, or nullptr. The same row.
[[nodiscard]] RunRow run_one(const Study& study, std::size_t index, const RunPrep* prep);

struct Progress {
  std::size_t done = 0;   ///< runs completed, including those restored from a checkpoint
  std::size_t total = 0;
  double elapsed_s = 0;   ///< since execute() started
  double runs_per_s = 0;  ///< runs of this execute() call per second
  std::optional<double> eta_s;
};

/// Progress as one line of text: with `bar`, "[#####.....]  done/total runs  pct %  R runs/s  ETA T"
/// sized to `width` columns (a terminal, redrawn with '\r'); without, the plain
/// "done/total runs (pct %), R runs/s, ETA T" of periodic log lines.
[[nodiscard]] std::string progress_text(const Progress& p, bool bar, unsigned width = 80);

struct ExecuteOptions {
  unsigned threads = 1;  ///< worker threads (0 = 1)
  /// Called on the calling thread about every `progress_every` while runs are going, and once at
  /// the end.
  std::function<void(const Progress&)> on_progress;
  std::chrono::milliseconds progress_every{2000};
  /// Called once per completed run, in completion order, serialised by a lock (checkpointing).
  std::function<void(const RunRow&)> on_row;
  /// Stop after this many runs of this call (0 = no limit): for testing interruption.
  std::size_t stop_after = 0;
  /// Stop taking new runs once this becomes true (e.g. set by a SIGINT handler).
  const std::atomic<bool>* cancel = nullptr;
  /// Run only these indices (empty = all); used to split a study over MPI ranks.
  std::vector<std::size_t> indices;
  /// Called once per run stopped at Study::max_wall_per_run_s (its index and the RunTimedOut
  /// message), serialised by the same lock as on_row. Its slot stays empty.
  std::function<void(std::size_t, const std::string&)> on_timed_out;
};

/// Runs every index (of options.indices, else all) whose slot in `rows` is empty and stores its
/// row there; `rows` must have Study::total_runs() slots (filled ones come from a checkpoint).
/// Returns the number of runs made. Rethrows the first exception of a run after the workers stop.
std::size_t execute(const Study& study, std::vector<std::optional<RunRow>>& rows, const ExecuteOptions& options);

/// Runs every index of options.indices (else all) and hands each finished row to `sink`, one call
/// at a time (from any worker thread), keeping no row: the MPI workers use it. Returns
/// the number of runs made. Rethrows the first exception of a run after the workers stop.
std::size_t execute_streamed(const Study& study, const std::function<void(const RunRow&)>& sink,
                             const ExecuteOptions& options);

/// A row as a fixed-size binary record (row_record_bytes(study) bytes, the host's byte order:
/// for exchange between ranks of one job, not for files): variant, run, events, fingerprint,
/// per metric a presence byte and the value's bits, the impact values, the rating bytes. The
/// seed is not stored (Study::seed_for). pack_row appends to `out`; unpack_row reads one record
/// and throws std::invalid_argument when it does not fit the study.
[[nodiscard]] std::size_t row_record_bytes(const Study& study);
void pack_row(const Study& study, const RunRow& row, std::string& out);
[[nodiscard]] RunRow unpack_row(const Study& study, std::string_view record);

/// The rows of a study kept on disk, so that a study's memory does not grow with its number of
/// runs: an anonymous temporary file (deleted when closed) with one column per field (events,
/// fingerprint, each metric, each rating), written through a small buffer of recent rows. In
/// memory: one bit per run (stored or not) and fixed-size buffers. The CLI's batch uses it; the
/// vector-of-slots functions above and below stay for callers that want rows in memory.
class RowStore {
 public:
  /// An empty store for `study` in a temporary file created in folder `dir` (which must exist).
  /// Throws std::runtime_error when the file cannot be created.
  RowStore(const Study& study, const std::filesystem::path& dir);
  ~RowStore();
  RowStore(const RowStore&) = delete;
  RowStore& operator=(const RowStore&) = delete;

  [[nodiscard]] std::size_t total() const { return total_; }
  [[nodiscard]] std::size_t count() const;               ///< rows stored
  [[nodiscard]] bool has(std::size_t index) const;
  /// Stores the row at index variant * runs + run (its metric and rating counts must fit the
  /// study). Thread-safe. Throws std::invalid_argument for a row that does not fit,
  /// std::runtime_error when the file cannot be written.
  void put(const RunRow& row);
  /// The row at `index`; throws std::out_of_range when it is not stored.
  [[nodiscard]] RunRow get(std::size_t index) const;
  /// Calls f on the rows first .. first + n - 1 in index order (all stored), reading in blocks.
  void for_each(std::size_t first, std::size_t n, const std::function<void(const RunRow&)>& f) const;
  /// Reads metric `metric` of the rows first .. first + n - 1 (all stored) into out[0 .. n).
  void read_metric(std::size_t first, std::size_t n, std::size_t metric, std::optional<double>* out) const;
  /// Reads value `k` of RunRow::impact of the rows first .. first + n - 1 (all stored) into out[0 .. n).
  void read_impact(std::size_t first, std::size_t n, std::size_t k, double* out) const;

 private:
  void flush_locked() const;
  void write_at(std::uint64_t offset, const void* data, std::size_t bytes) const;
  void read_at(std::uint64_t offset, void* data, std::size_t bytes) const;
  [[nodiscard]] std::uint64_t column_offset(std::size_t column) const;

  std::size_t total_ = 0;
  std::uint32_t runs_ = 0;
  std::uint64_t base_seed_ = 0;
  std::size_t metrics_ = 0;
  std::size_t objectives_ = 0;
  std::size_t impact_ = 0;  ///< values of RunRow::impact (8-byte columns after the metrics)
  SeedMode seeds_ = SeedMode::crn;
  int fd_ = -1;
  std::filesystem::path dir_;
  mutable std::mutex mutex_;
  mutable std::vector<RunRow> pending_;   ///< rows not yet written (at most kPending)
  std::vector<std::uint64_t> stored_;     ///< one bit per index
  std::size_t count_ = 0;
};

/// execute() into a RowStore: runs every index (of options.indices, else all) not yet stored.
/// Same contract otherwise; keeps no per-run state in memory.
std::size_t execute(const Study& study, RowStore& rows, const ExecuteOptions& options);

/// true when this library was built with CYBERDRILL_WITH_MPI.
[[nodiscard]] bool built_with_mpi();

/// One MPI job: MPI_Init on construction (MPI_Init_thread, funneled), MPI_Finalize on destruction.
/// Throws std::runtime_error when built without MPI. At most one per process.
class MpiSession {
 public:
  MpiSession();
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  [[nodiscard]] int rank() const { return rank_; }
  [[nodiscard]] int size() const { return size_; }

  /// Collective: every rank calls it with the same study. Dynamic work sharing: each rank > 0
  /// asks rank 0 for the next block of consecutive indices (1 to 32 runs: total / (16 x ranks)),
  /// runs it (options.threads threads), and sends its rows with its next request; rank 0 runs
  /// blocks of the same queue on a thread of its own, and its calling thread answers requests
  /// (polling every 0.5 ms) and reports progress over all ranks through options.on_progress.
  /// options.indices, stop_after and cancel are ignored. On rank 0 `rows` is complete; on other
  /// ranks it holds only the rows that rank ran. After a failure on any rank no new block is
  /// handed out; the failure is rethrown on rank 0 (and on the failing rank) as std::runtime_error
  /// once every rank has stopped.
  void execute(const Study& study, std::vector<std::optional<RunRow>>& rows, ExecuteOptions options) const;
  /// The same, with the rows streamed into `rows` (rank 0; may be null on the other ranks) as
  /// they arrive, so rank 0's memory does not grow with the number of runs. Rows travel as
  /// pack_row records; each worker holds one block in reserve (it asks for the next block before
  /// it runs the current one), so it does not wait for rank 0's answer between blocks. On rank 0
  /// `rows` is complete on return (unless runs timed out and options.on_timed_out is set).
  void execute(const Study& study, RowStore* rows, ExecuteOptions options) const;

 private:
  int rank_ = 0;
  int size_ = 1;
};

// ---------------------------------------------------------------------------------------------
// Statistics
// ---------------------------------------------------------------------------------------------

/// Quantile p in (0, 1) of Student's t distribution with df > 0 degrees of freedom (Boost.Math's
/// students_t_distribution; the normal quantile for df > 1e7). Throws std::domain_error outside
/// the domain.
[[nodiscard]] double t_quantile(double p, double df);
/// Quantile p in (0, 1) of the standard normal distribution (Boost.Math). Throws std::domain_error
/// outside.
[[nodiscard]] double normal_quantile(double p);

/// Descriptive statistics of a sample. sd is the sample standard deviation (n - 1); the 95 %
/// confidence interval of the mean is mean -/+ t(0.975, n - 1) sd / sqrt(n). Quantiles interpolate
/// linearly between order statistics (Hyndman-Fan type 7, as R's and NumPy's defaults).
struct SampleStats {
  std::size_t n = 0;
  double mean = 0;
  std::optional<double> sd;  ///< n >= 2
  std::optional<double> ci_low, ci_high;  ///< n >= 2
  double min = 0, p10 = 0, median = 0, p90 = 0, max = 0;
};
/// Statistics of `values` (any order); empty when there are none. Sums in the given order.
[[nodiscard]] std::optional<SampleStats> describe(const std::vector<double>& values);
/// Quantile p in [0, 1] of sorted values (type 7). `sorted` must not be empty.
[[nodiscard]] double quantile_sorted(const std::vector<double>& sorted, double p);

struct MetricSummary {
  std::size_t runs = 0;                ///< runs of the variant
  std::optional<SampleStats> stats;    ///< over the runs where the metric happened (stats->n of them)
  /// Variant minus baseline, paired by run (same seed), over runs where both happened; empty for
  /// the baseline itself and when no pair exists.
  std::optional<SampleStats> diff;
};

struct VariantSummary {
  std::vector<MetricSummary> metrics;                 ///< per Study::metrics
  std::vector<std::array<std::size_t, 4>> ratings;    ///< per objective: runs rated P, S, M, U
};

/// Per variant: per metric statistics and paired differences against variant 0; rating counts.
/// `rows` is complete and in index order. Throws std::invalid_argument otherwise.
[[nodiscard]] std::vector<VariantSummary> summarise(const Study& study, const std::vector<RunRow>& rows);
/// The same statistics from a complete RowStore, computed in passes over its columns with memory
/// that does not grow with the number of runs (quantiles by radix selection instead of sorting).
/// Identical results (byte-identical summary files) except that the order of -0.0 and +0.0 among
/// the order statistics is by sign here and unspecified in the in-memory version.
[[nodiscard]] std::vector<VariantSummary> summarise(const Study& study, const RowStore& rows);

// ---------------------------------------------------------------------------------------------
// Censored outcomes and sensitivity (sim/batch/analysis.cpp)
// ---------------------------------------------------------------------------------------------

/// One step of a Kaplan-Meier curve: at `time`, `events` of the `at_risk` runs reached the event;
/// `survival` is S(time) just after it (the fraction that has not reached it yet).
struct SurvivalStep {
  double time = 0;
  std::size_t at_risk = 0;
  std::size_t events = 0;
  std::size_t censored = 0;  ///< runs censored at this time (after the events, as usual)
  double survival = 1;
};
struct KaplanMeier {
  std::size_t n = 0, events = 0, censored = 0;
  std::vector<SurvivalStep> steps;  ///< one per distinct time with an event or a censoring, ascending
  /// Smallest time t with S(t) <= 0.5 (Klein and Moeschberger, sec. 4.5); empty when the curve
  /// stays above 0.5 (more than half censored before reaching it).
  std::optional<double> median;
  /// Restricted mean: the area under S from 0 to `horizon` (every run counts; a censored run
  /// contributes its censoring time): the mean that does not drop censored runs.
  double restricted_mean = 0;
  double horizon = 0;
};
/// The product-limit estimate of times[i] (an event when observed[i], else censored at times[i]).
/// `horizon` bounds the restricted mean (>= every time). Throws std::invalid_argument on size mismatch.
[[nodiscard]] KaplanMeier kaplan_meier(const std::vector<double>& times, const std::vector<bool>& observed, double horizon);

/// The metrics that are times from T+0 that a run may never reach (censored at the horizon).
[[nodiscard]] const std::vector<std::string>& survival_metrics();
/// A variant's censoring time in hours: its scenario's horizon, or the --max-sim-time cap when lower.
[[nodiscard]] double censoring_hours(const Study& study, std::size_t variant);

/// The values of metric `metric` of variant `variant`, run by run (empty = never happened).
using MetricColumn = std::function<std::vector<std::optional<double>>(std::size_t variant, std::size_t metric)>;
[[nodiscard]] MetricColumn metric_column(const Study& study, const std::vector<RunRow>& rows);
[[nodiscard]] MetricColumn metric_column(const Study& study, const RowStore& rows);

/// censoring.csv: per (variant, survival metric): runs, reached, censored, censor_h, km_median_h
/// (empty when not reached by half), restricted_mean_h (censored runs counted at censor_h), and
/// mean_reached_h (the mean over the runs that reached it, as in summary.csv).
[[nodiscard]] std::string censoring_csv(const Study& study, const MetricColumn& column);
/// survival.csv: the Kaplan-Meier curves: variant, metric, time_h, at_risk, events, censored, survival
/// (curves of more than 1000 steps thinned to the steps where S fell by 1/1000 since the last row).
[[nodiscard]] std::string survival_csv(const Study& study, const MetricColumn& column);

/// The values of metric `metric` of variant `variant` handed to `f` in run order (empty = never
/// happened), without keeping a column: memory flat in the number of runs.
using MetricEach = std::function<void(std::size_t variant, std::size_t metric,
                                      const std::function<void(const std::optional<double>&)>& f)>;
[[nodiscard]] MetricEach metric_each(const Study& study, const RowStore& rows);
/// Every value of a sample, in the same order on every call (one call per pass).
using SampleEach = std::function<void(const std::function<void(const std::optional<double>&)>& f)>;
/// kaplan_meier of a stream (an empty value = censored at `horizon`, as the CLI's columns), in
/// passes of at most 4096 distinct times (the next smallest each pass), so memory does not grow
/// with the number of runs. The steps go to `on_step` in time order and are not kept
/// (result.steps is empty); everything else equals kaplan_meier's, bit for bit.
[[nodiscard]] KaplanMeier kaplan_meier_passes(const SampleEach& each, double horizon,
                                              const std::function<void(const SurvivalStep&)>& on_step);
/// censoring_csv and survival_csv from a stream: the same text, memory flat in the number of runs.
[[nodiscard]] std::string censoring_csv_streamed(const Study& study, const MetricEach& each);
[[nodiscard]] std::string survival_csv_streamed(const Study& study, const MetricEach& each);

/// Sensitivity of one output to p inputs over n observations.
///  SRC: the standardised regression coefficient b_j sd(x_j) / sd(y) of the least-squares fit of y on
///  every x, with the 95 % interval from the coefficient's standard error and t(n - p - 1).
///  PRCC: the partial rank correlation of x_j and y given the other inputs (Pearson correlation of
///  the residuals of rank(x_j) and rank(y) on the other ranks; ties get mid-ranks), with the 95 %
///  interval from Fisher's z with standard error 1 / sqrt(n - 3 - (p - 1)).
struct Sensitivity {
  double src = 0, src_low = 0, src_high = 0;
  double prcc = 0, prcc_low = 0, prcc_high = 0;
};
/// x[j][i] = input j of observation i. Empty when undefined (n < p + 3, a constant input or
/// output, or collinear inputs).
[[nodiscard]] std::optional<std::vector<Sensitivity>> sensitivity(const std::vector<std::vector<double>>& x,
                                                                  const std::vector<double>& y);
/// The numeric axes of the study (policy and value axes whose every variant value is a number),
/// by index.
[[nodiscard]] std::vector<std::size_t> numeric_axes(const Study& study);
/// sensitivity.csv: per (parameter, metric) with a defined sensitivity: parameter, metric, n (runs
/// where the metric happened), src, src_ci95_low, src_ci95_high, prcc, prcc_ci95_low,
/// prcc_ci95_high. Only the header when fewer than one numeric axis with two values.
[[nodiscard]] std::string sensitivity_csv(const Study& study, const MetricColumn& column);

// ---------------------------------------------------------------------------------------------
// Impact bands (sim/batch/impact_bands.cpp)
// ---------------------------------------------------------------------------------------------

/// One series of one configuration over the impact grid: per grid time, the 10 %, 50 % and 90 %
/// quantiles (type 7, as summary.csv) over the configuration's runs.
struct ImpactBand {
  std::size_t variant = 0;
  std::string series;           ///< "people_affected" or "economic_loss_eur"
  std::vector<double> time_h;   ///< k * impact_step_h
  std::vector<double> p10, median, p90;
};
/// Value k of RunRow::impact of every run of variant `variant`, in run order.
using ImpactColumn = std::function<std::vector<double>(std::size_t variant, std::size_t k)>;
[[nodiscard]] ImpactColumn impact_column(const Study& study, const std::vector<RunRow>& rows);
/// From a RowStore; reads one value per run at a time (memory O(runs per variant) for the column).
[[nodiscard]] ImpactColumn impact_column(const Study& study, const RowStore& rows);
/// The bands of every configuration: people_affected then economic_loss_eur per variant.
[[nodiscard]] std::vector<ImpactBand> impact_bands(const Study& study, const ImpactColumn& column);
/// The same bands from a complete RowStore in passes over each column (radix selection, as the
/// RowStore's summarise), so memory does not grow with the number of runs.
[[nodiscard]] std::vector<ImpactBand> impact_bands(const Study& study, const RowStore& rows);
/// impact_bands.csv: variant, axis values, series, time_h, runs, p10, median, p90 (one row per
/// configuration, series and grid time).
[[nodiscard]] std::string impact_bands_csv(const Study& study, const std::vector<ImpactBand>& bands);
/// The names of the two series, in RunRow::impact order.
[[nodiscard]] const std::vector<std::string>& impact_series_names();

// ---------------------------------------------------------------------------------------------
// Text outputs (CSV; JSON lives in sim/output/batch_writer)
// ---------------------------------------------------------------------------------------------

/// Shortest decimal text that reads back to exactly `v` (std::to_chars).
[[nodiscard]] std::string format_number(double v);
/// A text CSV field (csv::text_cell): neutralised when formula-led, quoted (RFC 4180) when it holds
/// a comma, quote, CR or LF; see include/cyberdrill/csv.hpp for the writers' contract.
[[nodiscard]] std::string csv_field(std::string_view s);

/// runs.csv: a header, then one row per (variant, run) in index order: variant id, the value of
/// each axis, run, seed, every metric (empty = never happened), every objective's rating letter,
/// events, fingerprint (16 hex digits).
[[nodiscard]] std::string runs_csv(const Study& study, const std::vector<RunRow>& rows);
/// runs.csv written to `file` from a complete RowStore, streamed (the same bytes as runs_csv).
/// Throws std::runtime_error when the file cannot be written.
void write_runs_csv(const std::filesystem::path& file, const Study& study, const RowStore& rows);
/// summary.csv: one row per (variant, metric): variant, axis values, metric, runs, happened, mean,
/// sd, ci95_low, ci95_high, min, p10, median, p90, max, then the paired difference against the
/// baseline: diff_n, diff_mean, diff_sd, diff_ci95_low, diff_ci95_high (empty where undefined).
[[nodiscard]] std::string summary_csv(const Study& study, const std::vector<VariantSummary>& summary);
/// The readable table for stdout: per variant its settings, mean and 95 % CI of the key metrics
/// (time_to_detect_h, time_to_escalate_h, time_to_crisis_h, time_to_contain_h,
/// population_hours_lost, obligations_met_fraction) with the difference against the baseline, and
/// the rating counts of every objective.
[[nodiscard]] std::string summary_table(const Study& study, const std::vector<VariantSummary>& summary);
/// The key metrics of summary_table, in order.
[[nodiscard]] const std::vector<std::string>& key_metrics();

/// One checkpoint line (no newline) that decode_row_or_null reads back to an identical row.
[[nodiscard]] std::string encode_row(const RunRow& row);
/// The row of a line of encode_row; empty when the line is malformed or does not fit the study
/// (index out of range, wrong field count, seed not seed_of(run)).
[[nodiscard]] std::optional<RunRow> decode_row_or_null(const Study& study, std::string_view line);

/// The checkpoint of an unfinished study: folder `dir` (the CLI uses OUT.partial) holding
/// study.key and runs.csv, one encode_row line per completed run, appended as runs complete and
/// fsynced at least every `sync_every` (and on sync() and destruction).
class Checkpoint {
 public:
  /// resume = true: reads the rows of an existing checkpoint of the same study (a trailing
  /// incomplete line is dropped); throws StudyError when `dir` holds a checkpoint of another study.
  /// resume = false, or no checkpoint yet: starts an empty one (replacing what was there).
  /// Throws std::runtime_error when the folder cannot be written.
  Checkpoint(std::filesystem::path dir, const Study& study, bool resume,
             std::chrono::milliseconds sync_every = std::chrono::milliseconds(2000));
  ~Checkpoint();
  Checkpoint(const Checkpoint&) = delete;
  Checkpoint& operator=(const Checkpoint&) = delete;

  /// The rows read on resume, by index (Study::total_runs() slots).
  [[nodiscard]] std::vector<std::optional<RunRow>> restored_rows() const;
  /// Puts the rows read on resume into `store` (re-reading the checkpoint file); returns how many.
  std::size_t restore_into(RowStore& store) const;
  [[nodiscard]] std::size_t restored_count() const { return restored_; }
  /// Appends one row (not thread-safe: call from ExecuteOptions::on_row, which is serialised).
  void append(const RunRow& row);
  /// Writes buffered rows and fsyncs.
  void sync();
  /// Deletes the checkpoint folder (after the final outputs are in place).
  void remove();

 private:
  std::filesystem::path dir_;
  int fd_ = -1;
  std::string buffer_;
  std::chrono::steady_clock::time_point last_sync_;
  std::chrono::milliseconds sync_every_;
  const Study* study_ = nullptr;  ///< must outlive the checkpoint (restored rows are re-read from the file)
  std::uint64_t restored_bytes_ = 0;  ///< the checkpoint file's length when it was resumed
  std::size_t restored_ = 0;
};

}  // namespace cyberdrill::batch
