// FlatIdMap (the loader's id tables): the same answers as std::unordered_map on many keys,
// through growth, with duplicates (the first value kept), empty and long keys.
#include <doctest/doctest.h>

#include <string>
#include <unordered_map>
#include <vector>

#include "flat_id_map.hpp"

using cyberdrill::io::FlatIdMap;

TEST_CASE("FlatIdMap agrees with std::unordered_map: the first value kept and misses at end()") {
  std::vector<std::string> keys;
  for (int i = 0; i < 50'000; ++i) keys.push_back("asset-" + std::to_string(i * 7919 % 50'000));
  for (int i = 0; i < 1000; ++i) keys.push_back("asset-" + std::to_string(i));  // duplicates
  keys.push_back("");
  keys.push_back(std::string(100, 'x'));  // longer than a few words
  keys.push_back(std::string(99, 'x'));
  FlatIdMap<std::size_t> flat;
  std::unordered_map<std::string_view, std::size_t> ref;
  CHECK(flat.find("asset-1") == flat.end());  // empty map
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const auto [it, inserted] = flat.emplace(keys[i], i);
    const auto [rit, rinserted] = ref.emplace(keys[i], i);
    CHECK(inserted == rinserted);
    CHECK(it->second == rit->second);
  }
  CHECK(flat.size() == ref.size());
  for (const std::string& k : keys) {
    const auto* it = flat.find(k);
    REQUIRE(it != flat.end());
    CHECK(it->second == ref.at(k));
    CHECK(it->first == k);
  }
  for (const char* miss : {"asset-50000", "asset--1", "ASSET-1", "x", "asset-"}) CHECK(flat.find(miss) == flat.end());
  flat.clear();
  CHECK(flat.empty());
  CHECK(flat.find(keys[0]) == flat.end());
  flat.reserve(10);
  CHECK(flat.emplace("a", 1).second);
  CHECK_FALSE(flat.emplace("a", 2).second);
  CHECK(flat.find("a")->second == 1);
}
