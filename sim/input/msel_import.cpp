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

namespace {

// --- the sheet: header and rows ----------------------------------------------------------------

/// The sheet's columns in order; errors for unknown, repeated or missing ones.
std::vector<Col> read_header(const CsvRecord& header, const std::string& cfile, std::vector<std::string>& errors,
                             std::set<std::size_t>& seen) {
  std::vector<Col> cols;
  for (const std::string& h : header.fields) {
    const std::string name = lower(trim(h));
    const ColumnDef* found = nullptr;
    for (const ColumnDef& d : kColumns)
      if (lower(d.name) == name) found = &d;
    if (found == nullptr) {
      std::string expected;
      for (const ColumnDef& d : kColumns) expected += (expected.empty() ? "" : ", ") + std::string(d.name);
      errors.push_back(where(cfile, header.line) + "unknown column \"" + trim(h) + "\" (expected some of: " + expected + ")");
      continue;
    }
    if (!seen.insert(static_cast<std::size_t>(found->col)).second)
      errors.push_back(where(cfile, header.line) + "column \"" + found->name + "\" appears twice");
    cols.push_back(found->col);
  }
  if (seen.count(static_cast<std::size_t>(Col::id)) == 0)
    errors.push_back(where(cfile, header.line) + "missing the \"Inject ID\" column (it says which inject a row updates)");
  return cols;
}

/// The scenario file's text, its document and its own "injects" (not the included files').
struct ScenarioText {
  std::string text;
  OJson doc;
  OJson injects = OJson::array();
};

bool read_scenario_injects(const fs::path& scenario, ScenarioText& st, std::vector<std::string>& errors) {
  const std::string sfile = scenario.string();
  if (!read_file(scenario, st.text)) {
    errors.push_back(sfile + ":0: cannot read the scenario file");
    return false;
  }
  try {
    st.doc = OJson::parse(st.text);
  } catch (const nlohmann::json::parse_error& e) {
    errors.push_back(sfile + ":0: not valid JSON (run cyberdrill validate): " + e.what());
    return false;
  }
  if (!st.doc.is_object()) {
    errors.push_back(sfile + ":0: a scenario file holds one JSON object");
    return false;
  }
  if (st.doc.contains("injects")) st.injects = st.doc["injects"];
  if (!st.injects.is_array()) {
    errors.push_back(sfile + ":0: \"injects\" is not an array");
    return false;
  }
  return true;
}

/// The rows applied to the injects, by id: updated in place, new ids appended.
struct RowsApplied {
  OJson injects;
  std::map<std::size_t, int> line_of_inject;  ///< inject index -> CSV line, for validation messages
};

RowsApplied apply_rows(CsvTable& table, const std::vector<Col>& cols, const std::set<std::size_t>& seen,
                       const OJson& before, const std::string& cfile, ImportResult& r) {
  RowsApplied out{before, {}};
  OJson& injects = out.injects;
  const bool has_time = seen.count(static_cast<std::size_t>(Col::time)) != 0;
  const bool has_trigger = seen.count(static_cast<std::size_t>(Col::trigger)) != 0;
  std::map<std::string, std::size_t> index;
  for (std::size_t k = 0; k < injects.size(); ++k)
    if (injects[k].is_object() && injects[k].contains("id") && injects[k]["id"].is_string())
      index[injects[k]["id"].get<std::string>()] = k;
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
      out.line_of_inject[found->second] = rec.line;
    } else {
      out.line_of_inject[injects.size()] = rec.line;
      index[id] = injects.size();
      injects.push_back(std::move(inj));
      ++r.added;
    }
  }
  return out;
}

// --- the minimal textual edit ------------------------------------------------------------------

/// One past the end of the JSON value that starts at `start` in valid JSON text.
std::size_t value_end(std::string_view text, std::size_t start) {
  if (start >= text.size()) return std::string_view::npos;
  const char c = text[start];
  if (c == '[' || c == '{') return array_end(text, start);
  if (c == '"') {
    for (std::size_t i = start + 1; i < text.size(); ++i) {
      if (text[i] == '\\') ++i;
      else if (text[i] == '"') return i + 1;
    }
    return std::string_view::npos;
  }
  std::size_t i = start;
  while (i < text.size() && text[i] != ',' && text[i] != '}' && text[i] != ']' && text[i] != ' ' && text[i] != '\n' &&
         text[i] != '\r' && text[i] != '\t')
    ++i;
  return i;
}

/// A value on one line in the style of the shipped files: {"kind": "inform", "level": 1}.
std::string one_line(const OJson& v) {
  if (v.is_object()) {
    std::string out = "{";
    bool first = true;
    for (auto it = v.begin(); it != v.end(); ++it) {
      out += (first ? "" : ", ") + OJson(it.key()).dump() + ": " + one_line(it.value());
      first = false;
    }
    return out + "}";
  }
  if (v.is_array()) {
    std::string out = "[";
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + one_line(v[i]);
    return out + "]";
  }
  return v.dump();
}

