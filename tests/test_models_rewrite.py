"""The rewrite of datamodel-code-generator's output to JSON Schema's integers and dates (models._json_types).

Only the statements that name AwareDatetime/date are tokenized; what is rewritten must be exactly
what reading every token of the module would rewrite: types in annotations (also in class bases,
unions and multi-line fields), never a field, keyword argument, attribute or string of that name."""

from __future__ import annotations

import ast
import textwrap

import pytest

from generator.models import _JSON_DATES, _JSON_DATES_IMPORTS, _JSON_INT, _JSON_INT_IMPORTS, Outline, _json_types

HEAD = "# header\n\nfrom __future__ import annotations\n\nfrom pydantic import AwareDatetime, BaseModel, Field\n"


def _rewrite(body: str, head: str = HEAD) -> str:
    code = head + textwrap.dedent(body)
    return _json_types(code, Outline(code))


def test_date_types_are_rewritten_in_annotations_only() -> None:
    body = '''

class Event(BaseModel):
    """Happens at an AwareDatetime, on a date."""

    at: AwareDatetime
    until: AwareDatetime | None = None
    dates: list[date_aliased] = Field(..., description="date: AwareDatetime")
    date: Annotated[
        date_aliased,
        Field(alias="date", title="AwareDatetime"),
    ]
    window: dict[str, AwareDatetime] | None = None


class Stamp(RootModel[AwareDatetime]):
    root: AwareDatetime
'''
    head = HEAD + "from datetime import date as date_aliased\n"
    got = _rewrite(body, head)
    assert got.startswith(head + _JSON_DATES_IMPORTS + _JSON_DATES)
    rest = got[len(head + _JSON_DATES_IMPORTS + _JSON_DATES) :]
    want = textwrap.dedent(body)
    for old, new in (
        ("at: AwareDatetime", "at: JsonDateTime"),
        ("until: AwareDatetime", "until: JsonDateTime"),
        ("list[date_aliased]", "list[JsonDate]"),
        ("        date_aliased,", "        JsonDate,"),
        ("dict[str, AwareDatetime]", "dict[str, JsonDateTime]"),
        ("RootModel[AwareDatetime]", "RootModel[JsonDateTime]"),
        ("root: AwareDatetime", "root: JsonDateTime"),
    ):
        assert old in want
        want = want.replace(old, new)
    assert rest == want
    # Strings, the docstring and the field named `date` are untouched.
    assert '"date: AwareDatetime"' in rest and 'title="AwareDatetime"' in rest
    assert "    date: Annotated[" in rest and "on a date." in rest


def test_integers_and_dates_together_keep_the_order_of_the_inserted_blocks() -> None:
    body = """

class Page(BaseModel):
    count: StrictInt
    at: AwareDatetime
"""
    head = HEAD.replace("Field\n", "Field, StrictInt\n")
    got = _rewrite(body, head)
    want_body = body.replace("StrictInt", "JsonInt").replace("at: AwareDatetime", "at: JsonDateTime")
    assert got == head + _JSON_INT_IMPORTS + _JSON_DATES_IMPORTS + _JSON_DATES + _JSON_INT + want_body


@pytest.mark.parametrize(
    "body",
    [
        "\n\nclass Plain(BaseModel):\n    name: str\n",
        # Named, but never as a type: a keyword argument, an attribute, a field, a string.
        "\n\nclass Named(BaseModel):\n    AwareDatetime: str = Field(AwareDatetime='x')\n"
        "    y: str = 'AwareDatetime'\n    z: int = types.AwareDatetime\n",
    ],
)
def test_nothing_to_rewrite_leaves_the_module_as_it_is(body: str) -> None:
    assert _rewrite(body) == HEAD + body


def test_a_one_line_compound_statement_is_read_whole() -> None:
    body = "\n\nclass Stamp(RootModel[AwareDatetime]): root: AwareDatetime\n"
    got = _rewrite(body)
    assert got.endswith("\n\nclass Stamp(RootModel[JsonDateTime]): root: JsonDateTime\n")


def test_lines_are_counted_as_python_counts_them() -> None:
    # A line separator inside a docstring is no line break for Python: the field after it is found.
    body = '\n\nclass Doc(BaseModel):\n    """One\u2028two."""\n\n    at: AwareDatetime\n'
    got = _rewrite(body)
    assert got.endswith('    """One\u2028two."""\n\n    at: JsonDateTime\n')


