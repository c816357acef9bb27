"""The path one question took through the graph, drawn: Mermaid text and a PNG, both made offline.

`path(trace)` turns a result's trace (TraceStep objects or their dicts, as `hybrid solve --json` writes
them) into the edges it walked, in order, from __start__ to __end__; a node that leaves no trace step when
it changes nothing (stated_facts) is filled in along the graph's own edges. `mermaid(trace)` writes the
whole graph as Mermaid with the walked edges drawn thick and red, each labelled with when it was walked
(1, 2, ...), and the visited nodes filled. `draw_png(trace, file)` draws the same with matplotlib (Agg,
no display, no web renderer; LangGraph's own PNG drawing needs pygraphviz or a web service). The graph's
nodes and edges come from the compiled graph itself (`hybrid.graph.build_graph`), so the drawing cannot
drift from the wiring. Positions for the PNG are laid out by hand for the known nodes, by layer for others.
"""
from __future__ import annotations

from collections import deque
from typing import Any, Iterable

START, END = "__start__", "__end__"
VISITED = "#d62728"
POSITIONS = {  # x, y for the PNG: program mode on the left, the step loop on the right
    START: (3.0, 10.0), "propose": (1.2, 9.0), "propose_step": (4.8, 9.0), "stated_facts": (1.2, 8.0),
    "repair_step": (6.2, 7.6), "samples": (0.0, 7.0), "sympy": (2.4, 7.0), "z3": (3.6, 7.0),
    "observe": (4.8, 6.0), "vote": (0.0, 5.5), "verify": (2.4, 5.0), "repair": (0.4, 4.0),
    "answer": (1.6, 3.0), "fallback": (3.2, 3.0), "unsure": (4.8, 3.0), "reconcile": (2.4, 2.5), END: (3.0, 1.5),
}


def graph_edges() -> list[tuple[str, str, bool]]:
    """(source, target, conditional) for every edge of the real graph (no model is loaded)."""
    from hybrid.graph import build_graph
    from hybrid.nodes import Nodes

    drawn = build_graph(Nodes(lm=None)).get_graph()
    return [(e.source, e.target, bool(e.conditional)) for e in drawn.edges]


def visited_nodes(trace: Iterable[Any]) -> list[str]:
    """The node of each trace step, in order, repeats of one node in a row (k samples) counted once."""
    out: list[str] = []
    for step in trace:
        node = step.get("node") if isinstance(step, dict) else getattr(step, "node", None)
        if isinstance(node, str) and (not out or out[-1] != node):
            out.append(node)
    return out


def _between(a: str, b: str, succ: dict[str, list[str]], silent: frozenset[str]) -> list[str] | None:
    """The shortest way from a to b through silent nodes only (both ends excluded), or None."""
    queue, seen = deque([(a, [])]), {a}
    while queue:
        node, via = queue.popleft()
        for nxt in succ.get(node, ()):
            if nxt == b:
                return via
            if nxt in silent and nxt not in seen:
                seen.add(nxt)
                queue.append((nxt, via + [nxt]))
    return None


def path(trace: Iterable[Any], edges: list[tuple[str, str, bool]] | None = None) -> list[tuple[str, str]]:
    """The edges walked, in order, from __start__ through the trace's nodes to __end__."""
    edges = graph_edges() if edges is None else edges
    succ: dict[str, list[str]] = {}
    for source, target, _ in edges:
        succ.setdefault(source, []).append(target)
    silent = frozenset({"stated_facts"})
    nodes = [START] + visited_nodes(trace)
    if len(nodes) > 1 and END in succ.get(nodes[-1], ()):
        nodes.append(END)
    walked: list[tuple[str, str]] = []
    for a, b in zip(nodes, nodes[1:]):
        via = _between(a, b, succ, silent)
        hops = [a] + (via or []) + [b]
        walked.extend(zip(hops, hops[1:]))
    return walked


def _ident(node: str) -> str:
    return node  # LangGraph's own ids; "end" alone is a Mermaid keyword, "__end__" is not


