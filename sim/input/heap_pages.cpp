#include "heap_pages.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <vector>

#if defined(__linux__) && defined(__GLIBC__)
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#define CYBERDRILL_HEAP_PAGES 1
#endif

namespace cyberdrill::io {

namespace {
constexpr std::uintptr_t kHuge = std::uintptr_t{2} << 20;
std::atomic<bool> padded{false};  ///< M_TOP_PAD was set by prepare_heap_for and not yet reset
}  // namespace

void advise_huge_pages(const void* p, std::size_t bytes) {
#if defined(CYBERDRILL_HEAP_PAGES) && defined(MADV_HUGEPAGE)
  const auto first = (reinterpret_cast<std::uintptr_t>(p) + kHuge - 1) & ~(kHuge - 1);
  const auto last = (reinterpret_cast<std::uintptr_t>(p) + bytes) & ~(kHuge - 1);
  if (last > first) ::madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);  // advice: failure is harmless
#else
  (void)p;
  (void)bytes;
#endif
}

void prepare_heap_for(std::size_t bytes) {
#if defined(CYBERDRILL_HEAP_PAGES) && defined(MADV_HUGEPAGE)
  static std::once_flag once;
  std::call_once(once, [bytes] {
    if (bytes < 4 * kHuge || bytes > (std::size_t{1} << 40)) return;
    // From now on each growth of the heap's top takes `bytes` more than asked, and a trim keeps
    // that much (glibc: mp_.top_pad).
    if (mallopt(M_TOP_PAD, static_cast<int>(std::min<std::size_t>(bytes, 1U << 30))) == 0) return;
    padded = true;
    // Grow the top now: small blocks (below the mmap threshold) until the break moves.
    const auto before = reinterpret_cast<std::uintptr_t>(sbrk(0));
    std::vector<void*> blocks;
    blocks.reserve(64);
    for (int k = 0; k < 64 && reinterpret_cast<std::uintptr_t>(sbrk(0)) == before; ++k) blocks.push_back(std::malloc(64 * 1024));
    const auto after = reinterpret_cast<std::uintptr_t>(sbrk(0));
    for (void* b : blocks) std::free(b);
    if (after > before) advise_huge_pages(reinterpret_cast<const void*>(before), after - before);
  });
#else
  (void)bytes;
#endif
}

void end_heap_padding() {
#if defined(CYBERDRILL_HEAP_PAGES) && defined(MADV_HUGEPAGE)
  if (padded.exchange(false)) mallopt(M_TOP_PAD, 0);
#endif
}

}  // namespace cyberdrill::io
