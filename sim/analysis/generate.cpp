#include "cyberdrill/generate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#ifdef __linux__
#include <sys/mman.h>
#endif

#include "cyberdrill/random.hpp"

namespace cyberdrill {
namespace {

using literals::operator""_h;
using literals::operator""_min;

enum Sec : Index { kEnergy, kTelecom, kFinance, kHealth, kWater, kTransport, kGovernment, kEmergency, kSectors };
const char* const kSectorIds[] = {"energy", "telecom", "finance", "health", "water", "transport", "government", "emergency"};
const char* const kSectorNames[] = {"Energy",         "Telecommunications", "Finance",    "Health",
                                    "Drinking water", "Transport",          "Government", "Emergency services"};

enum Kind : int { kTso, kDso, kGas, kCore, kMobile, kFixed, kPay, kAtm, kHosp, kPump, kRail, kPortal, kPsap, kKinds };

struct KindSpec {
  const char* prefix;
  Sec sector;
  double share;
  std::uint64_t pop_low, pop_high;
  double criticality;
  const char* tag;
};
const KindSpec kKindSpecs[kKinds] = {
    {"tso", kEnergy, 0.01, 500'000, 2'000'000, 2.0, "OT"},   {"dso", kEnergy, 0.10, 20'000, 80'000, 1.5, "OT"},
    {"gas", kEnergy, 0.01, 200'000, 1'000'000, 1.5, "OT"},   {"core", kTelecom, 0.03, 100'000, 500'000, 2.0, "IT"},
    {"mob", kTelecom, 0.24, 2'000, 10'000, 1.0, "IT"},       {"fix", kTelecom, 0.19, 500, 3'000, 1.0, "IT"},
    {"pay", kFinance, 0.03, 200'000, 800'000, 1.5, "IT"},    {"atm", kFinance, 0.08, 500, 2'000, 0.5, "IT"},
    {"hosp", kHealth, 0.02, 50'000, 300'000, 3.0, "IT"},     {"pump", kWater, 0.08, 10'000, 50'000, 1.5, "OT"},
    {"rail", kTransport, 0.06, 10'000, 40'000, 1.0, "OT"},   {"gov", kGovernment, 0.04, 100'000, 1'000'000, 1.0, "cloud"},
    {"psap", kEmergency, 0.01, 300'000, 1'000'000, 3.0, "IT"},
};

struct Template {
  Kind supplier;
  DependencyType type;
  Duration buffer_low, buffer_high;
  double degradation;
  Duration restart;
};
// Per kind, the dependencies an asset of that kind draws first (DOMAIN.md buffers).
const std::vector<Template>& templates(Kind k) {
  static const std::vector<Template> t[kKinds] = {
      /* tso  */ {{kGas, DependencyType::fuel, 12_h, 48_h, 0.5, 2_h}, {kCore, DependencyType::control, 0_h, 0_h, 0.2, 0_h}},
      /* dso  */ {{kTso, DependencyType::power, 0_h, 0_h, 1.0, 30_min}, {kCore, DependencyType::control, 0_h, 0_h, 0.2, 0_h}},
      /* gas  */ {{kDso, DependencyType::power, 8_h, 24_h, 0.5, 1_h}, {kCore, DependencyType::control, 0_h, 0_h, 0.3, 0_h}},
      /* core */ {{kDso, DependencyType::power, 12_h, 48_h, 1.0, 30_min}, {kCore, DependencyType::telecom, 0_h, 0_h, 0.3, 0_h}},
      /* mob  */ {{kDso, DependencyType::power, 1_h, 3_h, 1.0, 10_min}, {kCore, DependencyType::telecom, 0_h, 0_h, 1.0, 0_h}},
      /* fix  */ {{kDso, DependencyType::power, 0_h, 0_h, 1.0, 5_min}, {kCore, DependencyType::telecom, 0_h, 0_h, 1.0, 0_h}},
      /* pay  */ {{kCore, DependencyType::telecom, 0_h, 0_h, 1.0, 0_h}, {kDso, DependencyType::power, 24_h, 72_h, 1.0, 1_h}},
      /* atm  */ {{kPay, DependencyType::data, 0_h, 0_h, 1.0, 0_h}, {kFixed, DependencyType::telecom, 0_h, 0_h, 1.0, 0_h},
                  {kDso, DependencyType::power, 0_h, 0_h, 1.0, 5_min}},
      /* hosp */ {{kDso, DependencyType::power, 96_h, 96_h, 1.0, 0_h}, {kFixed, DependencyType::telecom, 0_h, 0_h, 0.5, 0_h},
                  {kPump, DependencyType::water, 24_h, 48_h, 0.7, 0_h}},
      /* pump */ {{kDso, DependencyType::power, 4_h, 24_h, 1.0, 30_min}, {kCore, DependencyType::control, 0_h, 0_h, 0.3, 0_h}},
      /* rail */ {{kDso, DependencyType::power, 0_h, 1_h, 1.0, 30_min}, {kMobile, DependencyType::telecom, 0_h, 0_h, 1.0, 0_h}},
      /* gov  */ {{kCore, DependencyType::data, 0_h, 0_h, 1.0, 0_h}, {kDso, DependencyType::power, 12_h, 48_h, 1.0, 1_h}},
      /* psap */ {{kCore, DependencyType::telecom, 0_h, 0_h, 1.0, 0_h}, {kDso, DependencyType::power, 24_h, 72_h, 1.0, 0_h},
                  {kMobile, DependencyType::telecom, 0_h, 0_h, 0.5, 0_h}},
  };
  return t[k];
}

constexpr std::size_t kAssetsPerRegion = 400;
/// Residents of a generated region (an area): 400 assets serve about a municipality of 30,000.
constexpr std::uint64_t kResidentsLow = 20'000, kResidentsHigh = 40'000;

/// The service class an asset of a kind delivers to its region's residents; tso, gas and core
/// serve nobody directly (they reach people through their dependents).
bool served_class(Kind k, ServiceClass& out) {
  switch (k) {
    case kDso: out = ServiceClass::electricity; return true;
    case kMobile: out = ServiceClass::mobile; return true;
    case kFixed: out = ServiceClass::fixed_internet; return true;
    case kPay:
    case kAtm: out = ServiceClass::payments; return true;
    case kHosp: out = ServiceClass::health_care; return true;
    case kPump: out = ServiceClass::water; return true;
    case kRail: out = ServiceClass::transport; return true;
    case kPortal: out = ServiceClass::public_services; return true;
    case kPsap: out = ServiceClass::emergency_calls; return true;
    default: return false;
  }
}
constexpr std::size_t kRegionsPerOperator = 20;

/// Marks the whole 2 MiB pages inside [p, p + bytes) MADV_HUGEPAGE before they are first touched:
/// a hint (transparent huge pages in `madvise` mode), so 10^6 Assets (288 MB) fault in 2 MiB at a
/// time instead of 4 KiB (page faults were about a fifth of generate's samples). Contents and
/// behaviour do not change; elsewhere than Linux it does nothing.
void advise_huge(void* p, std::size_t bytes) noexcept {
#ifdef __linux__
  constexpr std::uintptr_t kHuge = std::uintptr_t{2} << 20;
  const auto b = (reinterpret_cast<std::uintptr_t>(p) + kHuge - 1) & ~(kHuge - 1);
  const auto e = (reinterpret_cast<std::uintptr_t>(p) + bytes) & ~(kHuge - 1);
  if (e > b) madvise(reinterpret_cast<void*>(b), e - b, MADV_HUGEPAGE);
#else
  (void)p;
  (void)bytes;
#endif
}

}  // namespace

Scenario generate_infrastructure(const GenerateOptions& o) {
  if (o.assets == 0 || o.assets >= kNone) throw std::invalid_argument("generate: assets must be in 1 .. 2^32 - 2");
  if (!std::isfinite(o.mean_degree) || o.mean_degree < 0)
    throw std::invalid_argument("generate: mean degree must be a finite number >= 0");
  const std::size_t n = o.assets;
  const std::size_t regions = std::max<std::size_t>(1, n / kAssetsPerRegion);
  const std::size_t op_groups = (regions + kRegionsPerOperator - 1) / kRegionsPerOperator;

  Scenario s;
  s.metadata.name = "Synthetic national infrastructure (" + std::to_string(n) + " assets)";
  s.metadata.description = "Generated by cyberdrill generate: " + std::to_string(n) + " assets in " +
                           std::to_string(regions) + " regions, mean degree " + std::to_string(o.mean_degree) +
                           ", seed " + std::to_string(o.seed) + "; buffers per DOMAIN.md. For scale studies.";
  s.metadata.start_local = "2026-03-10T09:00";
  s.metadata.time_zone = "Europe/Brussels";
  s.metadata.duration = Duration::days(3);
  s.metadata.seed = o.seed;
  s.metadata.version = "1";
  for (Index i = 0; i < kSectors; ++i) s.sectors.push_back(Sector{kSectorIds[i], kSectorNames[i], {}, -1});
  for (Index sec = 0; sec < kSectors; ++sec)
    for (std::size_t g = 0; g < op_groups; ++g) {
      Organisation org;
      org.id = std::string("op-") + kSectorIds[sec] + "-" + std::to_string(g + 1);
      org.name = std::string(kSectorNames[sec]) + " operator " + std::to_string(g + 1);
      org.kind = OrgKind::operator_;
      org.sector = sec;
      org.staff = 4;
      org.monitoring = 0.5;
      s.organisations.push_back(std::move(org));
    }

  // Kinds in proportion to their shares (the few left over go round-robin), shuffled.
  std::vector<Kind> kind_of(n);
  {
    std::vector<std::size_t> count(kKinds);
    double total_share = 0;
    for (const KindSpec& k : kKindSpecs) total_share += k.share;
    std::size_t assigned = 0;
    for (int k = 0; k < kKinds; ++k)
      assigned += count[k] = static_cast<std::size_t>(kKindSpecs[k].share / total_share * static_cast<double>(n));
    for (int k = 0; assigned < n; k = (k + 1) % kKinds, ++assigned) ++count[k];
    std::size_t pos = 0;
    for (int k = 0; k < kKinds; ++k)
      for (std::size_t c = 0; c < count[k]; ++c) kind_of[pos++] = static_cast<Kind>(k);
    RandomStream shuffle(o.seed, "generate", "kinds");
    for (std::size_t i = n - 1; i > 0; --i) std::swap(kind_of[i], kind_of[shuffle.below(i + 1)]);
  }
  // Region of asset i: contiguous blocks, so a region's assets are neighbours in the index space.
  auto region_of = [&](std::size_t i) { return std::min(regions - 1, i * regions / n); };
  // Buckets: assets of each (kind, region).
  std::vector<std::vector<Index>> bucket(static_cast<std::size_t>(kKinds) * regions);
  std::vector<std::vector<Index>> of_kind(kKinds);
  for (std::size_t i = 0; i < n; ++i) {
    bucket[static_cast<std::size_t>(kind_of[i]) * regions + region_of(i)].push_back(static_cast<Index>(i));
    of_kind[kind_of[i]].push_back(static_cast<Index>(i));
  }

  // Areas: one per region; each serving asset serves an equal share of its region's residents
  // for its class (the region's assets of that class together serve everybody, counted once).
  {
    RandomStream res(o.seed, "generate", "residents");
    for (std::size_t r = 0; r < regions; ++r)
      s.areas.push_back(Area{"region-" + std::to_string(r + 1), "Region " + std::to_string(r + 1),
                             kResidentsLow + res.below(kResidentsHigh - kResidentsLow + 1), {}});
  }
  std::vector<std::size_t> class_count(kServiceClassCount * regions, 0);
  for (std::size_t i = 0; i < n; ++i) {
    ServiceClass c{};
    if (served_class(kind_of[i], c)) ++class_count[static_cast<std::size_t>(c) * regions + region_of(i)];
  }

  RandomStream rng(o.seed, "generate", "assets");
  const double base = std::floor(o.mean_degree), frac = o.mean_degree - base;
  const std::size_t side = static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(regions))));
  s.assets.reserve(n);
  advise_huge(s.assets.data(), n * sizeof(Asset));
  s.assets.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Kind kind = kind_of[i];
    const KindSpec& spec = kKindSpecs[kind];
    const std::size_t region = region_of(i);
    Asset& a = s.assets[i];
    a.id = std::string(spec.prefix) + "-" + std::to_string(i);
    a.sector = spec.sector;
    a.operator_org = static_cast<Index>(spec.sector * op_groups + region / kRegionsPerOperator);
    a.population = spec.pop_low + rng.below(spec.pop_high - spec.pop_low + 1);
    a.criticality = spec.criticality;
    if (ServiceClass c{}; served_class(kind, c))
      a.serves.push_back(Serve{c, static_cast<Index>(region),
                               1.0 / static_cast<double>(class_count[static_cast<std::size_t>(c) * regions + region])});
    a.tags = {spec.tag};
    a.rule = CombineRule::all;
    a.x = (static_cast<double>(region % side) + 0.1 + 0.8 * rng.uniform01()) / static_cast<double>(side);
    a.y = (static_cast<double>(region / side) + 0.1 + 0.8 * rng.uniform01()) / static_cast<double>(side);
    const auto deps = static_cast<std::size_t>(base) + (rng.bernoulli(frac) ? 1 : 0);
    const auto& tmpl = templates(kind);
    a.depends_on.reserve(deps);
    for (std::size_t d = 0; d < deps; ++d) {
      const Template& t = tmpl[d % tmpl.size()];
      const auto& local = bucket[static_cast<std::size_t>(t.supplier) * regions + region];
      const auto& pool = local.empty() ? of_kind[t.supplier] : local;
      if (pool.empty()) continue;
      Index supplier = pool[rng.below(pool.size())];
      if (supplier == i) {  // no self-dependency: take a neighbour in the pool, or skip
        if (pool.size() == 1) continue;
        supplier = pool[(std::find(pool.begin(), pool.end(), supplier) - pool.begin() + 1) % pool.size()];
      }
      Dependency dep;
      dep.supplier = supplier;
      dep.type = t.type;
      const std::int64_t span = t.buffer_high.us() - t.buffer_low.us();
      // Buffers in whole 10-minute steps inside the range.
      const std::int64_t steps = span / Duration::minutes(10).us();
      dep.buffer = t.buffer_low + Duration::minutes(10) * static_cast<std::int64_t>(steps > 0 ? rng.below(static_cast<std::uint64_t>(steps) + 1) : 0);
      dep.degradation = t.degradation;
      dep.restart = t.restart;
      a.depends_on.push_back(dep);
    }
    for (Dependency& dep : a.depends_on) dep.weight = 0.8 / static_cast<double>(a.depends_on.size());
  }
  return s;
}

}  // namespace cyberdrill
