// Reading a scenario: generic field access (strings, numbers, durations, times, references) (see scenario_reader_impl.hpp).
#include "scenario_reader_impl.hpp"

namespace cyberdrill::io::scenario_reading {

void Reader::check_keys(const Value& o, const std::string& ptr, std::initializer_list<std::string_view> allowed,
                bool marking) {
  if (!o.is_object()) return;
  auto is_known = [&](std::string_view key) {
    // Size and first byte before the bytes: most candidates differ there.
    for (const std::string_view a : allowed)
      if (a.size() == key.size() && (a.empty() || (a[0] == key[0] && a == key))) return true;
    return marking && (key == "tlp" || key == "audience");
  };
  for (const Member* m = o.members_begin(); m != o.members_end(); ++m) {
    if (is_known(m->key.str())) continue;
    // Only now (an error) the list of known names is built.
    std::vector<std::string> known = names(allowed);
    if (marking) {
      known.emplace_back("tlp");
      known.emplace_back("audience");
    }
    const std::string key(m->key.str());
    const std::string hint = did_you_mean(key, known);
    error(at(ptr, key), "unknown field " + in_quotes(key) + (hint.empty() ? " (expected one of: " + join(known) + ")" : hint));
  }
}

bool Reader::expect_object(const Value& v, const std::string& ptr, std::string_view what) {
  if (v.is_object()) return true;
  error(ptr, "expected " + std::string(what) + " (an object), got " + type_of(v));
  return false;
}

bool Reader::missing(const Value& o, const std::string& ptr, std::string_view key, bool required) {
  return present(o, ptr, key, required) == nullptr;
}

const Value* Reader::present(const Value& o, const std::string& ptr, std::string_view key, bool required) {
  const Value* v = get(o, key);
  if (v == nullptr && required) error(ptr, "missing " + in_quotes(key));
  return v;
}

bool Reader::read_string(const Value& o, const std::string& ptr, std::string_view key, std::string& out, bool required) {
  const Value* found = present(o, ptr, key, required);
  if (found == nullptr) return false;
  const Value& v = *found;
  if (!v.is_string()) {
    error(at(ptr, key), "expected a string, got " + type_of(v));
    return false;
  }
  out = v.get<std::string>();
  return true;
}

void Reader::read_id(const Value& o, const std::string& ptr, std::string& out) {
  if (read_string(o, ptr, "id", out, true) && out.empty()) error(at(ptr, "id"), "id must not be empty");
}

bool Reader::read_number(const Value& o, const std::string& ptr, std::string_view key, double& out, double lo, double hi,
                 const char* range, bool required) {
  const Value* found = present(o, ptr, key, required);
  if (found == nullptr) return false;
  const Value& v = *found;
  if (!v.is_number()) {
    error(at(ptr, key), "expected a number, got " + type_of(v));
    return false;
  }
  const double d = v.get<double>();
  if (!(d >= lo && d <= hi)) {
    error(at(ptr, key), std::string(key) + " must be " + range + ", got " + num(d));
    return false;
  }
  out = d;
  return true;
}

bool Reader::read_probability(const Value& o, const std::string& ptr, std::string_view key, double& out, bool required) {
  return read_number(o, ptr, key, out, 0.0, 1.0, "a probability in [0, 1]", required);
}

bool Reader::read_nonnegative(const Value& o, const std::string& ptr, std::string_view key, double& out, bool required) {
  return read_number(o, ptr, key, out, 0.0, 1e300, "a number >= 0", required);
}

bool Reader::read_int(const Value& o, const std::string& ptr, std::string_view key, std::int64_t& out, std::int64_t lo,
              std::int64_t hi, bool required) {
  const Value* found = present(o, ptr, key, required);
  if (found == nullptr) return false;
  const Value& v = *found;
  if (!v.is_number_integer()) {
    error(at(ptr, key), "expected an integer, got " + (v.is_number() ? "the number " + shown(v) : type_of(v)));
    return false;
  }
  if (v.is_number_unsigned() ? v.get<std::uint64_t>() > static_cast<std::uint64_t>(hi) : v.get<std::int64_t>() > hi) {
    error(at(ptr, key), std::string(key) + " must be at most " + std::to_string(hi) + ", got " + v.dump());
    return false;
  }
  if (!v.is_number_unsigned() && v.get<std::int64_t>() < lo) {
    error(at(ptr, key), std::string(key) + " must be at least " + std::to_string(lo) + ", got " + v.dump());
    return false;
  }
  out = v.get<std::int64_t>();
  return true;
}

bool Reader::read_int(const Value& o, const std::string& ptr, std::string_view key, int& out, int lo, int hi, bool required) {
  std::int64_t v = 0;
  if (!read_int(o, ptr, key, v, lo, hi, required)) return false;
  out = static_cast<int>(v);
  return true;
}

bool Reader::read_bool(const Value& o, const std::string& ptr, std::string_view key, bool& out) {
  const Value* found = present(o, ptr, key, false);
  if (found == nullptr) return false;
  const Value& v = *found;
  if (!v.is_boolean()) {
    error(at(ptr, key), "expected true or false, got " + type_of(v));
    return false;
  }
  out = v.get<bool>();
  return true;
}

bool Reader::read_duration(const Value& o, const std::string& ptr, std::string_view key, Duration& out, bool required,
                   bool positive) {
  const Value* found = present(o, ptr, key, required);
  if (found == nullptr) return false;
  Duration d;
  if (!duration_value(*found, KeyPtr{ptr, key}, key, d)) return false;
  if (positive && d == Duration::zero()) {
    error(at(ptr, key), std::string(key) + " must be longer than zero");
    return false;
  }
  out = d;
  return true;
}

bool Reader::read_time(const Value& o, const std::string& ptr, std::string_view key, SimTime& out, bool required) {
  const Value* found = present(o, ptr, key, required);
  if (found == nullptr) return false;
  const Value& v = *found;
  if (!v.is_string()) {
    error(at(ptr, key), "expected a scenario time such as \"T+02:30\" or \"T+2h\", got " + type_of(v));
    return false;
  }
  std::string err;
  const auto t = parse_scenario_time(v.get<std::string>(), &err);
  if (!t) {
    error(at(ptr, key), err);
    return false;
  }
  out = *t;
  return true;
}

/// A duration distribution (see scenario.hpp).
bool Reader::dist_value(const Value& v, const std::string& ptr, std::string_view name, DurationDist& out) {
  if (v.is_string()) {
    Duration d;
    if (!duration_value(v, ptr, name, d)) return false;
    out = DurationDist::fixed(d);
    return true;
  }
  const std::vector<std::string> kinds = names({"lognormal", "triangular", "exponential", "uniform", "empirical"});
  if (!v.is_object() || v.size() != 1) {
    error(ptr, "expected a duration (\"4h\") or a distribution object with exactly one of: " + join(kinds) + "; got " +
                   (v.is_object() ? "an object with " + std::to_string(v.size()) + " keys" : type_of(v)));
    return false;
  }
  const std::string kind(v.members_begin()->key.str());
  const Value& body = v.members_begin()->value;
  const std::string bp = at(ptr, kind);
  auto us = [](Duration d) { return static_cast<double>(d.us()); };
  if (kind == "lognormal") {
    if (!expect_object(body, bp, "{\"median\": duration, \"p90\": duration}")) return false;
    check_keys(body, bp, {"median", "p90"}, false);
    Duration median, p90;
    const bool ok = read_duration(body, bp, "median", median, true, true) & read_duration(body, bp, "p90", p90, true);
    if (!ok) return false;
    if (p90 < median) {
      error(at(bp, "p90"), "p90 must be at least the median");
      return false;
    }
    out.dist = Distribution::lognormal_median_p90(us(median), us(p90));
    return true;
  }
  if (kind == "exponential") {
    if (!expect_object(body, bp, "{\"mean\": duration}")) return false;
    check_keys(body, bp, {"mean"}, false);
    Duration mean;
    if (!read_duration(body, bp, "mean", mean, true, true)) return false;
    out.dist = Distribution::exponential(us(mean));
    return true;
  }
  if (kind == "triangular" || kind == "uniform") {
    const std::size_t n = kind == "triangular" ? 3 : 2;
    if (!body.is_array() || body.size() != n) {
      error(bp, kind == "triangular" ? "expected [min, mode, max] durations" : "expected [low, high] durations");
      return false;
    }
    std::vector<Duration> d(n);
    bool ok = true;
    for (std::size_t i = 0; i < n; ++i) ok = duration_value(body[i], at(bp, i), kind, d[i]) && ok;
    if (!ok) return false;
    if (kind == "triangular") {
      if (!(d[0] <= d[1] && d[1] <= d[2])) {
        error(bp, "triangular needs min <= mode <= max");
        return false;
      }
      out.dist = Distribution::triangular(us(d[0]), us(d[1]), us(d[2]));
    } else {
      if (d[1] < d[0]) {
        error(bp, "uniform needs low <= high");
        return false;
      }
      out.dist = Distribution::uniform(us(d[0]), us(d[1]));
    }
    return true;
  }
  if (kind == "empirical") {
    if (!body.is_array() || body.empty()) {
      error(bp, "expected a non-empty array of [duration, weight] pairs");
      return false;
    }
    std::vector<std::pair<double, double>> table;
    double sum = 0;
    bool ok = true;
    for (std::size_t i = 0; i < body.size(); ++i) {
      const Value& pair = body[i];
      if (!pair.is_array() || pair.size() != 2) {
        error(at(bp, i), "expected a [duration, weight] pair");
        ok = false;
        continue;
      }
      Duration d;
      ok = duration_value(pair[0], at(at(bp, i), std::size_t{0}), "value", d) && ok;
      if (!pair[1].is_number() || !(pair[1].get<double>() >= 0) || !std::isfinite(pair[1].get<double>())) {
        error(at(at(bp, i), std::size_t{1}), "weight must be a number >= 0");
        ok = false;
        continue;
      }
      sum += pair[1].get<double>();
      table.emplace_back(us(d), pair[1].get<double>());
    }
    if (!ok) return false;
    if (!(sum > 0)) {
      error(bp, "empirical weights must have a positive sum");
      return false;
    }
    out.dist = Distribution::empirical(table);
    return true;
  }
  error(at(ptr, kind), "unknown distribution " + in_quotes(kind) + did_you_mean(kind, kinds) +
                           (closest_match(kind, kinds).empty() ? " (expected one of: " + join(kinds) + ")" : ""));
  return false;
}

bool Reader::read_dist(const Value& o, const std::string& ptr, std::string_view key, DurationDist& out, bool required) {
  const Value* found = present(o, ptr, key, required);
  if (found == nullptr) return false;
  return dist_value(*found, at(ptr, key), key, out);
}

Marking Reader::read_marking(const Value& o, const std::string& ptr) {
  Marking m;
  read_enum(o, ptr, "tlp", kTlps, m.tlp);
  read_enum(o, ptr, "audience", kAudiences, m.audience);
  return m;
}

Index Reader::read_ref(const Value& o, const std::string& ptr, std::string_view key, const IdTable& t, bool required) {
  const Value* found = present(o, ptr, key, required);
  if (found == nullptr) return kNone;
  return ref_value(*found, KeyPtr{ptr, key}, t);
}

std::vector<Index> Reader::read_refs(const Value& o, const std::string& ptr, std::string_view key, const IdTable& t) {
  std::vector<Index> out;
  const Value* arr = get(o, key);
  if (arr == nullptr) return out;
  if (!arr->is_array()) {
    error(at(ptr, key), "expected an array of " + std::string(t.what) + " ids, got " + type_of(*arr));
    return out;
  }
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const Index r = ref_value((*arr)[i], at(at(ptr, key), i), t);
    if (r != kNone) out.push_back(r);
  }
  return out;
}

std::vector<std::string> Reader::read_strings(const Value& o, const std::string& ptr, std::string_view key) {
  std::vector<std::string> out;
  const Value* arr = get(o, key);
  if (arr == nullptr) return out;
  if (!arr->is_array()) {
    error(at(ptr, key), "expected an array of strings, got " + type_of(*arr));
    return out;
  }
  for (std::size_t i = 0; i < arr->size(); ++i) {
    if ((*arr)[i].is_string()) out.push_back((*arr)[i].get<std::string>());
    else error(at(at(ptr, key), i), "expected a string, got " + type_of((*arr)[i]));
  }
  return out;
}

}  // namespace cyberdrill::io::scenario_reading
