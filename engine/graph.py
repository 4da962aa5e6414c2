"""Program → rule graph (networkx): documents, articles, rules, parameters, concepts and links.

Node ids are prefixed by kind (``doc:``, ``article:``, ``rule:``, ``obligation:``, ``claim:``,
``gap:``, ``param:``, ``event:``, ``concept:``, ``body:``); every edge has a ``relation``:
contains, cites, derives_from, amends, supersedes, implements, known_through, applies_to,
uses, overrides, ranges_over, reports_to, affects.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # networkx costs ~0.2 s to import: load it only when a graph is built
    import networkx as nx

from engine import ast
from engine.printer import format_expr
from engine.program import Program, _paths

__all__ = ["build_graph", "to_json", "to_dot", "to_mermaid", "to_graphml"]


def _collections(node: Any, out: set[str]) -> set[str]:
    """The concepts a statement ranges over: collections, roles, centre fields."""
    for n in ast.walk(node):
        if isinstance(n, (*ast.OVER_RECORDS, ast.CountExpr, ast.SumExpr)):
            out.add(n.collection)
        if isinstance(n, ast.RoleHeld):
            out.add(f"role:{n.role}")
        if isinstance(n, ast.Path) and n.parts[0] == "centre" and len(n.parts) > 1:
            out.add(f"centre.{n.parts[1]}")
    return out


def _params(node: Any, program: Program, out: set[str]) -> set[str]:
    """The dated parameters a statement uses."""
    out.update(n.parts[0] for n in ast.walk(node) if isinstance(n, ast.Path) and n.parts[0] in program.parameters)
    return out


def build_graph(program: Program) -> nx.MultiDiGraph:
    """The whole web of authority and the rules' dependencies as one directed multigraph."""
    import networkx as nx

    g = nx.MultiDiGraph()
    for doc in sorted(program.documents.values(), key=lambda d: d.id):
        g.add_node(
            f"doc:{doc.id}",
            kind="document",
            label=doc.label,
            title=doc.title or "",
            status=doc.status,
            doc_kind=doc.kind or "",
            issuer=doc.issuer or "",
            signed=doc.signed.isoformat() if doc.signed else "",
            effective=doc.effective.isoformat() if doc.effective else "",
            pilot_until=doc.pilot.until.isoformat() if doc.pilot and doc.pilot.until else "",
        )
        for number, title in doc.articles:
            g.add_node(f"article:{doc.id}:{number}", kind="article", label=f"{number}. {title}" if title else str(number), number=number, title=title)
            g.add_edge(f"doc:{doc.id}", f"article:{doc.id}:{number}", relation="contains")
    for doc in program.documents.values():
        for link in doc.links:
            attrs: dict[str, Any] = {"relation": link.kind}
            if link.provenance:
                attrs["locator"] = str(link.provenance.locator)
                attrs["text"] = link.provenance.text
            g.add_edge(f"doc:{doc.id}", f"doc:{link.target}", **attrs)
        if doc.applies is not None:
            g.add_node("concept:centre", kind="concept", label="IOC")
            g.add_edge(f"doc:{doc.id}", "concept:centre", relation="applies_to", condition=_describe(doc.applies.condition))
    tables: tuple[tuple[str, dict[str, Any]], ...] = (
        ("rule", program.rules),
        ("obligation", program.obligations),
        ("claim", program.claims),
        ("gap", program.gaps),
    )
    for kind, table in tables:
        for item in sorted(table.values(), key=lambda x: x.id):
            node = f"{kind}:{item.id}"
            g.add_node(node, kind=kind, label=item.id, document=item.document, locator=str(item.locator) if item.locator else "", text=item.text or "")
            article = item.locator.article if item.locator else None
            parent = f"article:{item.document}:{article}" if article is not None else f"doc:{item.document}"
            if parent not in g:
                parent = f"doc:{item.document}"
            g.add_edge(parent, node, relation="contains")
            body: Any = (
                (item.requires, item.when)
                if isinstance(item, ast.Rule)
                else ((item.stated, item.computed) if isinstance(item, ast.Claim) else (getattr(item, "when", None),))
            )
            for concept in sorted(_collections(body, set())):
                g.add_node(f"concept:{concept}", kind="concept", label=concept)
                g.add_edge(node, f"concept:{concept}", relation="ranges_over")
            for param in sorted(_params(body, program, set())):
                g.add_edge(node, f"param:{param}", relation="uses")
            if isinstance(item, ast.Rule):
                for ref in item.uses:
                    target = f"doc:{ref}" if ref in program.documents else (f"param:{ref}" if ref in program.parameters else f"rule:{ref}")
                    g.add_edge(node, target, relation="uses")
                for ref in item.overrides:
                    target = ref if ref in program.rules else f"{item.document}.{ref}"
                    g.add_edge(node, f"rule:{target}", relation="overrides")
            if isinstance(item, ast.Claim):
                # A claim computed from other claims of its document: the table's arithmetic as edges.
                names = {p.parts[0] for p, inside in _paths(body) if inside is None and len(p.parts) == 1}
                for ref in sorted(f"{item.document}.{n}" for n in names if f"{item.document}.{n}" in program.claims):
                    g.add_edge(node, f"claim:{ref}", relation="uses")
            if isinstance(item, ast.Obligation):
                for name in item.to + item.cc:
                    g.add_node(f"body:{name}", kind="body", label=name)
                    g.add_edge(node, f"body:{name}", relation="reports_to", copy=name in item.cc)
    for parameter in sorted(program.parameters.values(), key=lambda p: p.id):
        g.add_node(
            f"param:{parameter.id}",
            kind="parameter",
            label=parameter.title or parameter.id,
            values=json.dumps([{"from": v.start.isoformat(), "value": str(v.value), "source": v.source} for v in parameter.values], ensure_ascii=False),
        )
    for event in sorted(program.events.values(), key=lambda e: e.id):
        g.add_node(f"event:{event.id}", kind="event", label=event.title or event.id, on=event.on.isoformat() if event.on else "", source=event.source or "")
        for change in event.changes:
            g.add_node(f"body:{change.name}", kind="body", label=change.name)
            g.add_edge(f"event:{event.id}", f"body:{change.name}", relation="affects", outcome=change.outcome, successor=change.successor or "")
    return g


