// cyberdrill generate: a synthetic national infrastructure scenario for scale studies.
// The JSON is written as a stream (no document is built in memory), to FILE.tmp, then renamed.
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

void put_string(std::ostream& out, std::string_view s) {
  out << '"';
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"': out << "\\\""; break;
      case '\\': out << "\\\\"; break;
      case '\n': out << "\\n"; break;
      case '\r': out << "\\r"; break;
      case '\t': out << "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out << buf;
        } else {
          out << ch;
        }
    }
  }
  out << '"';
}

void put_number(std::ostream& out, double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest round-trip form
  out.write(buf, r.ptr - buf);
}

const char* type_name(DependencyType t) {
  switch (t) {
    case DependencyType::power: return "power";
    case DependencyType::telecom: return "telecom";
    case DependencyType::data: return "data";
    case DependencyType::fuel: return "fuel";
    case DependencyType::control: return "control";
    case DependencyType::logical: return "logical";
    case DependencyType::water: return "water";
  }
  return "logical";
}

const char* rule_name(CombineRule r) {
  switch (r) {
    case CombineRule::all: return "all";
    case CombineRule::any: return "any";
    case CombineRule::threshold: return "threshold";
    case CombineRule::linear: return "linear";
  }
  return "all";
}

// Writes the infrastructure part of a scenario (metadata, sectors, operators, assets).
void write_scenario(std::ostream& out, const Scenario& s) {
  out << "{\n\"schema_version\": 1,\n\"description\": ";
  put_string(out, s.metadata.description);
  out << ",\n\"metadata\": {\"name\": ";
  put_string(out, s.metadata.name);
  out << ", \"description\": ";
  put_string(out, s.metadata.description);
  out << ", \"start\": ";
  put_string(out, s.metadata.start_local);
  out << ", \"time_zone\": ";
  put_string(out, s.metadata.time_zone);
  out << ", \"duration\": ";
  put_string(out, format_duration(s.metadata.duration));
  out << ", \"seed\": " << s.metadata.seed << ", \"version\": ";
  put_string(out, s.metadata.version);
  out << "},\n\"sectors\": [";
  for (std::size_t i = 0; i < s.sectors.size(); ++i) {
    out << (i ? ",\n  " : "\n  ") << "{\"id\": ";
    put_string(out, s.sectors[i].id);
    out << ", \"name\": ";
    put_string(out, s.sectors[i].name);
    out << '}';
  }
  out << "],\n\"areas\": [";
  for (std::size_t i = 0; i < s.areas.size(); ++i) {
    out << (i ? ",\n  " : "\n  ") << "{\"id\": ";
    put_string(out, s.areas[i].id);
    out << ", \"name\": ";
    put_string(out, s.areas[i].name);
    out << ", \"residents\": " << s.areas[i].residents << '}';
  }
  out << "],\n\"organisations\": [";
  for (std::size_t i = 0; i < s.organisations.size(); ++i) {
    const Organisation& o = s.organisations[i];
    out << (i ? ",\n  " : "\n  ") << "{\"id\": ";
    put_string(out, o.id);
    out << ", \"name\": ";
    put_string(out, o.name);
    out << ", \"kind\": \"operator\", \"sector\": ";
    put_string(out, s.sectors.at(o.sector).id);
    out << ", \"staff\": " << o.staff << ", \"calendar\": \"24/7\", \"monitoring\": ";
    put_number(out, o.monitoring);
    out << '}';
  }
  out << "],\n\"assets\": [";
  for (std::size_t i = 0; i < s.assets.size(); ++i) {
    const Asset& a = s.assets[i];
    out << (i ? ",\n" : "\n") << "{\"id\":";
    put_string(out, a.id);
    out << ",\"sector\":";
    put_string(out, s.sectors.at(a.sector).id);
    out << ",\"operator\":";
    put_string(out, s.organisations.at(a.operator_org).id);
    if (s.areas.empty()) out << ",\"population\":" << a.population;
    if (!a.serves.empty()) {
      out << ",\"serves\":[";
      for (std::size_t k = 0; k < a.serves.size(); ++k) {
        out << (k ? "," : "") << "{\"class\":";
        put_string(out, service_class_names().at(static_cast<std::size_t>(a.serves[k].service)));
        out << ",\"area\":";
        put_string(out, s.areas.at(a.serves[k].area).id);
        out << ",\"share\":";
        put_number(out, a.serves[k].share);
        out << '}';
      }
      out << ']';
    }
    out << ",\"criticality\":";
    put_number(out, a.criticality);
    out << ",\"tags\":[";
    for (std::size_t t = 0; t < a.tags.size(); ++t) {
      if (t) out << ',';
      put_string(out, a.tags[t]);
    }
    out << "],\"rule\":\"" << rule_name(a.rule) << "\",\"position\":[";
    put_number(out, a.x);
    out << ',';
    put_number(out, a.y);
    out << "],\"depends_on\":[";
    for (std::size_t d = 0; d < a.depends_on.size(); ++d) {
      const Dependency& dep = a.depends_on[d];
      out << (d ? "," : "") << "{\"asset\":";
      put_string(out, s.assets.at(dep.supplier).id);
      out << ",\"type\":\"" << type_name(dep.type) << "\",\"buffer\":\"" << format_duration(dep.buffer)
          << "\",\"weight\":";
      put_number(out, dep.weight);
      if (dep.degradation != 1.0) {
        out << ",\"degradation\":";
        put_number(out, dep.degradation);
      }
      if (dep.restart != Duration::zero()) out << ",\"restart\":\"" << format_duration(dep.restart) << '"';
      out << '}';
    }
    out << "]}";
    if ((i + 1) % 100'000 == 0) spdlog::info("generate: {} / {} assets written", i + 1, s.assets.size());
  }
  // A scenario runs against a response plan: an empty one, so the file validates and analyses on
  // its own (`--plan` replaces it for runs).
  out << "\n],\n\"plan\": {\"id\": \"plan-none\", \"name\": \"No response plan (infrastructure only)\", "
         "\"version\": \"0\"}\n}\n";
}

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
      write_scenario(out, s);
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
