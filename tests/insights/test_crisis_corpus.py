"""The crisis detector measured like a screening test, on the labelled corpus in
tests/data/crisis_corpus.tsv (its columns and where its lines came from: tests/data/README.md).

The corpus has two parts. ``tune``: the lines the phrase lists were written and corrected
against. ``holdout``: lines written independently and only measured. Each test prints the
confusion matrix per language (run with ``-s`` to see it); docs/INSIGHTS.md ("Crisis language")
records the figures.

Targets: recall ≥ 0.97 on crisis lines and precision ≥ 0.90, in each language. The tuning part
meets them. The held-out part does not (recall 0.77 in English, 0.79 in Spanish; on its newest set,
written mostly without the common phrases, about 0.6): phrase lists miss phrasings nobody listed
(docs/INSIGHTS.md, "Safety", says why this is open). Its test holds those figures from falling.
"""
import csv
from collections import Counter
from pathlib import Path

import pytest

from diary.insights.crisis import mentions_crisis

CORPUS = Path(__file__).parent.parent / "data" / "crisis_corpus.tsv"
LABELS = {"crisis", "not_crisis"}
CRISIS = {"direct", "indirect", "intent", "plan", "preparation", "self_harm", "overdose", "slang", "misspelling",
          "obfuscation", "negation_or_quote"}
NEAR_MISS = {"idiom", "media", "bereavement", "accident", "compound", "food_drink", "medical_other", "other_person",
             "everyday"}


def corpus():
    with CORPUS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def confusion(split, language):
    counts = Counter()
    for row in corpus():
        if row["split"] == split and row["language"] == language:
            counts[row["label"] == "crisis", mentions_crisis(row["text"])] += 1
    found, missed, false, right = counts[True, True], counts[True, False], counts[False, True], counts[False, False]
    recall, precision = found / (found + missed), found / ((found + false) or 1)
    print(f"\n{split} {language}: crisis lines {found + missed} (found {found}, missed {missed}); "
          f"other lines {false + right} (card shown {false}, not shown {right}); "
          f"recall {recall:.3f}, precision {precision:.3f}")
    return recall, precision


def test_the_corpus_is_what_its_readme_says():
    rows = corpus()
    assert len(rows) >= 400
    assert {row["language"] for row in rows} == {"en", "es"}
    assert {row["split"] for row in rows} == {"tune", "holdout"}
    for row in rows:
        assert row["label"] in LABELS and row["category"] in (CRISIS if row["label"] == "crisis" else NEAR_MISS), row
        assert row["text"].strip() and "\t" not in row["text"]
    assert len({row["text"].casefold() for row in rows}) == len(rows)  # no line twice
    for language in ("en", "es"):
        labels = Counter(row["label"] for row in rows if row["language"] == language)
        assert labels["not_crisis"] >= labels["crisis"], language  # at least as many near misses
        categories = {row["category"] for row in rows if row["language"] == language}
        assert categories == CRISIS | NEAR_MISS, language


@pytest.mark.parametrize("language", ["en", "es"])
def test_on_the_tuning_part_the_targets_are_met(language):
    recall, precision = confusion("tune", language)
    assert recall >= 0.97 and precision >= 0.90


@pytest.mark.parametrize("language, recall_floor, precision_floor", [("en", 0.76, 0.95), ("es", 0.79, 0.95)])
def test_on_the_held_out_part_the_figures_do_not_fall(language, recall_floor, precision_floor):
    recall, precision = confusion("holdout", language)
    assert recall >= recall_floor and precision >= precision_floor
