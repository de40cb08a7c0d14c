// Reading a scenario: metadata, policy, sectors, areas, organisations, assets and channels (see scenario_reader_impl.hpp).
#include <cmath>

#include "scenario_reader_impl.hpp"

namespace cyberdrill::io::scenario_reading {

void Reader::read_metadata(const Value* m) {
  const std::string ptr = "/metadata";
  if (m == nullptr) {
    error("", "missing \"metadata\": every scenario needs a name, a start and a duration");
    return;
  }
  if (!expect_object(*m, ptr, "metadata")) return;
  check_keys(*m, ptr, {"name", "description", "start", "time_zone", "duration", "seed", "version", "authors"}, false);
  Metadata& md = s_.metadata;
  read_string(*m, ptr, "name", md.name, true);
  read_string(*m, ptr, "description", md.description);
  read_string(*m, ptr, "version", md.version);
  read_strings(*m, ptr, "authors");
  md.time_zone = "UTC";
  bool zone_ok = true;
  if (read_string(*m, ptr, "time_zone", md.time_zone) && !is_supported_zone(md.time_zone)) {
    zone_ok = false;
    std::vector<std::string> candidates = supported_zone_names();
    candidates.emplace_back("UTC");
    error(at(ptr, "time_zone"), "unknown time zone " + in_quotes(md.time_zone) + did_you_mean(md.time_zone, candidates) +
                                    " (supported: \"UTC\", fixed offsets such as \"+01:00\", and the IANA zones of the tz "
                                    "database such as \"Europe/Brussels\")");
  }
  if (read_string(*m, ptr, "start", md.start_local, true) && zone_ok) {
    const LocalToUtc r = local_to_utc(md.start_local, md.time_zone);
    if (!r.utc_s) error(at(ptr, "start"), r.error);
    else md.start_utc_s = *r.utc_s;
    if (!r.warning.empty()) warning(at(ptr, "start"), r.warning);
  }
  read_duration(*m, ptr, "duration", md.duration, true, true);
  std::int64_t seed = 0;
  if (const Value* sv = get(*m, "seed")) {
    if (sv->is_number_unsigned()) md.seed = sv->get<std::uint64_t>();
    else if (read_int(*m, ptr, "seed", seed, 0, std::numeric_limits<std::int64_t>::max())) md.seed = static_cast<std::uint64_t>(seed);
  }
}

void Reader::read_policy(const Value* p) {
  if (p == nullptr) return;
  if (!expect_object(*p, "/policy", "policy settings")) return;
  for (const Member* m = p->members_begin(); m != p->members_end(); ++m) {
    const std::string key(m->key.str());
    const Value& value = m->value;
    const std::string ptr = at(std::string("/policy"), key);
    if (!value.is_number()) {
      error(ptr, "expected a number, got " + type_of(value));
      continue;
    }
    s_.policy[key] = value.get<double>();
    warn_unknown_policy(key, ptr);
  }
}

void Reader::warn_unknown_policy(const std::string& name, const std::string& ptr) {
  const auto& known = known_policies();
  if (std::find(known.begin(), known.end(), name) != known.end()) return;
  const std::string hint = did_you_mean(name, known);
  warning(ptr, "policy " + in_quotes(name) + " is read by no model" +
                   (hint.empty() ? " (known: " + join(known) + ")" : hint));
}

void Reader::read_sector(const Value& e, const std::string& ptr) {
  Sector sec;
  if (expect_object(e, ptr, "a sector")) {
    check_keys(e, ptr, {"id", "name", "daily_output_eur"});
    read_id(e, ptr, sec.id);
    read_string(e, ptr, "name", sec.name);
    read_nonnegative(e, ptr, "daily_output_eur", sec.daily_output_eur);
    sec.marking = read_marking(e, ptr);
  }
  s_.sectors.push_back(std::move(sec));
}

void Reader::read_area(const Value& e, const std::string& ptr) {
  Area area;
  if (expect_object(e, ptr, "an area")) {
    check_keys(e, ptr, {"id", "name", "residents"});
    read_id(e, ptr, area.id);
    read_string(e, ptr, "name", area.name);
    std::int64_t r = 0;
    if (read_int(e, ptr, "residents", r, 0, std::int64_t{100'000'000'000}, true)) area.residents = static_cast<std::uint64_t>(r);
    area.marking = read_marking(e, ptr);
  }
  s_.areas.push_back(std::move(area));
}

void Reader::read_basemap(const Value* b) {
  if (b == nullptr) return;
  const std::string ptr = "/basemap";
  if (!expect_object(*b, ptr, "a basemap {\"source\", \"licence\", \"frame\", \"outline\"}")) return;
  check_keys(*b, ptr, {"description", "source", "licence", "frame", "outline", "provinces"});
  Basemap m;
  read_string(*b, ptr, "source", m.source, true);
  read_string(*b, ptr, "licence", m.licence, true);
  const Value* f = get(*b, "frame");
  const std::string fp = at(ptr, "frame");
  if (f == nullptr) {
    error(ptr, "missing \"frame\": the longitudes and latitudes that positions [0, 1] span");
  } else if (expect_object(*f, fp, "a frame {\"west\", \"south\", \"east\", \"north\"} in degrees")) {
    check_keys(*f, fp, {"west", "south", "east", "north"});
    const bool ok = read_number(*f, fp, "west", m.west, -180, 180, "[-180, 180]", true) &
                    read_number(*f, fp, "east", m.east, -180, 180, "[-180, 180]", true) &
                    read_number(*f, fp, "south", m.south, -90, 90, "[-90, 90]", true) &
                    read_number(*f, fp, "north", m.north, -90, 90, "[-90, 90]", true);
    if (ok && !(m.west < m.east)) error(fp, "west must be less than east");
    if (ok && !(m.south < m.north)) error(fp, "south must be less than north");
  }
  // Rings of [longitude, latitude] (the border's and each province's), appended to `out`.
  auto read_rings = [&](const Value* rings, const std::string& rsp, std::vector<std::vector<std::pair<double, double>>>& out) {
    elements(rings, rsp, [&](const Value& r, const std::string& rp) {
      if (!r.is_array() || r.size() < 3) {
        error(rp, "expected a ring of at least 3 [longitude, latitude] points");
        return;
      }
      std::vector<std::pair<double, double>> ring;
      for (std::size_t k = 0; k < r.size(); ++k) {
        const Value& pt = r[k];
        if (!pt.is_array() || pt.size() != 2 || !pt[0].is_number() || !pt[1].is_number() ||
            !(std::abs(pt[0].get<double>()) <= 180 && std::abs(pt[1].get<double>()) <= 90)) {
          error(at(rp, k), "expected [longitude, latitude] in degrees");
          return;
        }
        ring.emplace_back(pt[0].get<double>(), pt[1].get<double>());
      }
      out.push_back(std::move(ring));
    });
  };
  read_rings(get(*b, "outline"), at(ptr, "outline"), m.outline);
  if (const Value* pv = get(*b, "provinces"); pv != nullptr) {
    const std::string pp = at(ptr, "provinces");
    if (expect_object(*pv, pp, "provinces {\"source\", \"licence\", \"shapes\"}")) {
      check_keys(*pv, pp, {"description", "source", "licence", "shapes"});
      read_string(*pv, pp, "source", m.provinces_source, true);
      read_string(*pv, pp, "licence", m.provinces_licence, true);
      (void)missing(*pv, pp, "shapes", true);
      elements(get(*pv, "shapes"), at(pp, "shapes"), [&](const Value& e, const std::string& ep) {
        if (!expect_object(e, ep, "a province {\"name\", \"outline\"}")) return;
        check_keys(e, ep, {"name", "outline"});
        Basemap::Province pr;
        read_string(e, ep, "name", pr.name, true);
        (void)missing(e, ep, "outline", true);
        read_rings(get(e, "outline"), at(ep, "outline"), pr.outline);
        m.provinces.push_back(std::move(pr));
      });
    }
  }
  s_.basemap = std::move(m);
}

/// An asset's "serves": [{"class", "area", "share"}]; per (area, class) the shares over all
/// assets must not exceed 1 (reported at the serve that crosses it).
void Reader::read_serves(const Value& e, const std::string& ptr, Asset& a) {
  elements_at(e, ptr, "serves", serves_ptr_, [&](const Value& v, const std::string& sp) {
    if (!expect_object(v, sp, "a served group {\"class\", \"area\", \"share\"}")) return;
    check_keys(v, sp, {"class", "area", "share"}, false);
    Serve sv;
    std::string cls;
    bool ok = read_string(v, sp, "class", cls, true);
    if (ok) {
      const auto& names = service_class_names();
      const auto it = std::find(names.begin(), names.end(), cls);
      if (it == names.end()) {
        const std::string hint = did_you_mean(cls, names);
        error(at(sp, "class"), "unknown service class " + in_quotes(cls) + (hint.empty() ? " (expected one of: " + join(names) + ")" : hint));
        ok = false;
      } else {
        sv.service = static_cast<ServiceClass>(it - names.begin());
      }
    }
    sv.area = read_ref(v, sp, "area", areas_, true);
    ok = read_probability(v, sp, "share", sv.share, true) && ok && sv.area != kNone;
    if (!ok) return;
    if (probing_) {  // added in asset order by the real reader (add_shares)
      a.serves.push_back(sv);
      return;
    }
    add_share(sv, [&] { return at(sp, "share"); });
    a.serves.push_back(sv);
  });
}

void Reader::read_calendar(const Value& o, const std::string& ptr, Calendar& cal) {
  const Value* v = get(o, "calendar");
  if (v == nullptr) return;
  const std::string cp = at(ptr, "calendar");
  if (v->is_string()) {
    if (v->get<std::string>() != "24/7") error(cp, "expected \"24/7\" or an object with \"office_hours\", got " + shown(*v));
    return;
  }
  if (!expect_object(*v, cp, "\"24/7\" or a calendar")) return;
  check_keys(*v, cp, {"office_hours", "holidays", "on_call"}, false);
  const Value* oh = get(*v, "office_hours");
  if (oh == nullptr) {
    error(cp, "missing \"office_hours\" (use \"24/7\" for an always-staffed organisation)");
    return;
  }
  cal.always = false;
  const std::string op = at(cp, "office_hours");
  if (expect_object(*oh, op, "office hours")) {
    check_keys(*oh, op, {"days", "open", "close"}, false);
    if (const Value* days = get(*oh, "days")) {
      cal.weekdays = 0;
      if (!days->is_array()) {
        error(at(op, "days"), "expected an array of day names, got " + type_of(*days));
      } else {
        for (std::size_t i = 0; i < days->size(); ++i) {
          const Value& d = (*days)[i];
          const std::string text = d.is_string() ? d.get<std::string>() : shown(d);
          int bit = -1;
          for (int k = 0; k < 7; ++k)
            if (text == kWeekdays[k]) bit = k;
          if (bit < 0) error(at(at(op, "days"), i), "unknown day " + in_quotes(text) + " (expected mon, tue, wed, thu, fri, sat, sun)");
          else cal.weekdays = static_cast<std::uint8_t>(cal.weekdays | (1U << bit));
        }
      }
    }
    bool ok = read_clock(*oh, op, "open", cal.open);
    ok = read_clock(*oh, op, "close", cal.close) && ok;
    if (ok && !(cal.open < cal.close)) error(at(op, "close"), "close must be later than open");
  }
  const std::vector<std::string> hol = read_strings(*v, cp, "holidays");
  for (std::size_t i = 0; i < hol.size(); ++i) {
    if (!parse_date(hol[i])) error(at(at(cp, "holidays"), i), "expected a date \"YYYY-MM-DD\", got " + in_quotes(hol[i]));
    else cal.holidays.push_back(hol[i]);
  }
  if (const Value* oc = get(*v, "on_call")) {
    const std::string ocp = at(cp, "on_call");
    if (expect_object(*oc, ocp, "{\"callout\": duration}")) {
      check_keys(*oc, ocp, {"callout"}, false);
      cal.on_call = true;
      read_duration(*oc, ocp, "callout", cal.callout, true);
    }
  }
}

bool Reader::read_clock(const Value& o, const std::string& ptr, std::string_view key, Duration& out) {
  std::string text;
  if (!read_string(o, ptr, key, text, true)) return false;
  const bool shape = text.size() == 5 && text[2] == ':' && std::isdigit(static_cast<unsigned char>(text[0])) &&
                     std::isdigit(static_cast<unsigned char>(text[1])) && std::isdigit(static_cast<unsigned char>(text[3])) &&
                     std::isdigit(static_cast<unsigned char>(text[4]));
  const int h = shape ? (text[0] - '0') * 10 + (text[1] - '0') : 99;
  const int m = shape ? (text[3] - '0') * 10 + (text[4] - '0') : 99;
  if (!shape || h > 24 || m > 59 || (h == 24 && m != 0)) {
    error(at(ptr, key), "expected a local time of day \"HH:MM\", got " + in_quotes(text));
    return false;
  }
  out = Duration::minutes(h * 60 + m);
  return true;
}

void Reader::read_organisation(const Value& e, const std::string& ptr) {
  Organisation org;
  if (expect_object(e, ptr, "an organisation")) {
    check_keys(e, ptr, {"id", "name", "kind", "sector", "staff", "calendar", "monitoring"});
    read_id(e, ptr, org.id);
    read_string(e, ptr, "name", org.name);
    read_enum(e, ptr, "kind", kOrgKinds, org.kind);
    org.sector = read_ref(e, ptr, "sector", sectors_);
    read_int(e, ptr, "staff", org.staff, 0, 1'000'000);
    read_calendar(e, ptr, org.calendar);
    read_probability(e, ptr, "monitoring", org.monitoring);
    org.marking = read_marking(e, ptr);
  }
  s_.organisations.push_back(std::move(org));
}

void Reader::read_asset(const Value& e, const std::string& ptr) { s_.assets.push_back(type_asset(e, ptr, s_.assets.size())); }

void Reader::add_shares(const Asset& a, std::size_t index) {
  for (std::size_t k = 0; k < a.serves.size(); ++k)
    add_share(a.serves[k], [&] { return at(at(at(at(std::string("/assets"), index), "serves"), k), "share"); });
}

void Reader::report_share_sum(const std::string& share_ptr, const Serve& sv, double sum) {
  const std::string& cls = service_class_names()[static_cast<std::size_t>(sv.service)];
  error(share_ptr, "the shares of " + in_quotes(cls) + " in area " + in_quotes(std::string(areas_.ids[sv.area])) + " sum to " +
                       num(sum) + " over the assets serving it (at most 1: a resident relies on one supplier)");
}

Asset Reader::type_asset(const Value& e, const std::string& ptr, std::size_t self) {
  Asset a;
  if (expect_object(e, ptr, "an asset")) {
    check_keys(e, ptr, {"id", "name", "sector", "operator", "population", "criticality", "tags", "rule", "phi",
                        "resilience", "restore", "depends_on", "position", "serves", "daily_output_eur", "hosts", "backup",
                        "personal_data"});
    read_bool(e, ptr, "personal_data", a.personal_data);
    read_id(e, ptr, a.id);
    read_string(e, ptr, "name", a.name);
    a.sector = read_ref(e, ptr, "sector", sectors_, true);
    a.operator_org = read_ref(e, ptr, "operator", orgs_);
    std::int64_t pop = 0;
    if (read_int(e, ptr, "population", pop, 0, std::int64_t{100'000'000'000})) a.population = static_cast<std::uint64_t>(pop);
    read_nonnegative(e, ptr, "criticality", a.criticality);
    read_serves(e, ptr, a);
    read_nonnegative(e, ptr, "daily_output_eur", a.daily_output_eur);
    a.tags = read_strings(e, ptr, "tags");
    read_enum(e, ptr, "rule", kRules, a.rule);
    read_probability(e, ptr, "phi", a.phi);
    read_nonnegative(e, ptr, "resilience", a.resilience);
    read_dist(e, ptr, "restore", a.restore);
    std::int64_t hosts = 0;
    if (read_int(e, ptr, "hosts", hosts, 0, std::int64_t{1'000'000'000})) a.hosts = static_cast<std::uint32_t>(hosts);
    read_enum(e, ptr, "backup", kBackupStates, a.backup);
    if (const Value* pos = get(e, "position")) {
      const KeyPtr pp{ptr, "position"};
      if (!pos->is_array() || pos->size() != 2 || !(*pos)[0].is_number() || !(*pos)[1].is_number()) {
        error(pp, "expected [x, y] with numbers in [0, 1]");
      } else {
        a.x = (*pos)[0].get<double>();
        a.y = (*pos)[1].get<double>();
        if (!(a.x >= 0 && a.x <= 1 && a.y >= 0 && a.y <= 1)) error(pp, "position must lie in [0, 1] x [0, 1]");
      }
    }
    if (const Value* deps = get(e, "depends_on"); deps != nullptr && deps->is_array()) a.depends_on.reserve(deps->size());
    elements_at(e, ptr, "depends_on", depends_ptr_, [&](const Value& d, const std::string& dp) {
      Dependency dep;
      if (expect_object(d, dp, "a dependency")) {
        check_keys(d, dp, {"asset", "type", "buffer", "weight", "degradation", "restart", "recharge", "buffer_kind",
                           "manual"},
                   false);
        const Value* supplier = probing_ ? get(d, "asset") : nullptr;
        if (supplier != nullptr && supplier->is_string() && assets_.index.find(supplier->str()) == assets_.index.end()) {
          // Not seen yet: resolved by the real reader once every id is known.
          pending_.push_back(PendingRef{static_cast<std::uint32_t>(self), static_cast<std::uint32_t>(a.depends_on.size()),
                                        pending_chars_.size(), static_cast<std::uint32_t>(supplier->str().size())});
          pending_chars_.append(supplier->str());
          dep.supplier = kNone;
        } else {
          dep.supplier = read_ref(d, dp, "asset", assets_, true);
        }
        if (dep.supplier != kNone && dep.supplier == self)
          error(at(dp, "asset"), "asset " + in_quotes(a.id) + " depends on itself");
        read_enum(d, dp, "type", kDependencyTypes, dep.type, true);
        read_duration(d, dp, "buffer", dep.buffer);
        read_nonnegative(d, dp, "weight", dep.weight);
        read_probability(d, dp, "degradation", dep.degradation);
        read_duration(d, dp, "restart", dep.restart);
        read_duration(d, dp, "recharge", dep.recharge, false, true);
        dep.fuel = dep.type == DependencyType::fuel;
        read_enum(d, dp, "buffer_kind", kBufferKinds, dep.fuel);
        read_duration(d, dp, "manual", dep.manual);
      }
      a.depends_on.push_back(dep);
    });
    a.marking = read_marking(e, ptr);
  }
  return a;
}

void Reader::read_channel(const Value& e, const std::string& ptr) {
  Channel ch;
  if (expect_object(e, ptr, "a reporting channel")) {
    check_keys(e, ptr, {"id", "from", "to", "coverage", "latency", "method", "essential"});
    read_bool(e, ptr, "essential", ch.essential);
    read_id(e, ptr, ch.id);
    if (const Value* from = get(e, "from")) {
      const std::string fp = at(ptr, "from");
      if (from->is_string()) {
        const Index o = ref_value(*from, fp, orgs_);
        if (o != kNone) ch.from.push_back(o);
      } else if (expect_object(*from, fp, "an organisation id or {\"kind\": ...}")) {
        check_keys(*from, fp, {"kind"}, false);
        OrgKind kind{};
        if (read_enum(*from, fp, "kind", kOrgKinds, kind, true)) {
          for (std::size_t i = 0; i < s_.organisations.size(); ++i)
            if (s_.organisations[i].kind == kind) ch.from.push_back(static_cast<Index>(i));
          if (ch.from.empty()) warning(fp, "no organisation of kind " + shown(*get(*from, "kind")) + ": this channel carries nothing");
        }
      }
    } else {
      error(ptr, "missing \"from\"");
    }
    ch.to = read_ref(e, ptr, "to", orgs_, true);
    read_probability(e, ptr, "coverage", ch.coverage);
    read_dist(e, ptr, "latency", ch.latency);
    read_string(e, ptr, "method", ch.method);
    ch.marking = read_marking(e, ptr);
  }
  s_.channels.push_back(std::move(ch));
}

}  // namespace cyberdrill::io::scenario_reading
