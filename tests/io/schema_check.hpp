// Runs tests/io/check_schema.py (python3-jsonschema) over files and collects its verdicts.
#pragma once

#include <unistd.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace cyberdrill::testing {

struct SchemaVerdicts {
  bool ok = false;                    ///< the checker ran and the schema itself is sound
  std::map<std::string, bool> valid;  ///< file path -> accepted by the schema
  std::string output;                 ///< the checker's output, for failure messages
};

/// Never skips: a missing python3 or python3-jsonschema gives ok == false.
inline SchemaVerdicts check_against_schema(const std::vector<std::filesystem::path>& files) {
  namespace fs = std::filesystem;
  const fs::path src(CYBERDRILL_SOURCE_DIR);
  const fs::path out = fs::temp_directory_path() / ("cyberdrill-schema-" + std::to_string(::getpid()) + ".txt");
  std::string cmd = "python3 '" + (src / "tests/io/check_schema.py").string() + "' '" +
                    (src / "scenarios/schema/scenario.schema.json").string() + "'";
  for (const fs::path& f : files) cmd += " '" + f.string() + "'";
  cmd += " >'" + out.string() + "' 2>&1";
  const int status = std::system(cmd.c_str());
  SchemaVerdicts v;
  {
    std::ifstream in(out);
    std::ostringstream s;
    s << in.rdbuf();
    v.output = s.str();
  }
  fs::remove(out);
  v.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  std::istringstream lines(v.output);
  for (std::string line; std::getline(lines, line);) {
    for (const fs::path& f : files) {
      const std::string name = f.string();
      if (line == "valid " + name) v.valid[name] = true;
      else if (line.rfind("invalid " + name + ":", 0) == 0) v.valid[name] = false;
    }
  }
  if (v.valid.size() != files.size()) v.ok = false;
  return v;
}

}  // namespace cyberdrill::testing