def _describe(expr: ast.Expr) -> str:
    return format_expr(expr, human=True)


def to_json(g: nx.MultiDiGraph) -> str:
    """networkx node-link JSON, sorted for byte-identical output."""
    import networkx as nx

    data = nx.node_link_data(g, edges="links")
    data["nodes"] = sorted(data["nodes"], key=lambda n: n["id"])
    data["links"] = sorted(data["links"], key=lambda e: (e["source"], e["target"], e.get("relation", ""), e.get("key", 0)))
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(g: nx.MultiDiGraph) -> str:
    """Graphviz DOT text (written here to avoid a pydot/pygraphviz dependency)."""
    shapes = {
        "document": "box",
        "article": "folder",
        "rule": "ellipse",
        "obligation": "hexagon",
        "claim": "note",
        "gap": "octagon",
        "parameter": "cylinder",
        "event": "diamond",
        "concept": "plaintext",
        "body": "component",
    }
    lines = ["digraph quyche {", "  rankdir=LR;"]
    for node, attrs in sorted(g.nodes(data=True)):
        lines.append(f"  {_quote(node)} [label={_quote(str(attrs.get('label', node)))}, shape={shapes.get(attrs.get('kind', ''), 'ellipse')}];")
    for u, v, attrs in sorted(g.edges(data=True), key=lambda e: (e[0], e[1], e[2].get("relation", ""))):
        lines.append(f"  {_quote(u)} -> {_quote(v)} [label={_quote(attrs.get('relation', ''))}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_mermaid(g: nx.MultiDiGraph, edge_label: Callable[[str], str] | None = None) -> str:
    """A Mermaid flowchart (renders on the docs site and on code hosts).

    ``edge_label`` turns a relation name into the words a reader sees (the site passes
    Vietnamese · English); by default the relation name itself."""
    ids = {node: f"n{i}" for i, node in enumerate(sorted(g.nodes))}
    lines = ["flowchart LR"]
    for node, attrs in sorted(g.nodes(data=True)):
        label = str(attrs.get("label", node)).replace('"', "'")
        lines.append(f'  {ids[node]}["{label}"]')
    for u, v, attrs in sorted(g.edges(data=True), key=lambda e: (e[0], e[1], e[2].get("relation", ""))):
        relation = attrs.get("relation", "")
        shown = (edge_label(relation) if edge_label else relation).replace('"', "'").replace("|", "/")
        lines.append(f'  {ids[u]} -->|"{shown}"| {ids[v]}' if edge_label else f"  {ids[u]} -->|{shown}| {ids[v]}")
    return "\n".join(lines) + "\n"


def to_graphml(g: nx.MultiDiGraph) -> str:
    """GraphML text, as networkx writes it."""
    import networkx as nx

    return "\n".join(nx.generate_graphml(g)) + "\n"
