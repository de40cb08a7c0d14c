// Reading a scenario: triggers, selectors and effects (see scenario_reader_impl.hpp).
#include "scenario_reader_impl.hpp"

namespace cyberdrill::io::scenario_reading {

void Reader::read_trigger(const Value& t, const std::string& ptr, Trigger& out) {
  if (!expect_object(t, ptr, "a trigger")) return;
  const bool has_at = get(t, "at") != nullptr;
  const Value* on = get(t, "on");
  if (on == nullptr) {
    if (!has_at) {
      error(ptr, "a trigger needs \"at\" (a time such as \"T+2h\") or \"on\" (an event)");
      return;
    }
    check_keys(t, ptr, {"at"}, false);
    out.kind = TriggerKind::at_time;
    read_time(t, ptr, "at", out.at, true);
    return;
  }
  std::string kind_text;
  if (!read_string(t, ptr, "on", kind_text, true)) return;
  if (!enum_value(kind_text, at(ptr, "on"), kTriggerKinds, out.kind)) return;
  switch (out.kind) {
    case TriggerKind::detection:
    case TriggerKind::report:
      check_keys(t, ptr, {"on", "org"}, false);
      out.org = read_ref(t, ptr, "org", orgs_);
      break;
    case TriggerKind::escalation:
      check_keys(t, ptr, {"on", "level"}, false);
      out.ref = read_ref(t, ptr, "level", levels_, true);
      break;
    case TriggerKind::inject:
      check_keys(t, ptr, {"on", "inject"}, false);
      out.ref = read_ref(t, ptr, "inject", injects_, true);
      break;
    case TriggerKind::decision:
      check_keys(t, ptr, {"on", "decision", "option"}, false);
      out.ref = read_ref(t, ptr, "decision", decisions_, true);
      if (out.ref != kNone && out.ref < options_.size()) out.option = read_ref(t, ptr, "option", options_[out.ref]);
      break;
    case TriggerKind::outage: {
      check_keys(t, ptr, {"on", "asset", "sector", "once"}, false);
      if (const Value* once = get(t, "once")) {
        if (once->is_boolean()) out.once = once->get<bool>();
        else error(at(ptr, "once"), "expected true or false, got " + type_of(*once));
      }
      const bool a = get(t, "asset") != nullptr, sct = get(t, "sector") != nullptr;
      if (a == sct) error(ptr, "an outage trigger names exactly one of \"asset\" or \"sector\"");
      out.ref = read_ref(t, ptr, "asset", assets_);
      out.sector = read_ref(t, ptr, "sector", sectors_);
      break;
    }
    case TriggerKind::condition: {
      check_keys(t, ptr, {"on", "metric", "at_least"}, false);
      if (read_string(t, ptr, "metric", out.metric, true)) {
        std::vector<std::string> all = live_quantities();
        all.insert(all.end(), known_metrics().begin(), known_metrics().end());
        if (std::find(all.begin(), all.end(), out.metric) == all.end())
          error(at(ptr, "metric"), "unknown metric " + in_quotes(out.metric) + did_you_mean(out.metric, all) +
                                       " (a condition tests a live quantity: " + join(live_quantities()) +
                                       ", or a metric)");
      }
      read_number(t, ptr, "at_least", out.at_least, -1e300, 1e300, "a number", true);
      break;
    }
    case TriggerKind::procedure_done:
      check_keys(t, ptr, {"on", "procedure"}, false);
      out.ref = read_ref(t, ptr, "procedure", procedures_, true);
      break;
    case TriggerKind::triage:
      check_keys(t, ptr, {"on", "org"}, false);
      out.org = read_ref(t, ptr, "org", orgs_);
      break;
    case TriggerKind::at_time:
      break;
  }
}

/// Asset selector {"operator", "sector", "tag"}: every asset matching all given criteria.
std::vector<Index> Reader::read_selector(const Value& sel, const std::string& ptr, std::string& text) {
  std::vector<Index> out;
  if (!expect_object(sel, ptr, "an asset selector {\"operator\", \"sector\", \"tag\"}")) return out;
  check_keys(sel, ptr, {"operator", "sector", "tag"}, false);
  if (sel.empty()) {
    error(ptr, "an asset selector needs at least one of \"operator\", \"sector\", \"tag\"");
    return out;
  }
  bool ok = true;
  const Index op = get(sel, "operator") ? read_ref(sel, ptr, "operator", orgs_) : kNone;
  ok = ok && (get(sel, "operator") == nullptr || op != kNone);
  const Index sec = get(sel, "sector") ? read_ref(sel, ptr, "sector", sectors_) : kNone;
  ok = ok && (get(sel, "sector") == nullptr || sec != kNone);
  std::string tag;
  const bool has_tag = read_string(sel, ptr, "tag", tag);
  ok = ok && (get(sel, "tag") == nullptr || has_tag);
  if (!ok) return out;
  for (const char* k : {"operator", "sector", "tag"})
    if (const Value* v = get(sel, k)) text += (text.empty() ? "" : " ") + std::string(k) + "=" + v->get<std::string>();
  for (std::size_t i = 0; i < s_.assets.size(); ++i) {
    const Asset& a = s_.assets[i];
    if (op != kNone && a.operator_org != op) continue;
    if (sec != kNone && a.sector != sec) continue;
    if (has_tag && std::find(a.tags.begin(), a.tags.end(), tag) == a.tags.end()) continue;
    out.push_back(static_cast<Index>(i));
  }
  if (out.empty()) warning(ptr, "selector " + text + " matches no asset");
  return out;
}

void Reader::read_effect(const Value& e, const std::string& ptr, Effect& out) {
  if (!expect_object(e, ptr, "an effect")) return;
  std::string kind_text;
  if (!read_string(e, ptr, "kind", kind_text, true)) return;
  if (!enum_value(kind_text, at(ptr, "kind"), kEffectKinds, out.kind)) return;
  const EffectKind k = out.kind;
  if (is_asset_effect(k)) {
    if (k == EffectKind::degrade_asset) check_keys(e, ptr, {"kind", "assets", "target", "value"}, false);
    else if (k == EffectKind::isolate) check_keys(e, ptr, {"kind", "assets", "target", "level"}, false);
    else if (k == EffectKind::manual_operation || k == EffectKind::mitigate)
      check_keys(e, ptr, {"kind", "assets", "target", "level", "delay"}, false);
    else if (k == EffectKind::rebuild)
      check_keys(e, ptr, {"kind", "assets", "target", "delay", "hosts_per_day", "backup_factor"}, false);
    else check_keys(e, ptr, {"kind", "assets", "target"}, false);
    const bool has_assets = get(e, "assets") != nullptr, has_target = get(e, "target") != nullptr;
    if (has_assets == has_target) error(ptr, "effect " + in_quotes(kind_text) + " names exactly one of \"assets\" or \"target\"");
    if (has_assets) out.assets = read_refs(e, ptr, "assets", assets_);
    if (has_target) {
      std::string text;
      out.assets = read_selector(*get(e, "target"), at(ptr, "target"), text);
    }
    if (k == EffectKind::degrade_asset)
      read_number(e, ptr, "value", out.value, 0, 1, "a service level in [0, 1]", true);
    if (k == EffectKind::isolate || k == EffectKind::manual_operation || k == EffectKind::mitigate)
      read_number(e, ptr, "level", out.level, 0, 1, "a service level in [0, 1]");
    if (k == EffectKind::manual_operation || k == EffectKind::mitigate || k == EffectKind::rebuild) read_duration(e, ptr, "delay", out.delay);
    if (k == EffectKind::rebuild) {
      read_number(e, ptr, "hosts_per_day", out.hosts_per_day, 1e-9, 1e12, "a number > 0");
      if (const Value* bf = get(e, "backup_factor")) {
        const std::string bp = at(ptr, "backup_factor");
        if (expect_object(*bf, bp, "an object {\"online\": factor, \"none\": factor}")) {
          check_keys(*bf, bp, {"online", "none"}, false);
          read_number(*bf, bp, "online", out.online_factor, 1, 1e6, "a factor >= 1");
          read_number(*bf, bp, "none", out.none_factor, 1, 1e6, "a factor >= 1");
        }
      }
    }
    return;
  }
  switch (k) {
    case EffectKind::escalate:
      check_keys(e, ptr, {"kind", "level"}, false);
      out.ref = read_ref(e, ptr, "level", levels_, true);
      break;
    case EffectKind::convene_cell:
      check_keys(e, ptr, {"kind", "cell"}, false);
      read_string(e, ptr, "cell", out.name, true);
      break;
    case EffectKind::notify:
      check_keys(e, ptr, {"kind", "org"}, false);
      out.org = read_ref(e, ptr, "org", orgs_, true);
      break;
    case EffectKind::request_assistance:
      check_keys(e, ptr, {"kind", "org", "staff", "delay"}, false);
      out.org = read_ref(e, ptr, "org", orgs_, true);
      read_int(e, ptr, "staff", out.staff, 1, 1'000'000, true);
      read_duration(e, ptr, "delay", out.delay);
      break;
    case EffectKind::trigger_procedure:
      check_keys(e, ptr, {"kind", "procedure"}, false);
      out.ref = read_ref(e, ptr, "procedure", procedures_, true);
      break;
    case EffectKind::start_campaign:
      check_keys(e, ptr, {"kind", "campaign"}, false);
      out.ref = read_ref(e, ptr, "campaign", campaigns_, true);
      break;
    case EffectKind::set_policy:
      check_keys(e, ptr, {"kind", "policy", "value"}, false);
      if (read_string(e, ptr, "policy", out.name, true)) warn_unknown_policy(out.name, at(ptr, "policy"));
      read_number(e, ptr, "value", out.value, -1e300, 1e300, "a number", true);
      break;
    default:  // none, warn_public, inform: no parameters
      check_keys(e, ptr, {"kind"}, false);
      break;
  }
}

}  // namespace cyberdrill::io::scenario_reading
