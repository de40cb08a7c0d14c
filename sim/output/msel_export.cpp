// The MSEL export (include/cyberdrill/msel.hpp): a scenario's injects as an HSEEP MSEL sheet.
// The output room: the import (sim/input/msel_import.cpp) reads the sheet back.
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cyberdrill/csv.hpp"
#include "cyberdrill/files.hpp"
#include "cyberdrill/msel.hpp"
#include "cyberdrill/msel_columns.hpp"
#include "cyberdrill/scenario_io.hpp"

namespace cyberdrill::msel {
namespace {

namespace fs = std::filesystem;
using OJson = nlohmann::ordered_json;
using Json = nlohmann::json;

// --- cells ------------------------------------------------------------------------------------

/// The cell text of one inject field (empty when absent).
std::string cell_of(const OJson& inj, Col c) {
  const char* key = def(c).field;
  const auto it = inj.find(key);
  if (it == inj.end() || it->is_null()) return "";
  const OJson& v = *it;
  switch (c) {
    case Col::trigger:
    case Col::effect:
      return v.dump();
    case Col::contingency:
      if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
      return v.dump();
    case Col::number:
      if (v.is_number_integer()) return std::to_string(v.get<std::int64_t>());
      return v.dump();
    default:
      if (v.is_string()) return v.get<std::string>();
      return v.dump();
  }
}

/// Header cells and numeric cells: quoted only. Text cells: neutralised (csv::neutralise, undone
/// exactly by the import) and quoted.
void put_cell(std::string& out, const std::string& s, char sep) { out += csv::quote(s, sep); }
void put_text_cell(std::string& out, const std::string& s, char sep) { out += csv::text_cell(s, sep); }

}  // namespace

const std::vector<std::string>& columns(Audience audience) {
  static const auto make = [](Audience a) {
    std::vector<std::string> v;
    for (Col c : columns_of(a)) v.emplace_back(def(c).name);
    return v;
  };
  static const std::vector<std::string> controller = make(Audience::controller);
  static const std::vector<std::string> participant = make(Audience::participant);
  return audience == Audience::participant ? participant : controller;
}

// --- export -----------------------------------------------------------------------------------

ExportResult export_msel(const fs::path& scenario, const ExportOptions& options, const LoadOptions& load) {
  ExportResult r;
  const LoadResult loaded = load_scenario(scenario, load);
  if (loaded.has_errors()) {
    for (const Diagnostic& d : loaded.diagnostics)
      if (d.severity == Diagnostic::Severity::error) r.errors.push_back(to_string(d));
    return r;
  }
  const std::string merged_text = composed_member_json(scenario, load, "injects");
  const Json merged_json = merged_text.empty() ? Json() : Json::parse(merged_text);
  const Json* merged = merged_json.is_array() ? &merged_json : nullptr;

  // The top file's own injects keep their key order (nlohmann::json sorts keys); use them when
  // they hold the whole inject, else the merged one.
  std::map<std::string, OJson> own;
  std::string text;
  if (read_file(scenario, text)) {
    try {
      const OJson doc = OJson::parse(text);
      if (const auto it = doc.find("injects"); it != doc.end() && it->is_array())
        for (const OJson& inj : *it)
          if (inj.is_object() && inj.contains("id") && inj["id"].is_string()) own[inj["id"].get<std::string>()] = inj;
    } catch (const std::exception&) {
      // validated above; cannot happen
    }
  }

  const std::vector<Col> cols = columns_of(options.audience);
  const std::string eol = options.crlf ? "\r\n" : "\n";
  std::string out = options.bom ? "\xEF\xBB\xBF" : "";
  for (std::size_t i = 0; i < cols.size(); ++i) {
    if (i > 0) out += options.separator;
    put_cell(out, def(cols[i]).name, options.separator);
  }
  out += eol;
  if (merged != nullptr) {
    for (const Json& m : *merged) {
      OJson inj = OJson::parse(m.dump());
      if (const auto it = m.find("id"); it != m.end() && it->is_string()) {
        const auto o = own.find(it->get<std::string>());
        if (o != own.end() && Json::parse(o->second.dump()) == m) inj = o->second;
      }
      if (options.audience == Audience::participant && inj.value("audience", std::string("all")) == "controller") continue;
      for (std::size_t i = 0; i < cols.size(); ++i) {
        if (i > 0) out += options.separator;
        // The inject number is a number (a negative one is data, not a formula).
        if (cols[i] == Col::number)
          put_cell(out, cell_of(inj, cols[i]), options.separator);
        else
          put_text_cell(out, cell_of(inj, cols[i]), options.separator);
      }
      out += eol;
      ++r.rows;
    }
  }
  r.csv = std::move(out);
  r.ok = true;
  return r;
}

}  // namespace cyberdrill::msel
