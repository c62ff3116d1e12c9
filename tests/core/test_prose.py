"""The sentence-template renderer that words findings, letters and summaries from data."""

from __future__ import annotations

from datetime import date

import pytest

from discretion.prose import ProseError, counted, join_and, long_date, plural, render, slots, tidy


def test_join_and_uses_the_serial_comma():
    assert join_and([]) == ""
    assert join_and(["Ana"]) == "Ana"
    assert join_and(["Ana", "Luis"]) == "Ana and Luis"
    assert join_and(["Ana", "Luis", "Sofía"]) == "Ana, Luis, and Sofía"
    assert join_and(["Ana", None, "", "Luis"], "or") == "Ana or Luis"


def test_plural_and_counted_words():
    assert plural(1, "child", "children") == "child"
    assert plural(["a", "b"], "child", "children") == "children"
    assert plural(0, "conviction") == "convictions"
    assert counted(2, "child", "children") == "two children"
    assert counted(12, "year") == "12 years"
    assert counted(3, "year", words=False) == "3 years"


def test_long_date():
    assert long_date(date(2026, 12, 3)) == "December\u00a03, 2026"
    assert long_date(None) == ""


def test_a_left_out_piece_leaves_no_gap():
    source = "{{ name }} works{% if employer %} at {{ employer }}{% endif %} ."
    assert render(source, {"name": "Ana", "employer": None}) == "Ana works."
    assert render(source, {"name": "Ana", "employer": "Acme"}) == "Ana works at Acme."


def test_filters_in_a_template():
    source = (
        "{{ name }} is the parent of {{ children|counted('U.S.-citizen child', 'U.S.-citizen children') }}, "
        "{{ children|join_and }}, and has lived here since {{ since|long_date }}."
    )
    text = render(source, {"name": "Ana", "children": ["Luis (9)", "Sofía (4)"], "since": date(2008, 5, 1)})
    assert text == (
        "Ana is the parent of two U.S.-citizen children, Luis (9) and Sofía (4), and has lived here since May\u00a01, 2008."
    )


def test_a_slot_not_supplied_is_an_error_not_an_empty_string():
    with pytest.raises(ProseError, match="employer"):
        render("works at {{ employer }}", {})


def test_syntax_errors_name_the_line():
    with pytest.raises(ProseError, match="line 2"):
        render("a\n{% if x %}b", {"x": 1})


def test_slots_lists_what_a_template_reads():
    assert slots("{{ a }}{% if b %}{{ c|join_and }}{% endif %}") == {"a", "b", "c"}


def test_values_are_never_evaluated_as_templates():
    typed = "{{ 7*7 }} {% raw %}"
    assert render("{{ note }}", {"note": typed}) == typed


def test_the_sandbox_refuses_python_internals():
    with pytest.raises(ProseError, match="not allowed"):
        render("{{ x.__class__.__mro__ }}", {"x": 1})
    with pytest.raises(ProseError, match="not allowed"):
        render("{{ x.__init__.__globals__ }}", {"x": tidy})


def test_tidy_collapses_spaces_and_double_stops_but_keeps_ellipsis():
    assert tidy("  Ana  works ,  here .. ") == "Ana works, here."
    assert tidy("and so on...") == "and so on..."
