// The "reference" section of an exercise: typed bands (scenario.hpp ReferenceBand).
#include "reference_reader.hpp"

#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "cyberdrill/suggest.hpp"

namespace cyberdrill::io {
namespace {

using Severity = Diagnostic::Severity;
using Statistic = ReferenceBand::Statistic;

struct StatisticName {
  std::string_view name;
  Statistic value;
};
constexpr StatisticName kStatistics[] = {
    {"median", Statistic::median}, {"share_happened", Statistic::share_happened}, {"share_at_most", Statistic::share_at_most}};

std::string num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}
std::string at(const std::string& ptr, std::string_view key) { return ptr + "/" + escape_pointer_token(key); }
std::string q(std::string_view s) { return "\"" + std::string(s) + "\""; }

class ReferenceReader {
 public:
  explicit ReferenceReader(Composition& c) : c_(c) {}

  void read(const Value& v, Reference& out) {
    const std::string ptr = "/reference";
    if (!v.is_object()) {
      error(ptr, std::string("expected the reference section (an object), got ") + v.type_name());
      return;
    }
    check_keys(v, ptr, {"seeds", "bands", "description"});
    double seeds = 0;
    if (number(v, ptr, "seeds", seeds, 1, 10000, "an integer in 1..10000", true)) {
      if (seeds != static_cast<double>(static_cast<int>(seeds)))
        error(at(ptr, "seeds"), "seeds must be an integer in 1..10000, got " + num(seeds));
      else
        out.seeds = static_cast<int>(seeds);
    }
    const Value* bands = v.find("bands");
    if (bands == nullptr) {
      error(ptr, "missing \"bands\"");
      return;
    }
    if (!bands->is_array()) {
      error(at(ptr, "bands"), std::string("expected an array, got ") + bands->type_name());
      return;
    }
    for (std::size_t i = 0; i < bands->size(); ++i) {
      ReferenceBand b;
      if (band((*bands)[i], at(ptr, "bands") + "/" + std::to_string(i), b)) out.bands.push_back(std::move(b));
    }
  }

 private:
  void error(const std::string& ptr, std::string msg) { c_.report(Severity::error, ptr, std::move(msg)); }

  void check_keys(const Value& o, const std::string& ptr, std::initializer_list<std::string_view> allowed) {
    std::vector<std::string> known(allowed.begin(), allowed.end());
    for (const Member* m = o.members_begin(); m != o.members_end(); ++m) {
      const std::string key(m->key.str());
      if (std::find(known.begin(), known.end(), key) != known.end()) continue;
      std::string list;
      for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
      const std::string hint = did_you_mean(key, known);
      error(at(ptr, key), "unknown field " + q(key) + (hint.empty() ? " (expected one of: " + list + ")" : hint));
    }
  }

  bool number(const Value& o, const std::string& ptr, std::string_view key, double& out, double lo, double hi,
              const char* range, bool required) {
    const Value* v = o.find(key);
    if (v == nullptr) {
      if (required) error(ptr, "missing " + q(key));
      return false;
    }
    if (!v->is_number()) {
      error(at(ptr, key), std::string("expected a number, got ") + v->type_name());
      return false;
    }
    const double d = v->get<double>();
    if (!(d >= lo && d <= hi)) {
      error(at(ptr, key), std::string(key) + " must be " + range + ", got " + num(d));
      return false;
    }
    out = d;
    return true;
  }

  bool text(const Value& o, const std::string& ptr, std::string_view key, std::string& out) {
    const Value* v = o.find(key);
    if (v == nullptr) {
      error(ptr, "missing " + q(key));
      return false;
    }
    if (!v->is_string() || v->str().empty()) {
      error(at(ptr, key), std::string("expected a non-empty string, got ") + (v->is_string() ? "\"\"" : v->type_name()));
      return false;
    }
    out = std::string(v->str());
    return true;
  }

  bool band(const Value& e, const std::string& ptr, ReferenceBand& b) {
    if (!e.is_object()) {
      error(ptr, std::string("expected a reference band (an object), got ") + e.type_name());
      return false;
    }
    check_keys(e, ptr, {"metric", "statistic", "lo", "hi", "value", "source"});
    bool ok = true;
    if (text(e, ptr, "metric", b.metric)) {
      const auto& known = known_metrics();
      if (std::find(known.begin(), known.end(), b.metric) == known.end()) {
        error(at(ptr, "metric"), "unknown metric " + q(b.metric) + ": no model produces it" + did_you_mean(b.metric, known));
        ok = false;
      }
    } else {
      ok = false;
    }
    std::string stat;
    if (text(e, ptr, "statistic", stat)) {
      bool found = false;
      for (const StatisticName& s : kStatistics)
        if (s.name == stat) {
          b.statistic = s.value;
          found = true;
        }
      if (!found) {
        error(at(ptr, "statistic"), "unknown statistic " + q(stat) +
                                        " (expected one of: median, share_happened, share_at_most)");
        ok = false;
      }
    } else {
      ok = false;
    }
    const bool share = b.statistic != Statistic::median;
    const double top = share ? 1.0 : 1e300;
    const char* range = share ? "a share in [0, 1]" : "a number >= 0";
    const bool have_lo = number(e, ptr, "lo", b.lo, 0, top, range, true);
    const bool have_hi = number(e, ptr, "hi", b.hi, 0, top, range, true);
    ok = ok && have_lo && have_hi;
    if (have_lo && have_hi && b.lo > b.hi) {
      error(at(ptr, "lo"), "lo must be <= hi, got lo " + num(b.lo) + " > hi " + num(b.hi));
      ok = false;
    }
    if (b.statistic == Statistic::share_at_most) {
      ok = number(e, ptr, "value", b.value, -1e300, 1e300, "a number", true) && ok;
    } else if (e.find("value") != nullptr) {
      error(at(ptr, "value"), "value is only for the statistic \"share_at_most\"");
      ok = false;
    }
    ok = text(e, ptr, "source", b.source) && ok;
    return ok;
  }

  Composition& c_;
};

}  // namespace

void read_reference(Composition& c, const Value* v, Reference& out) {
  if (v == nullptr) return;
  ReferenceReader(c).read(*v, out);
}

}  // namespace cyberdrill::io
