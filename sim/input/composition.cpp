#include "composition.hpp"

#include "cyberdrill/library_path.hpp"
#include "flat_id_map.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>
#include <unordered_map>

namespace cyberdrill::io {
namespace fs = std::filesystem;
using Severity = Diagnostic::Severity;

// ---------------------------------------------------------------------------------------------
// Diagnostics bookkeeping
// ---------------------------------------------------------------------------------------------

void Composition::report(Severity severity, const std::string& merged_pointer, std::string message) {
  const Origin o = origin_of(merged_pointer);
  report_in_file(severity, o.file, o.pointer, std::move(message));
}

void Composition::report_in_file(Severity severity, std::size_t file, std::string pointer, std::string message) {
  Raw r;
  r.severity = severity;
  r.file = file;
  r.pointer = std::move(pointer);
  r.message = std::move(message);
  r.sequence = raw_.size();
  raw_.push_back(std::move(r));
}

void Composition::report_at_offset(Severity severity, std::size_t file, std::size_t offset, std::string message) {
  Raw r;
  r.severity = severity;
  r.file = file;
  r.offset = offset;
  r.message = std::move(message);
  r.sequence = raw_.size();
  raw_.push_back(std::move(r));
}

void Composition::report_path(Severity severity, std::string display, std::string message) {
  Raw r;
  r.severity = severity;
  r.display = std::move(display);
  r.message = std::move(message);
  r.sequence = raw_.size();
  raw_.push_back(std::move(r));
}

bool Composition::has_errors() const {
  return std::any_of(raw_.begin(), raw_.end(), [](const Raw& r) { return r.severity == Severity::error; });
}

std::vector<Diagnostic> Composition::diagnostics() const {
  // One position scan per file for all the pointers it needs.
  std::unordered_map<std::size_t, std::vector<std::string>> wanted;
  for (const Raw& r : raw_)
    if (r.file != kNoFile && !r.offset) wanted[r.file].push_back(r.pointer);
  std::unordered_map<std::size_t, std::unordered_map<std::string, std::size_t>> offsets;
  for (auto& [file, pointers] : wanted) offsets[file] = locate_pointers(files[file].text, pointers);

  struct Keyed {
    Diagnostic d;
    std::size_t file_order;
    std::size_t sequence;
  };
  std::vector<Keyed> keyed;
  std::unordered_map<std::size_t, LineIndex> lines;
  for (const Raw& r : raw_) {
    Diagnostic d;
    d.severity = r.severity;
    d.message = r.message;
    d.pointer = r.pointer;
    if (r.file == kNoFile) {
      d.file = r.display;
    } else {
      d.file = files[r.file].display;
      std::optional<std::size_t> offset = r.offset;
      if (!offset) {
        const auto& found = offsets[r.file];
        // The value itself, else its nearest ancestor that exists in the text.
        std::string p = r.pointer;
        while (true) {
          if (const auto it = found.find(p); it != found.end()) {
            offset = it->second;
            break;
          }
          if (p.empty()) break;
          p.erase(p.rfind('/'));
        }
        if (!offset && !wanted[r.file].empty()) {
          // The ancestor was not requested: scan again for the whole chain (rare: missing values).
          std::vector<std::string> chain;
          for (std::string q = r.pointer; !q.empty(); q.erase(q.rfind('/'))) chain.push_back(q);
          chain.emplace_back();
          const auto again = locate_pointers(files[r.file].text, chain);
          for (const std::string& q : chain)
            if (const auto it = again.find(q); it != again.end()) {
              offset = it->second;
              break;
            }
        }
      }
      if (offset && files[r.file].read) {
        auto it = lines.find(r.file);
        if (it == lines.end()) it = lines.emplace(r.file, LineIndex(files[r.file].text)).first;
        const TextPosition pos = it->second.at(*offset);
        d.line = pos.line;
        d.column = pos.column;
      }
    }
    keyed.push_back(Keyed{std::move(d), r.file == kNoFile ? 0 : r.file, r.sequence});
  }
  std::stable_sort(keyed.begin(), keyed.end(), [](const Keyed& a, const Keyed& b) {
    if (a.file_order != b.file_order) return a.file_order < b.file_order;
    if (a.d.line != b.d.line) return a.d.line < b.d.line;
    if (a.d.column != b.d.column) return a.d.column < b.d.column;
    return a.sequence < b.sequence;
  });
  std::vector<Diagnostic> out;
  out.reserve(keyed.size());
  for (Keyed& k : keyed) out.push_back(std::move(k.d));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Origins and merging
// ---------------------------------------------------------------------------------------------

Origin Composition::origin_of(const std::string& merged_pointer) const {
  std::string p = merged_pointer;
  while (true) {
    if (const auto it = origins_.find(p); it != origins_.end())
      return Origin{it->second.file, it->second.pointer + merged_pointer.substr(p.size())};
    if (p.empty()) return Origin{files.empty() ? kNoFile : 0, merged_pointer};
    p.erase(p.rfind('/'));
  }
}

void Composition::set_origin(const std::string& merged_pointer, Origin origin) {
  origins_[merged_pointer] = std::move(origin);
}

void Composition::erase_origins_under(const std::string& merged_pointer) {
  // Every key starting with pointer + "/" sorts in [pointer + "/", pointer + "0").
  const auto first = origins_.lower_bound(merged_pointer + "/");
  const auto last = origins_.lower_bound(merged_pointer + "0");
  origins_.erase(first, last);
}

namespace {

bool is_id_object(const Value& v) {
  const Value* id = v.find("id");
  return id != nullptr && id->is_string();
}

/// An array that merges by id: every element is an object with a string "id".
bool is_id_array(const Value& a, bool allow_empty) {
  if (!a.is_array() || (!allow_empty && a.empty())) return false;
  return std::all_of(a.begin(), a.end(), is_id_object);
}

std::string_view id_of(const Value& v) { return v.find("id")->str(); }

}  // namespace

void Composition::merge(Value& base, const std::string& mptr, const Value& overlay, std::size_t file,
                        const std::string& fptr) {
  if (base.is_object() && overlay.is_object()) {
    // Large objects get a hash index, so hostile files with huge objects stay linear.
    std::unordered_map<std::string_view, std::size_t> index;
    Member* members = base.mutable_members();
    const std::size_t n = base.size();
    if (n > 16) {
      index.reserve(n);
      for (std::size_t k = 0; k < n; ++k) index.emplace(members[k].key.str(), k);
    }
    std::vector<Member> added;
    for (const Member* m = overlay.members_begin(); m != overlay.members_end(); ++m) {
      const std::string tok = "/" + escape_pointer_token(m->key.str());
      Value* target = nullptr;
      if (n > 16) {
        if (const auto it = index.find(m->key.str()); it != index.end()) target = &members[it->second].value;
      } else {
        target = base.find_mutable(m->key.str());
      }
      if (target != nullptr) {
        merge(*target, mptr + tok, m->value, file, fptr + tok);
      } else {
        added.push_back(*m);
        set_origin(mptr + tok, Origin{file, fptr + tok});
      }
    }
    if (!added.empty()) {
      Member* all = store().members(n + added.size());
      std::copy(members, members + n, all);
      std::copy(added.begin(), added.end(), all + n);
      base = Value::object(all, static_cast<std::uint32_t>(n + added.size()));
    }
    return;
  }
  if (is_id_array(base, true) && is_id_array(overlay, false)) {
    const std::size_t n = base.size();
    Value* elements = base.mutable_elements();
    std::unordered_map<std::string_view, std::size_t> index;  // id -> position in the merged array
    index.reserve(n + overlay.size());
    for (std::size_t k = 0; k < n; ++k) index.emplace(id_of(elements[k]), k);
    std::vector<Value> added;
    for (std::size_t i = 0; i < overlay.size(); ++i) {
      const Value& el = overlay[i];
      const std::string ftok = fptr + "/" + std::to_string(i);
      const auto it = index.find(id_of(el));
      if (it != index.end()) {
        const std::size_t k = it->second;
        merge(k < n ? elements[k] : added[k - n], mptr + "/" + std::to_string(k), el, file, ftok);
      } else {
        index.emplace(id_of(el), n + added.size());
        added.push_back(el);
        set_origin(mptr + "/" + std::to_string(n + added.size() - 1), Origin{file, ftok});
      }
    }
    if (!added.empty()) {
      Value* all = store().values(n + added.size());
      std::copy(elements, elements + n, all);
      std::copy(added.begin(), added.end(), all + n);
      base = Value::array(all, static_cast<std::uint32_t>(n + added.size()));
    }
    return;
  }
  base = overlay;
  erase_origins_under(mptr);
  set_origin(mptr, Origin{file, fptr});
}

// ---------------------------------------------------------------------------------------------
// Reading files and resolving includes
// ---------------------------------------------------------------------------------------------

namespace {

enum class Mode { scenario, plan_override };

std::string join_display(const std::string& includer_display, const std::string& rel) {
  const fs::path dir = fs::path(includer_display).parent_path();
  return (dir / rel).lexically_normal().string();
}

/// One step of the path to a value, built into a JSON pointer only when a problem is reported.
struct PathStep {
  const PathStep* parent = nullptr;
  std::string_view key;
  std::size_t index = 0;
  bool is_index = false;
};

std::string pointer_of(const PathStep* step) {
  std::vector<const PathStep*> chain;
  for (; step != nullptr; step = step->parent) chain.push_back(step);
  std::string out;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it)
    out += "/" + ((*it)->is_index ? std::to_string((*it)->index) : escape_pointer_token((*it)->key));
  return out;
}

/// Finds duplicate "id"s among the elements of every array in one file's document.
void check_duplicate_ids(Composition& c, std::size_t file, const Value& v, const PathStep* at) {
  if (v.is_object()) {
    for (const Member* m = v.members_begin(); m != v.members_end(); ++m)
      if (m->value.is_structured()) {
        const PathStep step{at, m->key.str(), 0, false};
        check_duplicate_ids(c, file, m->value, &step);
      }
    return;
  }
  if (!v.is_array()) return;
  FlatIdMap<std::size_t> seen;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const Value& el = v[i];
    if (is_id_object(el)) {
      if (seen.empty()) seen.reserve(v.size());
      const std::string_view id = id_of(el);
      const auto [it, inserted] = seen.emplace(id, i);
      if (!inserted) {
        const std::string ptr = pointer_of(at);
        c.report_in_file(Severity::error, file, ptr + "/" + std::to_string(i) + "/id",
                         "duplicate id \"" + std::string(id) + "\" (first used at " + ptr + "/" + std::to_string(it->second) + ")");
      }
    }
    if (el.is_structured()) {
      const PathStep step{at, {}, i, true};
      check_duplicate_ids(c, file, el, &step);
    }
  }
}

}  // namespace

