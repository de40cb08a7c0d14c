// The MSEL as CSV: exact round trips on every shipped exercise, spreadsheet dialects (BOM, ";",
// CRLF/LF, quoted multi-line cells), errors that name file:line and write nothing, and redaction
// of controller-only material in the participant export.
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli_helpers.hpp"
#include "cyberdrill/msel.hpp"

namespace fs = std::filesystem;
using cyberdrill::testing::run_cyberdrill;
using cyberdrill::testing::slurp;
namespace msel = cyberdrill::msel;

namespace {

const fs::path kSource = CYBERDRILL_SOURCE_DIR;

/// A private copy of the shipped scenario library (belgium/ and the tutorial) in a fresh folder.
struct Sandbox {
  fs::path dir;
  Sandbox() {
    static int counter = 0;
    dir = fs::temp_directory_path() / ("cyberdrill-msel-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(dir);
    fs::create_directories(dir / "belgium");
    for (const auto& e : fs::directory_iterator(kSource / "scenarios" / "belgium"))
      if (e.path().extension() == ".json") fs::copy_file(e.path(), dir / "belgium" / e.path().filename());
    fs::copy_file(kSource / "scenarios" / "tutorial.json", dir / "tutorial.json");
  }
  ~Sandbox() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  [[nodiscard]] fs::path exercise(const std::string& name) const { return dir / "belgium" / name; }
};

void write(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
}

nlohmann::json injects_of(const fs::path& scenario) {
  return nlohmann::json::parse(slurp(scenario)).at("injects");
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
  return s;
}

std::vector<std::string> files_in(const fs::path& dir) {
  std::vector<std::string> v;
  for (const auto& e : fs::directory_iterator(dir)) v.push_back(e.path().filename().string());
  std::sort(v.begin(), v.end());
  return v;
}

const std::vector<std::string> kShipped = {"belgium/grid-blackout.json", "belgium/hospital-ransomware.json",
                                           "belgium/isp-ddos.json", "belgium/port-wiper.json",
                                           "belgium/faulty-update.json", "tutorial.json"};

}  // namespace

TEST_CASE("export -> import into a copy -> export is exact for every shipped exercise") {
  Sandbox box;
  for (const std::string& rel : kShipped) {
    CAPTURE(rel);
    const fs::path original = kSource / "scenarios" / rel;
    const fs::path copy = box.dir / rel;
    const msel::ExportResult first = msel::export_msel(original);
    REQUIRE(first.ok);
    CHECK(first.rows == injects_of(original).size());
    const fs::path csv = box.dir / "msel.csv";
    write(csv, first.csv);
    const msel::ImportResult imported = msel::import_msel(csv, copy);
    REQUIRE_MESSAGE(imported.ok, (imported.errors.empty() ? std::string() : imported.errors.front()));
    CHECK(imported.updated == 0);
    CHECK(imported.added == 0);
    CHECK(imported.unchanged == first.rows);
    CHECK(slurp(copy) == slurp(original));  // nothing changed, nothing rewritten
    const msel::ExportResult second = msel::export_msel(copy);
    REQUIRE(second.ok);
    CHECK(second.csv == first.csv);
    CHECK(injects_of(copy) == injects_of(original));
  }
}

TEST_CASE("an edited cell updates only that field, the rest of the file stays byte for byte") {
  Sandbox box;
  const fs::path ex = box.exercise("isp-ddos.json");
  const std::string before = slurp(ex);
  const msel::ExportResult r = msel::export_msel(ex);
  REQUIRE(r.ok);
  const std::string edited = replace_all(r.csv, "RESNET NOC: transit links saturated", "RESNET NOC: every transit link saturated");
  REQUIRE(edited != r.csv);
  write(box.dir / "m.csv", edited);
  const msel::ImportResult im = msel::import_msel(box.dir / "m.csv", ex);
  REQUIRE(im.ok);
  CHECK(im.updated == 1);
  CHECK(im.written);
  const std::string after = slurp(ex);
  CHECK(after == replace_all(before, "RESNET NOC: transit links saturated", "RESNET NOC: every transit link saturated"));
  // ... and exporting again gives the edited sheet back.
  CHECK(msel::export_msel(ex).csv == edited);
}

TEST_CASE("spreadsheet dialects: BOM or not, ',' separator, CRLF or LF all import the same") {
  Sandbox box;
  const fs::path ex = box.exercise("hospital-ransomware.json");
  const nlohmann::json original = injects_of(ex);
  msel::ExportOptions o;
  SUBCASE("',' separator and no BOM, detected on import") {
    o.separator = ';';
    o.bom = false;
  }
  SUBCASE("LF rows") { o.crlf = false; }
  SUBCASE("tab separator") { o.separator = '\t'; }
  const msel::ExportResult r = msel::export_msel(ex, o);
  REQUIRE(r.ok);
  CHECK(r.csv.rfind("\xEF\xBB\xBF", 0) == (o.bom ? 0u : std::string::npos));
  const msel::CsvTable t = msel::parse_csv(r.csv, "x.csv");
  CHECK(t.separator == o.separator);
  CHECK(t.records.front().fields == msel::columns(msel::Audience::controller));
  // Change one message in this dialect and import it.
  const std::string edited = replace_all(r.csv, "ransom notes on servers", "ransom notes on every server");
  write(box.dir / "d.csv", edited);
  const msel::ImportResult im = msel::import_msel(box.dir / "d.csv", ex);
  REQUIRE(im.ok);
  CHECK(im.updated == 1);
  nlohmann::json expected = original;
  expected[0]["synopsis"] = "Night IT on-call: EHR unreachable, ransom notes on every server";
  CHECK(injects_of(ex) == expected);
}

TEST_CASE("CRLF and LF versions of the same sheet give the same injects") {
  Sandbox box;
  const fs::path a = box.exercise("port-wiper.json");
  const msel::ExportResult r = msel::export_msel(a);
  REQUIRE(r.ok);
  REQUIRE(r.csv.find("\r\n") != std::string::npos);
  const std::string lf = replace_all(replace_all(r.csv, "Terminals stop", "Terminals halt"), "\r\n", "\n");
  write(box.dir / "lf.csv", lf);
  REQUIRE(msel::import_msel(box.dir / "lf.csv", a).ok);
  const nlohmann::json via_lf = injects_of(a);
  CHECK(via_lf[0]["synopsis"] == "Terminals halt: red screens everywhere");
  const std::string crlf = replace_all(lf, "\n", "\r\n");
  write(box.dir / "crlf.csv", crlf);
  const msel::ImportResult again = msel::import_msel(box.dir / "crlf.csv", a);
  REQUIRE(again.ok);
  CHECK(again.updated == 0);
  CHECK(injects_of(a) == via_lf);
}

TEST_CASE("quoted multi-line messages with quotes and separators survive the round trip") {
  Sandbox box;
  const fs::path ex = box.dir / "tutorial.json";
  const std::string message = "Line one, with a comma; and a semicolon.\nLine \"two\" in quotes.\n\n  Indented line four.";
  std::string csv = "Inject ID,Message\r\nI-01,\"" + replace_all(replace_all(message, "\"", "\"\""), "\n", "\r\n") + "\"\r\n";
  write(box.dir / "ml.csv", csv);
  const msel::ImportResult im = msel::import_msel(box.dir / "ml.csv", ex);
  REQUIRE_MESSAGE(im.ok, (im.errors.empty() ? std::string() : im.errors.front()));
  CHECK(injects_of(ex)[0]["message"] == message);  // CRLF inside the cell became LF
  // Export quotes it again, and the exported sheet imports to the same value.
  const msel::ExportResult r = msel::export_msel(ex);
  REQUIRE(r.ok);
  const msel::CsvTable t = msel::parse_csv(r.csv, "t.csv");
  REQUIRE(t.errors.empty());
  REQUIRE(t.records.size() == 2);
  CHECK(t.records[1].fields[8] == message);
  CHECK(t.records[1].line == 2);
}

TEST_CASE("malformed sheets: file:line errors, and nothing is written") {
  Sandbox box;
  const fs::path ex = box.exercise("grid-blackout.json");
  const std::string before = slurp(ex);
  const auto listing = files_in(box.dir / "belgium");
  const fs::path csv = box.dir / "bad.csv";
  const std::string head = "Inject ID,Inject #,Contingency,Effect,To\n";
  struct Case {
    const char* name;
    std::string text;
    std::string expect;  // substring of the first error
  };
  const std::vector<Case> cases = {
      {"unterminated quote", head + "I-01,1,no,{\"kind\":\"inform\"},ncsirt\nI-02,2,no,\"{never closed\n,ncsirt\n",
       "bad.csv:3: unterminated quoted cell"},
      {"wrong cell count", head + "I-01,1,no,{\"kind\":\"inform\"},ncsirt\nI-02,2,no\n", "bad.csv:3: row has 3 cells, the header has 5"},
      {"unknown column", "Inject ID,Colour\nI-01,red\n", "bad.csv:1: unknown column \"Colour\""},
      {"no id column", "Inject #,Message\n1,x\n", "bad.csv:1: missing the \"Inject ID\" column"},
      {"bad contingency", head + "I-01,1,maybe,{\"kind\":\"inform\"},ncsirt\n", "bad.csv:2: inject \"I-01\": \"Contingency\" must be yes or no"},
      {"bad number", head + "I-01,one,no,{\"kind\":\"inform\"},ncsirt\n", "bad.csv:2: inject \"I-01\": \"Inject #\" must be a whole number"},
      {"bad effect JSON", head + "I-01,1,no,{kind:inform},ncsirt\n", "bad.csv:2: inject \"I-01\": \"Effect\" is not valid JSON"},
      {"duplicate id", head + "I-01,1,no,,ncsirt\nI-01,1,no,,ncsirt\n", "bad.csv:3: inject \"I-01\" appears twice"},
      {"text after closing quote", head + "I-01,\"1\"x,no,,ncsirt\n", "bad.csv:2: unexpected character 'x' after a closing quote"},
      {"unknown organisation (found by validation)", head + "I-01,1,no,{\"kind\":\"inform\"},ncsirt\nI-02,2,no,{\"kind\":\"inform\"},nobody\n",
       "bad.csv:3: inject \"I-02\": unknown organisation \"nobody\""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    write(csv, c.text);
    const msel::ImportResult im = msel::import_msel(csv, ex);
    CHECK_FALSE(im.ok);
    CHECK_FALSE(im.written);
    REQUIRE_FALSE(im.errors.empty());
    CHECK_MESSAGE(im.errors.front().find(c.expect) != std::string::npos, im.errors.front());
    CHECK(slurp(ex) == before);
    CHECK(files_in(box.dir / "belgium") == listing);  // no temp file left behind
  }
}

TEST_CASE("a new inject id is appended and validated") {
  Sandbox box;
  const fs::path ex = box.dir / "tutorial.json";
  write(box.dir / "new.csv",
        "Inject ID;Inject #;Scenario time;From;To;Delivery method;Event synopsis;Message;Effect\n"
        "I-02;2;T+03:00;utility;csirt;e-mail;Mobile network fails;Batteries are empty.;{\"kind\":\"inform\"}\n");
  const msel::ImportResult im = msel::import_msel(box.dir / "new.csv", ex);
  REQUIRE_MESSAGE(im.ok, (im.errors.empty() ? std::string() : im.errors.front()));
  CHECK(im.added == 1);
  const nlohmann::json inj = injects_of(ex);
  REQUIRE(inj.size() == 2);
  CHECK(inj[1]["id"] == "I-02");
  CHECK(inj[1]["time"] == "T+03:00");
  CHECK(inj[1]["number"] == 2);
}

TEST_CASE("participant export leaves out controller-only injects and controller columns") {
  const fs::path ex = kSource / "scenarios" / "belgium" / "grid-blackout.json";
  msel::ExportOptions o;
  o.audience = msel::Audience::participant;
  const msel::ExportResult p = msel::export_msel(ex, o);
  const msel::ExportResult c = msel::export_msel(ex);
  REQUIRE(p.ok);
  REQUIRE(c.ok);
  const nlohmann::json injects = injects_of(ex);
  std::size_t controller_only = 0;
  for (const auto& i : injects) controller_only += i.value("audience", std::string("all")) == "controller" ? 1 : 0;
  REQUIRE(controller_only >= 1);
  CHECK(c.rows == injects.size());
  CHECK(p.rows == injects.size() - controller_only);
  const msel::CsvTable t = msel::parse_csv(p.csv, "p.csv");
  const auto& header = t.records.front().fields;
  CHECK(header == msel::columns(msel::Audience::participant));
  for (const char* hidden : {"Expected player action", "Responsible controller", "Effect", "Contingency", "Trigger"})
    CHECK(std::find(header.begin(), header.end(), hidden) == header.end());
  CHECK(p.csv.find("CONTINGENCY: the campaign stalled") == std::string::npos);
  CHECK(c.csv.find("CONTINGENCY: the campaign stalled") != std::string::npos);
}

TEST_CASE("cyberdrill msel: export and import from the command line, bad CSV exits 2 with file:line") {
  Sandbox box;
  const fs::path ex = box.exercise("faulty-update.json");
  const fs::path csv = box.dir / "cli.csv";
  auto r = run_cyberdrill("msel export " + ex.string() + " -o " + csv.string() + " --separator ';'");
  REQUIRE(r.code == 0);
  CHECK(slurp(csv).find("Inject ID;Inject #;") != std::string::npos);
  r = run_cyberdrill("msel import " + csv.string() + " --into " + ex.string());
  CHECK(r.code == 0);
  CHECK(r.err.find("0 updated, 0 added") != std::string::npos);
  const std::string before = slurp(ex);
  write(csv, "Inject ID,Message\nI-01,\"never closed\n");
  r = run_cyberdrill("msel import " + csv.string() + " --into " + ex.string());
  CHECK(r.code == 2);
  CHECK(r.err.find(csv.string() + ":2: unterminated quoted cell") != std::string::npos);
  CHECK(slurp(ex) == before);
  r = run_cyberdrill("msel export " + (box.dir / "missing.json").string() + " -o " + (box.dir / "x.csv").string());
  CHECK(r.code == 2);
  CHECK_FALSE(fs::exists(box.dir / "x.csv"));
}

TEST_CASE("formula-led text cells are exported with a ' prefix, and the import undoes exactly that prefix") {
  Sandbox box;
  const fs::path ex = box.dir / "tutorial.json";
  nlohmann::ordered_json doc = nlohmann::ordered_json::parse(slurp(ex));
  auto& inj = doc["injects"][0];
  inj["message"] = "=HYPERLINK(\"http://evil\",\"x\")";
  inj["synopsis"] = "-2+3";
  inj["expected_action"] = "@SUM(A1)";
  inj["controller"] = "'=already quoted";
  inj["capability"] = "+ plain plus";
  write(ex, doc.dump(2) + "\n");
  const std::string before = slurp(ex);
  const msel::ExportResult r = msel::export_msel(ex);
  REQUIRE(r.ok);
  const msel::CsvTable t = msel::parse_csv(r.csv, "t.csv");
  REQUIRE(t.errors.empty());
  std::vector<std::string> header = t.records[0].fields;
  auto cell = [&](const std::string& col) {
    const auto it = std::find(header.begin(), header.end(), col);
    REQUIRE(it != header.end());
    return t.records[1].fields[static_cast<std::size_t>(it - header.begin())];
  };
  CHECK(cell("Message") == "'=HYPERLINK(\"http://evil\",\"x\")");
  CHECK(cell("Event synopsis") == "'-2+3");
  CHECK(cell("Expected player action") == "'@SUM(A1)");
  CHECK(cell("Responsible controller") == "''=already quoted");
  CHECK(cell("Core capability") == "'+ plain plus");
  // No cell of the export starts a formula.
  for (std::size_t k = 1; k < t.records.size(); ++k)
    for (const std::string& f : t.records[k].fields) {
      CAPTURE(f);
      CHECK((f.empty() || std::string("=+@").find(f.front()) == std::string::npos));
    }
  // Round trip: importing the export into the same file changes nothing.
  write(box.dir / "f.csv", r.csv);
  const msel::ImportResult im = msel::import_msel(box.dir / "f.csv", ex);
  REQUIRE_MESSAGE(im.ok, (im.errors.empty() ? std::string() : im.errors.front()));
  CHECK(im.updated == 0);
  CHECK(slurp(ex) == before);
  CHECK(msel::export_msel(ex).csv == r.csv);
}

TEST_CASE("msel import edits only what changed: a value in place, a field added or removed, an inject appended") {
  // The tutorial writes each inject as a compact block of several members a line; a rewrite of the
  // array (the old import) turned it into one member a line. Every expectation below is the
  // original text with exactly the changed bytes replaced.
  Sandbox box;
  const fs::path ex = box.dir / "tutorial.json";
  const std::string original = slurp(ex);
  REQUIRE(original.find("\"contingency\": false, \"status\": \"planned\", \"effect\": {\"kind\": \"inform\"}}") != std::string::npos);
  auto import = [&](const std::string& sheet) {
    write(box.dir / "m.csv", sheet);
    const msel::ImportResult im = msel::import_msel(box.dir / "m.csv", ex);
    REQUIRE_MESSAGE(im.ok, (im.errors.empty() ? std::string() : im.errors.front()));
    return im;
  };
  SUBCASE("a changed value is replaced where it is written") {
    const msel::ImportResult im = import("Inject ID,Delivery method,Scenario time\nI-01,e-mail,T+01:30\n");
    CHECK(im.updated == 1);
    // The first of each after "injects" (channels elsewhere use "phone" too).
    std::string expected = original;
    const std::size_t injects = expected.find("\"injects\"");
    for (const auto& [from, to] : {std::pair<std::string, std::string>{"\"method\": \"phone\"", "\"method\": \"e-mail\""},
                                   {"\"time\": \"T+01:15\"", "\"time\": \"T+01:30\""}}) {
      const std::size_t at = expected.find(from, injects);
      REQUIRE(at != std::string::npos);
      expected.replace(at, from.size(), to);
    }
    CHECK(slurp(ex) == expected);
  }
  SUBCASE("an emptied cell removes the field with its comma, nothing else") {
    import("Inject ID,Responsible controller\nI-01,\n");
    CHECK(slurp(ex) == replace_all(original, ", \"controller\": \"Lead controller\"", ""));
  }
  SUBCASE("a new field is appended to its inject in the inject's own layout") {
    import("Inject ID,TLP\nI-01,amber\n");
    const std::string after = slurp(ex);
    CHECK(after == replace_all(original, "\"effect\": {\"kind\": \"inform\"}}",
                               "\"effect\": {\"kind\": \"inform\"},\n     \"tlp\": \"amber\"}"));
    CHECK(injects_of(ex)[0]["tlp"] == "amber");
  }
  SUBCASE("a new inject is appended, the existing ones keep their text") {
    const msel::ImportResult im = import(
        "Inject ID;Inject #;Scenario time;From;To;Delivery method;Event synopsis;Message;Effect\n"
        "I-02;2;T+03:00;utility;csirt;e-mail;Mobile network fails;Batteries are empty.;{\"kind\":\"inform\"}\n");
    CHECK(im.added == 1);
    const std::string after = slurp(ex);
    const std::size_t end_of_first = original.find("\"effect\": {\"kind\": \"inform\"}}") + 29;
    CHECK(after.substr(0, end_of_first) == original.substr(0, end_of_first));
    const std::size_t rest = original.find("\n  ],\n  \"decisions\"");
    REQUIRE(rest != std::string::npos);
    CHECK(after.substr(after.size() - (original.size() - rest)) == original.substr(rest));
    const nlohmann::json inj = injects_of(ex);
    REQUIRE(inj.size() == 2);
    CHECK(inj[1]["id"] == "I-02");
    CHECK(inj[1]["effect"]["kind"] == "inform");
  }
}
