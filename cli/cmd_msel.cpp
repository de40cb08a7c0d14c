// `cyberdrill msel export|import`: the scenario's injects as an HSEEP-style MSEL spreadsheet (CSV).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <system_error>

#include "commands.hpp"
#include "cyberdrill/msel.hpp"
#include "cyberdrill/terminal_text.hpp"
#include "scenario_loading.hpp"

namespace cyberdrill::cli {
namespace {

constexpr const char* kExportHelp = R"(Write the scenario's injects as a Master Scenario Events List (CSV) for a
spreadsheet: one row per inject with the HSEEP columns (inject number, scenario time, event
synopsis, from, to, delivery method, message, expected player action, objective, core capability,
responsible controller, contingency, status) plus Inject ID, Trigger, Effect, TLP and Audience so
that `msel import` puts every edit back exactly. The file is UTF-8 with a BOM and CRLF rows, so
spreadsheet programs open it directly.

--audience participant writes a player handout: injects marked "audience": "controller" are left
out, and so are the controller columns (expected action, controller, contingency, status, effect,
trigger, objective).

Examples:
  cyberdrill msel export scenarios/belgium/grid-blackout.json -o msel.csv
  cyberdrill msel export EX.json -o players.csv --audience participant --separator ';')";

constexpr const char* kImportHelp = R"(Read an edited MSEL (CSV) and update the scenario file's "injects" by Inject ID:
changed cells update their field, new IDs are appended, injects missing from the sheet are kept,
and an empty cell removes the field. Everything else in the scenario file stays byte for byte.
Accepts UTF-8 with or without BOM, "," ";" or tab separators (detected), CRLF or LF rows, and
quoted multi-line cells. The patched scenario is validated with its includes before it replaces
the file (atomically); on any problem nothing is written and every problem is printed as
file:line: message (exit 2).

Examples:
  cyberdrill msel import msel.csv --into scenarios/belgium/grid-blackout.json
  cyberdrill msel import msel.csv --into EX.json --dry-run)";

/// Writes `text` to `target` through a temp file in the same folder; "-" = stdout.
void write_output(const std::string& target, const std::string& text) {
  if (target == "-") {
    std::cout << text;
    return;
  }
  namespace fs = std::filesystem;
  const fs::path path(target);
  fs::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw UsageError("cannot write " + tmp.string());
    out << text;
    out.flush();
    if (!out) {
      std::error_code ec;
      fs::remove(tmp, ec);
      throw std::runtime_error("cannot write " + tmp.string());
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw std::runtime_error("cannot write " + target + ": " + ec.message());
  }
}

}  // namespace

Action add_msel(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("msel", "Export or import the MSEL (injects) as a CSV spreadsheet");
  cmd->require_subcommand(1);
  cmd->footer("Subcommands: export, import. See `cyberdrill msel export --help`.");

  struct Options {
    std::string scenario, out, audience = "controller", separator = ",";
    bool no_bom = false, lf = false;
    bool large = false;
    std::string csv, into;
    bool dry_run = false;
  };
  auto opt = std::make_shared<Options>();

  CLI::App* ex = cmd->add_subcommand("export", "Write the scenario's injects as an MSEL CSV");
  ex->footer(kExportHelp);
  ex->add_option("SCENARIO", opt->scenario, "The scenario file (JSON)")->required();
  ex->add_option("-o,--out", opt->out, "CSV file to write (\"-\" = standard output)")->required();
  ex->add_option("--audience", opt->audience, "controller (everything) or participant (player handout)")
      ->check(CLI::IsMember({"controller", "participant"}));
  ex->add_option("--separator", opt->separator, "Cell separator: \",\" (default), \";\" or \"tab\"")
      ->check(CLI::IsMember({",", ";", "tab"}));
  ex->add_flag("--no-bom", opt->no_bom, "Do not start the file with a UTF-8 byte-order mark");
  ex->add_flag("--lf", opt->lf, "End rows with LF instead of CRLF");
  add_large_flag(ex, opt->large);

  CLI::App* im = cmd->add_subcommand("import", "Update the scenario's injects from an MSEL CSV");
  im->footer(kImportHelp);
  im->add_option("CSV", opt->csv, "The MSEL CSV file")->required();
  im->add_option("--into", opt->into, "The scenario file whose \"injects\" are updated")->required();
  im->add_flag("--dry-run", opt->dry_run, "Check everything, write nothing");

  return [opt, ex, im]() -> int {
    if (ex->parsed()) {
      msel::ExportOptions o;
      o.audience = opt->audience == "participant" ? msel::Audience::participant : msel::Audience::controller;
      o.separator = opt->separator == "tab" ? '\t' : opt->separator[0];
      o.bom = !opt->no_bom;
      o.crlf = !opt->lf;
      LoadOptions load;
      apply_large(load, opt->large);
      const msel::ExportResult r = msel::export_msel(opt->scenario, o, load);
      if (!r.ok) {
        for (const std::string& e : r.errors) std::fprintf(stderr, "%s\n", terminal_safe(e, true).c_str());
        std::fprintf(stderr, "msel export: the scenario has errors; nothing written\n");
        return Exit::bad_input;
      }
      if (opt->out != "-") {
        // Never overwrite the input (also through another path or a link to it).
        namespace fs = std::filesystem;
        std::error_code ec;
        if (fs::exists(opt->out, ec) && fs::equivalent(opt->out, opt->scenario, ec))
          throw UsageError("msel export: -o " + opt->out + " is the scenario being exported (" + opt->scenario +
                           "); refusing to overwrite it, choose another file");
      }
      write_output(opt->out, r.csv);
      if (opt->out != "-") std::fprintf(stderr, "msel export: %zu injects -> %s\n", r.rows, opt->out.c_str());
      return Exit::ok;
    }
    if (im->parsed()) {
      msel::ImportOptions o;
      o.write = !opt->dry_run;
      const msel::ImportResult r = msel::import_msel(opt->csv, opt->into, o);
      if (!r.ok) {
        for (const std::string& e : r.errors) std::fprintf(stderr, "%s\n", terminal_safe(e, true).c_str());
        std::fprintf(stderr, "msel import: %zu problem%s; %s not changed\n", r.errors.size(), r.errors.size() == 1 ? "" : "s",
                     opt->into.c_str());
        return Exit::bad_input;
      }
      std::fprintf(stderr, "msel import: %zu updated, %zu added, %zu unchanged; %s\n", r.updated, r.added, r.unchanged,
                   r.written ? ("wrote " + opt->into).c_str() : (opt->dry_run ? "dry run, nothing written" : "file unchanged"));
      return Exit::ok;
    }
    return Exit::bad_input;
  };
}

}  // namespace cyberdrill::cli
