#include <bit>

#include "cyberdrill/random.hpp"
#include "cyberdrill/trace_record.hpp"

namespace cyberdrill {

void Fingerprint::on_record(const TraceRecord& r) {
  auto add = [this](std::uint64_t v) { h_ = mix64(h_ ^ v) + 0x9e3779b97f4a7c15ULL; };
  add(static_cast<std::uint64_t>(r.time.us()));
  add((static_cast<std::uint64_t>(r.kind) << 16) | (static_cast<std::uint64_t>(r.cause_kind) << 8));
  add((static_cast<std::uint64_t>(r.subject) << 32) | r.actor);
  add((static_cast<std::uint64_t>(r.cause) << 32) | r.detail);
  add(std::bit_cast<std::uint64_t>(r.value));
  add(std::bit_cast<std::uint64_t>(r.previous_value));
  add(static_cast<std::uint64_t>(r.duration.us()));
  ++n_;
}

std::uint64_t fingerprint(const std::vector<TraceRecord>& records) {
  Fingerprint f;
  for (const TraceRecord& r : records) f.on_record(r);
  return f.value();
}

}  // namespace cyberdrill
