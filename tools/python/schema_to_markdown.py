# SPDX-License-Identifier: Apache-2.0
"""Writes the key reference of docs/scenario-format.md from the scenario JSON Schema.

The reference sits between two marker lines in the document; the rest of the document is
written by hand. With --check, nothing is written and the exit status is 1 when the document
is out of step with the schema (a ctest test runs this).

Usage: python3 tools/python/schema_to_markdown.py [--check]
"""

import argparse
import difflib
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "scenarios" / "schema" / "scenario.schema.json"
DOC = ROOT / "docs" / "scenario-format.md"
BEGIN = "<!-- BEGIN GENERATED FROM scenarios/schema/scenario.schema.json by tools/python/schema_to_markdown.py -->"
END = "<!-- END GENERATED -->"


def resolve(schema, root):
    """Follows $ref chains ("#/a/b") to the schema they name."""
    for _ in range(32):
        ref = schema.get("$ref") if isinstance(schema, dict) else None
        if ref is None:
            return schema
        node = root
        for token in ref.lstrip("#/").split("/"):
            node = node[token.replace("~1", "/").replace("~0", "~")]
        schema = node
    raise ValueError("$ref chain too long")


DISTRIBUTION = "#/definitions/per_agent_number"


def per_agent(schema):
    """Whether a parameter schema takes a number or a per-agent distribution."""
    return any(isinstance(entry, dict) and entry.get("$ref") == DISTRIBUTION for entry in schema.get("allOf", []))


def literal(value):
    return "`" + json.dumps(value, ensure_ascii=False) + "`" if not isinstance(value, str) else "`" + value + "`"


def number(value):
    return json.dumps(value)


def type_text(schema, root):
    if "const" in schema:
        return "text"
    if per_agent(schema):
        return "number or [distribution](#distributions)"
    kind = schema.get("type")
    if kind == "array":
        if isinstance(schema.get("items"), list):
            inner = {type_text(resolve(item, root), root) for item in schema["items"]}
            return f"list of {len(schema['items'])} " + ("numbers" if inner == {"number"} else "values")
        items = resolve(schema.get("items", {}), root)
        inner = type_text(items, root)
        plural = {"number": "numbers", "integer": "integers", "text": "texts", "mapping": "mappings",
                  "true/false": "true/false values"}
        return "list of " + plural.get(inner, inner)
    names = {"number": "number", "integer": "integer", "string": "text", "boolean": "true/false",
             "object": "mapping"}
    if isinstance(kind, list):
        # A parameter of several shapes (a list of shares or a distribution).
        words = [names.get(k, k) if k != "array" else "list of numbers" for k in kind]
        words = ["[distribution](#distributions)" if w == "mapping" else w for w in words]
        return ", ".join(words[:-1]) + " or " + words[-1]
    return names.get(kind, kind or "any")


def range_text(schema):
    """The numeric bounds in the notation the loader's messages use."""
    low, low_open = schema.get("minimum"), False
    if "exclusiveMinimum" in schema:
        low, low_open = schema["exclusiveMinimum"], True
    high, high_open = schema.get("maximum"), False
    if "exclusiveMaximum" in schema:
        high, high_open = schema["exclusiveMaximum"], True
    if low is not None and high is not None:
        return ("(" if low_open else "[") + number(low) + ", " + number(high) + (")" if high_open else "]")
    if low is not None:
        return ("> " if low_open else ">= ") + number(low)
    if high is not None:
        return ("< " if high_open else "<= ") + number(high)
    return ""


def allowed_text(schema, root):
    parts = []
    if "const" in schema:
        parts.append(literal(schema["const"]))
    if "enum" in schema:
        parts.append("one of " + ", ".join(literal(v) for v in schema["enum"]))
    bounds = range_text(schema)
    if bounds:
        parts.append(bounds)
    if "pattern" in schema:
        parts.append("matches `" + schema["pattern"] + "`")
    if "minLength" in schema and schema["minLength"] > 0:
        parts.append("not empty" if schema["minLength"] == 1 else f"at least {schema['minLength']} characters")
    if "maxLength" in schema:
        parts.append(f"at most {schema['maxLength']} characters")
    if schema.get("type") == "array":
        if "minItems" in schema:
            parts.append(f"at least {schema['minItems']} " + ("entry" if schema["minItems"] == 1 else "entries"))
        if "maxItems" in schema:
            parts.append(f"at most {schema['maxItems']} entries")
        if schema.get("uniqueItems"):
            parts.append("no duplicates")
        if isinstance(schema.get("items"), list):
            for index, item in enumerate(schema["items"]):
                inner = allowed_text(resolve(item, root), root)
                if inner:
                    parts.append(f"entry {index + 1} " + inner)
            return "; ".join(parts)
        items = resolve(schema.get("items", {}), root)
        inner = allowed_text(items, root) if items.get("type") != "object" else ""
        if inner:
            parts.append("each " + inner)
    return "; ".join(parts)


