// The scenario file `cyberdrill generate` writes (contract in include/cyberdrill/generate.hpp): the
// JSON is streamed asset by asset (no document is built in memory: 10^6 assets would need gigabytes),
// with nlohmann's serializer escaping every string.
#include <charconv>
#include <ostream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "cyberdrill/dependency_names.hpp"
#include "cyberdrill/generate.hpp"
#include "cyberdrill/time.hpp"

namespace cyberdrill {
namespace {

void put_string(std::ostream& out, std::string_view s) {
  // nlohmann's serializer does the escaping (control characters as \u00XX, invalid UTF-8 replaced).
  out << nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void put_number(std::ostream& out, double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest round-trip form
  out.write(buf, r.ptr - buf);
}

const char* rule_name(CombineRule r) {
  switch (r) {
    case CombineRule::all: return "all";
    case CombineRule::any: return "any";
    case CombineRule::threshold: return "threshold";
    case CombineRule::linear: return "linear";
  }
  return "all";
}

}  // namespace

void write_generated_scenario(std::ostream& out, const Scenario& s, const GenerateProgress& progress) {
  out << "{\n\"schema_version\": 1,\n\"description\": ";
  put_string(out, s.metadata.description);
  out << ",\n\"metadata\": {\"name\": ";
  put_string(out, s.metadata.name);
  out << ", \"description\": ";
  put_string(out, s.metadata.description);
  out << ", \"start\": ";
  put_string(out, s.metadata.start_local);
  out << ", \"time_zone\": ";
  put_string(out, s.metadata.time_zone);
  out << ", \"duration\": ";
  put_string(out, format_duration(s.metadata.duration));
  out << ", \"seed\": " << s.metadata.seed << ", \"version\": ";
  put_string(out, s.metadata.version);
  out << "},\n\"sectors\": [";
  for (std::size_t i = 0; i < s.sectors.size(); ++i) {
    out << (i ? ",\n  " : "\n  ") << "{\"id\": ";
    put_string(out, s.sectors[i].id);
    out << ", \"name\": ";
    put_string(out, s.sectors[i].name);
    out << '}';
  }
  out << "],\n\"areas\": [";
  for (std::size_t i = 0; i < s.areas.size(); ++i) {
    out << (i ? ",\n  " : "\n  ") << "{\"id\": ";
    put_string(out, s.areas[i].id);
    out << ", \"name\": ";
    put_string(out, s.areas[i].name);
    out << ", \"residents\": " << s.areas[i].residents << '}';
  }
  out << "],\n\"organisations\": [";
  for (std::size_t i = 0; i < s.organisations.size(); ++i) {
    const Organisation& o = s.organisations[i];
    out << (i ? ",\n  " : "\n  ") << "{\"id\": ";
    put_string(out, o.id);
    out << ", \"name\": ";
    put_string(out, o.name);
    out << ", \"kind\": \"operator\", \"sector\": ";
    put_string(out, s.sectors.at(o.sector).id);
    out << ", \"staff\": " << o.staff << ", \"calendar\": \"24/7\", \"monitoring\": ";
    put_number(out, o.monitoring);
    out << '}';
  }
  out << "],\n\"assets\": [";
  for (std::size_t i = 0; i < s.assets.size(); ++i) {
    const Asset& a = s.assets[i];
    out << (i ? ",\n" : "\n") << "{\"id\":";
    put_string(out, a.id);
    out << ",\"sector\":";
    put_string(out, s.sectors.at(a.sector).id);
    out << ",\"operator\":";
    put_string(out, s.organisations.at(a.operator_org).id);
    if (s.areas.empty()) out << ",\"population\":" << a.population;
    if (!a.serves.empty()) {
      out << ",\"serves\":[";
      for (std::size_t k = 0; k < a.serves.size(); ++k) {
        out << (k ? "," : "") << "{\"class\":";
        put_string(out, service_class_names().at(static_cast<std::size_t>(a.serves[k].service)));
        out << ",\"area\":";
        put_string(out, s.areas.at(a.serves[k].area).id);
        out << ",\"share\":";
        put_number(out, a.serves[k].share);
        out << '}';
      }
      out << ']';
    }
    out << ",\"criticality\":";
    put_number(out, a.criticality);
    out << ",\"tags\":[";
    for (std::size_t t = 0; t < a.tags.size(); ++t) {
      if (t) out << ',';
      put_string(out, a.tags[t]);
    }
    out << "],\"rule\":\"" << rule_name(a.rule) << "\",\"position\":[";
    put_number(out, a.x);
    out << ',';
    put_number(out, a.y);
    out << "],\"depends_on\":[";
    for (std::size_t d = 0; d < a.depends_on.size(); ++d) {
      const Dependency& dep = a.depends_on[d];
      out << (d ? "," : "") << "{\"asset\":";
      put_string(out, s.assets.at(dep.supplier).id);
      out << ",\"type\":\"" << dependency_type_name(dep.type) << "\",\"buffer\":\"" << format_duration(dep.buffer)
          << "\",\"weight\":";
      put_number(out, dep.weight);
      if (dep.degradation != 1.0) {
        out << ",\"degradation\":";
        put_number(out, dep.degradation);
      }
      if (dep.restart != Duration::zero()) out << ",\"restart\":\"" << format_duration(dep.restart) << '"';
      out << '}';
    }
    out << "]}";
    if (progress && (i + 1) % 100'000 == 0) progress(i + 1, s.assets.size());
  }
  // A scenario runs against a response plan: an empty one, so the file validates and analyses on
  // its own (`--plan` replaces it for runs).
  out << "\n],\n\"plan\": {\"id\": \"plan-none\", \"name\": \"No response plan (infrastructure only)\", "
         "\"version\": \"0\"}\n}\n";
}

}  // namespace cyberdrill
