"""Hand-written logic puzzles and their formalizations, for the logic-route tests.

Written for this project (none comes from an evaluation set). Each formalization is what a model should
write in the step language: z3 declarations, one `solver.add` per sentence, then `options` (or `claim`).
`ordering_program` and `ontology_program` only add the boilerplate around the hand-written constraints.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Puzzle:
    id: str
    context: str
    question: str
    options: tuple[str, ...]
    program: str
    answer: str  # the option letter that follows


def ordering_program(names: list[str], constraints: list[tuple[str, str]], options: dict[str, str]) -> str:
    n = len(names)
    lines = ["from z3 import *", f"{', '.join(names)} = Ints('{' '.join(names)}')",
             f"objects = [{', '.join(names)}]", "solver = Solver()", "for o in objects:",
             f"    solver.add(o >= 1, o <= {n})", "solver.add(Distinct(objects))"]
    lines += [f"solver.add({expr})  # {sentence}" for expr, sentence in constraints]
    lines += ["options = {"] + [f'    "{k}": {v},' for k, v in options.items()] + ["}"]
    return "\n".join(lines)


def ordering(pid, intro, names, constraints, question, option_texts, option_exprs, answer) -> Puzzle:
    n = len(names)
    context = (f"The following paragraphs each describe a set of {n} objects arranged in a fixed order. The "
               f"statements are logically consistent within each paragraph.\n\n{intro} "
               + " ".join(sentence for _, sentence in constraints))
    letters = "ABCDEFG"[: len(option_texts)]
    options = tuple(f"{k}) {t}" for k, t in zip(letters, option_texts))
    program = ordering_program(names, constraints, dict(zip(letters, option_exprs)))
    return Puzzle(pid, context, question, options, program, answer)


def ontology_program(props: list[str], rules: list[tuple[str, str]], claim: str, claim_sentence: str) -> str:
    lines = ["from z3 import *", f"{', '.join(props)} = Bools('{' '.join(props)}')", "solver = Solver()"]
    lines += [f"solver.add({expr})  # {sentence}" for expr, sentence in rules]
    lines.append(f"claim = {claim}  # {claim_sentence}")
    return "\n".join(lines)


def ontology(pid, props, rules, claim, claim_sentence, answer) -> Puzzle:
    context = " ".join(sentence for _, sentence in rules)
    question = f"Is the following statement true or false? {claim_sentence}"
    program = ontology_program(props, rules, claim, claim_sentence)
    return Puzzle(pid, context, question, ("A) True", "B) False"), program, answer)


WHICH = "Which of the following is true?"

ORDERINGS = [
    # --- three objects
    ordering("ord3-birds", "On a branch, there are three birds: a hawk, an owl, and a crow.", ["hawk", "owl", "crow"],
             [("owl == 1", "The owl is the leftmost."), ("crow > hawk", "The crow is to the right of the hawk.")],
             WHICH, ["The hawk is the rightmost.", "The owl is the rightmost.", "The crow is the rightmost."],
             ["hawk == 3", "owl == 3", "crow == 3"], "C"),
    ordering("ord3-race", "In a race, there are three runners: Eve, Joe, and Amy.", ["eve", "joe", "amy"],
             [("joe < amy", "Joe finished above Amy."), ("eve == 3", "Eve finished last.")],
             WHICH, ["Eve finished first.", "Joe finished first.", "Amy finished first."],
             ["eve == 1", "joe == 1", "amy == 1"], "B"),
    ordering("ord3-fruit", "A stand sells three fruits: apples, pears, and plums.", ["apples", "pears", "plums"],
             [("plums == 3", "The plums are the most expensive."), ("apples < pears", "The apples are cheaper than the pears.")],
             WHICH, ["The apples are the second-cheapest.", "The pears are the second-cheapest.", "The plums are the second-cheapest."],
             ["apples == 2", "pears == 2", "plums == 2"], "B"),
    ordering("ord3-cars", "In a garage, there are three vehicles: a bus, a van, and a car.", ["bus", "van", "car"],
             [("car == 3", "The car is the newest."), ("van < bus", "The van is older than the bus.")],
             WHICH, ["The bus is the oldest.", "The van is the oldest.", "The car is the oldest."],
             ["bus == 1", "van == 1", "car == 1"], "B"),
    # --- five objects
    ordering("ord5-cups", "On a shelf, there are five cups: a red cup, a tan cup, a pink cup, a gold cup, and a navy cup.",
             ["red", "tan", "pink", "gold", "navy"],
             [("navy == 1", "The navy cup is the leftmost."), ("gold == 4", "The gold cup is the second from the right."),
              ("red > gold", "The red cup is to the right of the gold cup."), ("tan < pink", "The tan cup is to the left of the pink cup.")],
             WHICH, [f"The {c} cup is the second from the left." for c in ["red", "tan", "pink", "gold", "navy"]],
             [f"{c} == 2" for c in ["red", "tan", "pink", "gold", "navy"]], "B"),
    ordering("ord5-golf", "In a golf tournament, there were five golfers: Ana, Bo, Cy, Di, and Ed.", ["ana", "bo", "cy", "di", "ed"],
             [("cy == 3", "Cy finished third."), ("ed < bo", "Ed finished above Bo."), ("bo < cy", "Bo finished above Cy."),
              ("di == 5", "Di finished last.")],
             WHICH, [f"{g} finished second." for g in ["Ana", "Bo", "Cy", "Di", "Ed"]],
             [f"{g} == 2" for g in ["ana", "bo", "cy", "di", "ed"]], "B"),
    ordering("ord5-prices", "A shop sells five fruits: kiwis, limes, figs, dates, and mangoes.",
             ["kiwis", "limes", "figs", "dates", "mangoes"],
             [("mangoes == 5", "The mangoes are the most expensive."), ("figs == 1", "The figs are the cheapest."),
              ("limes > dates", "The limes are more expensive than the dates."), ("kiwis < dates", "The kiwis are less expensive than the dates.")],
             WHICH, [f"The {f} are the third-cheapest." for f in ["kiwis", "limes", "figs", "dates", "mangoes"]],
             [f"{f} == 3" for f in ["kiwis", "limes", "figs", "dates", "mangoes"]], "D"),
    ordering("ord5-ages", "In an antique car show, there are five vehicles: a sedan, a truck, a coupe, a jeep, and a wagon.",
             ["sedan", "truck", "coupe", "jeep", "wagon"],
             [("jeep == 1", "The jeep is the oldest."), ("wagon == 3", "The wagon is the third-newest."),
              ("coupe > wagon", "The coupe is newer than the wagon."), ("truck > coupe", "The truck is newer than the coupe.")],
             WHICH, [f"The {v} is the second-oldest." for v in ["sedan", "truck", "coupe", "jeep", "wagon"]],
             [f"{v} == 2" for v in ["sedan", "truck", "coupe", "jeep", "wagon"]], "A"),
    # --- seven objects
    ordering("ord7-books", "On a shelf, there are seven books: red, orange, yellow, green, blue, indigo, and violet.",
             ["red", "orange", "yellow", "green", "blue", "indigo", "violet"],
             [("red == 1", "The red book is the leftmost."), ("violet == 7", "The violet book is the rightmost."),
              ("green == 4", "The green book is the fourth from the left."), ("orange < yellow", "The orange book is to the left of the yellow book."),
              ("yellow < green", "The yellow book is to the left of the green book."), ("blue > indigo", "The blue book is to the right of the indigo book."),
              ("indigo > green", "The indigo book is to the right of the green book.")],
             WHICH, [f"The {c} book is the second from the right." for c in ["red", "orange", "yellow", "green", "blue", "indigo", "violet"]],
             [f"{c} == 6" for c in ["red", "orange", "yellow", "green", "blue", "indigo", "violet"]], "E"),
    ordering("ord7-race", "In a race, there are seven runners: Al, Bea, Cal, Dot, Eli, Fay, and Gus.",
             ["al", "bea", "cal", "dot", "eli", "fay", "gus"],
             [("fay == 1", "Fay finished first."), ("gus == 7", "Gus finished last."), ("cal == 4", "Cal finished fourth."),
              ("al < cal", "Al finished above Cal."), ("bea < al", "Bea finished above Al."), ("dot > eli", "Dot finished below Eli.")],
             WHICH, [f"{r} finished third." for r in ["Al", "Bea", "Cal", "Dot", "Eli", "Fay", "Gus"]],
             [f"{r} == 3" for r in ["al", "bea", "cal", "dot", "eli", "fay", "gus"]], "A"),
    ordering("ord7-birds", "On a branch, there are seven birds: a robin, a wren, a jay, a finch, a crow, an owl, and a dove.",
             ["robin", "wren", "jay", "finch", "crow", "owl", "dove"],
             [("dove == 4", "The dove is the fourth from the left."), ("owl == 7", "The owl is the rightmost."),
              ("crow == 6", "The crow is the second from the right."), ("robin < wren", "The robin is to the left of the wren."),
              ("wren < jay", "The wren is to the left of the jay."), ("jay < dove", "The jay is to the left of the dove."),
              ("finch < crow", "The finch is to the left of the crow.")],
             WHICH, [f"The {b} is the third from the left." for b in ["robin", "wren", "jay", "finch", "crow", "owl", "dove"]],
             [f"{b} == 3" for b in ["robin", "wren", "jay", "finch", "crow", "owl", "dove"]], "C"),
    ordering("ord7-fruit", "A stand sells seven fruits: apples, bananas, cherries, dates, elderberries, figs, and grapes.",
             ["apples", "bananas", "cherries", "dates", "elderberries", "figs", "grapes"],
             [("grapes == 7", "The grapes are the most expensive."), ("apples == 1", "The apples are the cheapest."),
              ("cherries == 4", "The cherries are the fourth-cheapest."), ("bananas < cherries", "The bananas are cheaper than the cherries."),
              ("dates < bananas", "The dates are cheaper than the bananas."), ("figs > elderberries", "The figs are more expensive than the elderberries.")],
             WHICH, [f"The {f} are the second-most expensive." for f in ["apples", "bananas", "cherries", "dates", "elderberries", "figs", "grapes"]],
             [f"{f} == 6" for f in ["apples", "bananas", "cherries", "dates", "elderberries", "figs", "grapes"]], "F"),
]

ENTAILMENTS = [
    # 1 hop
    ontology("hop1-true", ["wumple", "green"], [("Implies(wumple, green)", "Every wumple is green."), ("wumple", "Tom is a wumple.")],
             "green", "Tom is green.", "A"),
    ontology("hop1-false", ["wumple", "loud"], [("Implies(wumple, Not(loud))", "Wumples are not loud."), ("wumple", "Tom is a wumple.")],
             "loud", "Tom is loud.", "B"),
    ontology("hop1-distractor", ["wumple", "gorp", "loud"],
             [("wumple", "Tom is a wumple."), ("Implies(gorp, loud)", "Gorps are loud."), ("Implies(wumple, Not(loud))", "Wumples are not loud.")],
             "loud", "Tom is loud.", "B"),
    # 2 hops
    ontology("hop2-true", ["zorb", "quib", "shiny"],
             [("Implies(zorb, quib)", "Each zorb is a quib."), ("Implies(quib, shiny)", "Quibs are shiny."), ("zorb", "Ann is a zorb.")],
             "shiny", "Ann is shiny.", "A"),
    ontology("hop2-false", ["zorb", "quib", "shiny"],
             [("Implies(zorb, quib)", "Each zorb is a quib."), ("Implies(quib, Not(shiny))", "Quibs are not shiny."), ("zorb", "Ann is a zorb.")],
             "shiny", "Ann is shiny.", "B"),
    # 3 hops
    ontology("hop3-true", ["lemp", "dax", "fim", "cold"],
             [("Implies(lemp, dax)", "Every lemp is a dax."), ("Implies(dax, fim)", "Every dax is a fim."),
              ("Implies(fim, cold)", "Fims are cold."), ("lemp", "Max is a lemp.")], "cold", "Max is cold.", "A"),
    ontology("hop3-negated-claim", ["lemp", "dax", "fim", "cold"],
             [("Implies(lemp, dax)", "Every lemp is a dax."), ("Implies(dax, fim)", "Every dax is a fim."),
              ("Implies(fim, cold)", "Fims are cold."), ("lemp", "Lia is a lemp.")], "Not(cold)", "Lia is not cold.", "B"),
    # 4 hops
    ontology("hop4-true", ["brim", "tolk", "vesp", "yarn", "sweet"],
             [("Implies(brim, tolk)", "Brims are tolks."), ("Implies(tolk, vesp)", "Each tolk is a vesp."),
              ("Implies(vesp, yarn)", "Vesps are yarns."), ("Implies(yarn, sweet)", "Every yarn is sweet."), ("brim", "Sally is a brim.")],
             "sweet", "Sally is sweet.", "A"),
    ontology("hop4-false", ["brim", "tolk", "vesp", "yarn", "sweet", "plib"],
             [("Implies(brim, tolk)", "Brims are tolks."), ("Implies(tolk, vesp)", "Each tolk is a vesp."),
              ("Implies(plib, sweet)", "Plibs are sweet."), ("Implies(vesp, yarn)", "Vesps are yarns."),
              ("Implies(yarn, Not(sweet))", "Every yarn is not sweet."), ("brim", "Sally is a brim.")],
             "sweet", "Sally is sweet.", "B"),
    # 5 hops
    ontology("hop5-true", ["aro", "bek", "cil", "dop", "eft", "woody", "hux"],
             [("Implies(aro, bek)", "Every aro is a bek."), ("Implies(bek, cil)", "Beks are cils."), ("Implies(hux, Not(woody))", "Huxes are not woody."),
              ("Implies(cil, dop)", "Each cil is a dop."), ("Implies(dop, eft)", "Dops are efts."), ("Implies(eft, woody)", "Efts are woody."),
              ("aro", "Wren is an aro.")], "woody", "Wren is woody.", "A"),
    ontology("hop5-false", ["aro", "bek", "cil", "dop", "eft", "woody", "hux"],
             [("Implies(aro, bek)", "Every aro is a bek."), ("Implies(bek, cil)", "Beks are cils."), ("Implies(hux, woody)", "Huxes are woody."),
              ("Implies(cil, dop)", "Each cil is a dop."), ("Implies(dop, eft)", "Dops are efts."), ("Implies(eft, Not(woody))", "Efts are not woody."),
              ("aro", "Wren is an aro.")], "woody", "Wren is woody.", "B"),
    ontology("hop5-negated-true", ["aro", "bek", "cil", "dop", "eft", "woody"],
             [("Implies(aro, bek)", "Every aro is a bek."), ("Implies(bek, cil)", "Beks are cils."), ("Implies(cil, dop)", "Each cil is a dop."),
              ("Implies(dop, eft)", "Dops are efts."), ("Implies(eft, Not(woody))", "Efts are not woody."), ("aro", "Wren is an aro.")],
             "Not(woody)", "Wren is not woody.", "A"),
]


def _contradict(puzzle: Puzzle, bad_line: str) -> tuple[Puzzle, str]:
    """The puzzle, and a wrong formalization of it: its program with one contradicting constraint added."""
    lines = puzzle.program.splitlines()
    cut = next(i for i, line in enumerate(lines) if line.startswith(("options", "claim")))
    wrong = "\n".join(lines[:cut] + [bad_line] + lines[cut:])
    return puzzle, wrong


# A model that misreads a sentence writes a contradiction: each entry is (puzzle, contradictory program).
CONTRADICTIONS = [
    _contradict(ORDERINGS[0], "solver.add(owl == 3)  # misread: the owl is the rightmost"),
    _contradict(ORDERINGS[1], "solver.add(amy < joe)  # misread: Amy finished above Joe"),
    _contradict(ORDERINGS[2], "solver.add(plums == 1)  # misread: the plums are the cheapest"),
    _contradict(ORDERINGS[4], "solver.add(gold == 2)  # misread: gold is second from the left"),
    _contradict(ORDERINGS[5], "solver.add(cy == 1)  # misread: Cy finished first"),
    _contradict(ORDERINGS[7], "solver.add(truck < coupe)  # misread: the truck is older than the coupe"),
    _contradict(ORDERINGS[8], "solver.add(green == 1)  # misread: the green book is the leftmost"),
    _contradict(ORDERINGS[10], "solver.add(dove == 7)  # misread: the dove is the rightmost"),
    _contradict(ENTAILMENTS[0], "solver.add(Not(wumple))  # misread: Tom is not a wumple"),
    _contradict(ENTAILMENTS[3], "solver.add(Not(shiny))  # misread: Ann is not shiny"),
    _contradict(ENTAILMENTS[7], "solver.add(Implies(yarn, Not(sweet)))  # misread: yarns are not sweet"),
    _contradict(ENTAILMENTS[9], "solver.add(Not(bek))  # misread: Wren is not a bek"),
]
