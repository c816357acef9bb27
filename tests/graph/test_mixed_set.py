"""The mixed set (evals/data/mixed.jsonl): questions written for this project that need a logic deduction
and then arithmetic on its result. Each answer is checked here by brute force: every ordering, truth
assignment, matching or number in range is enumerated, the question's facts must leave exactly one, and
the arithmetic on it must give the stored answer."""
from __future__ import annotations

import json
from importlib import resources
from itertools import permutations, product

import pytest


def _load():
    text = resources.files("evals").joinpath("data/mixed.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def places(names, n=None):
    """Every way to give `names` distinct places 1..n (n = len(names))."""
    n = n or len(names)
    for perm in permutations(range(1, n + 1), len(names)):
        yield dict(zip(names, perm))


def kinds(names):
    """Every knight (True) / knave (False) assignment."""
    for values in product((True, False), repeat=len(names)):
        yield dict(zip(names, values))


def matchings(names, things):
    for perm in permutations(things):
        yield dict(zip(names, perm))


def in_range(lo, hi, rules):
    return [n for n in range(lo, hi + 1) if all(n % m == r for m, r in rules)]


def says(speaker, claim):
    """A knight's claim is true, a knave's false."""
    return speaker == claim


CHECKS = {}


def check(ident):
    def add(fn):
        CHECKS[ident] = fn
        return fn
    return add


@check("mixed-01")
def _():
    prize = {1: 100, 2: 60, 3: 30, 4: 10}
    return [prize[p["cy"]] + prize[p["di"]] for p in places(["ava", "bo", "cy", "di"])
            if p["bo"] < p["di"] and p["cy"] == p["ava"] + 1 and p["di"] != 4 and p["ava"] != 1]


@check("mixed-02")
def _():
    return [4 * p["yellow"] for p in places(["red", "blue", "green", "yellow", "white"])
            if p["green"] == p["red"] + 1 and p["blue"] in (1, 5) and p["white"] == 3
            and abs(p["yellow"] - p["blue"]) == 1 and p["red"] != 1]


@check("mixed-03")
def _():
    price = {1: 12, 2: 9, 3: 7}  # 8, 9 and 10 o'clock
    return [3 * price[p["express"]] + 2 * price[p["local"]] for p in places(["express", "local", "night"])
            if p["local"] < p["night"] and p["express"] != 1 and p["express"] < p["night"]]


@check("mixed-04")
def _():
    pencils = {1: 5, 2: 4, 3: 3, 4: 2}
    return [3 * (pencils[p["mia"]] + pencils[p["noah"]]) for p in places(["mia", "noah", "olga", "pete"])
            if p["olga"] < p["mia"] and p["pete"] == 2 and p["noah"] > p["mia"]]


@check("mixed-05")
def _():
    rent = {1: 300, 2: 250, 3: 250, 4: 300}
    return [rent[p["max"]] + rent[p["lee"]] for p in places(["kim", "lee", "max", "ned"])
            if p["lee"] == p["kim"] + 1 and p["ned"] in (1, 4) and abs(p["max"] - p["ned"]) != 1 and p["kim"] != 1
            and p["ned"] < p["max"]]


@check("mixed-06")
def _():
    return [3 * (p["b"] - 1) for p in places(["a", "b", "c", "d", "e", "f"])
            if p["a"] == 1 and p["f"] == p["c"] + 1 and p["b"] > p["e"] and p["d"] == 4 and p["e"] > p["f"]]


@check("mixed-07")
def _():
    out = []
    for k in kinds(["ann", "ben", "cal"]):
        knights = sum(k.values())
        if says(k["ann"], knights == 0) and says(k["ben"], not k["ann"]) and says(k["cal"], not k["ben"]):
            out.append(4 * knights + 7 * (3 - knights))
    return out


@check("mixed-08")
def _():
    out = []
    for k in kinds(["p", "q", "r", "s"]):
        if (says(k["p"], not k["q"]) and says(k["q"], not k["r"]) and says(k["r"], not k["s"])
                and says(k["s"], not k["p"] and not k["q"])):
            knights = sum(k.values())
            out.append(5 * (20 * knights + 15 * (4 - knights)))
    return out


@check("mixed-09")
def _():
    out = []
    for k in kinds(["dee", "eli"]):
        if says(k["dee"], not k["dee"] or not k["eli"]):
            out.append(4 * sum(6 if k[n] else 9 for n in k))
    return out


@check("mixed-10")
def _():
    out = []
    for k in kinds(["fay", "gus", "hal"]):
        if says(k["fay"], k["fay"] == k["gus"]) and says(k["gus"], not k["hal"]) and says(k["hal"], not k["fay"]):
            out.append(sum(5 if k[n] else 8 for n in k) // 3)
            assert sum(5 if k[n] else 8 for n in k) % 3 == 0
    return out


@check("mixed-11")
def _():
    out = []
    for k in kinds(["ivy", "jon", "kit"]):
        if says(k["ivy"], k["jon"]) and says(k["jon"], k["ivy"] != k["jon"]) and says(k["kit"], not k["jon"]):
            out.append(sum(12 if k[n] else 17 for n in k))
    return out


@check("mixed-12")
def _():
    price = {"apples": 2, "pears": 3, "plums": 5}
    return [4 * price[m["rosa"]] for m in matchings(["rosa", "sam", "tia"], ["apples", "pears", "plums"])
            if m["rosa"] != "apples" and m["sam"] == "pears"]


@check("mixed-13")
def _():
    return [m["wes"] + m["uma"] // 3 for m in matchings(["uma", "vic", "wes", "xia"], [3, 5, 8, 12])
            if m["uma"] > m["vic"] and m["wes"] == 3 and m["xia"] % 2 == 1 and m["vic"] > m["xia"]]


@check("mixed-14")
def _():
    return [7 * (m["gold"] + m["bronze"]) for m in matchings(["gold", "silver", "bronze"], [10, 20, 30])
            if m["gold"] > m["silver"] and m["bronze"] != 30 and m["silver"] != 10]


@check("mixed-15")
def _():
    cans = {"cat": 3, "dog": 5, "fish": 1}
    return [2 * (cans[m["lena"]] + cans[m["pia"]]) for m in matchings(["lena", "omar", "pia"], ["cat", "dog", "fish"])
            if m["lena"] != "dog" and m["pia"] != "cat" and m["omar"] != "dog" and m["lena"] != "fish"]


@check("mixed-16")
def _():
    return [5 * 15 * (m["r"] + m["t"]) for m in matchings(["q", "r", "s", "t"], [2, 4, 6, 8])
            if m["q"] > m["r"] and m["s"] == 4 and m["t"] > m["q"]]


@check("mixed-17")
def _():
    return [2 * n for n in in_range(41, 79, [(6, 5), (7, 3)])]


@check("mixed-18")
def _():
    return [3 * n for n in in_range(1, 49, [(4, 3), (5, 4), (3, 0)])]


@check("mixed-19")
def _():
    return [3 * (n // 12) for n in in_range(51, 99, [(8, 1), (9, 1)])]


@check("mixed-20")
def _():
    return [6 * n for n in in_range(21, 34, [(4, 2), (5, 4)])]


@check("mixed-21")
def _():
    return [5 * n for n in in_range(1, 39, [(7, 2), (4, 3)])]


@check("mixed-22")
def _():
    out = []
    for p in places(["ola", "pim", "quin"]):
        for k in kinds(["ola", "pim", "quin"]):
            # the winner is a knight; Ola: "I came second." Pim: "Quin is a knave." Quin: "Ola won."
            winner = next(n for n in p if p[n] == 1)
            if (k[winner] and says(k["ola"], p["ola"] == 2) and says(k["pim"], not k["quin"])
                    and says(k["quin"], p["ola"] == 1) and p["pim"] < p["quin"] and p["quin"] < p["ola"]):
                out.append(10 * sum(k.values()) + {1: 50, 2: 20, 3: 0}[p["quin"]])
    return out


ITEMS = _load()


def test_the_set_has_at_least_twenty_questions_with_unique_ids():
    ids = [item["id"] for item in ITEMS]
    assert len(ITEMS) >= 20 and len(set(ids)) == len(ids)
    assert set(ids) == set(CHECKS), "every question has its brute-force check"


@pytest.mark.parametrize("item", ITEMS, ids=lambda item: item["id"])
def test_each_answer_is_the_only_one_the_facts_allow(item):
    found = CHECKS[item["id"]]()
    assert len(found) == 1, f"{item['id']}: the facts allow {len(found)} solutions"
    assert str(found[0]) == item["answer"]
    assert item["question"].strip().endswith("?")


def test_the_mixed_dataset_is_registered_and_loads():
    from evals.catalog import DATASETS, load_dataset

    assert "mixed" in DATASETS
    data = load_dataset("mixed")
    assert [p.id for p in data.problems] == [item["id"] for item in ITEMS]
    assert all(p.kind == "number" and p.gold == item["answer"] for p, item in zip(data.problems, ITEMS))
