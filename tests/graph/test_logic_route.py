"""The logic route: hand-written formalizations through the graph with the scripted model double.

Orderings of 3, 5 and 7 objects, 1-5 hop entailments, contradictory premises, under-constrained
(ambiguous) formalizations and undeclared entities. The model double answers each puzzle with the
formalization written in logic_puzzles.py; Z3 (through solvers.run_program) picks the letter.
"""
from __future__ import annotations

import re

import pytest

from hybrid.facts import numbered_facts
from hybrid.kinds import classify, logic_style

from graph_support import fenced
from logic_puzzles import CONTRADICTIONS, ENTAILMENTS, ORDERINGS, Puzzle

REPAIR_MARK = "This program was written for it"
REASONING_MARK = "reasoning step by step from the context"


def items(puzzles: list[Puzzle]) -> list[dict]:
    return [dict(id=p.id, question=p.question, context=p.context, options=list(p.options)) for p in puzzles]


def responder(table: dict[str, str], repair: dict[str, str] | None = None, reasoning: dict[str, str] | None = None):
    """Reply by which puzzle's context is in the prompt (the last user turn), and by the kind of prompt."""
    def respond(prompt: str) -> str:
        last = prompt[prompt.rfind("Facts:"):]
        for key, reply in table.items():
            if numbered_facts(key)[1] in last:
                if REASONING_MARK in prompt:
                    return (reasoning or {}).get(key, "I cannot decide.")
                if REPAIR_MARK in prompt:
                    return (repair or {}).get(key, reply)
                return reply
        raise AssertionError(f"unexpected prompt: {last[:200]}")
    return respond


def test_logic_questions_are_classified_as_logic():
    for p in ORDERINGS + ENTAILMENTS:
        assert classify(p.question, p.context, list(p.options)) == "logic"
    assert classify("On a shelf the red book is to the left of the blue book. Which of the following is true?") == "logic"
    assert classify("A farmer has 3 cows and buys 2 more. How many cows does he have?") == "math"


@pytest.mark.parametrize("puzzles", [ORDERINGS, ENTAILMENTS], ids=["orderings", "entailments"])
def test_correct_formalizations_reach_z3_and_pick_the_letter(engine_for, puzzles):
    # A generous time limit: the batch's programs queue for the pool's workers, and that wait is on each
    # program's clock; on a loaded 2-core machine the default 5 s once turned one into a repair call.
    engine, lm = engine_for(respond=responder({p.context: fenced(p.program) for p in puzzles}), timeout_s=60.0)
    results = engine.solve_many(items(puzzles))
    # what went another way, first: a bare count of model calls says nothing about which puzzle or why
    detours = {p.id: [(s.node, (s.solver or {}).get("status"), (s.solver or {}).get("message") or s.output[:160])
                   for s in r.trace]
               for p, r in zip(puzzles, results) if [s.node for s in r.trace] != ["propose", "z3", "verify", "answer"]}
    assert not detours, detours
    assert len(lm.calls) == 1  # one propose call for the whole batch
    for puzzle, result in zip(puzzles, results):
        assert result.route == "z3", (puzzle.id, result.trace[-2].output)
        assert result.status == "ok" and result.answer == puzzle.answer, (puzzle.id, result.answer)
        assert [s.node for s in result.trace] == ["propose", "z3", "verify", "answer"]
        assert result.trace[1].solver["solver"] == "z3"


def test_the_logic_prompt_shows_context_options_and_worked_formalizations(engine_for):
    p = ORDERINGS[4]
    engine, lm = engine_for(respond=responder({p.context: fenced(p.program)}))
    engine.solve(p.question, context=p.context, options=list(p.options))
    messages = lm.calls[0]["prompts"][0]
    assert "options = {" in messages[0]["content"] and "ordering" in messages[0]["content"]
    assert sum(m["role"] == "assistant" for m in messages) == 4  # four worked orderings, no true/false shots
    assert all("Implies" not in m["content"] for m in messages[:-1])
    preamble, facts = numbered_facts(p.context)
    assert messages[-1]["content"].startswith(preamble + "Facts:\n" + facts + "\nQuestion: ")
    assert all(o in messages[-1]["content"] for o in p.options)
    assert lm.calls[0]["max_new_tokens"] == engine.settings.max_new_tokens