void check_duplicate_ids_in_element(Composition& c, std::size_t file, const Value& element, std::string_view key,
                                    std::size_t index) {
  const PathStep array{nullptr, key, 0, false};
  const PathStep at{&array, {}, index, true};
  if (element.is_structured()) check_duplicate_ids(c, file, element, &at);
}

namespace {

/// "64 MiB", "4 GiB", else bytes.
std::string size_text(std::uint64_t bytes) {
  constexpr std::uint64_t kMiB = 1024 * 1024;
  if (bytes % (1024 * kMiB) == 0) return std::to_string(bytes / (1024 * kMiB)) + " GiB";
  if (bytes % kMiB == 0) return std::to_string(bytes / kMiB) + " MiB";
  return std::to_string(bytes) + " bytes";
}

class Composer {
 public:
  explicit Composer(Composition& c) : c_(c) {}

  /// Reads `display` (resolved as `path`), its includes, and merges them. `includer`/`include_ptr`
  /// name where the include was written (kNoFile for a top-level file).
  void compose_file(const std::string& display, const fs::path& path, const fs::path& root, Mode mode,
                    std::size_t includer, const std::string& include_ptr) {
    auto fail = [&](const std::string& message) {
      if (includer == kNoFile) c_.report_path(Severity::error, display, message);
      else c_.report_in_file(Severity::error, includer, include_ptr, message);
      c_.fatal = true;
    };
    if (++loads_ > kMaxIncludeLoads) {
      fail("more than " + std::to_string(kMaxIncludeLoads) + " files read through includes: refused");
      return;
    }
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      const std::string as_written =
          includer == kNoFile ? display
                              : fs::path(display).lexically_relative(fs::path(c_.files[includer].display).parent_path()).string();
      fail(includer == kNoFile ? "cannot open: no such file" : "cannot open included file \"" + as_written + "\": no such file");
      return;
    }
    if (!fs::is_regular_file(status)) {
      fail("cannot read \"" + display + "\": not a regular file");
      return;
    }
    const std::uintmax_t size = fs::file_size(path, ec);
    if (ec) {
      fail("cannot read \"" + display + "\": " + ec.message());
      return;
    }
    if (size > c_.max_file_bytes) {
      fail("file \"" + display + "\" is " + std::to_string(size) + " bytes; scenario files may be at most " +
           size_text(c_.max_file_bytes));
      return;
    }
    SourceFile sf;
    sf.display = display;
    sf.canonical = fs::weakly_canonical(path, ec);
    if (ec) sf.canonical = path.lexically_normal();
    // One read of the announced size, then whatever the file grew by (bounded below); a large
    // file is mapped instead (FileText), its pages given back as the parser passes them.
    if (!sf.text.read(path, size)) {
      fail("cannot read \"" + display + "\"");
      return;
    }
    sf.read = true;
    if (sf.text.size() > c_.max_file_bytes) {  // grew while we looked
      fail("file \"" + display + "\" is larger than " + size_text(c_.max_file_bytes) + ": refused");
      return;
    }
    const std::size_t idx = c_.files.size();
    c_.files.push_back(std::move(sf));
    if (c_.files.size() == 1) c_.set_origin("", Origin{0, ""});

