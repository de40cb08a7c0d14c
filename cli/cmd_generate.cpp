// cyberdrill generate: a synthetic national infrastructure scenario for scale studies.
// The file is streamed by the output room (write_generated_scenario) to FILE.tmp, then renamed.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "cyberdrill/generate.hpp"
#include "commands.hpp"
#include "integer_range.hpp"
#include "cyberdrill/time.hpp"

namespace cyberdrill::cli {
namespace {

constexpr const char* kGenerateHelp = R"(Generate a synthetic, sector-structured national infrastructure scenario (JSON) for scale
studies: substations, gas, core telecom, mobile sites, broadband, payments, ATMs, hospitals,
water, rail, government portals and 112 centres in regions of ~400 assets, with dependency
buffers from DOMAIN.md (mobile sites 1-3 h on power, core telecom 12-48 h, hospitals 96 h,
telecom -> payments 0 h, ...). The same (assets, mean degree, seed) always gives the same file.

Example:
  cyberdrill generate --assets 100000 --mean-degree 3 --seed 7 -o big.json
  cyberdrill analyze big.json --top 10)";

}  // namespace

Action add_generate(CLI::App& app) {
  struct Options {
    std::size_t assets = 1000;
    double mean_degree = 3.0;
    std::uint64_t seed = 1;
    std::string output;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* sub = app.add_subcommand("generate", "Generate a synthetic national infrastructure scenario (scale studies)");
  sub->footer(kGenerateHelp);
  sub->add_option("--assets", opt->assets, "Number of assets (1 .. 10000000)")->default_val(1000)->check(integer_range(1, 10'000'000));
  sub->add_option("--mean-degree", opt->mean_degree, "Mean number of dependencies per asset (0 .. 100)")->default_val(3.0);
  sub->add_option("--seed", opt->seed, "Seed of the generator")->default_val(1)->check(integer_range(0, INT64_MAX));
  sub->add_option("-o,--output", opt->output, "Output scenario file (written atomically)")->required();
  return [opt] {
    // Ranges (exit 2 outside them): past 10 million assets the generated file and the loaded
    // scenario outgrow a workstation's memory; a mean degree above 100 dependencies per asset is
    // no infrastructure (and 1e308 used to wrap round to zero dependencies).
    constexpr std::size_t kMaxAssets = 10'000'000;
    constexpr double kMaxMeanDegree = 100.0;
    if (opt->assets < 1 || opt->assets > kMaxAssets)
      throw UsageError("--assets " + std::to_string(opt->assets) + ": out of range (1.." + std::to_string(kMaxAssets) + ")");
    if (!(opt->mean_degree >= 0.0 && opt->mean_degree <= kMaxMeanDegree)) {
      char text[64];
      std::snprintf(text, sizeof text, "%g", opt->mean_degree);
      throw UsageError(std::string("--mean-degree ") + text + ": out of range (0..100)");
    }
    GenerateOptions g;
    g.assets = opt->assets;
    g.mean_degree = opt->mean_degree;
    g.seed = opt->seed;
    Scenario s;
    try {
      s = generate_infrastructure(g);
    } catch (const std::invalid_argument& e) {
      throw UsageError(e.what());
    }
    std::size_t edges = 0;
    for (const Asset& a : s.assets) edges += a.depends_on.size();
    spdlog::info("generate: {} assets, {} dependencies, {} operators", s.assets.size(), edges, s.organisations.size());
    const std::filesystem::path out_path(opt->output);
    std::filesystem::path tmp = out_path;
    tmp += ".tmp";
    {
      std::vector<char> buffer(1 << 20);
      std::ofstream out;
      out.rdbuf()->pubsetbuf(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      out.open(tmp, std::ios::binary | std::ios::trunc);
      if (!out) throw std::runtime_error("cannot write " + tmp.string());
      write_generated_scenario(out, s, [](std::size_t done, std::size_t total) {
        spdlog::info("generate: {} / {} assets written", done, total);
      });
      out.flush();
      if (!out) {
        std::error_code ec;
        std::filesystem::remove(tmp, ec);
        throw std::runtime_error("failed writing " + tmp.string());
      }
    }
    std::filesystem::rename(tmp, out_path);
    spdlog::info("generate: wrote {}", out_path.string());
    return Exit::ok;
  };
}

}  // namespace cyberdrill::cli