def test_true_false_questions_get_the_truth_prompt_with_only_entailment_shots(engine_for):
    p = ENTAILMENTS[0]
    engine, lm = engine_for(respond=responder({p.context: fenced(p.program)}))
    engine.solve(p.question, context=p.context, options=list(p.options))
    messages = lm.calls[0]["prompts"][0]
    assert "claim" in messages[0]["content"] and "Bool('" in messages[0]["content"]
    assert sum(m["role"] == "assistant" for m in messages) == 2
    assert all("options = {" not in m["content"] for m in messages[:-1])


@pytest.mark.parametrize("question,options,style", [
    ("Which of the following is true?", ["A) The owl is the leftmost.", "B) The jay is the leftmost."], "order"),
    ("Is the following statement true or false? Max is red.", ["A) True", "B) False"], "truth"),
    ("Is the statement true, false or unknown?", ["A) True", "B) False", "C) Unknown"], "truth"),
    ("Is the following statement true or false? Max is red.", None, "truth"),
    ("Who owns the cat?", ["(A) Ann", "(B) Bo"], "order"),
    ("Who finished last: Ann, Bo or Cy?", None, "order"),
])
def test_logic_style_picks_the_prompt_family_from_the_question_shape(question, options, style):
    assert logic_style(question, options) == style


@pytest.mark.parametrize("puzzle,wrong", CONTRADICTIONS, ids=[p.id for p, _ in CONTRADICTIONS])
def test_contradictory_premises_are_reported_and_repaired(engine_for, puzzle, wrong):
    engine, lm = engine_for(respond=responder({puzzle.context: fenced(wrong)}, repair={puzzle.context: fenced(puzzle.program)}))
    result = engine.solve(puzzle.question, context=puzzle.context, options=list(puzzle.options))
    first = result.trace[1].solver
    assert first["status"] == "unsat"
    # the message names the conflicting constraints by line: solver.add lines, the miswritten one among them
    cited = [int(n) for n in re.findall(r"line (\d+):", first["message"])]
    lines = wrong.splitlines()
    miswritten = {i for i, line in enumerate(lines, 1) if line not in puzzle.program.splitlines()}
    assert len(cited) >= 2 and all(".add(" in lines[n - 1] for n in cited) and set(cited) & miswritten
    repair_prompt = lm.calls[1]["prompts"][0]
    assert [m["role"] for m in repair_prompt] == ["system", "user"]    # no few-shot conversation again
    assert fenced(wrong) in repair_prompt[-1]["content"]                # the model sees its program
    assert first["message"] in repair_prompt[-1]["content"]              # and the solver's message
    assert "contradict" in repair_prompt[-1]["content"]
    assert result.status == "ok" and result.answer == puzzle.answer and result.repairs == 1


def test_contradictions_that_persist_end_in_plain_reasoning(engine_for):
    puzzle, wrong = CONTRADICTIONS[3]
    engine, lm = engine_for(respond=responder({puzzle.context: fenced(wrong)},
                                              reasoning={puzzle.context: "Tan must be second. The answer is B."}))
    result = engine.solve(puzzle.question, context=puzzle.context, options=list(puzzle.options))
    assert [s.node for s in result.trace].count("z3") == 3 and result.repairs == 2
    assert result.status == "fallback" and result.route == "fallback" and result.answer == "B"


def test_under_constrained_formalization_is_ambiguous_then_repaired(engine_for):
    puzzle = ORDERINGS[5]
    weak = "\n".join(line for line in puzzle.program.splitlines() if "Ed finished above Bo" not in line)
    engine, lm = engine_for(respond=responder({puzzle.context: fenced(weak)}, repair={puzzle.context: fenced(puzzle.program)}))
    result = engine.solve(puzzle.question, context=puzzle.context, options=list(puzzle.options))
    assert result.trace[1].solver["status"] == "ambiguous"
    assert [s.node for s in result.trace][:4] == ["propose", "z3", "verify", "repair"]
    assert "not decide" in lm.calls[1]["prompts"][0][-1]["content"]
    assert result.status == "ok" and result.answer == "B"


def test_ambiguous_until_exhausted_falls_back_honestly(engine_for):
    puzzle = ORDERINGS[5]
    weak = "\n".join(line for line in puzzle.program.splitlines() if "Ed finished above Bo" not in line)
    engine, _ = engine_for(respond=responder({puzzle.context: fenced(weak)}), max_repairs=1)
    result = engine.solve(puzzle.question, context=puzzle.context, options=list(puzzle.options))
    assert result.status == "failed" and result.answer is None and result.fallback_used  # no guess


