// The MSEL import (include/cyberdrill/msel.hpp): an edited MSEL sheet back into the scenario
// (the export is sim/output/msel_export.cpp).
#include "cyberdrill/msel.hpp"
#include "cyberdrill/msel_columns.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <system_error>

#include <nlohmann/json.hpp>

#include "composition.hpp"
#include "cyberdrill/csv.hpp"
#include "cyberdrill/files.hpp"
#include "cyberdrill/scenario_io.hpp"
#include "json_document.hpp"

namespace cyberdrill::msel {
namespace {

namespace fs = std::filesystem;
using OJson = nlohmann::ordered_json;

/// Limits of one Trigger or Effect cell (an inject's "when"/"effect" object is a few levels and a
/// few dozen values; the scenario reader's own limits would still allow a DOM of 10^7 values).
constexpr std::size_t kMaxCellDepth = 32;
constexpr std::size_t kMaxCellValues = 100'000;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& ch : out)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  return out;
}

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return std::string(s.substr(b, e - b));
}

std::string where(const std::string& file, int line) { return file + ":" + std::to_string(line) + ": "; }

}  // namespace

// --- CSV reading ------------------------------------------------------------------------------

CsvTable parse_csv(std::string_view text, const std::string& file) {
  CsvTable t;
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  // Separator: the candidate seen most often outside quotes on the header row.
  {
    std::size_t counts[3] = {0, 0, 0};
    const char cand[3] = {',', ';', '\t'};
    bool q = false;
    for (char ch : text) {
      if (ch == '"') q = !q;
      if (!q && (ch == '\n' || ch == '\r')) break;
      if (!q)
        for (int k = 0; k < 3; ++k)
          if (ch == cand[k]) ++counts[k];
    }
    int best = 0;
    for (int k = 1; k < 3; ++k)
      if (counts[k] > counts[best]) best = k;
    t.separator = cand[best];
  }
  const char sep = t.separator;
  int line = 1;
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    CsvRecord rec;
    rec.line = line;
    std::string field;
    bool end_of_record = false;
    while (!end_of_record) {
      field.clear();
      if (i < n && text[i] == '"') {
        const int open_line = line;
        ++i;
        bool closed = false;
        while (i < n) {
          const char ch = text[i];
          if (ch == '"') {
            if (i + 1 < n && text[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            closed = true;
            break;
          }
          if (ch == '\r') {  // CRLF or CR inside a cell becomes LF
            field += '\n';
            ++line;
            i += (i + 1 < n && text[i + 1] == '\n') ? 2 : 1;
            continue;
          }
          if (ch == '\n') ++line;
          field += ch;
          ++i;
        }
        if (!closed) {
          t.errors.push_back(where(file, open_line) + "unterminated quoted cell (a '\"' opened here is never closed)");
          return t;
        }
        if (i < n && text[i] != sep && text[i] != '\r' && text[i] != '\n') {
          t.errors.push_back(where(file, line) + "unexpected character '" + std::string(1, text[i]) +
                             "' after a closing quote (expected the separator or the end of the row)");
          return t;
        }
      } else {
        while (i < n && text[i] != sep && text[i] != '\r' && text[i] != '\n') field += text[i++];
      }
      rec.fields.push_back(field);
      if (i >= n) {
        end_of_record = true;
      } else if (text[i] == sep) {
        ++i;
      } else {  // CR, LF or CRLF
        i += (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n') ? 2 : 1;
        ++line;
        end_of_record = true;
      }
    }
    const bool blank = std::all_of(rec.fields.begin(), rec.fields.end(), [](const std::string& f) { return trim(f).empty(); });
    if (!blank || t.records.empty()) t.records.push_back(std::move(rec));
  }
  if (t.records.empty()) t.errors.push_back(where(file, 1) + "empty file: expected a header row with \"Inject ID\"");
  return t;
}

// --- import -----------------------------------------------------------------------------------

namespace {

/// End offset (one past the closing bracket) of the JSON array that starts at `start`.
std::size_t array_end(std::string_view text, std::size_t start) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = start; i < text.size(); ++i) {
    const char ch = text[i];
    if (in_string) {
      if (ch == '\\') ++i;
      else if (ch == '"') in_string = false;
      continue;
    }
    if (ch == '"') in_string = true;
    else if (ch == '[' || ch == '{') ++depth;
    else if (ch == ']' || ch == '}') {
      if (--depth == 0) return i + 1;
    }
  }
  return std::string_view::npos;
}

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += len;
  }
  return true;
}

