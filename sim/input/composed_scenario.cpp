// The composed scenario as JSON text (include/cyberdrill/scenario_io.hpp): what the output room
// writes into a run folder and exports as an MSEL, without reaching into the composition.
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "composition.hpp"
#include "cyberdrill/scenario_io.hpp"

namespace cyberdrill {
namespace {

using ojson = nlohmann::ordered_json;

/// The compact DOM as nlohmann JSON in document order (io::to_json sorts keys; the composed
/// scenario keeps the order its author wrote). Recursion is bounded by the loader's depth limit.
ojson to_ordered_json(const io::Value& v) {
  switch (v.type()) {
    case io::Value::Type::null: return nullptr;
    case io::Value::Type::boolean: return v.as_bool();
    case io::Value::Type::integer: return v.as_int64();
    case io::Value::Type::unsigned_integer: return v.as_uint64();
    case io::Value::Type::floating: return v.as_double();
    case io::Value::Type::string: return std::string(v.str());
    case io::Value::Type::array: {
      ojson a = ojson::array();
      for (const io::Value& e : v) a.push_back(to_ordered_json(e));
      return a;
    }
    case io::Value::Type::object: {
      ojson o = ojson::object();
      for (const io::Member* m = v.members_begin(); m != v.members_end(); ++m)
        o[std::string(m->key.str())] = to_ordered_json(m->value);
      return o;
    }
  }
  return nullptr;
}

}  // namespace

std::string composed_scenario_json(const std::filesystem::path& scenario, const std::string& plan_path) {
  LoadOptions lo = large_load_options();
  lo.plan_override = plan_path;
  const io::Composition c = io::compose(scenario, lo, false);
  if (c.fatal || c.has_errors())
    throw std::runtime_error("cannot compose the scenario " + scenario.string() +
                             " for the run folder (did it change during the run? run 'cyberdrill validate')");
  return to_ordered_json(c.root).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string composed_member_json(const std::filesystem::path& scenario, const LoadOptions& options,
                                 const std::string& key) {
  const io::Composition comp = io::compose(scenario, options);
  const auto it = comp.merged.find(key);
  if (it == comp.merged.end()) return "";
  return it->dump();
}

}  // namespace cyberdrill
