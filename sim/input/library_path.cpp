#include "cyberdrill/library_path.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <set>
#include <system_error>

namespace cyberdrill {
namespace fs = std::filesystem;

namespace {

bool is_folder(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(p, ec);
}

bool is_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

/// `rel` without "library:", or nullopt when it is absolute, empty or climbs with "..".
std::optional<fs::path> library_relative(std::string rel) {
  if (rel.rfind(kLibraryPrefix, 0) == 0) rel.erase(0, std::char_traits<char>::length(kLibraryPrefix));
  const fs::path p(rel);
  if (rel.empty() || p.is_absolute() || p.has_root_name() || rel.front() == '/') return std::nullopt;
  for (const fs::path& part : p)
    if (part == "..") return std::nullopt;
  return p;
}

/// A scenario file ("schema_version": <number>, not the schema's property of that name) with an
/// attacker: an exercise, not a building block (infrastructure, plan) and not the schema.
bool looks_like_exercise(const std::string& text) {
  const std::size_t at = text.find("\"schema_version\"");
  if (at == std::string::npos) return false;
  std::size_t i = at + 16;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) ++i;
  if (i >= text.size() || text[i] != ':') return false;
  ++i;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) ++i;
  if (i >= text.size() || text[i] < '0' || text[i] > '9') return false;
  return text.find("\"attackers\"") != std::string::npos;
}

}  // namespace

std::vector<fs::path> library_search_path() {
  std::vector<fs::path> out;
  auto add = [&](const fs::path& p) {
    if (p.empty() || !is_folder(p)) return;
    std::error_code ec;
    fs::path c = fs::canonical(p, ec);
    if (ec) return;
    if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(std::move(c));
  };
  if (const char* env = std::getenv("CYBERDRILL_PATH"); env != nullptr) {
    const std::string s(env);
    std::size_t start = 0;
    while (start <= s.size()) {
      const std::size_t end = std::min(s.find(':', start), s.size());
      add(s.substr(start, end - start));
      start = end + 1;
    }
  }
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) add(exe.parent_path().parent_path() / "share" / "cyberdrill" / "scenarios");
#ifdef CYBERDRILL_INSTALL_DATADIR
  add(fs::path(CYBERDRILL_INSTALL_DATADIR) / "scenarios");
#endif
  return out;
}

std::optional<fs::path> find_in_library(const std::string& rel) {
  const std::optional<fs::path> r = library_relative(rel);
  if (!r) return std::nullopt;
  for (const fs::path& dir : library_search_path()) {
    if (is_file(dir / *r)) return dir / *r;
    if (r->extension() != ".json") {
      fs::path with = dir / *r;
      with += ".json";
      if (is_file(with)) return with;
    }
  }
  return std::nullopt;
}

std::optional<fs::path> library_root_of(const fs::path& file) {
  std::error_code ec;
  const fs::path c = fs::weakly_canonical(file, ec);
  if (ec) return std::nullopt;
  for (const fs::path& dir : library_search_path()) {
    const fs::path inside = c.lexically_relative(dir);
    if (!inside.empty() && *inside.begin() != "..") return dir;
  }
  return std::nullopt;
}

std::string resolve_scenario_argument(const std::string& argument) {
  if (argument.empty()) return argument;
  const bool prefixed = argument.rfind(kLibraryPrefix, 0) == 0;
  if (!prefixed && fs::exists(fs::path(argument))) return argument;
  // A bare word is an id only when it is not meant as a file: no ".json" that was simply mistyped.
  if (!prefixed && fs::path(argument).extension() == ".json") return argument;
  if (const auto found = find_in_library(argument)) return found->string();
  return argument;
}

std::vector<std::string> library_scenario_ids() {
  std::set<std::string> ids;
  for (const fs::path& dir : library_search_path()) {
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it.depth() > 4) it.disable_recursion_pending();
      const fs::path& p = it->path();
      if (p.extension() != ".json" || !is_file(p)) continue;
      std::ifstream in(p, std::ios::binary);
      std::string head(65536, '\0');
      in.read(head.data(), static_cast<std::streamsize>(head.size()));
      head.resize(static_cast<std::size_t>(in.gcount()));
      if (!looks_like_exercise(head)) continue;
      fs::path id = p.lexically_relative(dir);
      id.replace_extension();
      ids.insert(id.generic_string());
    }
  }
  return {ids.begin(), ids.end()};
}

}  // namespace cyberdrill
