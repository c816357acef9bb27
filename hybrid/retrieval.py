"""Exemplars chosen per question: the k library problems most similar to it, by TF-IDF cosine over words.

`nearest(question, library, k)` ranks the library's questions against `question` and returns the k best,
the most similar last (nearest the question in the prompt). Words are letter runs less a few stop words
and less capitalised words (names, mostly); `%` and `$` count as the words "percent" and "dollar"; digits
and the number words one to ten are ignored (the numbers of a problem say nothing about its kind). Term
weights are binary, inverse document frequencies come from the library itself, so the ranking is a
pure, deterministic function of (question, library); ties keep library order. A library problem whose
question is the question itself is never chosen (a train-split run must not show a problem its own
solution).
Deliberately small and dependency-free: no embeddings, no stemming beyond a plural "s".
"""
from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from typing import Mapping, Sequence

_WORD = re.compile(r"[A-Za-z]+|%|\$")
_STOP = frozenset("""
a an the and or of to in on at for with by from is are was were be been has have had do does did will would
can could he she it they them his her their its we you i that this these those as if then than so each
how many much what who which there here after before into out up one two three four five six seven
eight nine ten all
""".split())


def words(text: str) -> list[str]:
    """The content words of a text: no capitalised words, "%" -> percent, "$" -> dollar, plural s cut."""
    out = []
    for token in _WORD.findall(text):
        if token[0].isupper():  # names (Sam, Farmer Brown) and sentence openers say nothing about the kind
            continue
        token = {"%": "percent", "$": "dollar"}.get(token, token)
        if token in _STOP or len(token) < 2:
            continue
        if len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
            token = token[:-1]
        out.append(token)
    return out


@lru_cache(maxsize=8)
def _index(questions: tuple[str, ...]) -> tuple[dict[str, float], tuple[dict[str, float], ...]]:
    """(idf per word, the unit TF-IDF vector of each question) for one library."""
    counts = [Counter(words(q)) for q in questions]
    df = Counter(w for c in counts for w in c)
    n = len(questions)
    idf = {w: math.log((1 + n) / (1 + d)) + 1.0 for w, d in df.items()}
    return idf, tuple(_unit(c, idf) for c in counts)


def _unit(counts: Mapping[str, int], idf: Mapping[str, float]) -> dict[str, float]:
    vector = {w: idf[w] for w in counts if idf.get(w)}  # binary term weights: a repeated name of a thing
    # ("cows" three times) must not outweigh two rarer words shared ("heads", "legs")
    norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
    return {w: v / norm for w, v in vector.items()}


def similarities(question: str, questions: Sequence[str]) -> list[float]:
    """The cosine similarity of `question` to each of `questions` (0 where no word is shared)."""
    idf, vectors = _index(tuple(questions))
    query = _unit(Counter(words(question)), idf)
    return [sum(weight * vector.get(w, 0.0) for w, weight in query.items()) for vector in vectors]


def nearest(question: str, library: Sequence[Mapping], k: int) -> tuple[Mapping, ...]:
    """The k library entries (dicts with a "question") most similar to `question`, the most similar last."""
    if k <= 0 or not library:
        return ()
    own = question.strip()
    scores = similarities(question, [str(e["question"]) for e in library])
    ranked = sorted((i for i, e in enumerate(library) if str(e["question"]).strip() != own),
                    key=lambda i: (-scores[i], i))
    return tuple(library[i] for i in reversed(ranked[:k]))