def test_marked_unions_become_exclusive_one_ofs() -> None:
    from generator.models import ONE_OF_MARK, _one_of
    from generator.unsatisfiable import SENTINEL

    mark = f'Literal["{ONE_OF_MARK}"]'
    code = (
        "from __future__ import annotations\n\nfrom typing import Literal\n\nfrom pydantic import BaseModel\n\n\n"
        "class Body(BaseModel):\n"
        f"    config: A | B | {mark} | MISSING = MISSING\n"
        f"    many: list[\n        A\n        | {mark}\n        | C\n    ] | None = None\n"
        f"    nested: list[A | {mark} | B] | list[C | D | {mark}] | {mark} | None = None\n"
        f"    kept: Literal['x'] | {mark}\n"
        f"    alone: {mark}\n"
    )
    rewritten = _one_of(code)
    assert ONE_OF_MARK not in rewritten
    body = next(n for n in ast.parse(rewritten).body if isinstance(n, ast.ClassDef) and n.name == "Body")
    fields = {
        node.target.id: ast.unparse(node.annotation)
        for node in body.body
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
    }
    assert fields == {
        "config": "Annotated[A | B, _ONE_OF] | MISSING",
        "many": "list[Annotated[A | C, _ONE_OF]] | None",
        "nested": "Annotated[list[Annotated[A | B, _ONE_OF]] | list[Annotated[C | D, _ONE_OF]], _ONE_OF] | None",
        "kept": "Literal['x']",
        "alone": f"Literal['{SENTINEL}']",  # not a union: an option no value satisfies
    }
    assert "from typing import Literal" in rewritten  # still used
    assert "class _ExactlyOne" in rewritten


def test_literal_is_no_longer_imported_when_only_marks_used_it() -> None:
    from generator.models import ONE_OF_MARK, _one_of

    code = (
        "from __future__ import annotations\n\nfrom typing import (\n    Annotated,\n    Literal,\n)\n\n"
        "from pydantic import BaseModel\n\n\n"
        f"class Body(BaseModel):\n    config: A | B | Literal['{ONE_OF_MARK}'] | None = None\n"
    )
    rewritten = _one_of(code)
    tree = ast.parse(rewritten)
    typing_names = [
        a.name for n in tree.body if isinstance(n, ast.ImportFrom) and n.module == "typing" for a in n.names
    ]
    assert "Literal" not in typing_names
    assert "Annotated" in typing_names
    assert "config: Annotated[A | B, _ONE_OF] | None = None" in rewritten


MARK = 'Literal["apigen:one-of"]'
MARKED = [
    # Several marked statements, a nested marked union, a mark in a string and a docstring.
    f"""

class Body(BaseModel):
    \"\"\"Doc (with a bracket [ and a string quote ".\"\"\"

    config: A | B | {MARK} | MISSING = MISSING
    many: list[
        A
        | {MARK}
        | C
    ] | None = None


Other = RootModel[list[A | {MARK} | B] | list[C | D | {MARK}] | {MARK}]


class Plain(BaseModel):
    a: str = "apigen:one-of is only text here"
    b: X | {MARK}
""",
    # A decorator: the module is not outlined, the whole module is rewritten at once.
    f"\n@decorated\nclass Body(BaseModel):\n    config: A | B | {MARK} | None = None\n",
]


@pytest.mark.parametrize("body", MARKED)
def test_one_of_rewrites_only_the_marked_statements_as_the_whole_module_would(body: str) -> None:
    from generator.models import ONE_OF_MARK, _one_of

    code = "from __future__ import annotations\n\nfrom typing import Literal\n\nfrom pydantic import BaseModel\n" + body
    fast, whole = _one_of(code), _one_of(code, whole=True)
    assert fast == whole
    assert ONE_OF_MARK not in fast
    assert "Annotated[A | B, _ONE_OF] |" in fast


TRICKY = [
    # A docstring and a string whose continuation lines start at column 0 with code-like text.
    '''
class A(BaseModel):
    """Doc
class NotAClass:
    x: AwareDatetime
"""

    at: AwareDatetime
    s: str = \'\'\'
import os
date: AwareDatetime\'\'\'
''',
    # Brackets whose content and closing line are at column 0; a comment at column 0 in a class.
    """
Stamps = RootModel[
list[AwareDatetime]
]
class B(BaseModel):
    at: AwareDatetime
# a comment at column 0
    until: AwareDatetime | None = None
""",
    # A backslash continuation onto column 0 (its piece does not parse alone), a decorator: the
    # whole module is parsed instead.
    """
Alias = dict[str, AwareDatetime] | \\
None
class C(BaseModel):
    at: AwareDatetime
""",
    """
@decorate
class D(BaseModel):
    at: AwareDatetime
""",
    # Quotes and brackets inside strings and comments do not count.
    '\nclass E(BaseModel):\n    a: str = "(["  # ) ] }\n    b: str = \'"""\'\n    at: AwareDatetime\n'
    "class F(E):\n    pass\n",
]


@pytest.mark.parametrize("body", TRICKY)
def test_the_outline_agrees_with_parsing_the_whole_module(body: str) -> None:
    code = HEAD + "from datetime import date\n" + body
    fast, whole = Outline(code), Outline(code, whole=True)
    assert fast.classes() == whole.classes() == {n.name for n in ast.parse(code).body if isinstance(n, ast.ClassDef)}
    assert _json_types(code, fast) == _json_types(code, whole)
    assert "JsonDateTime" in _json_types(code, fast)
