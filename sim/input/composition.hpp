// Composition of a scenario from its files: reading (with limits), includes, merging, the plan
// override, and the bookkeeping that lets every diagnostic name the file, line, column and JSON
// pointer where the offending value was written. Private to sim/input.
//
// Contract
//  - Files are read in pre-order (a file, then its includes depth-first in the order listed) and
//    merged in post-order (a file's includes first, in order, then the file's own content on top).
//  - Merging: objects merge key by key; arrays whose elements are all objects with a string "id"
//    merge by id (same id: merged recursively; new id: appended); any other value replaces.
//  - An include is a relative path, resolved against the including file's folder, that must stay
//    inside the top file's folder tree (no absolute paths, no "..", no symlink escapes).
//    "library:REL" names REL in the first folder of the library search path that holds it
//    (cyberdrill/library_path.hpp: CYBERDRILL_PATH, then the installed library); it must stay
//    inside that folder, and the library file's own relative includes stay inside it too.
//  - Every problem becomes a diagnostic; nothing here throws for bad input.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cyberdrill/scenario_io.hpp"
#include "file_text.hpp"
#include "json_document.hpp"

namespace cyberdrill::io {

inline constexpr std::size_t kNoFile = static_cast<std::size_t>(-1);
/// Most files one composition may read (diamond-shaped include trees are merged each time).
inline constexpr std::size_t kMaxIncludeLoads = 1000;

struct SourceFile {
  std::string display;               ///< as given, or the includer's folder joined with the include
  std::filesystem::path canonical;   ///< for cycle detection and the folder check
  FileText text;                     ///< the bytes read (empty when unreadable; mapped when large)
  bool read = false;
};

/// Where a merged value came from: a file and a JSON pointer inside that file.
struct Origin {
  std::size_t file = kNoFile;
  std::string pointer;
};

class Composition {
 public:
  Composition() : store_(std::make_unique<ValueStore>()) { root = Value::object(nullptr, 0); }

  std::vector<SourceFile> files;     ///< in read order (pre-order)
  Value root;                        ///< the composed document, "include" keys removed (compact DOM)
  Json merged = Json::object();      ///< `root` as nlohmann JSON, when compose() was asked for it
  bool fatal = false;                ///< a file could not be read or parsed: no typed checks
  std::uint64_t max_file_bytes = kMaxFileBytes;
  std::size_t max_values = kMaxValues;
  /// The top file's "assets" as text (LazyElements), when compose() was allowed to and the fast
  /// parser read the file; `lazy_assets.ranges` is empty otherwise (the DOM holds the assets).
  bool allow_lazy_assets = false;
  std::uint64_t lazy_assets_from_bytes = 0;
  LazyElements lazy_assets;

  /// Owner of every Value of this composition (stable across moves of the Composition).
  [[nodiscard]] ValueStore& store() { return *store_; }

  /// Reports a problem at a pointer of the merged document (mapped back to its file).
  void report(Diagnostic::Severity severity, const std::string& merged_pointer, std::string message);
  /// Reports a problem at a pointer inside one file.
  void report_in_file(Diagnostic::Severity severity, std::size_t file, std::string pointer, std::string message);
  /// Reports a problem at a byte offset inside one file (syntax errors, limits).
  void report_at_offset(Diagnostic::Severity severity, std::size_t file, std::size_t offset, std::string message);
  /// Reports a problem about a path that could not be read (no position).
  void report_path(Diagnostic::Severity severity, std::string display, std::string message);

  [[nodiscard]] bool has_errors() const;
  /// Problems reported so far (errors and warnings).
  [[nodiscard]] std::size_t report_count() const { return raw_.size(); }
  /// Drops every problem reported so far (a probe's composition: see LazyAssetTyper).
  void clear_reports() { raw_.clear(); }

  /// Resolves positions and returns every diagnostic, sorted by file read order, line, column.
  [[nodiscard]] std::vector<Diagnostic> diagnostics() const;

  /// Where a merged value came from (nearest recorded ancestor, suffix appended).
  [[nodiscard]] Origin origin_of(const std::string& merged_pointer) const;

  // Used by compose(); public for the merge tests.
  void merge(Value& base, const std::string& merged_pointer, const Value& overlay, std::size_t file,
             const std::string& file_pointer);
  void set_origin(const std::string& merged_pointer, Origin origin);
  void erase_origins_under(const std::string& merged_pointer);

 private:
  struct Raw {
    Diagnostic::Severity severity = Diagnostic::Severity::error;
    std::size_t file = kNoFile;
    std::string display;  ///< when file == kNoFile
    std::string pointer;
    std::optional<std::size_t> offset;
    std::string message;
    std::size_t sequence = 0;
  };
  std::vector<Raw> raw_;
  std::map<std::string, Origin> origins_;  ///< merged pointer -> origin of that subtree
  std::unique_ptr<ValueStore> store_;
};

/// Reports duplicate "id"s in the arrays inside element `index` of the top-level array `key` of
/// file `file` (as compose() does for a DOM; used for the elements of LazyElements).
void check_duplicate_ids_in_element(Composition& c, std::size_t file, const Value& element, std::string_view key,
                                    std::size_t index);

/// Reads and merges `path` (and its includes, and the plan override) into `root`, and into `merged`
/// when `with_json` (the loader itself reads `root` only). Never throws for bad input.
/// `lazy_assets`: the top file's "assets" may be kept as text (Composition::lazy_assets; only the
/// scenario reader copes with that, so only load_scenario asks for it).
/// `lazy_sink`, with `lazy_assets`: told about each element of the lazy array as it is parsed
/// (LazyElementSink; it must outlive the returned Composition's use of it).
[[nodiscard]] Composition compose(const std::filesystem::path& path, const LoadOptions& options, bool with_json = true,
                                  bool lazy_assets = false, LazyElementSink* lazy_sink = nullptr);

}  // namespace cyberdrill::io
