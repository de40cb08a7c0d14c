// FlatIdMap: string_view -> value lookups for the id tables of a 10^6-asset file. Private to
// sim/input.
//
// Open addressing with linear probing in one array (no node per key, one cache miss a lookup),
// load factor at most 1/2, a word-at-a-time hash. The subset of std::unordered_map's interface the
// loader uses: emplace (keeps the first value of a key), find / end, reserve, clear, empty, size.
// Keys are views: the caller keeps their bytes alive (the compact DOM's store does). A pointer
// returned by emplace or find is valid until the next emplace.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <utility>
#include <vector>

namespace cyberdrill::io {

template <typename V>
class FlatIdMap {
 public:
  struct Slot {
    std::string_view first;
    V second{};
    bool used = false;
  };

  [[nodiscard]] bool empty() const { return size_ == 0; }
  [[nodiscard]] std::size_t size() const { return size_; }
  void clear() {
    slots_.clear();
    size_ = 0;
  }
  void reserve(std::size_t n) {
    if (2 * n > slots_.size()) rehash(capacity_for(n));
  }
  [[nodiscard]] const Slot* end() const { return nullptr; }
  [[nodiscard]] const Slot* find(std::string_view key) const {
    if (slots_.empty()) return end();
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash(key) & mask;; i = (i + 1) & mask) {
      const Slot& s = slots_[i];
      if (!s.used) return end();
      if (s.first == key) return &s;
    }
  }
  std::pair<const Slot*, bool> emplace(std::string_view key, V value) {
    if (2 * (size_ + 1) > slots_.size()) rehash(capacity_for(std::max<std::size_t>(size_ + 1, slots_.size())));
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash(key) & mask;; i = (i + 1) & mask) {
      Slot& s = slots_[i];
      if (!s.used) {
        s = Slot{key, value, true};
        ++size_;
        return {&s, true};
      }
      if (s.first == key) return {&s, false};
    }
  }

 private:
  static std::size_t capacity_for(std::size_t n) {
    std::size_t c = 16;
    while (c < 2 * n) c *= 2;
    return c;
  }
  static std::uint64_t hash(std::string_view k) {
    std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ (k.size() * 0xFF51AFD7ED558CCDULL);
    std::size_t at = 0;
    for (; at + 8 <= k.size(); at += 8) {
      std::uint64_t w = 0;
      std::memcpy(&w, k.data() + at, 8);
      h = (h ^ w) * 0xC4CEB9FE1A85EC53ULL;
      h ^= h >> 29;
    }
    if (at < k.size()) {
      std::uint64_t w = 0;
      std::memcpy(&w, k.data() + at, k.size() - at);
      h = (h ^ w) * 0xC4CEB9FE1A85EC53ULL;
    }
    h ^= h >> 32;
    h *= 0x9E3779B97F4A7C15ULL;
    return h ^ (h >> 29);
  }
  void rehash(std::size_t capacity) {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(capacity, Slot{});
    const std::size_t mask = capacity - 1;
    for (const Slot& s : old) {
      if (!s.used) continue;
      std::size_t i = hash(s.first) & mask;
      while (slots_[i].used) i = (i + 1) & mask;
      slots_[i] = s;
    }
  }

  std::vector<Slot> slots_;
  std::size_t size_ = 0;
};

}  // namespace cyberdrill::io
