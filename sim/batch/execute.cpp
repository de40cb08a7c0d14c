// Running a study: one run per (variant, run) index on a pool of std::jthread workers that take
// the next index from an atomic counter. Each result lands in its own slot, so the outputs never
// depend on the thread count or the completion order.
#include <cmath>
#include <condition_variable>
#include <exception>
#include <stdexcept>
#include <mutex>
#include <thread>

#include "cyberdrill/batch.hpp"
#include "cyberdrill/run.hpp"
#include "cyberdrill/session.hpp"
#include "wall_limit.hpp"

namespace cyberdrill::batch {

RunRow run_one(const Study& study, std::size_t index) { return run_one(study, index, nullptr); }

RunRow run_one(const Study& study, std::size_t index, const RunPrep* prep) {
  if (index >= study.total_runs()) throw std::out_of_range("run index " + std::to_string(index) + " out of range");
  const auto variant = static_cast<std::uint32_t>(index / study.runs);
  const auto run = static_cast<std::uint32_t>(index % study.runs);
  const Variant& v = study.variants[variant];
  RunOptions o;
  o.seed = study.seed_for(variant, run);
  o.policy = v.policy.get();
  o.keep_records = false;
  o.max_events = study.max_events;
  o.max_sim_time = study.max_sim_time;
  o.prep = prep;
  o.keep_service_levels = false;  // the row reads impact_samples only
  static const LiveDecisionPolicy live;
  if (study.drill) o.policy = &live;
  const RunResult r = study.max_wall_per_run_s > 0
                          ? run_within_wall_limit(v.scenario, o, study.drill ? &*study.drill : nullptr, study.max_wall_per_run_s)
                          : study.drill ? replay_drill(v.scenario, o, *study.drill) : run_scenario(v.scenario, o);

  RunRow row;
  row.variant = variant;
  row.run = run;
  row.seed = o.seed;
  row.events = r.events;
  row.fingerprint = r.fingerprint;
  row.metrics.reserve(study.metrics.size());
  for (const std::string& name : study.metrics) {
    const auto it = r.metrics.values.find(name);
    row.metrics.push_back(it == r.metrics.values.end() ? std::nullopt : it->second);
  }
  row.ratings.assign(study.objectives.size(), Rating::U);
  for (const ObjectiveRating& rating : r.ratings)
    if (rating.objective < row.ratings.size()) row.ratings[rating.objective] = rating.rating;
  // Impact on the study's grid: the last sample at or before each grid time (samples are taken
  // every 15 min from T+0, so whole-hour grid times fall on samples).
  const std::size_t points = study.impact_points;
  row.impact.assign(2 * points, 0.0);
  std::size_t s = 0;
  for (std::size_t k = 0; k < points; ++k) {
    const SimTime t = SimTime::zero() + Duration::from_us(std::llround(static_cast<double>(k) * study.impact_step_h * 3'600e6));
    while (s + 1 < r.impact_samples.size() && r.impact_samples[s + 1].time <= t) ++s;
    if (r.impact_samples.empty() || r.impact_samples[s].time > t) continue;
    row.impact[k] = r.impact_samples[s].people_affected;
    row.impact[points + k] = r.impact_samples[s].economic_loss_eur;
  }
  return row;
}

namespace {

// The worker pool over indices [0, total) (or options.indices), skipping those `done` reports;
// `store` keeps a finished row and returns a reference that on_row may read. Indices are taken
// from an atomic cursor, so no per-run list is kept.
template <class Done, class Store>
std::size_t execute_pool(const Study& study, const ExecuteOptions& options, Done&& done, Store&& store) {
  const std::size_t total = study.total_runs();
  for (const std::size_t i : options.indices)
    if (i >= total) throw std::invalid_argument("execute: index " + std::to_string(i) + " out of range");
  const bool all = options.indices.empty();
  const std::size_t candidates = all ? total : options.indices.size();
  std::size_t already = 0;
  std::size_t to_run = 0;
  for (std::size_t k = 0; k < candidates; ++k) {
    const std::size_t i = all ? k : options.indices[k];
    if (done(i)) ++already;
    else ++to_run;
  }
  if (!all) {
    already = 0;
    for (std::size_t i = 0; i < total; ++i) already += done(i) ? 1 : 0;
  }
  const std::size_t limit = options.stop_after > 0 ? std::min(options.stop_after, to_run) : to_run;

  std::atomic<std::size_t> cursor{0};   // next candidate position
  std::atomic<std::size_t> taken{0};    // runs started (at most limit)
  std::atomic<std::size_t> completed{0};
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::condition_variable finished_cv;
  unsigned finished = 0;
  std::exception_ptr error;

  const unsigned threads = std::max(1u, std::min<unsigned>(options.threads, static_cast<unsigned>(std::max<std::size_t>(limit, 1))));
  const auto t0 = std::chrono::steady_clock::now();
  auto progress = [&] {
    if (!options.on_progress) return;
    Progress p;
    p.total = total;
    const std::size_t made = completed.load();
    p.done = already + made;
    p.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    p.runs_per_s = p.elapsed_s > 0 ? static_cast<double>(made) / p.elapsed_s : 0.0;
    if (p.runs_per_s > 0) p.eta_s = static_cast<double>(limit - std::min(made, limit)) / p.runs_per_s;
    options.on_progress(p);
  };

  {
    std::vector<std::jthread> pool;
    pool.reserve(threads);
    for (unsigned t = 0; t < threads; ++t) {
      pool.emplace_back([&] {
        // The per-scenario state of the variant this worker ran last, made once per variant it
        // meets (indices are variant-major, so a worker rarely changes variant): a run then
        // rebuilds nothing that depends on the scenario alone.
        std::size_t prep_variant = static_cast<std::size_t>(-1);
        std::unique_ptr<RunPrep> prep;
        while (!stop.load(std::memory_order_relaxed) &&
               !(options.cancel != nullptr && options.cancel->load(std::memory_order_relaxed))) {
          const std::size_t k = cursor.fetch_add(1);
          if (k >= candidates) break;
          const std::size_t index = all ? k : options.indices[k];
          if (done(index)) continue;
          if (taken.fetch_add(1) >= limit) break;
          try {
            const std::size_t variant = index / study.runs;
            if (variant != prep_variant) {
              prep.reset();
              prep_variant = static_cast<std::size_t>(-1);
              prep = std::make_unique<RunPrep>(study.variants[variant].scenario);
              prep_variant = variant;
            }
            RunRow row = run_one(study, index, prep.get());
            const RunRow& kept = store(index, std::move(row));
            if (options.on_row) {
              const std::lock_guard<std::mutex> lock(mutex);
              options.on_row(kept);
            }
            completed.fetch_add(1);
          } catch (const RunTimedOut& e) {  // counted and reported; the other runs go on
            const std::lock_guard<std::mutex> lock(mutex);
            if (options.on_timed_out) options.on_timed_out(index, e.what());
          } catch (...) {
            const std::lock_guard<std::mutex> lock(mutex);
            if (!error) error = std::current_exception();
            stop = true;
          }
        }
        const std::lock_guard<std::mutex> lock(mutex);
        ++finished;
        finished_cv.notify_all();
      });
    }
    std::unique_lock<std::mutex> lock(mutex);
    while (finished < threads) {
      if (finished_cv.wait_for(lock, options.progress_every, [&] { return finished == threads; })) break;
      lock.unlock();
      progress();
      lock.lock();
    }
  }  // joins
  if (error) std::rethrow_exception(error);
  progress();
  return completed.load();
}

}  // namespace

std::size_t execute(const Study& study, std::vector<std::optional<RunRow>>& rows, const ExecuteOptions& options) {
  const std::size_t total = study.total_runs();
  if (rows.size() != total)
    throw std::invalid_argument("execute: rows has " + std::to_string(rows.size()) + " slots, the study " +
                                std::to_string(total) + " runs");
  return execute_pool(
      study, options, [&](std::size_t i) { return rows[i].has_value(); },
      [&](std::size_t i, RunRow&& row) -> const RunRow& {
        rows[i] = std::move(row);
        return *rows[i];
      });
}

std::size_t execute_streamed(const Study& study, const std::function<void(const RunRow&)>& sink,
                             const ExecuteOptions& options) {
  std::mutex sink_mutex;
  // Each worker keeps its last row alive for on_row (called before the worker's next run).
  return execute_pool(
      study, options, [](std::size_t) { return false; },
      [&](std::size_t, RunRow&& row) -> const RunRow& {
        thread_local RunRow last;
        last = std::move(row);
        const std::lock_guard<std::mutex> lock(sink_mutex);
        sink(last);
        return last;
      });
}

std::size_t execute(const Study& study, RowStore& rows, const ExecuteOptions& options) {
  if (rows.total() != study.total_runs())
    throw std::invalid_argument("execute: the row store has " + std::to_string(rows.total()) + " slots, the study " +
                                std::to_string(study.total_runs()) + " runs");
  // Each worker keeps its last row alive for on_row (called before the worker's next run).
  return execute_pool(
      study, options, [&](std::size_t i) { return rows.has(i); },
      [&](std::size_t, RunRow&& row) -> const RunRow& {
        thread_local RunRow last;
        rows.put(row);
        last = std::move(row);
        return last;
      });
}

}  // namespace cyberdrill::batch
