// LoadOptions::overrides: one value of the composed document replaced before the typed reader runs,
// so the reader checks it exactly as if the author had written it there.
#include "value_override.hpp"

#include <algorithm>
#include <cmath>

namespace cyberdrill::io {
namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && s.size() <= 9 && std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

std::string kind_of(const Value& v) {
  if (v.is_number_integer()) return "an integer";
  if (v.is_number()) return "a number";
  if (v.is_boolean()) return "true or false";
  if (v.is_string()) return "a string";
  if (v.is_array()) return "an array";
  if (v.is_object()) return "an object";
  return "null";
}

// The value under `tokens`, or a message saying which token did not resolve.
Value* resolve(Value& root, const std::vector<std::string>& tokens, std::string& error) {
  Value* at = &root;
  std::string walked;
  for (const std::string& t : tokens) {
    if (t.empty()) {
      error = "an empty step after \"" + (walked.empty() ? std::string("/") : walked) + "\"";
      return nullptr;
    }
    Value* next = nullptr;
    if (at->is_object()) {
      next = at->find_mutable(t);
      if (next == nullptr) {
        std::string keys;
        for (const Member* m = at->members_begin(); m != at->members_end(); ++m)
          keys += (keys.empty() ? "" : ", ") + std::string(m->key.str());
        error = "\"" + (walked.empty() ? std::string("/") : walked) + "\" has no member \"" + t + "\"" +
                (keys.empty() ? std::string() : " (members: " + keys + ")");
        return nullptr;
      }
    } else if (at->is_array()) {
      Value* elements = at->mutable_elements();
      if (all_digits(t)) {
        const std::size_t i = std::stoul(t);
        if (i < at->size()) next = elements + i;
      }
      if (next == nullptr) {
        for (std::size_t i = 0; i < at->size() && next == nullptr; ++i) {
          const Value* id = elements[i].find("id");
          if (id != nullptr && id->is_string() && id->str() == t) next = elements + i;
        }
      }
      if (next == nullptr) {
        std::string ids;
        for (std::size_t i = 0; i < at->size() && i < 12; ++i) {
          const Value* id = elements[i].find("id");
          if (id != nullptr && id->is_string()) ids += (ids.empty() ? "" : ", ") + std::string(id->str());
        }
        error = "\"" + walked + "\" has no element \"" + t + "\" (an index below " + std::to_string(at->size()) +
                (ids.empty() ? std::string() : " or an id: " + ids + (at->size() > 12 ? ", ..." : "")) + ")";
        return nullptr;
      }
    } else {
      error = "\"" + walked + "\" is " + kind_of(*at) + ", not an object or array";
      return nullptr;
    }
    walked += "/" + escape_pointer_token(t);
    at = next;
  }
  return at;
}

}  // namespace

std::vector<std::string> path_tokens(std::string_view path) {
  std::vector<std::string> out;
  if (path.empty()) return out;
  if (path.front() == '/') {
    std::size_t start = 1;
    while (true) {
      const std::size_t slash = path.find('/', start);
      const std::string_view raw = path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
      std::string t;
      for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '~' && i + 1 < raw.size() && (raw[i + 1] == '0' || raw[i + 1] == '1')) {
          t += raw[i + 1] == '0' ? '~' : '/';
          ++i;
        } else {
          t += raw[i];
        }
      }
      out.push_back(std::move(t));
      if (slash == std::string_view::npos) break;
      start = slash + 1;
    }
    return out;
  }
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = path.find('.', start);
    out.emplace_back(path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return out;
}

std::vector<OverrideProblem> apply_overrides(Composition& c, const std::vector<ValueOverride>& overrides) {
  std::vector<OverrideProblem> problems;
  for (const ValueOverride& o : overrides) {
    const std::vector<std::string> tokens = path_tokens(o.path);
    if (tokens.empty()) {
      problems.push_back({o.path, "the path is empty (a JSON pointer such as /organisations/0/staff or a dotted path)"});
      continue;
    }
    std::string error;
    Value* target = resolve(c.root, tokens, error);
    if (target == nullptr) {
      problems.push_back({o.path, "no such value in the composed scenario: " + error});
      continue;
    }
    // The new value: JSON text, or a bare string where a string is replaced.
    const ParsedValue parsed = parse_value(o.value, c.store(), 64, 100'000);
    std::optional<Value> v = parsed.value;
    if (!v && target->is_string()) v = c.store().string(o.value);
    if (!v) {
      problems.push_back({o.path, "value \"" + o.value + "\" is not valid JSON (the value here is " + kind_of(*target) + ")"});
      continue;
    }
    const bool ok = target->is_null() ||
                    (target->is_number_integer() && v->is_number_integer()) ||
                    (target->is_number_integer() && v->is_number_float() && std::trunc(v->as_double()) == v->as_double() &&
                     std::abs(v->as_double()) < 9e15) ||
                    (target->is_number_float() && v->is_number()) ||
                    (target->is_boolean() && v->is_boolean()) || (target->is_string() && v->is_string()) ||
                    (target->is_array() && v->is_array()) || (target->is_object() && v->is_object());
    if (!ok) {
      problems.push_back({o.path, "value \"" + o.value + "\" is " + kind_of(*v) + "; the value here is " + kind_of(*target) +
                                      " (" + target->dump() + ")"});
      continue;
    }
    if (target->is_number_integer() && v->is_number_float()) {
      const double d = v->as_double();
      *v = d >= 0 ? Value::unsigned_integer(static_cast<std::uint64_t>(d)) : Value::integer(static_cast<std::int64_t>(d));
    }
    *target = *v;
  }
  return problems;
}

}  // namespace cyberdrill::io
