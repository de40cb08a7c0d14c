// Figures of a batch study (PNG, drawn by the viz layer): the CDF of a metric per configuration
// (with the runs that never reached it shown as a gap below 1 at the horizon) and a tornado chart
// of sensitivities. Plain data in, no batch or JSON types. Each function checks the display first
// (ensure_display) and throws std::runtime_error when there is none or the PNG cannot be written.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace cyberdrill::viz {

struct CdfSeries {
  std::string label;           ///< the configuration ("v0 coverage=0.5")
  std::vector<double> values;  ///< the runs that reached it (any order)
  std::size_t runs = 0;        ///< all runs of the configuration (>= values.size())
};

/// Empirical CDF per series over all its runs: F(t) = reached by t / runs, so a curve that stops
/// below 1 shows the share never reached (censored at `horizon`, drawn as a dashed line).
void render_cdf_png(const std::string& title, const std::string& metric, const std::vector<CdfSeries>& series,
                    double horizon, const std::filesystem::path& out);

struct TornadoBar {
  std::string label;  ///< "parameter -> metric"
  double value = 0;   ///< the coefficient (SRC or PRCC), in [-1, 1]
  double low = 0, high = 0;  ///< its 95 % interval
};

/// Horizontal bars from 0, longest first (as given: sort before), with interval whiskers.
void render_tornado_png(const std::string& title, const std::string& subtitle, const std::vector<TornadoBar>& bars,
                        const std::filesystem::path& out);

struct BandSeries {
  std::string label;                     ///< the configuration
  std::vector<double> time_h;            ///< ascending
  std::vector<double> p10, median, p90;  ///< per time
};

/// Impact bands: per series the median as a line and the 10-90 % band shaded, over time (hours).
void render_bands_png(const std::string& title, const std::string& quantity, const std::vector<BandSeries>& series,
                      const std::filesystem::path& out);

}  // namespace cyberdrill::viz
