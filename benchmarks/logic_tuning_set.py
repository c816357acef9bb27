"""Write a self-made tuning set of logic puzzles in the Logic-LM format, for prompt work off the dev sets.

The logic prompts (hybrid/prompts/logic_*_v2.txt) are tuned on puzzles made here, never on the dev items
that the reference runs measure. Two generators, both seeded, both checked by brute force (our own code,
no model text is run):

- orderings like BIG-bench LogicalDeduction: 3, 5 or 7 objects in one of four scenes (left/right, old/new,
  cheap/expensive, finishing order); true constraints are added at random until exactly one order fits;
  the question asks which object holds one position.
- ontologies like PrOntoQA: a chain of made-up categories (a "-pus" word each, plural "-puses"), a property
  per category, distractor rules with the opposite property, one fact about one individual, and a
  statement to judge True or False.

Usage: python benchmarks/logic_tuning_set.py --out /tmp/tune --n 24 --seed 1
then:  hybrid bench --dataset logical_deduction --data /tmp/tune --split dev --systems cot,hybrid --out RUN
"""
from __future__ import annotations

import argparse
import itertools
import json
import random
from pathlib import Path

NUMBER_WORDS = {3: "three", 5: "five", 7: "seven"}
ORDINALS = {2: "second", 3: "third", 4: "fourth"}

# scene: intro template, objects, (low-end word, high-end word, "X <less> Y", "X <more> Y"),
# ordinal forms for "k-th from the low end" and "k-th from the high end"
SCENES = [
    dict(intro="On a windowsill, there are {n} vases: {items}.", kind="vase", prefix="the ",
         objects=["a white vase", "a teal vase", "a gray vase", "a violet vase", "a beige vase", "a lime vase",
                  "a coral vase"],
         low="the leftmost", high="the rightmost", less="to the left of", more="to the right of",
         low_k="the {k} from the left", high_k="the {k} from the right"),
    dict(intro="In a museum hall, there are {n} trains: {items}.", kind="train", prefix="the ",
         objects=["a steam engine", "a tram", "a monorail", "a diesel engine", "a freight car", "a cable car",
                  "a handcar"],
         low="the oldest", high="the newest", less="older than", more="newer than",
         low_k="the {k}-oldest", high_k="the {k}-newest"),
    dict(intro="A market stall sells {n} vegetables: {items}.", kind="veg", prefix="the ",
         objects=["carrots", "leeks", "onions", "radishes", "turnips", "beets", "peas"],
         low="the cheapest", high="the most expensive", less="cheaper than", more="more expensive than",
         low_k="the {k}-cheapest", high_k="the {k}-most expensive"),
    dict(intro="In a chess tournament, there were {n} players: {items}.", kind="player", prefix="",
         objects=["Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tariq"],
         low="first", high="last", less="above", more="below",
         low_k="{k}", high_k="{k}-to-last", verb="finished"),
]


def _name(obj: str) -> str:
    return obj.split(" ", 1)[1] if obj.startswith(("a ", "an ")) else obj


def _subject(scene: dict, obj: str) -> str:
    name = _name(obj)
    return (scene["prefix"] + name).strip()


def _copula(scene: dict, obj: str) -> str:
    if scene.get("verb"):
        return scene["verb"]
    return "are" if _name(obj).endswith("s") else "is"


def _position_phrase(scene: dict, pos: int, n: int) -> str:
    if pos == 1:
        return scene["low"]
    if pos == n:
        return scene["high"]
    if pos - 1 <= n - pos:
        return scene["low_k"].format(k=ORDINALS[pos])
    return scene["high_k"].format(k="second" if n - pos + 1 == 2 else ORDINALS[n - pos + 1])


def _cap(text: str) -> str:
    return text[0].upper() + text[1:]


