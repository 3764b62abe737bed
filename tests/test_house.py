"""The house rules a newcomer relies on, checked on the source itself: modules import in
one direction (no cycles), and only compat.py reads another project's private parts."""

from __future__ import annotations

import ast
from pathlib import Path

import carepress

PACKAGE = Path(carepress.__file__).parent
ALLOWED = {"_exit"}  # os._exit: documented by the standard library


def modules() -> dict[str, ast.Module]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = (path, ast.parse(path.read_text(encoding="utf-8")))
    return out


def imports(name: str, path: Path, tree: ast.Module, known: set[str]) -> set[str]:
    """The carepress modules ``name`` imports (at any depth, lazily or not)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([node.module] if node.module else []))
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.add(candidate if candidate in known else base)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return {m for m in found if m in known and m != name}


def test_no_import_cycles():
    mods = modules()
    graph = {name: imports(name, path, tree, set(mods)) for name, (path, tree) in mods.items()}
    graph = {name: {m for m in deps if not name.startswith(m + ".") and m != "carepress"}
             for name, deps in graph.items()}  # a module's own packages come with it
    seen, stack, cycles = set(), [], []

    def visit(node):
        if node in stack:
            cycles.append(stack[stack.index(node):] + [node])
            return
        if node in seen:
            return
        seen.add(node)
        stack.append(node)
        for dep in sorted(graph[node]):
            visit(dep)
        stack.pop()

    for name in sorted(graph):
        visit(name)
    assert cycles == [], "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_only_compat_reads_other_projects_private_parts():
    mods = modules()
    ours = set()  # private names carepress defines itself
    for _, (path, tree) in mods.items():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                ours.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and node.value.id in ("self", "cls") and isinstance(node.ctx, ast.Store):
                ours.add(node.attr)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                ours.add(node.id)
    reaches = []
    for name, (path, tree) in mods.items():
        if name == "carepress.compat":
            continue
        for node in ast.walk(tree):
            attr = None
            if isinstance(node, ast.Attribute):
                attr = node.attr
                if isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
                    continue
            elif isinstance(node, ast.ImportFrom) and node.level == 0 \
                    and not (node.module or "").startswith("carepress"):
                reaches += [f"{path.name}:{node.lineno} imports {alias.name}"
                            for alias in node.names if alias.name.startswith("_")]
            if attr and attr.startswith("_") and not attr.startswith("__") \
                    and attr not in ours | ALLOWED:
                reaches.append(f"{path.relative_to(PACKAGE)}:{node.lineno} reads .{attr}")
    assert reaches == [], "private parts read outside compat.py: " + "; ".join(reaches)
