// Impact bands: per configuration and grid time, the 10 %, 50 % and 90 % quantiles over the runs
// of people affected and of the economic loss so far (batch.hpp). Computed one (configuration,
// series, time) column at a time, so memory holds one column of one configuration's runs.
#include <algorithm>

#include "cyberdrill/batch.hpp"

namespace cyberdrill::batch {

const std::vector<std::string>& impact_series_names() {
  static const std::vector<std::string> names = {"people_affected", "economic_loss_eur"};
  return names;
}

ImpactColumn impact_column(const Study& study, const std::vector<RunRow>& rows) {
  if (rows.size() != study.total_runs()) throw std::invalid_argument("impact_column: the rows are not complete");
  return [&study, &rows](std::size_t variant, std::size_t k) {
    std::vector<double> out;
    out.reserve(study.runs);
    for (std::size_t r = 0; r < study.runs; ++r) out.push_back(rows.at(variant * study.runs + r).impact.at(k));
    return out;
  };
}

ImpactColumn impact_column(const Study& study, const RowStore& rows) {
  return [&study, &rows](std::size_t variant, std::size_t k) {
    std::vector<double> out(study.runs);
    rows.read_impact(variant * study.runs, study.runs, k, out.data());
    return out;
  };
}

std::vector<ImpactBand> impact_bands(const Study& study, const ImpactColumn& column) {
  std::vector<ImpactBand> out;
  const std::size_t points = study.impact_points;
  for (std::size_t v = 0; v < study.variants.size(); ++v) {
    for (std::size_t s = 0; s < impact_series_names().size(); ++s) {
      ImpactBand b;
      b.variant = v;
      b.series = impact_series_names()[s];
      for (std::size_t k = 0; k < points; ++k) {
        std::vector<double> x = column(v, s * points + k);
        if (x.empty()) continue;
        std::sort(x.begin(), x.end());
        b.time_h.push_back(static_cast<double>(k) * study.impact_step_h);
        b.p10.push_back(quantile_sorted(x, 0.1));
        b.median.push_back(quantile_sorted(x, 0.5));
        b.p90.push_back(quantile_sorted(x, 0.9));
      }
      out.push_back(std::move(b));
    }
  }
  return out;
}

std::string impact_bands_csv(const Study& study, const std::vector<ImpactBand>& bands) {
  std::string out = "variant";
  for (const VaryAxis& a : study.axes) out += "," + csv_field(a.path);
  out += ",series,time_h,runs,p10,median,p90\n";
  for (const ImpactBand& b : bands) {
    const Variant& var = study.variants.at(b.variant);
    std::string head = csv_field(var.id);
    for (const std::string& x : var.values) head += "," + csv_field(x);
    for (std::size_t k = 0; k < b.time_h.size(); ++k)
      out += head + "," + b.series + "," + format_number(b.time_h[k]) + "," + std::to_string(study.runs) + "," +
             format_number(b.p10[k]) + "," + format_number(b.median[k]) + "," + format_number(b.p90[k]) + "\n";
  }
  return out;
}

}  // namespace cyberdrill::batch