def cell(text):
    return text.replace("|", "\\|").replace("\n", " ")


def dispatch(schema, root):
    """For a schema whose parameters depend on a name (`model`, a rule's `rule`):
    [(key, name, schema), ...]."""
    cases = []
    for entry in schema.get("allOf", []):
        entry = resolve(entry, root)
        condition = entry.get("if", {})
        for key, sub in condition.get("properties", {}).items():
            if "const" in sub and "then" in entry:
                cases.append((key, sub["const"], resolve(entry["then"], root)))
                break
    return cases


def section(sub, path, pending, sections):
    """The section path documenting `sub`: the first path it was reached by, so that a schema
    used in several places (a behaviour inside a mix) is documented once."""
    for known, schema in sections:
        if schema is sub:
            return known
    sections.append((path, sub))
    pending.append((path, sub))
    return path


def table(schema, root, path, pending, sections):
    """Rows for the properties of an object schema; nested objects are queued as sections."""
    required = set(schema.get("required", []))
    lines = ["| Key | Type | Required | Allowed values | Default | Description |",
             "| --- | --- | --- | --- | --- | --- |"]
    for key, raw in schema.get("properties", {}).items():
        sub = resolve(raw, root)
        key_path = f"{path}.{key}" if path else key
        kind = type_text(sub, root)
        if sub.get("type") == "object":
            target = section(sub, key_path, pending, sections)
            kind = f"mapping ([`{target}`](#{anchor(target)}))"
        elif sub.get("type") == "array" and isinstance(sub.get("items", {}), dict) and \
                resolve(sub.get("items", {}), root).get("type") == "object":
            target = section(resolve(sub["items"], root), key_path + "[]", pending, sections)
            kind = f"list of mappings ([`{target}`](#{anchor(target)}))"
        default = ""
        if "default" in sub and sub.get("type") != "object":
            default = literal(sub["default"])
        lines.append("| " + " | ".join(cell(c) for c in [
            f"`{key}`", kind, "yes" if key in required else "no", allowed_text(sub, root), default,
            sub.get("description", "")]) + " |")
    return lines


def anchor(path):
    """GitHub's heading anchor for a heading that is just `path` in code."""
    return "".join(c for c in path.lower() if c.isalnum() or c in "-_ ").replace(" ", "-")


def generate(schema):
    out = []
    pending = [("", schema)]
    sections = [("", schema)]
    done = set()
    while pending:
        path, sub = pending.pop(0)
        if path in done:
            continue
        done.add(path)
        title = f"`{path}`" if path else "Top level"
        out += [f"### {title}", "", sub.get("description", ""), ""]
        out += table(sub, schema, path, pending, sections)
        out.append("")
        for key, model, model_schema in dispatch(sub, schema):
            out += [f"#### `{path}` with `{key}: {model}`", "", model_schema.get("description", ""), ""]
            out += table(model_schema, schema, path, pending, sections)
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 when out of step")
    args = parser.parse_args()

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    document = DOC.read_text(encoding="utf-8")
    if BEGIN not in document or END not in document:
        sys.exit(f"{DOC}: the marker lines are missing:\n{BEGIN}\n{END}")
    head, rest = document.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    updated = head + BEGIN + "\n" + generate(schema) + END + tail

    if args.check:
        if updated != document:
            diff = difflib.unified_diff(document.splitlines(), updated.splitlines(), "docs/scenario-format.md",
                                        "generated from the schema", lineterm="", n=1)
            print("\n".join(diff))
            print("docs/scenario-format.md is out of step with scenarios/schema/scenario.schema.json; "
                  "run: /usr/bin/python3 tools/python/schema_to_markdown.py", file=sys.stderr)
            return 1
        return 0
    if updated != document:
        DOC.write_text(updated, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