def mermaid(trace: Iterable[Any] = ()) -> str:
    """The graph as Mermaid; with a trace, its path marked (thick red edges numbered in walking order)."""
    edges = graph_edges()
    walked = path(list(trace), edges)
    order: dict[tuple[str, str], list[int]] = {}
    for i, edge in enumerate(walked, 1):
        order.setdefault(edge, []).append(i)
    names = [START] + sorted({n for s, t, _ in edges for n in (s, t)} - {START, END}) + [END]
    lines = ["flowchart TD"]
    for node in names:
        shape = f"([{node.strip('_')}])" if node in (START, END) else f"[{node}]"
        lines.append(f"    {_ident(node)}{shape}")
    marked = []
    for i, (source, target, conditional) in enumerate(edges):
        arrow = "-.->" if conditional else "-->"
        label = order.get((source, target))
        if label:
            arrow = "==>"
            marked.append(i)
        text = f"|{','.join(map(str, label))}|" if label else ""
        lines.append(f"    {_ident(source)} {arrow}{text} {_ident(target)}")
    if marked:
        lines.append(f"    linkStyle {','.join(map(str, marked))} stroke:{VISITED},stroke-width:3px")
        visited = sorted({n for edge in walked for n in edge})
        lines.append(f"    classDef visited fill:#fde0e0,stroke:{VISITED},stroke-width:2px")
        lines.append(f"    class {','.join(_ident(n) for n in visited)} visited")
    return "\n".join(lines) + "\n"


def _positions(names: list[str], edges: list[tuple[str, str, bool]]) -> dict[str, tuple[float, float]]:
    where = {n: POSITIONS[n] for n in names if n in POSITIONS}
    others = [n for n in names if n not in where]
    for i, node in enumerate(others):  # a node added later than this drawing: a row of its own
        where[node] = (7.5, 10.0 - i)
    return where


def draw_png(trace: Iterable[Any], file: str, title: str = "") -> None:
    """Draw the graph with the trace's path marked into `file` (PNG, matplotlib, offline)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch

    edges = graph_edges()
    walked = path(list(trace), edges)
    order: dict[tuple[str, str], list[int]] = {}
    for i, edge in enumerate(walked, 1):
        order.setdefault(edge, []).append(i)
    names = sorted({n for s, t, _ in edges for n in (s, t)})
    where = _positions(names, edges)
    visited = {n for edge in walked for n in edge}
    fig, ax = plt.subplots(figsize=(11, 9))
    xs, ys = [p[0] for p in where.values()], [p[1] for p in where.values()]
    ax.set_xlim(min(xs) - 1, max(xs) + 1)
    ax.set_ylim(min(ys) - 0.7, max(ys) + 0.7)
    for source, target, conditional in edges:
        (x1, y1), (x2, y2) = where[source], where[target]
        hit = (source, target) in order
        bend = 0.35 if y2 >= y1 else 0.08  # an edge that goes up (a loop) bends so it does not hide the way down
        arrow = FancyArrowPatch((x1, y1), (x2, y2), arrowstyle="-|>", mutation_scale=14,
                                connectionstyle=f"arc3,rad={bend}", shrinkA=18, shrinkB=18,
                                color=VISITED if hit else "#c8c8c8", lw=2.6 if hit else 1.0,
                                linestyle="-" if hit or not conditional else (0, (4, 3)), zorder=2 if hit else 1)
        ax.add_patch(arrow)
        if hit:
            # the middle of matplotlib's arc3 curve (display space): the chord's middle moved bend/2 across it
            (a1, b1), (a2, b2) = ax.transData.transform((x1, y1)), ax.transData.transform((x2, y2))
            mx, my = ax.transData.inverted().transform(((a1 + a2) / 2 + bend / 2 * (b2 - b1),
                                                        (b1 + b2) / 2 - bend / 2 * (a2 - a1)))
            ax.text(mx, my, ",".join(map(str, order[(source, target)])),
                    color=VISITED, fontsize=8, ha="center", va="center", zorder=4,
                    bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none"))
    for node in names:
        x, y = where[node]
        ax.text(x, y, node.strip("_") if node in (START, END) else node, ha="center", va="center", fontsize=9,
                zorder=3, bbox=dict(boxstyle="round,pad=0.4", fc="#fde0e0" if node in visited else "#f2f0ff",
                                    ec=VISITED if node in visited else "#8a80c0", lw=1.8 if node in visited else 0.8))
    ax.axis("off")
    ax.set_title(title or "the path through the graph (red: walked, numbered in order)", fontsize=10)
    fig.tight_layout()
    fig.savefig(file, dpi=110)
    plt.close(fig)
