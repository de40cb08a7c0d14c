#!/usr/bin/env python3
"""The layering check: each library stays in its room, and dependencies point one way.

    scripts/check_layering.py [ROOT]      exit 0 when clean, 1 with one line per violation

ROOT defaults to the project root. ctest runs it on the tree (test `layering`) and on a fixture
tree with a deliberate violation, which must fail (tests/layering/).

Rooms and what each may use (ARCHITECTURE.md tells the why):
  include/cyberdrill   the public API: the standard library and other cyberdrill headers only
  sim/support          atomic output, whole files, "did you mean": the standard library only
  sim/engine           events, time, randomness, trace records: nothing of cyber, world or models
  sim/world            the only room with Boost.Graph
  sim/input, sim/output  the only rooms with nlohmann/json. Data flows one way: input never
                       includes output (not even output's public headers), and output uses input
                       only through the public API (never input's private headers)
  viz, cli             the only rooms with SFML; cli the only one with spdlog and CLI11
Direction: include <- sim <- viz <- cli. sim never includes viz or cli; viz never includes cli;
a room includes another room's private headers only through the public API in include/ (the
one exception: cli, the top, may include viz's headers to draw the live window).
The engine header is free of the cyber record kinds: it may not include cyberdrill/trace.hpp
(the record kinds), only cyberdrill/trace_record.hpp (the kind-agnostic record).
"""
import os
import re
import sys

SOURCE_EXT = (".cpp", ".hpp", ".h", ".cc")
SKIP_TOP = ("tests", "bench", "fuzz", "build", ".git", "scripts", "scenarios", "docs", "cmake")

INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]')

# Token rules: a library's includes and its namespace may appear only in the rooms named.
IO_ROOMS = r"^sim/(input|output)/"
RULES = [
    ("nlohmann/json", re.compile(r"#\s*include\s*[<\"]nlohmann/|\bnlohmann::"), IO_ROOMS),
    ("Boost.Graph", re.compile(
        r"#\s*include\s*[<\"]boost/graph/|\bboost::(out_edges|in_edges|out_degree|vertices|edges|source|target|"
        r"num_vertices|num_edges|edge_index|vertex_index|adjacency_list|compressed_sparse_row_graph|"
        r"breadth_first_search|depth_first_search|graph_traits|get)\b"), r"^sim/world/"),
    ("date/tz", re.compile(r"#\s*include\s*[<\"]date/|\bdate::"), r"^sim/support/"),
    ("SFML", re.compile(r"#\s*include\s*[<\"]SFML/|\bsf::"), r"^(viz|cli)/"),
    ("spdlog", re.compile(r"#\s*include\s*[<\"]spdlog/|\bspdlog::"), r"^cli/"),
    ("CLI11", re.compile(r"#\s*include\s*[<\"]CLI/|\bCLI::"), r"^cli/"),
]

# The one sanctioned reach into another room's headers: the command line draws the live window
# with the viewer's canvas and palette (both rooms are SFML rooms; cli sits above viz).
ALLOWED_REACH = {("cli", "viz")}

# Public headers that only the output room implements: the input room may not include them (data
# flows input -> model -> output, never back).
OUTPUT_PUBLIC = {"cyberdrill/batch_writer.hpp"}

# The support room (atomic output, whole files, "did you mean") knows nothing of the rest: it
# includes only the standard library and its own public headers.
SUPPORT_PUBLIC = {"atomic_output.hpp", "files.hpp", "suggest.hpp", "zones.hpp"}

# Which rooms a file's includes may reach, by the include's own path.
ENGINE_PUBLIC_OK = {"time.hpp", "engine.hpp", "random.hpp", "trace_record.hpp", "trace.hpp"}