    const bool lazy = c_.allow_lazy_assets && idx == 0 && mode == Mode::scenario &&
                      c_.files[idx].text.size() >= c_.lazy_assets_from_bytes;
    c_.lazy_assets.key = "assets";
    ParsedValue parsed = parse_value(c_.files[idx].text, c_.store(), kMaxDepth, c_.max_values, &c_.files[idx].text,
                                     lazy ? &c_.lazy_assets : nullptr);
    if (!c_.lazy_assets.ranges.empty() && parsed.value && parsed.value->is_object() && parsed.value->contains("include")) {
      // Included files may merge assets by id into this array: that needs the DOM. Read it again.
      c_.lazy_assets.ranges.clear();
      c_.lazy_assets.ids.clear();
      if (c_.lazy_assets.sink != nullptr) c_.lazy_assets.sink->reset();
      parsed = parse_value(c_.files[idx].text, c_.store(), kMaxDepth, c_.max_values, &c_.files[idx].text);
    }
    for (const ParseProblem& p : parsed.problems) {
      if (p.at_offset) c_.report_at_offset(Severity::error, idx, p.offset, p.message);
      else c_.report_in_file(Severity::error, idx, p.pointer, p.message);
    }
    if (!parsed.value) {
      c_.fatal = true;
      return;
    }
    const Value doc = *parsed.value;
    if (!doc.is_object()) {
      c_.report_in_file(Severity::error, idx, "", "a scenario file holds one JSON object, got " + std::string(doc.type_name()));
      c_.fatal = true;
      return;
    }
    check_schema_version(idx, doc);
    check_duplicate_ids(c_, idx, doc, nullptr);
    if (idx == 0 && !c_.lazy_assets.ranges.empty()) check_duplicate_lazy_ids(idx);

