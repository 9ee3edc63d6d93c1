"""The Bengali catalogues are complete, compiled, and still match the libraries' own strings."""

import ast
import re
from pathlib import Path

import polib
import pytest
import rest_framework
import rest_framework_simplejwt
from django.contrib import auth
from django.core import validators
from django.utils import timesince
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = [
    ROOT / "locale" / "bn" / "LC_MESSAGES" / "django.po",
    ROOT / "locale_vendor" / "bn" / "LC_MESSAGES" / "django.po",
]


def entries(catalogue) -> dict:
    return {
        (e.msgid, e.msgid_plural): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in catalogue
        if not e.obsolete
    }


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.parent.parent.parent.name)
def test_every_message_is_translated_and_none_is_fuzzy(po_path):
    po = polib.pofile(str(po_path))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.parent.parent.parent.name)
def test_compiled_catalogue_matches_its_source(po_path):
    """The .mo files are committed (no gettext needed to run); run `make messages` after edits."""
    assert entries(polib.mofile(str(po_path.with_suffix(".mo")))) == entries(
        polib.pofile(str(po_path))
    )


def test_vendor_msgids_still_exist_in_the_libraries():
    """A library upgrade that rewords a message would silently drop its Bengali; catch that."""
    roots = [Path(rest_framework.__file__).parent, Path(rest_framework_simplejwt.__file__).parent]
    files = [f for root in roots for f in root.rglob("*.py")]
    files.append(Path(auth.__file__).parent / "password_validation.py")
    files.append(Path(validators.__file__))
    files.append(Path(timesince.__file__))  # ages in the console ("3 days")
    source = "\n".join(f.read_text(encoding="utf-8") for f in files)
    vendor = polib.pofile(str(CATALOGUES[1]))
    stale = [e.msgid for e in vendor if e.msgid not in source]
    assert stale == []


_CALL = re.compile(r"\b(gettext|ngettext|pgettext|npgettext)\(((?:u'(?:[^'\\]|\\.)*'\s*,?\s*)+)")
_LITERAL = re.compile(r"u('(?:[^'\\]|\\.)*')")


def template_messages() -> set[tuple[str | None, str]]:
    """(context, msgid) of every {% translate %} / {% blocktranslate %} in the project's templates,
    read the way `makemessages` reads them (Django's templatize)."""
    found = set()
    folders = [ROOT / "templates", *(ROOT / "apps").glob("*/templates")]
    for template in (path for folder in folders for path in folder.rglob("*.html")):
        for kind, arguments in _CALL.findall(templatize(template.read_text(encoding="utf-8"))):
            texts = [ast.literal_eval(text) for text in _LITERAL.findall(arguments)]
            context = texts.pop(0) if kind.startswith(("p", "np")) else None
            found.add((context, texts[0]))
    return found


def test_every_template_text_is_in_the_bengali_catalogue():
    """A text added to a template without `make messages` would show in English to everyone."""
    catalogue = {(e.msgctxt, e.msgid) for e in polib.pofile(str(CATALOGUES[0])) if not e.obsolete}
    messages = template_messages()
    assert len(messages) > 250  # the walk found the console's and the public pages' texts
    assert sorted(messages - catalogue, key=str) == []
