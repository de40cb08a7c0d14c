#!/usr/bin/env python3
"""Validates JSON files against the scenario schema with Debian's python3-jsonschema.

Usage: check_schema.py SCHEMA [FILE ...]
Prints one line per file: "valid FILE" or "invalid FILE: <pointer>: <message>" (a file that is not
JSON is invalid too). Before that it checks that SCHEMA is a valid draft 2020-12 schema and that
every property it declares has a "description"; a problem there prints "schema-error: ..." and
exits 3. Exits 4 when jsonschema cannot be imported (the C++ test then fails, never skips).
"""
import json
import sys

try:
    import jsonschema
except ImportError as e:  # the test must fail, not skip
    print("schema-error: python3-jsonschema is not installed: %s" % e)
    sys.exit(4)


def undocumented(node, path):
    """Yields schema paths of properties without a description."""
    if isinstance(node, dict):
        for key, sub in node.get("properties", {}).items():
            if isinstance(sub, dict) and "description" not in sub:
                yield path + "/properties/" + key
        for key, sub in node.items():
            yield from undocumented(sub, path + "/" + key)
    elif isinstance(node, list):
        for i, sub in enumerate(node):
            yield from undocumented(sub, path + "/" + str(i))


def main():
    if len(sys.argv) < 2:
        print("schema-error: usage: check_schema.py SCHEMA [FILE ...]")
        return 3
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
    except jsonschema.exceptions.SchemaError as e:
        print("schema-error: not a valid draft 2020-12 schema: %s" % e.message)
        return 3
    missing = list(undocumented(schema, "#"))
    if missing:
        print("schema-error: properties without a description: " + ", ".join(missing))
        return 3
    validator = jsonschema.Draft202012Validator(schema)
    for path in sys.argv[2:]:
        try:
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
        except (ValueError, UnicodeDecodeError) as e:
            print("invalid %s: not JSON: %s" % (path, e))
            continue
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
        if errors:
            e = errors[0]
            pointer = "".join("/" + str(p) for p in e.absolute_path)
            print("invalid %s: %s: %s" % (path, pointer, e.message[:300].replace("\n", " ")))
        else:
            print("valid %s" % path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
