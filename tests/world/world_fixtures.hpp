// Small helpers to build scenarios in C++ for the world tests.
#pragma once

#include <string>
#include <vector>

#include "cyberdrill/scenario.hpp"

namespace cyberdrill::testing {

/// Appends an asset with the given rule; returns its index.
inline Index add_asset(Scenario& s, CombineRule rule = CombineRule::all, std::uint64_t population = 0,
                       Index sector = kNone) {
  Asset a;
  a.id = "a" + std::to_string(s.assets.size());
  a.rule = rule;
  a.population = population;
  a.sector = sector;
  s.assets.push_back(a);
  return static_cast<Index>(s.assets.size() - 1);
}

/// `dependent` depends on `supplier`.
inline Dependency& depend(Scenario& s, Index dependent, Index supplier, Duration buffer = Duration::zero(),
                          double weight = 1.0, Duration restart = Duration::zero()) {
  Dependency d;
  d.supplier = supplier;
  d.buffer = buffer;
  d.weight = weight;
  d.restart = restart;
  s.assets[dependent].depends_on.push_back(d);
  return s.assets[dependent].depends_on.back();
}

inline Index add_sector(Scenario& s, const std::string& id) {
  s.sectors.push_back(Sector{id, id, {}});
  return static_cast<Index>(s.sectors.size() - 1);
}

}  // namespace cyberdrill::testing