/// Sets or erases one field of `inj` from a cell. Returns an error message or "".
std::string apply_cell(OJson& inj, Col c, const std::string& raw) {
  const char* key = def(c).field;
  const std::string v = (c == Col::message || c == Col::synopsis || c == Col::expected) ? raw : trim(raw);
  if (v.empty()) {
    inj.erase(key);
    return "";
  }
  switch (c) {
    case Col::number: {
      std::int64_t n = 0;
      std::size_t used = 0;
      try {
        n = std::stoll(v, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used != v.size() || n < 0) return "\"Inject #\" must be a whole number >= 0, got \"" + v + "\"";
      inj[key] = n;
      return "";
    }
    case Col::contingency: {
      const std::string l = lower(v);
      if (l == "yes" || l == "true" || l == "1" || l == "x" || l == "y") inj[key] = true;
      else if (l == "no" || l == "false" || l == "0" || l == "n") inj[key] = false;
      else return "\"Contingency\" must be yes or no, got \"" + v + "\"";
      return "";
    }
    case Col::trigger:
    case Col::effect: {
      // Nesting and size limits first (a cell nested 200,000 deep used to take 50 s and 4 GB and
      // then overflow the stack): the same checker as the scenario reader, before any DOM.
      // A syntax error stops both parsers at the same byte, so it is left to the message below.
      if (const io::ParsedJson checked = io::parse_json_text(v, kMaxCellDepth, kMaxCellValues);
          !checked.value && !checked.problems.empty()) {
        const std::string& why = checked.problems.front().message;
        if (why.rfind("JSON nested deeper", 0) == 0 || why.rfind("more than", 0) == 0)
          return std::string("\"") + def(c).name + "\" is refused: " + why;
      }
      try {
        OJson j = OJson::parse(v);
        if (!j.is_object()) return std::string("\"") + def(c).name + "\" must be a JSON object, got " + j.type_name();
        inj[key] = std::move(j);
      } catch (const nlohmann::json::parse_error& e) {
        return std::string("\"") + def(c).name + "\" is not valid JSON: " + e.what();
      }
      return "";
    }
    default:
      inj[key] = v;
      return "";
  }
}

}  // namespace