    // Includes first, in order.
    if (const Value* inc = doc.find("include"); inc != nullptr) {
      if (!inc->is_array()) {
        c_.report_in_file(Severity::error, idx, "/include", "expected an array of relative paths, got " + std::string(inc->type_name()));
        c_.fatal = true;
      } else {
        stack_.push_back(c_.files[idx].canonical);
        for (std::size_t i = 0; i < inc->size(); ++i)
          include((*inc)[i], idx, "/include/" + std::to_string(i), path, root, mode);
        stack_.pop_back();
      }
    }
    // Then the file's own content on top.
    std::vector<Member> own;
    own.reserve(doc.size());
    for (const Member* m = doc.members_begin(); m != doc.members_end(); ++m) {
      const std::string_view key = m->key.str();
      if (key == "include") continue;
      if (mode == Mode::plan_override) {
        if (key == "$schema" || key == "schema_version" || key == "description") continue;
        // "background": the background incident load belongs to the plan's era (its rate merges
        // over the scenario's, key by key).
        if (key != "plan" && key != "organisations" && key != "channels" && key != "background") {
          c_.report_in_file(Severity::warning, idx, "/" + escape_pointer_token(key),
                            "\"" + std::string(key) + "\" is ignored in a plan override file: it brings only \"plan\", "
                            "\"organisations\", \"channels\" and \"background\"");
          continue;
        }
      }
      own.push_back(*m);
    }
    const Value overlay = Value::object(own.data(), static_cast<std::uint32_t>(own.size()));
    c_.merge(c_.root, "", overlay, idx, "");
  }

