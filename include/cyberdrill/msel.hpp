// The MSEL (Master Scenario Events List) as CSV: export a scenario's injects for a spreadsheet,
// import the edited sheet back into the scenario file. No JSON types here.
//
// Columns (HSEEP, plus the ids that make the round trip exact), in this order:
//   Inject ID, Inject #, Scenario time, Trigger, Event synopsis, From, To, Delivery method,
//   Message, Expected player action, Objective, Core capability, Responsible controller,
//   Contingency, Status, Effect, TLP, Audience
// "Scenario time" is the inject's "time" text as written ("T+02:30"); "Trigger" is the compact JSON
// of "when" for conditional injects; "Effect" is the compact JSON of "effect". An empty cell means
// the field is absent from the inject. Contingency is "yes"/"no" (import also takes true/false,
// 1/0, x). The participant audience writes only Inject ID, Inject #, Scenario time, Event synopsis,
// From, To, Delivery method, Message and TLP, and leaves out injects marked "audience": "controller".
//
// Contract
//  - export_msel() loads and validates the scenario (includes resolved) and refuses one with errors.
//    Injects appear in scenario order. Output: UTF-8 (BOM by default), RFC 4180 quoting (a cell is
//    quoted when it holds the separator, a quote, CR/LF, or leading/trailing spaces), CRLF rows by
//    default; line breaks inside a cell are written as LF.
//  - import_msel() reads UTF-8 with or without BOM, "," ";" or tab separators (detected from the
//    header row), CRLF or LF rows, quoted multi-line cells (CRLF inside a cell becomes LF). Columns
//    may come in any order and may be a subset (a participant export updates only its columns);
//    "Inject ID" is required. Rows update the scenario file's own "injects" by id, field by field;
//    unknown ids are appended in sheet order; injects absent from the sheet are kept. Blank rows are
//    skipped.
//  - On any problem import returns errors as "file:line: message" (CSV line numbers, 1-based) and
//    writes nothing. The patched scenario is validated (with its includes) before it replaces the
//    file; the replacement is atomic (temp file in the same folder + rename). Only what changed is
//    edited, where the parser located it: a changed field's value is replaced in place (on one
//    line), an added field is appended to its inject's object in that object's layout, a removed
//    field is cut with its comma, a new inject is appended to the array (indented like the
//    first); every other byte of the file stays as it was, formatting and all. (When positions
//    cannot be found, the "injects" array alone is rewritten.)
//  - Round trip: export -> import into a copy -> export gives an identical CSV and content-equal
//    injects.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "cyberdrill/scenario_io.hpp"

namespace cyberdrill::msel {

enum class Audience { controller, participant };

struct ExportOptions {
  Audience audience = Audience::controller;
  char separator = ',';   ///< ',' ';' or '\t'
  bool bom = true;        ///< UTF-8 byte-order mark first (spreadsheets then read UTF-8)
  bool crlf = true;       ///< rows end in CRLF (RFC 4180) rather than LF
};

/// The column names of an export for `audience`, in order.
[[nodiscard]] const std::vector<std::string>& columns(Audience audience);

struct ExportResult {
  bool ok = false;
  std::string csv;                  ///< the whole file (when ok)
  std::size_t rows = 0;             ///< injects written
  std::vector<std::string> errors;  ///< "file:line:col: /pointer: message" of the scenario's errors
};

/// Never throws for bad input. `load` sets the loader's limits (the CLI's --large).
[[nodiscard]] ExportResult export_msel(const std::filesystem::path& scenario, const ExportOptions& options = {},
                                       const LoadOptions& load = {});

/// One CSV record with the 1-based line it starts on.
struct CsvRecord {
  int line = 0;
  std::vector<std::string> fields;
};

struct CsvTable {
  char separator = ',';
  std::vector<CsvRecord> records;   ///< the header first
  std::vector<std::string> errors;  ///< "file:line: message"
};

/// Parses CSV text (see the contract for what is accepted). `file` names the text in errors.
[[nodiscard]] CsvTable parse_csv(std::string_view text, const std::string& file);

struct ImportOptions {
  bool write = true;  ///< false: check everything, change nothing (dry run)
};

struct ImportResult {
  bool ok = false;
  std::size_t updated = 0;    ///< existing injects whose fields changed
  std::size_t added = 0;      ///< new injects appended
  std::size_t unchanged = 0;  ///< rows equal to the inject already in the file
  bool written = false;       ///< the scenario file was replaced
  std::vector<std::string> errors;
};

/// Never throws for bad input; on error nothing is written.
[[nodiscard]] ImportResult import_msel(const std::filesystem::path& csv, const std::filesystem::path& scenario,
                                       const ImportOptions& options = {});

}  // namespace cyberdrill::msel
