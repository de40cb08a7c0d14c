// Reading drill journals (include/cyberdrill/drill_journal.hpp); the writer is in sim/output.
#include "cyberdrill/drill_journal.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "cyberdrill/time.hpp"
#include "journal_time.hpp"

namespace cyberdrill {
namespace {

namespace fs = std::filesystem;

DrillAction parse_action(const nlohmann::json& j) {
  DrillAction a;
  a.time = io::journal_time(j);
  if (a.time < SimTime::zero()) throw std::runtime_error("negative time");
  if (j.contains("event")) a.event = io::json_integer<std::uint64_t>(j.at("event"), "event");
  // A plain decision-journal line (no "action") is a decision.
  const std::string kind = j.value("action", std::string("decide"));
  if (kind == "decide") {
    a.kind = DrillAction::Kind::decide;
    a.decision = j.at("decision").get<std::string>();
    a.option = j.at("option").get<std::string>();
    a.who = j.value("who", std::string("journal"));
  } else if (kind == "inject") {
    a.kind = DrillAction::Kind::inject;
    a.inject = j.at("inject").get<std::string>();
  } else if (kind == "note") {
    a.kind = DrillAction::Kind::note;
    a.text = j.at("text").get<std::string>();
  } else {
    throw std::runtime_error("unknown action \"" + kind + "\"");
  }
  return a;
}

}  // namespace

bool is_drill_journal(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string line;
  if (!in || !std::getline(in, line)) return false;
  const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
  return !j.is_discarded() && j.is_object() && j.contains("cyberdrill_drill");
}

DrillJournal read_drill_journal(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read drill journal " + file.string());
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  DrillJournal out;
  std::size_t pos = 0;
  int n = 0;
  while (pos < text.size()) {
    ++n;
    const std::size_t nl = text.find('\n', pos);
    const bool complete = nl != std::string::npos;
    const std::string line = text.substr(pos, complete ? nl - pos : std::string::npos);
    const std::size_t next = complete ? nl + 1 : text.size();
    const bool last = next >= text.size();
    auto torn = [&](const std::string& why) {
      out.torn = file.string() + ":" + std::to_string(n) + ": torn last line (" + why + "), ignored; the " +
                 std::to_string(out.actions.size()) + " actions before it are kept";
    };
    if (line.empty() && complete) {
      pos = next;
      out.valid_bytes = pos;
      continue;
    }
    const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (!complete || j.is_discarded() || !j.is_object()) {
      if (last && n > 1) {
        torn(!complete ? "no end of line" : "not valid JSON");
        break;
      }
      throw std::runtime_error(file.string() + ":" + std::to_string(n) + ": not a drill journal line");
    }
    try {
      if (n == 1) {
        if (!j.contains("cyberdrill_drill"))
          throw std::runtime_error("the first line is not a drill journal header {\"cyberdrill_drill\": 1, ...}");
        out.header.scenario_path = j.value("scenario", std::string());
        out.header.scenario_hash = j.at("scenario_hash").get<std::string>();
        out.header.seed = io::json_integer<std::uint64_t>(j.at("seed"), "seed");
      } else {
        out.actions.push_back(parse_action(j));
      }
    } catch (const std::exception& e) {
      if (last && n > 1) {
        torn(e.what());
        break;
      }
      throw std::runtime_error(file.string() + ":" + std::to_string(n) + ": " + e.what());
    }
    pos = next;
    out.valid_bytes = pos;
  }
  if (n == 0) throw std::runtime_error(file.string() + ": empty drill journal (no header line)");
  return out;
}

}  // namespace cyberdrill