 private:
  /// check_duplicate_ids for the elements of the lazy array (their ids; what is inside each
  /// element is checked when the reader builds it: check_duplicate_ids_in_element).
  void check_duplicate_lazy_ids(std::size_t idx) {
    const LazyElements& lazy = c_.lazy_assets;
    FlatIdMap<std::size_t> seen;
    seen.reserve(lazy.ids.size());
    const std::string ptr = "/" + escape_pointer_token(lazy.key);
    for (std::size_t i = 0; i < lazy.ids.size(); ++i) {
      const std::string_view id = lazy.ids[i];
      if (lazy.ids[i].data() == nullptr) continue;  // no string "id"
      const auto [it, inserted] = seen.emplace(id, i);
      if (!inserted)
        c_.report_in_file(Severity::error, idx, ptr + "/" + std::to_string(i) + "/id",
                          "duplicate id \"" + std::string(id) + "\" (first used at " + ptr + "/" + std::to_string(it->second) + ")");
    }
  }

  void check_schema_version(std::size_t idx, const Value& doc) {
    const Value* v = doc.find("schema_version");
    if (v == nullptr) {
      c_.report_in_file(Severity::error, idx, "",
                        "missing \"schema_version\": every scenario file starts with \"schema_version\": 1");
    } else if (!v->is_number_integer() || v->get<std::int64_t>() != 1) {
      c_.report_in_file(Severity::error, idx, "/schema_version",
                        "unsupported schema_version " + (v->is_primitive() ? v->dump().substr(0, 40) : std::string(v->type_name())) + ": this cyberdrill reads version 1");
    }
  }

  /// An include that cannot be followed leaves the merged document incomplete, so the typed checks
  /// (which would report its missing content) are skipped: `fatal`.
  void include_error(std::size_t idx, const std::string& ptr, std::string message) {
    c_.report_in_file(Severity::error, idx, ptr, std::move(message));
    c_.fatal = true;
  }

  void include(const Value& entry, std::size_t idx, const std::string& ptr, const fs::path& including_path,
               const fs::path& root, Mode mode) {
    if (!entry.is_string()) {
      include_error(idx, ptr, "expected a relative path string, got " + std::string(entry.type_name()));
      return;
    }
    const std::string rel(entry.str());
    const fs::path relp(rel);
    if (rel.empty()) {
      include_error(idx, ptr, "empty include path");
      return;
    }
    if (rel.rfind(kLibraryPrefix, 0) == 0) {
      include_library(rel, idx, ptr, mode);
      return;
    }
    if (relp.is_absolute() || rel.front() == '/' || relp.has_root_name()) {
      include_error(idx, ptr,
                        "include \"" + rel + "\" must be a relative path inside the scenario's folder, not an absolute path");
      return;
    }
    for (const fs::path& part : relp)
      if (part == "..") {
        include_error(idx, ptr,
                          "include \"" + rel + "\" leaves the scenario's folder: \"..\" is not allowed in includes");
        return;
      }
    const fs::path target = including_path.parent_path() / relp;
    std::error_code ec;
    const fs::path canonical = fs::weakly_canonical(target, ec);
    if (!ec) {
      const fs::path inside = canonical.lexically_relative(root);
      if (inside.empty() || *inside.begin() == "..") {
        include_error(idx, ptr,
                          "include \"" + rel + "\" resolves outside the scenario's folder (through a symbolic link)");
        return;
      }
    }
    const fs::path& key = ec ? target : canonical;
    if (std::find(stack_.begin(), stack_.end(), key) != stack_.end()) {
      std::string chain;
      bool on = false;
      for (const fs::path& p : stack_) {
        if (p == key) on = true;
        if (on) chain += p.filename().string() + " -> ";
      }
      chain += key.filename().string();
      include_error(idx, ptr, "include cycle: " + chain);
      return;
    }
    compose_file(join_display(c_.files[idx].display, rel), target, root, mode, idx, ptr);
  }

