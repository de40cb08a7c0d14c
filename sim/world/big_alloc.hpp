// Allocator for the world's large per-asset and per-edge arrays (private to sim/world).
//
// An array of 2 MiB or more is mapped on its own, aligned to 2 MiB and marked MADV_HUGEPAGE, so
// first touching it costs one page fault per 2 MiB instead of one per 4 KiB (this machine's
// transparent huge pages are in `madvise` mode; a 10^6-asset World faulted in 20,000 small pages,
// and page-fault handling was a third of the build's samples). Smaller arrays (every World of a
// shipped exercise) come from the ordinary heap. Contents and behaviour are those of
// std::allocator; only where the bytes live differs. Elsewhere than Linux: std::allocator.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <vector>

#ifdef __linux__
#include <sys/mman.h>
#endif

namespace cyberdrill::world_detail {

template <class T>
struct BigAlloc {
  using value_type = T;
  static constexpr std::size_t kHuge = std::size_t{2} << 20;

  BigAlloc() noexcept = default;
  template <class U>
  BigAlloc(const BigAlloc<U>&) noexcept {}  // NOLINT(google-explicit-constructor): allocator rebind

  T* allocate(std::size_t n) {
#ifdef __linux__
    const std::size_t bytes = n * sizeof(T);
    if (bytes >= kHuge) {
      const std::size_t len = round_up(bytes);
      void* raw = mmap(nullptr, len + kHuge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (raw == MAP_FAILED) throw std::bad_alloc();
      // Keep the 2 MiB-aligned part and give the rest back.
      auto* base = static_cast<char*>(raw);
      const std::size_t lead = (kHuge - reinterpret_cast<std::uintptr_t>(base) % kHuge) % kHuge;
      if (lead > 0) munmap(base, lead);
      if (kHuge - lead > 0) munmap(base + lead + len, kHuge - lead);
      madvise(base + lead, len, MADV_HUGEPAGE);  // a hint: without THP the pages are small
      return reinterpret_cast<T*>(base + lead);
    }
#endif
    return std::allocator<T>{}.allocate(n);
  }
  void deallocate(T* p, std::size_t n) noexcept {
#ifdef __linux__
    if (n * sizeof(T) >= kHuge) {
      munmap(p, round_up(n * sizeof(T)));
      return;
    }
#endif
    std::allocator<T>{}.deallocate(p, n);
  }
  friend bool operator==(const BigAlloc&, const BigAlloc&) noexcept { return true; }

 private:
  static std::size_t round_up(std::size_t bytes) { return (bytes + kHuge - 1) / kHuge * kHuge; }
};

/// Marks the whole 2 MiB pages inside [p, p + bytes) MADV_HUGEPAGE (a hint, as above), for an
/// array whose container is not ours (Boost.Graph's CSR vectors): call it before first touching the
/// array.
inline void advise_huge(void* p, std::size_t bytes) noexcept {
#ifdef __linux__
  constexpr std::size_t kHuge = std::size_t{2} << 20;
  const auto a = reinterpret_cast<std::uintptr_t>(p);
  const std::uintptr_t b = (a + kHuge - 1) / kHuge * kHuge, e = (a + bytes) / kHuge * kHuge;
  if (e > b) madvise(reinterpret_cast<void*>(b), e - b, MADV_HUGEPAGE);
#else
  (void)p;
  (void)bytes;
#endif
}

/// A vector of the world's large arrays.
template <class T>
using BigVector = std::vector<T, BigAlloc<T>>;

}  // namespace cyberdrill::world_detail
