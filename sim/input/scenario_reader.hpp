// JSON -> Scenario: typed conversion of a composed document with every check the format allows
// (types, units, ranges, references) plus the semantic lint (dependency cycles, attack-graph
// reachability, triggers that can never fire, ...). Private to sim/input.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "composition.hpp"
#include "cyberdrill/scenario.hpp"

namespace cyberdrill::io {

class LazyAssetTyper;

/// Converts `c.merged` into a Scenario, reporting every problem into `c`. The returned scenario
/// is only meaningful when `c.has_errors()` is false afterwards. `typed`: the sink given to
/// compose() for `c`, if any.
[[nodiscard]] Scenario read_scenario(Composition& c, std::string source_path, LazyAssetTyper* typed = nullptr);

/// Types the assets of a large file while the fast parser reads them (give it to compose() as
/// the lazy sink, then to read_scenario), so that each asset's text is parsed once: an asset read
/// without any problem is kept as typed; any other is read again from its text by read_scenario,
/// with exactly the diagnostics it would have had without this.
class LazyAssetTyper final : public LazyElementSink {
 public:
  LazyAssetTyper();
  LazyAssetTyper(const LazyAssetTyper&) = delete;
  LazyAssetTyper& operator=(const LazyAssetTyper&) = delete;
  ~LazyAssetTyper() override;
  void begin(const Value& root_before, std::size_t bytes_left) override;
  void element(std::size_t index, const Value& element, std::string_view id) override;
  void reset() override;
  /// How many assets the last read_scenario given this typer took as typed here (the others were
  /// read again from their text).
  [[nodiscard]] std::size_t kept() const;

 private:
  friend Scenario read_scenario(Composition& c, std::string source_path, LazyAssetTyper* typed);
  struct State;
  std::unique_ptr<State> state_;
};

/// Live quantities a condition trigger may also test (besides known_metrics()).
[[nodiscard]] const std::vector<std::string>& live_quantities();

/// Parses a scenario clock time: "T+03:15", "T+2d 03:15", "T+49:30" (try_parse_sim_time) or
/// "T+" followed by a planner duration ("T+2h", "T+1d12h", "T+0"). Negative times are refused.
[[nodiscard]] std::optional<SimTime> parse_scenario_time(std::string_view text, std::string* error);

}  // namespace cyberdrill::io