  /// "library:REL": REL inside a folder of the library search path (cyberdrill/library_path.hpp),
  /// confined to that folder (no absolute path, no "..", no symlink out of it); the library
  /// file's own relative includes stay inside the same library folder.
  void include_library(const std::string& rel, std::size_t idx, const std::string& ptr, Mode mode) {
    const std::string inner = rel.substr(std::char_traits<char>::length(kLibraryPrefix));
    const fs::path innerp(inner);
    if (inner.empty() || innerp.is_absolute() || inner.front() == '/' || innerp.has_root_name()) {
      include_error(idx, ptr, "include \"" + rel + "\": a library include names a relative path inside the library, e.g. \"library:belgium/infrastructure.json\"");
      return;
    }
    for (const fs::path& part : innerp)
      if (part == "..") {
        include_error(idx, ptr, "include \"" + rel + "\" leaves the library: \"..\" is not allowed in includes");
        return;
      }
    const std::vector<fs::path> search = library_search_path();
    std::optional<fs::path> found;
    fs::path lib_root;
    for (const fs::path& dir : search) {
      std::error_code ec;
      if (fs::is_regular_file(dir / innerp, ec)) {
        found = dir / innerp;
        lib_root = dir;
        break;
      }
    }
    if (!found) {
      std::string where;
      for (const fs::path& dir : search) where += (where.empty() ? "" : ", ") + dir.string();
      include_error(idx, ptr, "cannot open included file \"" + rel + "\": not in the library search path (" +
                                  (where.empty() ? std::string("empty: set CYBERDRILL_PATH or install cyberdrill") : where) + ")");
      return;
    }
    std::error_code ec;
    const fs::path canonical = fs::weakly_canonical(*found, ec);
    if (!ec) {
      const fs::path inside = canonical.lexically_relative(lib_root);
      if (inside.empty() || *inside.begin() == "..") {
        include_error(idx, ptr, "include \"" + rel + "\" resolves outside the library folder (through a symbolic link)");
        return;
      }
    }
    const fs::path& key = ec ? *found : canonical;
    if (std::find(stack_.begin(), stack_.end(), key) != stack_.end()) {
      include_error(idx, ptr, "include cycle through \"" + rel + "\"");
      return;
    }
    compose_file(found->string(), *found, lib_root, mode, idx, ptr);
  }

  Composition& c_;
  std::vector<fs::path> stack_;
  std::size_t loads_ = 0;
};

fs::path folder_of(const fs::path& file) {
  std::error_code ec;
  fs::path dir = fs::weakly_canonical(file, ec).parent_path();
  if (ec) dir = file.parent_path();
  return dir;
}

}  // namespace

/// "library:REL" (a scenario or plan file named through the library search path) -> the file;
/// anything else unchanged.
static fs::path resolve_library_argument(const fs::path& path) {
  const std::string text = path.string();
  if (text.rfind(kLibraryPrefix, 0) != 0) return path;
  if (const auto found = find_in_library(text)) return *found;
  return path;
}

Composition compose(const fs::path& path_as_given, const LoadOptions& options_as_given, bool with_json, bool lazy_assets,
                    LazyElementSink* lazy_sink) {
  const fs::path path = resolve_library_argument(path_as_given);
  LoadOptions options = options_as_given;
  options.plan_override = resolve_library_argument(options.plan_override);
  Composition c;
  c.max_file_bytes = options.max_file_bytes;
  c.max_values = static_cast<std::size_t>(options.max_values);
  c.allow_lazy_assets = lazy_assets && !with_json && options.plan_override.empty() && options.overrides.empty();
  c.lazy_assets_from_bytes = options.lazy_assets_from_bytes;
  if (c.allow_lazy_assets) c.lazy_assets.sink = lazy_sink;
  Composer composer(c);
  composer.compose_file(path.string(), path, folder_of(path), Mode::scenario, kNoFile, "");
  if (!c.fatal && !options.plan_override.empty()) {
    if (c.root.contains("plan")) {
      std::vector<Member> kept;
      for (const Member* m = c.root.members_begin(); m != c.root.members_end(); ++m)
        if (m->key.str() != "plan") kept.push_back(*m);
      c.root = c.store().object(kept.data(), kept.size());
    }
    c.erase_origins_under("/plan");
    Composer plan_composer(c);
    const std::size_t first = c.files.size();
    plan_composer.compose_file(options.plan_override.string(), options.plan_override, folder_of(options.plan_override),
                               Mode::plan_override, kNoFile, "");
    if (c.files.size() > first && !c.fatal && !c.root.contains("plan"))
      c.report_in_file(Severity::error, first, "",
                       "plan override file has no \"plan\": expected {\"schema_version\": 1, \"plan\": {...}}");
  }
  if (with_json) c.merged = to_json(c.root);
  return c;
}

}  // namespace cyberdrill::io