def test_undeclared_entity_gets_a_declaration_hint(engine_for):
    puzzle = ORDERINGS[0]
    undeclared = puzzle.program.replace("solver.add(owl == 1)", "solver.add(sparrow == 1)")
    engine, lm = engine_for(respond=responder({puzzle.context: fenced(undeclared)}, repair={puzzle.context: fenced(puzzle.program)}))
    result = engine.solve(puzzle.question, context=puzzle.context, options=list(puzzle.options))
    first = result.trace[1].solver
    assert first["status"] == "error" and "sparrow" in first["message"]
    repair_text = lm.calls[1]["prompts"][0][-1]["content"]
    assert "sparrow" in repair_text and "Declare every entity" in repair_text
    assert result.answer == puzzle.answer and result.route == "z3" and result.repairs == 1


def test_unknown_claim_is_not_an_answer_to_a_true_false_question(engine_for):
    puzzle = ENTAILMENTS[3]  # Ann is shiny; drop "Ann is a zorb." so nothing follows
    weak = "\n".join(line for line in puzzle.program.splitlines() if "Ann is a zorb" not in line)
    engine, lm = engine_for(respond=responder({puzzle.context: fenced(weak)}, repair={puzzle.context: fenced(puzzle.program)}))
    result = engine.solve(puzzle.question, context=puzzle.context, options=list(puzzle.options))
    assert result.trace[1].solver["value"] == "Unknown"
    assert "Neither the statement nor its negation" in lm.calls[1]["prompts"][0][-1]["content"]
    assert result.answer == "A" and result.repairs == 1


def test_claim_without_options_answers_true_or_false(engine_for):
    puzzle = ENTAILMENTS[1]
    engine, _ = engine_for(respond=responder({puzzle.context: fenced(puzzle.program)}))
    result = engine.solve(puzzle.question, context=puzzle.context)
    assert result.answer == "False" and result.route == "z3"


def test_logic_fallback_reads_a_letter_not_a_guess(engine_for):
    puzzle = ORDERINGS[1]
    engine, _ = engine_for(respond=responder({puzzle.context: "Joe wins."}, reasoning={puzzle.context: "So Joe is first. The answer is (B)."}))
    result = engine.solve(puzzle.question, context=puzzle.context, options=list(puzzle.options))
    assert [s.node for s in result.trace] == ["propose", "fallback"] and result.answer == "B"


def test_a_math_question_solved_by_z3_integer_constraints(engine_for):
    program = ("from z3 import *\nchickens, cows = Ints('chickens cows')\nsolver = Solver()\n"
               "solver.add(chickens + cows == 10, 2 * chickens + 4 * cows == 28, chickens >= 0, cows >= 0)\n"
               "solver.check()\nanswer = solver.model()[cows]")
    engine, _ = engine_for([fenced(program)])
    result = engine.solve("A farm has 10 animals, chickens and cows, with 28 legs in all. How many cows are there?")
    assert result.route == "z3" and result.answer == "4", result.trace[1].output


def test_visiting_both_solvers_is_reported(engine_for):
    broken_sympy = "from sympy import symbols\nanswer = cows_missing"
    program = ("from z3 import *\ncows = Int('cows')\nsolver = Solver()\nsolver.add(4 * cows == 16)\n"
               "solver.check()\nanswer = solver.model()[cows]")
    engine, _ = engine_for([fenced(broken_sympy), fenced(program)])
    result = engine.solve("Cows have 4 legs. The cows in a barn have 16 legs in all. How many cows are there?")
    assert result.extra["solvers"] == ["sympy", "z3"] and result.route == "sympy+z3" and result.answer == "4"


def test_formalization_without_options_is_told_to_define_them(engine_for):
    puzzle = ORDERINGS[1]
    no_options = puzzle.program[: puzzle.program.index("options = {")].rstrip()
    engine, lm = engine_for(respond=responder({puzzle.context: fenced(no_options)}, repair={puzzle.context: fenced(puzzle.program)}))
    result = engine.solve(puzzle.question, context=puzzle.context, options=list(puzzle.options))
    assert result.trace[1].solver["status"] == "error"
    repair_text = lm.calls[1]["prompts"][0][-1]["content"]
    assert "neither `options` nor `claim`" in repair_text and 'options = {"A": ..., "B": ...}' in repair_text
    assert result.answer == puzzle.answer and result.route == "z3"


SPLIT_NAMES = ("from z3 import *\nsolver = Solver()\nsolver.add(Implies(Bool('lemp'), Bool('dax')))\n"
               "solver.add(Implies(Bool('dax'), Bool('fim')))\nsolver.add(Implies(Bool('fims'), Bool('cold')))\n"
               "solver.add(Bool('lemp'))\nclaim = Bool('cold')")


