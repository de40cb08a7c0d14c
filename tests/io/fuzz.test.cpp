// Robustness: thousands of seeded mutations of a valid scenario (bytes and JSON structure) never
// crash, hang or throw, and every result is self-consistent. Bounded by count, not by time.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cyberdrill/random.hpp"
#include "cyberdrill/scenario_io.hpp"
#include "temp_tree.hpp"

namespace fs = std::filesystem;
using namespace cyberdrill;
using cyberdrill::testing::TempTree;
using Json = nlohmann::json;

namespace {

const fs::path kRich = fs::path(CYBERDRILL_SOURCE_DIR) / "tests/fixtures/valid/rich";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Checks the loader's contract on one result.
void check_consistent(const LoadResult& r) {
  CHECK(r.scenario.has_value() == !r.has_errors());
  for (const Diagnostic& d : r.diagnostics) {
    CHECK_FALSE(d.message.empty());
    CHECK_FALSE(d.file.empty());
    CHECK(d.line >= 0);
    CHECK(d.column >= 0);
    CHECK((d.pointer.empty() || d.pointer[0] == '/'));
  }
}

std::string byte_mutation(std::string text, RandomStream& rng) {
  static const char kAlphabet[] = "{}[]\",:0123456789-.eE tfnul\\/\n\x80\xff";
  const int edits = 1 + static_cast<int>(rng.below(4));
  for (int k = 0; k < edits && !text.empty(); ++k) {
    const std::size_t pos = rng.below(text.size());
    switch (rng.below(5)) {
      case 0: text[pos] = kAlphabet[rng.below(sizeof kAlphabet - 1)]; break;           // replace
      case 1: text.erase(pos, 1 + rng.below(8)); break;                                  // delete
      case 2: text.insert(pos, 1, kAlphabet[rng.below(sizeof kAlphabet - 1)]); break;   // insert
      case 3: text.insert(pos, text.substr(rng.below(text.size()), rng.below(64))); break;  // duplicate a chunk
      default: text.resize(pos); break;                                                  // truncate
    }
  }
  return text;
}

std::string escape(const std::string& key) {
  std::string out;
  for (char c : key) out += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
  return out;
}

/// Every JSON pointer of a document.
void pointers(const Json& v, const std::string& p, std::vector<std::string>& out) {
  out.push_back(p);
  if (v.is_object())
    for (const auto& [k, c] : v.items()) pointers(c, p + "/" + escape(k), out);
  else if (v.is_array())
    for (std::size_t i = 0; i < v.size(); ++i) pointers(v[i], p + "/" + std::to_string(i), out);
}

Json random_value(RandomStream& rng, const Json& doc) {
  switch (rng.below(14)) {
    case 0: return nullptr;
    case 1: return -1;
    case 2: return 1e308;
    case 3: return 0.5;
    case 4: return true;
    case 5: return Json::array();
    case 6: return Json::object();
    case 7: return "T+";
    case 8: return "-4h";
    case 9: return "99999999999999999999w";
    case 10: return std::string(1000, 'x');
    case 11: return Json::array({Json::object(), 1, "a"});
    case 12: return 18446744073709551615ULL;
    default: return doc;  // a whole copy of the document somewhere inside it
  }
}

std::string structure_mutation(const Json& original, RandomStream& rng) {
  Json doc = original;
  const int edits = 1 + static_cast<int>(rng.below(3));
  for (int k = 0; k < edits; ++k) {
    std::vector<std::string> ps;
    pointers(doc, "", ps);
    const std::string p = ps[rng.below(ps.size())];
    if (p.empty()) continue;
    const Json::json_pointer jp(p);
    Json& parent = doc[jp.parent_pointer()];
    switch (rng.below(4)) {
      case 0: doc[jp] = random_value(rng, original); break;
      case 1:  // delete
        if (parent.is_object()) parent.erase(jp.back());
        else if (parent.is_array() && !parent.empty()) parent.erase(parent.begin());
        break;
      case 2:  // duplicate into an array, or rename a string value to a near-miss id
        if (parent.is_array()) parent.push_back(doc[jp]);
        else if (doc[jp].is_string()) doc[jp] = doc[jp].get<std::string>() + "x";
        break;
      default:  // swap with another value of the document
        doc[jp] = doc[Json::json_pointer(ps[rng.below(ps.size())])];
        break;
    }
  }
  return doc.dump(1);
}

}  // namespace

TEST_CASE("2000 byte-level mutations of a valid scenario never crash, hang or throw") {
  TempTree t;
  for (const char* f : {"infrastructure.json", "plan-2026.json"}) t.write(f, slurp(kRich / f));
  const std::string original = slurp(kRich / "exercise.json");
  RandomStream rng(20260310, "fuzz", "bytes");
  std::size_t rejected = 0;
  for (int i = 0; i < 2000; ++i) {
    const fs::path p = t.write("exercise.json", byte_mutation(original, rng));
    LoadResult r;
    CHECK_NOTHROW(r = load_scenario(p));
    check_consistent(r);
    rejected += r.has_errors() ? 1 : 0;
  }
  CHECK(rejected > 1000);  // the mutations really do break things
}

TEST_CASE("2000 structural mutations (wrong types, deletions, duplicates, near-miss ids) never crash or throw") {
  TempTree t;
  for (const char* f : {"infrastructure.json", "plan-2026.json"}) t.write(f, slurp(kRich / f));
  const Json original = Json::parse(slurp(kRich / "exercise.json"));
  RandomStream rng(20260310, "fuzz", "structure");
  std::size_t rejected = 0;
  for (int i = 0; i < 2000; ++i) {
    const std::string text = structure_mutation(original, rng);
    const fs::path p = t.write("exercise.json", text);
    LoadResult r;
    CHECK_NOTHROW(r = load_scenario(p));
    check_consistent(r);
    rejected += r.has_errors() ? 1 : 0;
    if (i % 100 == 0) {  // deterministic: the same input gives the same diagnostics
      const LoadResult again = load_scenario(p);
      REQUIRE(again.diagnostics.size() == r.diagnostics.size());
      for (std::size_t k = 0; k < r.diagnostics.size(); ++k) CHECK(to_string(again.diagnostics[k]) == to_string(r.diagnostics[k]));
    }
  }
  CHECK(rejected > 500);
}

TEST_CASE("mutated included files and plan overrides are just as safe") {
  TempTree t;
  t.write("exercise.json", slurp(kRich / "exercise.json"));
  t.write("plan-2026.json", slurp(kRich / "plan-2026.json"));
  const std::string infra = slurp(kRich / "infrastructure.json");
  const Json plan = Json::parse(slurp(kRich / "plan-2017.json"));
  RandomStream rng(20260310, "fuzz", "includes");
  for (int i = 0; i < 500; ++i) {
    t.write("infrastructure.json", byte_mutation(infra, rng));
    LoadOptions o;
    o.plan_override = t.write("plan-2017.json", structure_mutation(plan, rng));
    LoadResult r;
    CHECK_NOTHROW(r = load_scenario(t.root() / "exercise.json", o));
    check_consistent(r);
    CHECK_NOTHROW((void)scenario_hash(t.root() / "exercise.json", o));
  }
}