std::string indent_of_line(std::string_view text, std::size_t at) {
  const std::size_t nl = text.rfind('\n', at == 0 ? 0 : at - 1);
  std::size_t k = (nl == std::string_view::npos || at == 0) ? 0 : nl + 1;
  std::string indent;
  for (; k < at && (text[k] == ' ' || text[k] == '\t'); ++k) indent += text[k];
  return indent;
}

struct Edit {
  std::size_t begin = 0, end = 0;  ///< the byte range replaced
  std::string text;
};

/// The edits that turn `before` (the file's injects, as in `text`) into `after`: a changed value
/// is replaced where it is written, an added field is appended to its inject's object, a removed
/// field is cut with its comma, a new inject is appended to the array. Every other byte stays.
/// nullopt when a position cannot be found (the caller then rewrites the whole array).
std::optional<std::vector<Edit>> minimal_edits(std::string_view text, const OJson& before, const OJson& after) {
  std::vector<std::string> pointers{"/injects"};
  for (std::size_t k = 0; k < before.size(); ++k) {
    const std::string ik = "/injects/" + std::to_string(k);
    pointers.push_back(ik);
    if (before[k].is_object())
      for (auto it = before[k].begin(); it != before[k].end(); ++it)
        pointers.push_back(ik + "/" + io::escape_pointer_token(it.key()));
  }
  const auto at = io::locate_pointers(text, pointers);
  auto pos = [&](const std::string& p) -> std::optional<std::size_t> {
    const auto it = at.find(p);
    if (it == at.end()) return std::nullopt;
    return it->second;
  };
  std::vector<Edit> edits;
  for (std::size_t k = 0; k < before.size(); ++k) {
    const OJson& b = before[k];
    const OJson& a = after[k];
    if (a == b) continue;
    const std::string ik = "/injects/" + std::to_string(k);
    if (!a.is_object() || !b.is_object()) return std::nullopt;
    const auto obj = pos(ik);
    if (!obj) return std::nullopt;
    const std::size_t obj_end = value_end(text, *obj);  // one past '}'
    if (obj_end == std::string_view::npos) return std::nullopt;
    for (auto it = b.begin(); it != b.end(); ++it) {
      const auto v = pos(ik + "/" + io::escape_pointer_token(it.key()));
      if (!v) return std::nullopt;
      const std::size_t vend = value_end(text, *v);
      if (vend == std::string_view::npos) return std::nullopt;
      if (a.contains(it.key())) {
        if (a[it.key()] != it.value()) edits.push_back(Edit{*v, vend, one_line(a[it.key()])});
        continue;
      }
      // Removed: from the key's opening quote (found backwards past ':' and the key) with one comma.
      std::size_t key = *v;
      while (key > 0 && text[key - 1] != ':') --key;
      if (key == 0) return std::nullopt;
      --key;  // the ':'
      while (key > 0 && text[key - 1] != '"') --key;  // the key's closing quote
      if (key == 0) return std::nullopt;
      --key;
      while (key > 0 && text[key - 1] != '"') --key;  // its opening quote (ids have no escaped quotes)
      if (key == 0) return std::nullopt;
      --key;
      std::size_t from = key;
      while (from > 0 && (text[from - 1] == ' ' || text[from - 1] == '\n' || text[from - 1] == '\r' || text[from - 1] == '\t')) --from;
      if (from > 0 && text[from - 1] == ',') {
        edits.push_back(Edit{from - 1, vend, ""});
      } else {  // the first member: cut up to the next member
        std::size_t to = vend;
        while (to < text.size() && (text[to] == ' ' || text[to] == '\n' || text[to] == '\r' || text[to] == '\t')) ++to;
        if (to < text.size() && text[to] == ',') ++to;
        while (to < text.size() && (text[to] == ' ' || text[to] == '\n' || text[to] == '\r' || text[to] == '\t')) ++to;
        edits.push_back(Edit{key, to, ""});
      }
    }
    // Added fields: after the object's last member, in the object's own layout.
    std::string added;
    const std::size_t close = obj_end - 1;
    std::size_t last = close;
    while (last > *obj && (text[last - 1] == ' ' || text[last - 1] == '\n' || text[last - 1] == '\r' || text[last - 1] == '\t')) --last;
    const bool multiline = text.substr(*obj, close - *obj).find('\n') != std::string_view::npos;
    std::string sep = ", ";
    if (multiline) sep = ",\n" + indent_of_line(text, last);  // the indent of the last member's line
    bool empty_object = last == *obj + 1;
    for (auto it = a.begin(); it != a.end(); ++it) {
      if (b.contains(it.key())) continue;
      added += (empty_object ? std::string() : sep) + OJson(it.key()).dump() + ": " + one_line(it.value());
      empty_object = false;
    }
    if (!added.empty()) edits.push_back(Edit{last, last, added});
  }
  if (after.size() > before.size()) {
    const auto arr = pos("/injects");
    if (!arr || before.empty()) return std::nullopt;
    const std::size_t arr_end = value_end(text, *arr);
    if (arr_end == std::string_view::npos) return std::nullopt;
    std::size_t last = arr_end - 1;
    while (last > *arr && (text[last - 1] == ' ' || text[last - 1] == '\n' || text[last - 1] == '\r' || text[last - 1] == '\t')) --last;
    const auto first = pos("/injects/0");
    const std::string indent = first ? indent_of_line(text, *first) : std::string("    ");
    std::string appended;
    for (std::size_t k = before.size(); k < after.size(); ++k) {
      std::string body;
      for (const char ch : after[k].dump(2)) {
        body += ch;
        if (ch == '\n') body += indent;
      }
      appended += ",\n" + indent + body;
    }
    edits.push_back(Edit{last, last, appended});
  }
  std::sort(edits.begin(), edits.end(), [](const Edit& x, const Edit& y) { return x.begin < y.begin; });
  for (std::size_t i = 1; i < edits.size(); ++i)
    if (edits[i].begin < edits[i - 1].end) return std::nullopt;
  return edits;
}