ImportResult import_msel(const fs::path& csv, const fs::path& scenario, const ImportOptions& options) {
  ImportResult r;
  const std::string cfile = csv.string();
  std::string ctext;
  if (!read_file(csv, ctext)) {
    r.errors.push_back(cfile + ":0: cannot read the MSEL file");
    return r;
  }
  CsvTable table = parse_csv(ctext, cfile);
  if (!table.errors.empty()) {
    r.errors = std::move(table.errors);
    return r;
  }
  // Header.
  const CsvRecord& header = table.records.front();
  std::vector<Col> cols;
  std::set<std::size_t> seen;
  for (const std::string& h : header.fields) {
    const std::string name = lower(trim(h));
    const ColumnDef* found = nullptr;
    for (const ColumnDef& d : kColumns)
      if (lower(d.name) == name) found = &d;
    if (found == nullptr) {
      std::string expected;
      for (const ColumnDef& d : kColumns) expected += (expected.empty() ? "" : ", ") + std::string(d.name);
      r.errors.push_back(where(cfile, header.line) + "unknown column \"" + trim(h) + "\" (expected some of: " + expected + ")");
      continue;
    }
    if (!seen.insert(static_cast<std::size_t>(found->col)).second)
      r.errors.push_back(where(cfile, header.line) + "column \"" + found->name + "\" appears twice");
    cols.push_back(found->col);
  }
  if (seen.count(static_cast<std::size_t>(Col::id)) == 0)
    r.errors.push_back(where(cfile, header.line) + "missing the \"Inject ID\" column (it says which inject a row updates)");
  if (!r.errors.empty()) return r;
  const bool has_time = seen.count(static_cast<std::size_t>(Col::time)) != 0;
  const bool has_trigger = seen.count(static_cast<std::size_t>(Col::trigger)) != 0;

  // The scenario file's own text and injects.
  const std::string sfile = scenario.string();
  std::string stext;
  if (!read_file(scenario, stext)) {
    r.errors.push_back(sfile + ":0: cannot read the scenario file");
    return r;
  }
  OJson doc;
  try {
    doc = OJson::parse(stext);
  } catch (const nlohmann::json::parse_error& e) {
    r.errors.push_back(sfile + ":0: not valid JSON (run cyberdrill validate): " + e.what());
    return r;
  }
  if (!doc.is_object()) {
    r.errors.push_back(sfile + ":0: a scenario file holds one JSON object");
    return r;
  }
  OJson injects = doc.contains("injects") ? doc["injects"] : OJson::array();
  if (!injects.is_array()) {
    r.errors.push_back(sfile + ":0: \"injects\" is not an array");
    return r;
  }
  const OJson before = injects;
  std::map<std::string, std::size_t> index;
  for (std::size_t k = 0; k < injects.size(); ++k)
    if (injects[k].is_object() && injects[k].contains("id") && injects[k]["id"].is_string())
      index[injects[k]["id"].get<std::string>()] = k;

  std::map<std::size_t, int> line_of_inject;  // inject index -> CSV line, for validation messages
  std::set<std::string> ids_in_sheet;
  for (std::size_t ri = 1; ri < table.records.size(); ++ri) {
    CsvRecord& rec = table.records[ri];
    if (rec.fields.size() != cols.size()) {
      r.errors.push_back(where(cfile, rec.line) + "row has " + std::to_string(rec.fields.size()) + " cells, the header has " +
                         std::to_string(cols.size()) + " (a missing separator or an unquoted separator in a cell?)");
      continue;
    }
    bool utf8_ok = true;
    for (const std::string& f : rec.fields) utf8_ok = utf8_ok && valid_utf8(f);
    if (!utf8_ok) {
      r.errors.push_back(where(cfile, rec.line) + "invalid UTF-8 (save the sheet as \"CSV UTF-8\")");
      continue;
    }
    // Undo exactly the formula neutralisation of the export (csv::neutralise) on text cells.
    for (std::size_t k = 0; k < cols.size(); ++k)
      if (cols[k] != Col::number) rec.fields[k] = csv::unneutralise(rec.fields[k]);
    std::string id;
    for (std::size_t k = 0; k < cols.size(); ++k)
      if (cols[k] == Col::id) id = trim(rec.fields[k]);
    if (id.empty()) {
      r.errors.push_back(where(cfile, rec.line) + "empty \"Inject ID\"");
      continue;
    }
    if (!ids_in_sheet.insert(id).second) {
      r.errors.push_back(where(cfile, rec.line) + "inject \"" + id + "\" appears twice in the sheet");
      continue;
    }
    const auto found = index.find(id);
    OJson inj = found != index.end() ? injects[found->second] : OJson::object({{"id", id}});
    bool row_ok = true;
    std::string time_cell, trigger_cell;
    for (std::size_t k = 0; k < cols.size(); ++k) {
      if (cols[k] == Col::id) continue;
      if (cols[k] == Col::time) time_cell = trim(rec.fields[k]);
      if (cols[k] == Col::trigger) trigger_cell = trim(rec.fields[k]);
      const std::string err = apply_cell(inj, cols[k], rec.fields[k]);
      if (!err.empty()) {
        r.errors.push_back(where(cfile, rec.line) + "inject \"" + id + "\": " + err);
        row_ok = false;
      }
    }
    if (has_time && has_trigger) {
      if (!time_cell.empty() && !trigger_cell.empty()) {
        r.errors.push_back(where(cfile, rec.line) + "inject \"" + id + "\" has both a scenario time and a trigger; keep one");
        row_ok = false;
      } else if (time_cell.empty() && trigger_cell.empty()) {
        r.errors.push_back(where(cfile, rec.line) + "inject \"" + id + "\" has neither a scenario time nor a trigger");
        row_ok = false;
      }
    } else if (has_time && !time_cell.empty()) {
      inj.erase("when");
    } else if (has_time && time_cell.empty() && found != index.end() && before[found->second].contains("time")) {
      r.errors.push_back(where(cfile, rec.line) + "inject \"" + id + "\" lost its scenario time (and the sheet has no Trigger column)");
      row_ok = false;
    } else if (has_trigger && !trigger_cell.empty()) {
      inj.erase("time");
    }
    if (!row_ok) continue;
    if (found != index.end()) {
      if (inj == injects[found->second]) ++r.unchanged;
      else ++r.updated;
      injects[found->second] = std::move(inj);
      line_of_inject[found->second] = rec.line;
    } else {
      line_of_inject[injects.size()] = rec.line;
      index[id] = injects.size();
      injects.push_back(std::move(inj));
      ++r.added;
    }
  }
  if (!r.errors.empty()) return r;

  // Patch the text: only the "injects" array changes.
  std::string patched;
  if (injects == before) {
    patched = stext;
  } else {
    std::string dumped;
    try {
      dumped = injects.dump(2);
    } catch (const nlohmann::json::exception& e) {
      r.errors.push_back(cfile + ":0: cannot encode the injects: " + e.what());
      return r;
    }
    const auto at = io::locate_pointers(stext, {"/injects"});
    const auto it = at.find("/injects");
    if (it != at.end() && array_end(stext, it->second) != std::string_view::npos) {
      const std::size_t start = it->second;
      const std::size_t end = array_end(stext, start);
      // Indent continuation lines like the line holding the key.
      const std::size_t bol = stext.rfind('\n', start) == std::string::npos ? 0 : stext.rfind('\n', start) + 1;
      std::string indent;
      for (std::size_t k = bol; k < start && (stext[k] == ' ' || stext[k] == '\t'); ++k) indent += stext[k];
      std::string body;
      for (char ch : dumped) {
        body += ch;
        if (ch == '\n') body += indent;
      }
      patched = stext.substr(0, start) + body + stext.substr(end);
    } else {
      OJson whole = doc;
      whole["injects"] = injects;
      patched = whole.dump(2) + "\n";
    }
  }

  // Validate the patched scenario beside the original (so its includes resolve), then rename.
  fs::path tmp = scenario;
  tmp += ".msel-check.json";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) {
      r.errors.push_back(sfile + ":0: cannot write beside the scenario (" + tmp.string() + ")");
      return r;
    }
    out << patched;
  }
  const LoadResult check = load_scenario(tmp);
  std::error_code ec;
  if (check.has_errors()) {
    fs::remove(tmp, ec);
    for (const Diagnostic& d : check.diagnostics) {
      if (d.severity != Diagnostic::Severity::error) continue;
      Diagnostic shown = d;
      if (shown.file == tmp.string()) shown.file = sfile;
      std::string msg = to_string(shown);
      // Point at the sheet's row when the problem is inside an imported inject.
      if (d.pointer.rfind("/injects/", 0) == 0) {
        const std::size_t k = std::strtoul(d.pointer.c_str() + 9, nullptr, 10);
        if (const auto l = line_of_inject.find(k); l != line_of_inject.end())
          msg = where(cfile, l->second) + "inject \"" + injects[k].value("id", std::string()) + "\": " + d.message;
      }
      r.errors.push_back(msg);
    }
    return r;
  }
  if (!options.write || patched == stext) {
    fs::remove(tmp, ec);
    r.ok = true;
    return r;
  }
  fs::remove(tmp, ec);
  // The file edited is the one the path names: through a symlink, the link's target is replaced
  // (the link stays a link), and the new file gets the old one's permission bits.
  const fs::path real = fs::canonical(scenario, ec);
  if (ec) {
    r.errors.push_back(sfile + ":0: cannot resolve the scenario file: " + ec.message());
    return r;
  }
  const fs::perms mode = fs::status(real, ec).permissions();
  fs::path out_tmp = real;
  out_tmp += ".msel-import.tmp";
  bool wrote = false;
  {
    std::ofstream out(out_tmp, std::ios::binary | std::ios::trunc);
    if (out) {
      out << patched;
      out.flush();
      out.close();
      wrote = !out.fail();
    }
  }
  if (wrote) fs::permissions(out_tmp, mode, fs::perm_options::replace, ec);
  if (wrote && !ec) fs::rename(out_tmp, real, ec);
  if (!wrote || ec) {
    const std::string why = wrote ? ec.message() : "cannot write " + out_tmp.string();
    fs::remove(out_tmp, ec);
    r.errors.push_back(sfile + ":0: cannot replace the scenario file: " + why);
    return r;
  }
  r.written = true;
  r.ok = true;
  return r;
}

}  // namespace cyberdrill::msel
