// Typed reports: each obligation is met only by a report of its own type, filed after its own
// preparation time; clocks start at awareness, at classification (capped) or at another report.
#include <doctest/doctest.h>

#include "response_fixture.hpp"

using namespace cyberdrill;
using namespace cyberdrill::test;

namespace {

Obligation typed(const std::string& id, Regime regime, ReportType report, Duration deadline, Index to,
                 Duration preparation) {
  Obligation o;
  o.id = id;
  o.regime = id;
  o.regime_kind = regime;
  o.report = report;
  o.deadline = deadline;
  o.to = to;
  o.min_severity = 2;
  o.preparation = DurationDist::fixed(preparation);
  return o;
}

struct Setup {
  Builder b;
  Index op, cert, energy;
  Index asset;
  Setup() {
    op = b.org("op", OrgKind::operator_, 1);
    cert = b.org("cert", OrgKind::csirt, 2);
    energy = b.sector("energy");
    b.triage(cert, 10_min);
    asset = b.asset("grid", energy, op, 50'000);
  }
  // Clock states by obligation index at the end of a run where the asset fails at T+1h.
  std::vector<TraceRecord> run(std::uint64_t seed = 7) {
    Run r(b.sc, seed);
    r.script.actions.emplace_back(T(1_h), [&](Simulation& sim) { r.world.feed(sim, asset, 0.0); });
    r.go(T(40_d));
    return r.rec.records();
  }
};

std::vector<TraceRecord> for_subject(const std::vector<TraceRecord>& recs, RecordKind k, std::uint32_t subject) {
  std::vector<TraceRecord> out;
  for (const auto& r : recs)
    if (r.kind == k && r.subject == subject) out.push_back(r);
  return out;
}

}  // namespace

TEST_CASE("an early warning meets only the early-warning clock, not the notification's") {
  Setup s;
  // Early warning filed 2 h after awareness; the notification takes 80 h: late.
  s.b.sc.plan.obligations = {typed("ew", Regime::nis2, ReportType::early_warning, 24_h, s.cert, 2_h),
                             typed("notif", Regime::nis2, ReportType::notification, 72_h, s.cert, 80_h)};
  const auto recs = s.run();
  const auto filed = of_kind(recs, RecordKind::report_filed);
  REQUIRE(filed.size() == 2);
  CHECK(filed[0].detail == static_cast<std::uint32_t>(ReportType::early_warning));
  CHECK(filed[0].time == T(3_h));
  CHECK(filed[0].actor == s.op);
  CHECK(filed[0].cause == s.cert);
  CHECK(filed[1].detail == static_cast<std::uint32_t>(ReportType::notification));
  CHECK(filed[1].time == T(81_h));
  // The CSIRT knows the incident from T+3h, yet the 72 h notification clock is missed.
  const auto met0 = for_subject(recs, RecordKind::obligation_met, 0);
  REQUIRE(met0.size() == 1);
  CHECK(met0[0].time == T(3_h));
  CHECK(for_subject(recs, RecordKind::obligation_met, 1).empty());
  const auto missed1 = for_subject(recs, RecordKind::obligation_missed, 1);
  REQUIRE(missed1.size() == 1);
  CHECK(missed1[0].time == T(73_h));
}

TEST_CASE("an untyped (incident) obligation is still met by any knowledge, a typed one is not") {
  Setup s;
  s.b.channel("op-cert", {s.op}, s.cert, 1.0, DurationDist::fixed(1_h));
  Obligation any = typed("any", Regime::national, ReportType::incident, 24_h, s.cert, 0_h);
  s.b.sc.plan.obligations = {any, typed("ew", Regime::nis2, ReportType::early_warning, 24_h, s.cert, 30_h)};
  const auto recs = s.run();
  const auto met0 = for_subject(recs, RecordKind::obligation_met, 0);
  REQUIRE(met0.size() == 1);
  CHECK(met0[0].time == T(2_h));  // the channel report
  CHECK(for_subject(recs, RecordKind::obligation_met, 1).empty());  // the channel report is not an early warning
  CHECK(for_subject(recs, RecordKind::obligation_missed, 1).size() == 1);
}

TEST_CASE("NIS2's final-report clock starts when the notification is filed") {
  Setup s;
  Obligation final_report = typed("final", Regime::nis2, ReportType::final_report, 30_d, s.cert, 20_d);
  final_report.starts = Obligation::Start::after_report;
  final_report.after = ReportType::notification;
  s.b.sc.plan.obligations = {typed("notif", Regime::nis2, ReportType::notification, 72_h, s.cert, 50_h),
                             final_report};
  const auto recs = s.run();
  const auto started = for_subject(recs, RecordKind::obligation_started, 1);
  REQUIRE(started.size() == 1);
  CHECK(started[0].time == T(51_h));  // the notification's filing, not awareness (T+1h)
  const auto met = for_subject(recs, RecordKind::obligation_met, 1);
  REQUIRE(met.size() == 1);
  CHECK(met[0].time == T(51_h) + 20_d);
  CHECK(met[0].value == doctest::Approx(20 * 24.0));
}

TEST_CASE("DORA's initial clock starts at classification and is capped at 24 h after awareness") {
  auto dora = [](Index to, Duration classification, Duration preparation) {
    Obligation o = typed("dora-initial", Regime::dora, ReportType::initial_notification, 4_h, to, preparation);
    o.starts = Obligation::Start::classification;
    o.classification = DurationDist::fixed(classification);
    o.cap = 24_h;
    return o;
  };
  SUBCASE("classified after 2 h: due 4 h later, met by a report 3 h after classification") {
    Setup s;
    s.b.sc.plan.obligations = {dora(s.cert, 2_h, 3_h)};
    const auto recs = s.run();
    const auto started = of_kind(recs, RecordKind::obligation_started);
    REQUIRE(started.size() == 1);
    CHECK(started[0].time == T(3_h));  // awareness T+1h + classification 2h
    const auto met = of_kind(recs, RecordKind::obligation_met);
    REQUIRE(met.size() == 1);
    CHECK(met[0].time == T(6_h));
  }
  SUBCASE("classified after 22 h: the 24 h cap decides, the report 3 h later is late") {
    Setup s;
    s.b.sc.plan.obligations = {dora(s.cert, 22_h, 3_h)};
    const auto recs = s.run();
    const auto started = of_kind(recs, RecordKind::obligation_started);
    REQUIRE(started.size() == 1);
    CHECK(started[0].time == T(23_h));
    const auto missed = of_kind(recs, RecordKind::obligation_missed);
    REQUIRE(missed.size() == 1);
    CHECK(missed[0].time == T(25_h));  // awareness + 24 h, not classification + 4 h (T+27h)
    CHECK(of_kind(recs, RecordKind::obligation_met).empty());
  }
}

TEST_CASE("a GDPR clock runs only for incidents that breach personal data") {
  Setup s;
  const Index records = s.b.asset("patient-records", s.energy, s.op, 0);
  s.b.sc.assets[records].personal_data = true;
  Campaign c;
  c.id = "c";
  AttackStep exfil;
  exfil.id = "exfil";
  exfil.effect.kind = AttackEffect::Kind::exfiltrate;
  AttackStep enc_plain;
  enc_plain.id = "encrypt-grid";
  enc_plain.effect.kind = AttackEffect::Kind::encrypt;
  AttackStep enc_pd;
  enc_pd.id = "encrypt-records";
  enc_pd.effect.kind = AttackEffect::Kind::encrypt;
  c.steps = {exfil, enc_plain, enc_pd};
  s.b.sc.campaigns = {c};
  Obligation gdpr = typed("gdpr", Regime::gdpr, ReportType::breach_notification, 72_h, s.cert, 10_h);
  gdpr.min_severity = 1;
  s.b.sc.plan.obligations = {gdpr};

  auto clocks_after = [&](Index asset, Index step) {
    Run r(s.b.sc);
    r.script.actions.emplace_back(T(1_h), [&, asset, step](Simulation& sim) {
      if (step == kNone) r.world.feed(sim, asset, 0.0);
      else r.resp.on_detected(sim, asset, CauseKind::attack_step, step, false);
    });
    r.go(T(5_d));
    return of_kind(r.rec.records(), RecordKind::obligation_started).size();
  };
  CHECK(clocks_after(s.asset, kNone) == 0);  // an outage: no personal data
  CHECK(clocks_after(s.asset, 1) == 0);      // encrypting an asset without personal data
  CHECK(clocks_after(records, 2) == 1);      // encrypting one with personal data
  CHECK(clocks_after(s.asset, 0) == 1);      // exfiltration anywhere
}

TEST_CASE("a typed report hands the operator's picture to the recipient and is triaged") {
  Setup s;
  s.b.sc.plan.obligations = {typed("ew", Regime::nis2, ReportType::early_warning, 24_h, s.cert, 2_h)};
  Run r(s.b.sc);
  r.script.actions.emplace_back(T(1_h), [&](Simulation& sim) { r.world.feed(sim, s.asset, 0.0); });
  r.go(T(2_d));
  const auto reported = of_kind(r.rec.records(), RecordKind::reported);
  REQUIRE(reported.size() == 1);
  CHECK(reported[0].time == T(3_h));
  CHECK(reported[0].actor == s.cert);
  const auto triaged = of_kind(r.rec.records(), RecordKind::triaged);
  REQUIRE(triaged.size() == 1);
  CHECK(triaged[0].time == T(3_h) + 10_min);
  CHECK(r.resp.believed_level(s.cert, s.asset) == doctest::Approx(0.0));
}