def room_of(rel):
    parts = rel.split("/")
    if parts[0] == "include":
        return "include"
    if parts[0] == "sim" and len(parts) > 2:
        return "sim/" + parts[1]
    return parts[0]


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def check_file(root, rel, problems):
    path = os.path.join(root, rel)
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            raw = f.read()
    except OSError as e:
        problems.append(f"{rel}: cannot read: {e}")
        return
    code = strip_comments(raw)
    room = room_of(rel)
    lines = code.split("\n")
    for name, pattern, allowed in RULES:
        if re.match(allowed, rel):
            continue
        for n, line in enumerate(lines, 1):
            if pattern.search(line):
                problems.append(f"{rel}:{n}: {name} outside its room (allowed: {allowed.strip('^')}): {line.strip()}")
                break
    for n, line in enumerate(lines, 1):
        m = INCLUDE.match(line)
        if not m:
            continue
        inc = m.group(1)
        where = f"{rel}:{n}"
        if room == "include":
            if inc.startswith(("sim/", "viz/", "cli/", "../")) or (("/" in inc or inc.endswith(".hpp"))
                                                                    and not inc.startswith("cyberdrill/")
                                                                    and not inc.startswith("boost/")):
                problems.append(f"{where}: the public API includes a private header: {inc}")
            if inc.startswith("boost/graph/"):
                problems.append(f"{where}: the public API exposes Boost.Graph: {inc}")
            if rel == "include/cyberdrill/engine.hpp" and inc == "cyberdrill/trace.hpp":
                problems.append(f"{where}: engine.hpp includes the cyber record kinds (cyberdrill/trace.hpp); "
                                "include cyberdrill/trace_record.hpp")
        if room.startswith("sim") or room == "include":
            if re.match(r"^(\.\./)*(viz|cli)/", inc) or inc.startswith("cyberdrill/viz"):
                problems.append(f"{where}: {room} includes the viz/cli layer: {inc}")
        if room == "sim/support" and inc.startswith("cyberdrill/") and inc.split("/", 1)[1] not in SUPPORT_PUBLIC:
            problems.append(f"{where}: the support room includes a cyberdrill header beyond its own: {inc}")
        if room == "sim/input" and (inc in OUTPUT_PUBLIC or re.match(r"^(\.\./)*(sim/)?output/", inc)):
            problems.append(f"{where}: the input room includes the output room: {inc}")
        if room == "viz" and re.match(r"^(\.\./)*cli/", inc):
            problems.append(f"{where}: viz includes the cli layer: {inc}")
        if room == "sim/engine" and inc.startswith("cyberdrill/"):
            if inc.split("/", 1)[1] not in ENGINE_PUBLIC_OK:
                problems.append(f"{where}: the engine includes a model or world header: {inc}")
        # A private header of another room: a relative path that leaves the file's own folder, a
        # path naming another source room, or a bare name that lives only in another room's folder
        # (found through an include directory set by the build).
        quoted = '"' in line.split("include", 1)[1].lstrip()[:1]
        if quoted and not inc.startswith(("cyberdrill/", "../")):
            if not os.path.exists(os.path.join(root, os.path.dirname(rel), inc)):
                homes = []
                for base in ("", "sim"):  # include directories a build could set
                    cand = os.path.normpath(os.path.join(root, base, inc))
                    if os.path.isfile(cand):
                        homes.append(room_of(os.path.relpath(cand, root).replace(os.sep, "/")))
                if not homes and "/" not in inc:
                    homes = sorted({room_of(os.path.relpath(os.path.join(d, inc), root).replace(os.sep, "/"))
                                    for d, _, fs in os.walk(root) if inc in fs})
                homes = [h for h in homes if h not in (room, "tests", "bench") and (room, h) not in ALLOWED_REACH]
                if homes:
                    problems.append(f"{where}: reaches into {homes[0]}'s private header {inc}")
        if inc.startswith("../") or re.match(r"^(sim|viz|cli)/", inc):
            target = os.path.normpath(os.path.join(os.path.dirname(rel), inc)) if inc.startswith("../") else inc
            if room_of(target) != room and not (room_of(target) == "sim/models" and room == "sim/models"):
                problems.append(f"{where}: reaches into {room_of(target)}'s private header {inc}")


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
    problems = []
    count = 0
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root)
        if rel_dir == ".":
            dirnames[:] = [d for d in dirnames if d not in SKIP_TOP and not d.startswith("build")]
            continue
        dirnames.sort()
        for fn in sorted(filenames):
            if fn.endswith(SOURCE_EXT):
                rel = os.path.join(rel_dir, fn).replace(os.sep, "/")
                count += 1
                check_file(root, rel, problems)
    for p in problems:
        print(p)
    print(f"layering: {count} files checked, {len(problems)} violation(s)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
