"""The vote over sampled programs: every verified answer votes, answers grouped by value.

`tally(answers, programs)` takes the verified answer of each of the k sampled programs (None for a program
that failed or was rejected) and returns a `Tally`: the groups of equal answers in order of first
appearance, each with its votes and the samples behind it, and the winner, the group with the most votes
(a tie goes to the group that holds the earliest sample, so the greedy program, sample 1, breaks ties).
Answers are equal when both are numbers within the harness's tolerance (`hybrid.answers.numbers_agree`,
the rule `evals.grading` scores with), else when their texts are equal (option letters, True/False).
`confidence` is the winner's votes over `programs`, every program written for the question (failed ones
included), so one verified answer out of five is 0.2, not 1.0.
Deliberately left out: weighting votes (by likelihood or by solver), which published self-consistency
on programs does not need.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Sequence

from hybrid.answers import numbers_agree, to_float


@dataclass(frozen=True)
class Group:
    """One answer and the samples (0-based) that gave it."""

    answer: str
    samples: tuple[int, ...]

    @property
    def votes(self) -> int:
        return len(self.samples)


@dataclass(frozen=True)
class Tally:
    groups: tuple[Group, ...] = ()
    programs: int = 0
    winner: Optional[Group] = field(default=None)

    @property
    def confidence(self) -> float | None:
        """The winner's share of all programs written; None when nothing was verified."""
        if self.winner is None or not self.programs:
            return None
        return round(self.winner.votes / self.programs, 4)

    def line(self) -> str:
        """The tally in one line, e.g. "65 x3, 60 x1 of 5 programs -> 65 (0.6)"."""
        if not self.groups:
            return f"no verified answer among {self.programs} programs"
        votes = ", ".join(f"{g.answer} x{g.votes}" for g in self.groups)
        return f"{votes} of {self.programs} programs -> {self.winner.answer} ({self.confidence})"


def agreed_group(groups: Sequence[dict], said: Optional[str], tolerance: float = 1e-6) -> Optional[dict]:
    """The vote group (`{"answer", "votes", "samples"}`) whose answer plain reasoning also gave (the one with
    most votes where, within the tolerance, it matches several; ties to the earliest sample); None when it
    agrees with none (or gave no answer)."""
    if said is None:
        return None
    matches = [g for g in groups if same_answer(str(g["answer"]), str(said), tolerance)]
    return max(matches, key=lambda g: (g["votes"], -min(g["samples"])), default=None)


def same_answer(a: str, b: str, tolerance: float = 1e-6) -> bool:
    """Numbers within tolerance (relative above 1, absolute below), else equal texts."""
    if to_float(a) is not None and to_float(b) is not None:
        return numbers_agree(a, b, tolerance)
    return a.strip() == b.strip()


def tally(answers: Sequence[Optional[str]], programs: int | None = None, tolerance: float = 1e-6) -> Tally:
    """Group the verified answers (None: no vote) and pick the winner; see the module docstring."""
    groups: list[tuple[str, list[int]]] = []
    for i, answer in enumerate(answers):
        if answer is None:
            continue
        for representative, members in groups:
            if same_answer(answer, representative, tolerance):
                members.append(i)
                break
        else:
            groups.append((answer, [i]))
    frozen = tuple(Group(a, tuple(m)) for a, m in groups)
    winner = max(frozen, key=lambda g: (g.votes, -g.samples[0]), default=None)
    return Tally(frozen, len(answers) if programs is None else programs, winner)
