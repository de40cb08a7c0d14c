// The trace record as the engine knows it: a flat plain struct that models emit through
// Simulation::emit() and observers receive, with no cyber meaning. What its kind and cause kind
// mean (the record kinds of the world, the attacker and the response) is cyberdrill/trace.hpp's;
// here both are opaque enumerations of fixed size, value 0 meaning "marker" and "none".
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "cyberdrill/time.hpp"

namespace cyberdrill {

inline constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

/// What a record says happened; enumerated in cyberdrill/trace.hpp.
enum class RecordKind : std::uint16_t;
/// What kind of entity a record's `cause` refers to; enumerated in cyberdrill/trace.hpp.
enum class CauseKind : std::uint8_t;

struct TraceRecord {
  SimTime time;                    ///< set by Simulation::emit
  RecordKind kind{};               ///< value 0 = RecordKind::marker
  CauseKind cause_kind{};          ///< value 0 = CauseKind::none
  std::uint8_t reserved = 0;
  std::uint32_t subject = kNone;
  std::uint32_t actor = kNone;
  std::uint32_t cause = kNone;
  std::uint32_t detail = 0;
  double value = 0;
  /// The kind's quantity before this record, where a kind has one (trace.hpp says which):
  /// asset_level keeps the old service level here. 0 for every other kind.
  double previous_value = 0;
  /// A span of simulated time the kind measures, where it has one (trace.hpp says which): triaged
  /// keeps the incident's queue wait here. Zero for every other kind.
  Duration duration{};
  friend bool operator==(const TraceRecord&, const TraceRecord&) = default;
};

class TraceObserver {
 public:
  virtual ~TraceObserver() = default;
  virtual void on_record(const TraceRecord& rec) = 0;
};

/// Keeps every record in memory, in emission order.
class TraceRecorder final : public TraceObserver {
 public:
  void on_record(const TraceRecord& rec) override { records_.push_back(rec); }
  [[nodiscard]] const std::vector<TraceRecord>& records() const { return records_; }
  void clear() { records_.clear(); }

 private:
  std::vector<TraceRecord> records_;
};

/// A 64-bit fingerprint over the sequence of records (every field, in order), for golden tests.
/// Independent of platform and standard library: doubles are hashed by their IEEE-754 bits.
class Fingerprint final : public TraceObserver {
 public:
  void on_record(const TraceRecord& rec) override;
  [[nodiscard]] std::uint64_t value() const { return h_; }
  [[nodiscard]] std::uint64_t count() const { return n_; }

 private:
  std::uint64_t h_ = 0x6a09e667f3bcc908ULL;
  std::uint64_t n_ = 0;
};

/// Fingerprint of a whole record sequence.
[[nodiscard]] std::uint64_t fingerprint(const std::vector<TraceRecord>& records);

}  // namespace cyberdrill
