"""The rule graph: nodes per kind, provenance on rules, links between documents, exports."""

from __future__ import annotations

import json

from engine import build_graph, to_dot, to_graphml, to_json, to_mermaid
from tests.conftest import run_cli


def test_graph_has_documents_articles_rules_and_links(program) -> None:  # noqa: ANN001
    g = build_graph(program)
    kinds = {data["kind"] for _, data in g.nodes(data=True)}
    assert {"document", "article", "rule", "obligation", "parameter", "concept", "gap"} <= kinds
    assert g.has_edge("doc:qd953_2023", "article:qd953_2023:7")
    assert g.has_edge("article:qd953_2023:7", "rule:qd953_2023.giam_doc")
    rule = g.nodes["rule:qd953_2023.giam_doc"]
    assert rule["locator"] == "Điều 7 khoản 2 điểm a" and "kiêm nhiệm" in rule["text"]
    cites = [(u, v) for u, v, d in g.edges(data=True) if d["relation"] == "cites"]
    assert ("doc:qd953_2023", "doc:nd204_2004") in cites
    for node, data in g.nodes(data=True):
        if data["kind"] in ("rule", "obligation"):
            assert data["locator"] and data["text"], node


def test_every_rule_is_reachable_from_its_document(program) -> None:  # noqa: ANN001
    import networkx as nx

    g = build_graph(program)
    for rule in program.rules.values():
        assert nx.has_path(g, f"doc:{rule.document}", f"rule:{rule.id}")


def test_exports_are_deterministic_and_well_formed(program) -> None:  # noqa: ANN001
    g = build_graph(program)
    data = json.loads(to_json(g))
    assert {"nodes", "links", "directed", "multigraph"} <= set(data)
    assert to_json(g) == to_json(build_graph(program))
    assert to_dot(g).startswith("digraph quyche {")
    assert to_mermaid(g).startswith("flowchart LR")
    assert "<graphml" in to_graphml(g)


def test_graph_command_formats() -> None:
    for fmt in ("json", "dot", "graphml", "mermaid"):
        code, out, _ = run_cli("graph", "--format", fmt)
        assert code == 0 and out.strip()
    code, _, _ = run_cli("graph", "--format", "png")
    assert code == 2
