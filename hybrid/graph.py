"""The graph, wiring only: which node follows which, and which router decides.

    START -route_mode-> propose | propose_step
    propose -> stated_facts -route_program-> sympy | z3 | samples | fallback
    propose_step, repair_step -route_step-> sympy | z3 | observe              (steps mode)
    sympy, z3 -route_solved-> verify | observe
    observe -route_observe-> propose_step | repair_step | verify | fallback | unsure
    verify -route_verdict-> answer | repair | repair_step | fallback | unsure
    samples -> vote -route_vote-> answer | repair | fallback | unsure
    fallback -route_fallback-> reconcile | END
    repair -> stated_facts
    answer, reconcile, unsure -> END
"""
from __future__ import annotations

from typing import Any

from hybrid.nodes import Nodes
from hybrid.router import (route_fallback, route_mode, route_observe, route_program, route_solved, route_step,
                           route_verdict, route_vote)
from hybrid.state import State


def build_graph(nodes: Nodes) -> Any:
    """The compiled LangGraph for one question, bound to `nodes`."""
    from langgraph.graph import END, START, StateGraph  # lazy: keeps `hybrid --help` fast

    graph = StateGraph(State)
    graph.add_node("propose", nodes.propose)
    graph.add_node("stated_facts", nodes.stated_facts)
    graph.add_node("sympy", nodes.solve("sympy"))
    graph.add_node("z3", nodes.solve("z3"))
    graph.add_node("samples", nodes.samples)
    graph.add_node("vote", nodes.vote)
    graph.add_node("verify", nodes.verify)
    graph.add_node("repair", nodes.repair)
    graph.add_node("fallback", nodes.fallback)
    graph.add_node("reconcile", nodes.reconcile)
    graph.add_node("answer", nodes.answer)
    graph.add_node("unsure", nodes.unsure)
    graph.add_node("propose_step", nodes.propose_step)
    graph.add_node("repair_step", nodes.repair_step)
    graph.add_node("observe", nodes.observe)

    graph.add_conditional_edges(START, route_mode, {"propose": "propose", "propose_step": "propose_step"})
    graph.add_edge("propose", "stated_facts")
    graph.add_conditional_edges("stated_facts", route_program,
                                {"sympy": "sympy", "z3": "z3", "samples": "samples", "fallback": "fallback"})
    for step in ("propose_step", "repair_step"):
        graph.add_conditional_edges(step, route_step, {"sympy": "sympy", "z3": "z3", "observe": "observe"})
    for solver in ("sympy", "z3"):
        graph.add_conditional_edges(solver, route_solved, {"verify": "verify", "observe": "observe"})
    graph.add_conditional_edges("observe", route_observe, {
        "propose_step": "propose_step", "repair_step": "repair_step", "verify": "verify", "fallback": "fallback",
        "unsure": "unsure"})
    graph.add_edge("samples", "vote")
    ends = {"answer": "answer", "repair": "repair", "fallback": "fallback", "unsure": "unsure"}
    graph.add_conditional_edges("verify", route_verdict, dict(ends, repair_step="repair_step"))
    graph.add_conditional_edges("vote", route_vote, ends)
    graph.add_edge("repair", "stated_facts")
    graph.add_edge("answer", END)
    graph.add_conditional_edges("fallback", route_fallback, {"reconcile": "reconcile", END: END})
    graph.add_edge("reconcile", END)
    graph.add_edge("unsure", END)
    return graph.compile()


def mermaid() -> str:
    """The graph drawn by LangGraph as Mermaid text (no model is loaded)."""
    return build_graph(Nodes(lm=None)).get_graph().draw_mermaid()
