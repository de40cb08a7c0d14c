// Transparent huge pages for what a large load allocates. Private to sim/input.
//
// Typing 10^6 assets allocates a few hundred MB: the Scenario's asset array and, per asset, its
// small vectors (dependencies, served groups, tags) on the C heap. On 4 KiB pages that is a page
// fault every 4 KiB (about 250,000 at 10^6 assets, a third of the load's time on a paravirtualised
// machine) and a TLB miss on most accesses; on 2 MiB pages (this machine's transparent huge pages
// are in `madvise` mode, so only advised ranges get them) about 500 times fewer faults.
//
// Contract: advice only. Nothing here changes what any allocation holds; where the platform has
// no such advice (not Linux with glibc) the functions do nothing.
#pragma once

#include <cstddef>

namespace cyberdrill::io {

/// Advises transparent huge pages for the 2 MiB-aligned part of [p, p + bytes).
void advise_huge_pages(const void* p, std::size_t bytes);

/// Prepares the C heap for about `bytes` of allocations to come on huge pages: its top is grown by
/// `bytes` (address space only: pages become resident when used) and that range advised, and the
/// allocator is told to keep that much at the top instead of giving it back (M_TOP_PAD). Once per
/// process (the first call decides the size); for loads of large files only.
void prepare_heap_for(std::size_t bytes);

/// Ends what prepare_heap_for asked of the allocator: free memory at the heap's top is given back
/// again as usual (M_TOP_PAD back to glibc's default, 0). Call when the load is done; no effect
/// when prepare_heap_for did nothing.
void end_heap_padding();

}  // namespace cyberdrill::io