def test_plural_and_singular_names_are_pointed_out_when_nothing_follows(engine_for):
    from hybrid.slips import split_names

    puzzle = next(p for p in ENTAILMENTS if p.id == "hop3-true")  # lemp -> dax -> fim -> cold; Max is a lemp
    assert split_names(SPLIT_NAMES) == [("fim", "fims")] and split_names(puzzle.program) == []
    engine, lm = engine_for(respond=responder({puzzle.context: fenced(SPLIT_NAMES)},
                                              repair={puzzle.context: fenced(puzzle.program)}), mend_slips=False)
    result = engine.solve(puzzle.question, context=puzzle.context, options=list(puzzle.options))
    assert result.trace[2].output.startswith("rejected (names)")
    repair_turn = lm.calls[1]["prompts"][0][-1]["content"]
    assert "'fim' and 'fims'" in repair_turn and "one name everywhere" in repair_turn
    assert result.status == "ok" and result.answer == puzzle.answer and result.repairs == 1


def test_slips_are_mended_before_z3_runs_the_formalization(engine_for):
    """A plural name and a line one bracket short: the engine mends both, says so, and Z3 decides."""
    puzzle = next(p for p in ENTAILMENTS if p.id == "hop3-true")
    slipped = SPLIT_NAMES.replace("solver.add(Implies(Bool('dax'), Bool('fim')))", "solver.add(Implies(Bool('dax'), Bool('fim'))")
    engine, lm = engine_for([fenced(slipped)])
    result = engine.solve(puzzle.question, context=puzzle.context, options=list(puzzle.options))
    assert result.status == "ok" and result.answer == puzzle.answer and result.repairs == 0 and len(lm.calls) == 1
    mended = next(step for step in result.trace if step.node == "stated_facts")
    assert "line 4: closed )" in mended.note and "'fims' read as 'fim'" in mended.note
    assert "Bool('fims')" not in result.program


LOST_NOT = ("from z3 import *\nsolver = Solver()\n# 1. Every lemp is a dax.\nsolver.add(Implies(Bool('lemp'), Bool('dax')))\n"
            "# 2. Every dax is a fim.\nsolver.add(Implies(Bool('dax'), Bool('fim')))\n"
            "# 3. Fims are cold.\nsolver.add(Implies(Bool('fim'), Not(Bool('cold'))))\n"
            "# 4. Max is a lemp.\nsolver.add(Bool('lemp'))\nclaim = Bool('cold')")


@pytest.mark.parametrize("read_polarity, answer", [(True, "A"), (False, "B")])
def test_a_facts_polarity_is_kept_to_the_question(engine_for, read_polarity, answer):
    """"# 3. Fims are cold." over `Not(Bool('cold'))` (every sample alike, as the 1.5B once did): the engine puts
    the fact's polarity back and Z3 decides the claim true; --keep-written-polarity runs it as written (False)."""
    puzzle = next(p for p in ENTAILMENTS if p.id == "hop3-true")
    engine, lm = engine_for([fenced(LOST_NOT)], read_polarity=read_polarity, max_repairs=0)
    result = engine.solve(puzzle.question, context=puzzle.context, options=list(puzzle.options))
    assert result.status == "ok" and result.route == "z3" and result.answer == answer and len(lm.calls) == 1
    notes = [step.note for step in result.trace if step.node == "stated_facts"]
    assert notes == (["polarity kept to the facts: fact 3: Not removed (Fims are cold.)"] if read_polarity else [])


def test_the_claims_polarity_is_kept_to_the_statement(engine_for):
    """"Max is cold." written as `claim = Not(Bool('cold'))`: Z3 would judge the opposite statement."""
    puzzle = next(p for p in ENTAILMENTS if p.id == "hop3-true")
    program = LOST_NOT.replace("Not(Bool('cold'))))", "Bool('cold')))").replace("claim = Bool('cold')", "claim = Not(Bool('cold'))")
    engine, _ = engine_for([fenced(program)], max_repairs=0)
    result = engine.solve(puzzle.question, context=puzzle.context, options=list(puzzle.options))
    assert result.status == "ok" and result.answer == puzzle.answer == "A"
    assert [s.note for s in result.trace if s.node == "stated_facts"] == [
        "polarity kept to the facts: claim: Not removed (Max is cold.)"]