/// The scenario text with the new injects: the minimal edits, else the whole "injects" array
/// re-serialised in place, else the whole document.
std::string patch_text(const ScenarioText& st, const OJson& injects) {
  if (injects == st.injects) return st.text;
  if (st.doc.contains("injects")) {
    if (const auto edits = minimal_edits(st.text, st.injects, injects)) {
      std::string out;
      std::size_t at = 0;
      for (const Edit& e : *edits) {
        out.append(st.text, at, e.begin - at);
        out += e.text;
        at = e.end;
      }
      out.append(st.text, at, std::string::npos);
      return out;
    }
  }
  const std::string dumped = injects.dump(2);
  const auto at = io::locate_pointers(st.text, {"/injects"});
  const auto it = at.find("/injects");
  if (it != at.end() && array_end(st.text, it->second) != std::string_view::npos) {
    const std::size_t start = it->second;
    const std::size_t end = array_end(st.text, start);
    const std::string indent = indent_of_line(st.text, start);  // continuation lines like the key's line
    std::string body;
    for (char ch : dumped) {
      body += ch;
      if (ch == '\n') body += indent;
    }
    return st.text.substr(0, start) + body + st.text.substr(end);
  }
  OJson whole = st.doc;
  whole["injects"] = injects;
  return whole.dump(2) + "\n";
}

// --- checking and writing ----------------------------------------------------------------------

/// Loads the patched text beside the original (so its includes resolve); errors inside an
/// imported inject point at its sheet row. True when there is no error.
bool check_patched(const fs::path& scenario, const std::string& patched, const RowsApplied& rows,
                   const std::string& cfile, std::vector<std::string>& errors) {
  const std::string sfile = scenario.string();
  fs::path tmp = scenario;
  tmp += ".msel-check.json";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) {
      errors.push_back(sfile + ":0: cannot write beside the scenario (" + tmp.string() + ")");
      return false;
    }
    out << patched;
  }
  const LoadResult check = load_scenario(tmp);
  std::error_code ec;
  fs::remove(tmp, ec);
  if (!check.has_errors()) return true;
  for (const Diagnostic& d : check.diagnostics) {
    if (d.severity != Diagnostic::Severity::error) continue;
    Diagnostic shown = d;
    if (shown.file == tmp.string()) shown.file = sfile;
    std::string msg = to_string(shown);
    if (d.pointer.rfind("/injects/", 0) == 0) {
      const std::size_t k = std::strtoul(d.pointer.c_str() + 9, nullptr, 10);
      if (const auto l = rows.line_of_inject.find(k); l != rows.line_of_inject.end())
        msg = where(cfile, l->second) + "inject \"" + rows.injects[k].value("id", std::string()) + "\": " + d.message;
    }
    errors.push_back(msg);
  }
  return false;
}

/// Replaces the file the path names atomically: through a symlink, the link's target is replaced
/// (the link stays a link), and the new file gets the old one's permission bits.
bool replace_file(const fs::path& scenario, const std::string& patched, std::vector<std::string>& errors) {
  const std::string sfile = scenario.string();
  std::error_code ec;
  const fs::path real = fs::canonical(scenario, ec);
  if (ec) {
    errors.push_back(sfile + ":0: cannot resolve the scenario file: " + ec.message());
    return false;
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
    errors.push_back(sfile + ":0: cannot replace the scenario file: " + why);
    return false;
  }
  return true;
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
  std::set<std::size_t> seen;
  const std::vector<Col> cols = read_header(table.records.front(), cfile, r.errors, seen);
  if (!r.errors.empty()) return r;
  ScenarioText st;
  if (!read_scenario_injects(scenario, st, r.errors)) return r;
  const RowsApplied rows = apply_rows(table, cols, seen, st.injects, cfile, r);
  if (!r.errors.empty()) return r;
  std::string patched;
  try {
    patched = patch_text(st, rows.injects);
  } catch (const nlohmann::json::exception& e) {
    r.errors.push_back(cfile + ":0: cannot encode the injects: " + e.what());
    return r;
  }
  if (!check_patched(scenario, patched, rows, cfile, r.errors)) return r;
  if (options.write && patched != st.text) {
    if (!replace_file(scenario, patched, r.errors)) return r;
    r.written = true;
  }
  r.ok = true;
  return r;
}

}  // namespace cyberdrill::msel