def ordering(rng: random.Random, index: int) -> dict:
    n = rng.choice([3, 5, 7])
    scene = rng.choice(SCENES)
    objects = rng.sample(scene["objects"], n)
    order = rng.sample(range(1, n + 1), n)
    pos = dict(zip(objects, order))
    facts: list[tuple[str, object]] = []
    candidates = []
    for a, b in itertools.permutations(objects, 2):
        if pos[a] < pos[b]:
            candidates.append((f"{_cap(_subject(scene, a))} {_copula(scene, a)} {scene['less']} {_subject(scene, b)}.",
                               ("lt", a, b)))
        else:
            candidates.append((f"{_cap(_subject(scene, a))} {_copula(scene, a)} {scene['more']} {_subject(scene, b)}.",
                               ("gt", a, b)))
    for a in objects:
        candidates.append((f"{_cap(_subject(scene, a))} {_copula(scene, a)} {_position_phrase(scene, pos[a], n)}.",
                           ("eq", a, pos[a])))
    rng.shuffle(candidates)
    perms = list(itertools.permutations(range(1, n + 1)))

    def fits(assignment: dict) -> bool:
        for _, (op, a, b) in facts:
            if op == "lt" and not assignment[a] < assignment[b]:
                return False
            if op == "gt" and not assignment[a] > assignment[b]:
                return False
            if op == "eq" and assignment[a] != b:
                return False
        return True

    for sentence, fact in candidates:
        alive = [p for p in perms if fits(dict(zip(objects, p)))]
        if len(alive) == 1:
            break
        before = len(alive)
        facts.append((sentence, fact))
        if len([p for p in perms if fits(dict(zip(objects, p)))]) == before:
            facts.pop()  # adds nothing: leave it out, as the dataset does
    asked = rng.randint(1, n)
    letters = "ABCDEFG"
    phrase = _position_phrase(scene, asked, n)
    options = [f"{letters[i]}) {_cap(_subject(scene, o))} {_copula(scene, o)} {phrase}." for i, o in enumerate(objects)]
    answer = letters[objects.index(next(o for o in objects if pos[o] == asked))]
    items = ", ".join(objects[:-1]) + ", and " + objects[-1]
    context = (f"The following paragraphs each describe a set of {NUMBER_WORDS[n]} objects arranged in a fixed "
               f"order. The statements are logically consistent within each paragraph.\n\n"
               f"{scene['intro'].format(n=NUMBER_WORDS[n], items=items)} " + " ".join(s for s, _ in facts))
    return dict(id=f"tune_order_{index}", context=context, question="Which of the following is true?",
                options=options, answer=answer)


STEMS = ["gal", "mor", "tir", "bel", "sov", "kan", "rud", "pel", "fim", "zor", "lun", "dax", "hob", "quen"]
PROPERTIES = [("happy", "sad"), ("loud", "quiet"), ("heavy", "light"), ("fast", "slow"), ("dull", "shiny"),
              ("warm", "cold"), ("tall", "short"), ("wet", "dry")]
PEOPLE = ["Lena", "Otto", "Mira", "Hugo", "Ines", "Karl"]


def ontology(rng: random.Random, index: int) -> dict:
    words = [s + "pus" for s in rng.sample(STEMS, 8)]
    chain, distractors = words[:6], words[6:]
    props = rng.sample(PROPERTIES, 6)
    sentences = []
    holds: dict[str, bool] = {}
    for i, cat in enumerate(chain):
        word, opposite = props[i]
        negated = rng.random() < 0.4
        holds[word] = not negated
        plural = cat[:-3] + "puses"
        if negated:
            sentences.append(rng.choice([f"{_cap(plural)} are not {word}.", f"Every {cat} is not {word}."]))
        else:
            sentences.append(rng.choice([f"{_cap(plural)} are {word}.", f"Each {cat} is {word}."]))
        if i + 1 < len(chain):
            nxt = chain[i + 1]
            sentences.append(rng.choice([f"Every {cat} is a {nxt}.", f"{_cap(plural)} are {nxt[:-3]}puses.",
                                         f"Each {cat} is a {nxt}."]))
    for d in distractors:  # the opposite of a chain property, on a category the individual is not in
        word = rng.choice([w for w, _ in props])
        sentences.insert(rng.randrange(len(sentences)),
                         f"{_cap(d[:-3])}puses are {'not ' if holds[word] else ''}{word}.")
    person = rng.choice(PEOPLE)
    sentences.append(f"{person} is a {chain[0]}.")
    word = rng.choice([w for w, _ in props])
    say_not = rng.random() < 0.5
    statement = f"{person} is {'not ' if say_not else ''}{word}."
    truth = holds[word] != say_not
    return dict(id=f"tune_truth_{index}", context=" ".join(sentences),
                question=f"Is the following statement true or false? {statement}",
                options=["A) True", "B) False"], answer="A" if truth else "B")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="folder for the two dev-format files")
    parser.add_argument("--n", type=int, default=24, help="puzzles of each kind")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    orderings = [ordering(rng, i) for i in range(args.n)]
    ontologies = [ontology(rng, i) for i in range(args.n)]
    (args.out / "logical_deduction_dev.json").write_text(json.dumps(orderings, indent=1))
    (args.out / "prontoqa_dev.json").write_text(json.dumps(ontologies, indent=1))
    print(f"wrote {len(orderings)} orderings and {len(ontologies)} ontologies to {args.out}")


if __name__ == "__main__":
    main()
