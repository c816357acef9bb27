"""Keep a logic formalization to the facts the question states.

The logic prompts show the context as numbered facts and ask the model to copy each one as a comment
(`# 3. The owl is to the left of the robin.`) before the line that states it. The 0.5B model often goes on
past the last fact: it invents facts (on PrOntoQA, often the very statement it is asked to judge, "# 12. Max
is sour."), or restates a fact with a different constraint ("# 6. The sedan is the second-newest." after a
fact 5 that said so of the convertible). Z3 then decides from premises the question never gave, which is how
a formalization can be decided and still be wrong.

`keep_stated_facts` drops the lines under every numbered comment that is not one of the question's facts, or
repeats one already seen, up to the next comment or the `options` / `claim` / `answer` line. Declarations
(`x = Bool('x')`, `a, b = Ints('a b')`) are kept wherever they are, since later lines may use them. Comparing
a comment with the facts ignores case, punctuation, articles and plural endings, so "Wren is tumpus." still
counts as "Wren is a tumpus." The function only deletes lines and never raises: what it returns is parsed and
run by the allow-list interpreter like any other program.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

_NUMBERED_COMMENT = re.compile(r"^\s*#\s*\d+\s*[.):]\s*(.*?)\s*$")
_BLOCK_END = re.compile(r"^(?:\s*#|(?:options|claim|answer)\b)")
_DECLARATION = re.compile(r"^\s*[A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*\s*=\s*(?:Bools?|Ints?|Reals?)\(")
_ARTICLES = {"a", "an", "the"}


@dataclass(frozen=True)
class StatedFacts:
    """The program with unstated facts removed, and the comment texts of the facts it dropped."""

    program: str
    dropped: tuple[str, ...] = ()


def canonical(sentence: str) -> str:
    """A fact sentence reduced for comparison: lower case, words only, no articles, no plural endings."""
    words = []
    for word in re.findall(r"[a-z0-9]+", sentence.lower()):
        if word in _ARTICLES:
            continue
        if word.endswith("ses"):
            word = word[:-2]
        words.append(word[:-1] if word.endswith("s") and len(word) > 3 else word)
    return " ".join(words)


def keep_stated_facts(program: str, facts: Sequence[str]) -> StatedFacts:
    """`program` without the lines under numbered comments that state no fact of `facts` (or repeat one).

    With no facts to compare against (a question without a context) the program is returned unchanged."""
    if not program or not facts:
        return StatedFacts(program)
    stated = {canonical(f) for f in facts}
    seen: set[str] = set()
    kept: list[str] = []
    dropped: list[str] = []
    dropping = False
    for line in program.splitlines():
        numbered = _NUMBERED_COMMENT.match(line)
        if numbered:
            text = canonical(numbered.group(1))
            dropping = text not in stated or text in seen
            seen.add(text)
            if dropping:
                dropped.append(numbered.group(1))
                continue
        elif _BLOCK_END.match(line):
            dropping = False
        if dropping and not _DECLARATION.match(line):
            continue
        kept.append(line)
    if not dropped:
        return StatedFacts(program)
    return StatedFacts("\n".join(kept), tuple(dropped))
