"""PDF documents that print Bengali right: reportlab, embedded Noto fonts, HarfBuzz shaping.

Bengali needs shaping (vowel signs placed before their consonant, conjuncts): reportlab does it
through uharfbuzz for Paragraphs whose style has ``shaping=1``. Noto Sans Bengali carries no
Latin letters, so text is split into runs and each run set in the font that has its letters.
The fonts ship in core/fonts (SIL Open Font License, see OFL.txt), so a server needs no system
fonts.
"""

from __future__ import annotations

import functools
import io
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate

FONT_DIR = Path(__file__).resolve().parent / "fonts"
BENGALI, LATIN = "CCBengali", "CCLatin"
_FILES = {
    BENGALI: "NotoSansBengali-Regular.ttf",
    f"{BENGALI}-Bold": "NotoSansBengali-Bold.ttf",
    LATIN: "NotoSans-Regular.ttf",
    f"{LATIN}-Bold": "NotoSans-Bold.ttf",
}
_BENGALI_DIGITS = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")


@functools.cache
def fonts_register() -> None:
    """Register the embedded fonts with reportlab once per process."""
    for name, filename in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))


def _is_bengali(char: str) -> bool:
    # The Bengali block, the dandas shared with Devanagari, and the joiners used inside words.
    return "\u0980" <= char <= "\u09ff" or char in "\u0964\u0965\u200c\u200d"


@functools.cache
def _shared() -> frozenset[str]:
    """Characters both fonts draw (digits, spaces, common punctuation): they never start a new
    run, because reportlab cannot shape a word that changes font in its middle."""
    fonts_register()
    bengali = pdfmetrics.getFont(BENGALI).face.charToGlyph
    latin = pdfmetrics.getFont(LATIN).face.charToGlyph
    return frozenset(chr(code) for code in bengali if code in latin and not _is_bengali(chr(code)))


def _kinds(text: str) -> list[bool]:
    """Bengali (True) or not, for every character. A shared character takes the font of its
    word (the next letter in the word that needs one, else the last); a word of shared
    characters only, and the spaces, stay with what came before."""
    shared = _shared()
    kinds: list[bool | None] = [None if c in shared else _is_bengali(c) for c in text]
    last = next((kind for kind in kinds if kind is not None), False)
    for word in re.finditer(r"\S+", text):
        start, end = word.span()
        ahead: bool | None = None
        for index in range(end - 1, start - 1, -1):  # right to left: the next letter's font
            if kinds[index] is None:
                kinds[index] = ahead
            else:
                ahead = kinds[index]
        for index in range(start, end):  # shared characters at the end of the word
            if kinds[index] is None:
                kinds[index] = last
            last = kinds[index]
    resolved: list[bool] = []
    last = next((kind for kind in kinds if kind is not None), False)
    for kind in kinds:  # spaces
        last = last if kind is None else kind
        resolved.append(last)
    return resolved


def _runs(text: str) -> Iterable[tuple[bool, str]]:
    """(is_bengali, run) pieces of ``text``, in order."""
    current: list[str] = []
    known = False
    for char, kind in zip(text, _kinds(text), strict=True):
        if current and kind != known:
            yield known, "".join(current)
            current = []
        known = kind
        current.append(char)
    if current:
        yield known, "".join(current)


@functools.cache
def _drawable() -> frozenset[int]:
    fonts_register()
    return frozenset(pdfmetrics.getFont(BENGALI).face.charToGlyph) | frozenset(
        pdfmetrics.getFont(LATIN).face.charToGlyph
    )


def _printable(text: str) -> str:
    """``text`` without what neither font can draw (emoji, other scripts, control characters),
    which would print as empty boxes; the joiners Bengali words use are kept."""
    drawable = _drawable()
    return "".join(
        c
        for c in text
        if c in "\u200c\u200d"
        or (ord(c) in drawable and not unicodedata.category(c).startswith("C"))
    )


def markup(text: str, *, bold: bool = False) -> str:
    """Paragraph markup for plain ``text``: escaped, each run in the font that has its letters."""
    suffix = "-Bold" if bold else ""
    return "".join(
        f'<font name="{BENGALI if bengali else LATIN}{suffix}">{escape(run)}</font>'
        for bengali, run in _runs(_printable(str(text)))
    )


def bengali_digits(value: str) -> str:
    return value.translate(_BENGALI_DIGITS)


def taka(amount: Decimal, *, bengali: bool) -> str:
    """12500 -> '১২,৫০০.০০ টাকা' or 'BDT 12,500.00'."""
    text = f"{Decimal(amount):,.2f}"
    return f"{bengali_digits(text)} টাকা" if bengali else f"BDT {text}"


def style(name: str, *, size: float = 10, leading: float | None = None, **extra) -> ParagraphStyle:
    """A paragraph style that shapes its text (the fonts come from ``markup``)."""
    fonts_register()
    return ParagraphStyle(
        name,
        fontName=LATIN,
        fontSize=size,
        leading=leading or size * 1.45,
        shaping=1,
        **extra,
    )


def para(text: str, paragraph_style: ParagraphStyle, *, bold: bool = False) -> Paragraph:
    return Paragraph(markup(text, bold=bold), paragraph_style)


def document_build(
    story: list[Flowable], *, pagesize, title: str, margins: float, on_page=None
) -> bytes:
    """Lay ``story`` out into PDF bytes. The output is invariant (no creation time, fixed ids),
    so the same document renders to the same bytes."""
    fonts_register()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        title=title,
        author="Clean Care Bangladesh",
        leftMargin=margins,
        rightMargin=margins,
        topMargin=margins,
        bottomMargin=margins,
        invariant=1,
    )
    hooks = {"onFirstPage": on_page, "onLaterPages": on_page} if on_page else {}
    document.build(story, **hooks)
    return buffer.getvalue()


def receipt_build(
    *, heading: str, rows: list[tuple[str, str, str]], closing: str, doc_title: str
) -> bytes:
    """One A5 receipt page: the city's name, ``heading`` ("বাংলা / English"), a table of
    (Bengali label, English label, value) rows, ``closing`` words and the no-signature line."""
    from django.conf import settings
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A5
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer, Table, TableStyle

    green = colors.HexColor("#1b5e20")
    title = style("title", size=15, alignment=1)
    subtitle = style("subtitle", size=11, alignment=1, textColor=green)
    label = style("label", size=8.5, textColor=colors.HexColor("#444444"))
    value = style("value", size=9.5)
    small = style("small", size=8, alignment=1, textColor=colors.HexColor("#555555"))
    table = Table(
        [[para(f"{bn} / {en}", label), para(text, value)] for bn, en, text in rows],
        colWidths=[34 * mm, None],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -2), 0.25, colors.HexColor("#cccccc")),
                ("BOX", (0, 0), (-1, -1), 0.6, green),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    story = [
        para("ক্লিন কেয়ার বাংলাদেশ", title, bold=True),
        para(
            f"Clean Care Bangladesh — {settings.CITY_CORPORATION_NAME_BN} / "
            f"{settings.CITY_CORPORATION_NAME_EN}",
            small,
        ),
        Spacer(1, 4 * mm),
        para(heading, subtitle, bold=True),
        Spacer(1, 4 * mm),
        table,
        Spacer(1, 6 * mm),
        para(closing, small),
        para(
            "এই রসিদটি কম্পিউটারে তৈরি, স্বাক্ষরের প্রয়োজন নেই। "
            "This receipt is computer generated and needs no signature.",
            small,
        ),
    ]
    return document_build(story, pagesize=A5, title=doc_title, margins=12 * mm)


def when_text(moment) -> str:
    """A Dhaka time as receipts print it: Bengali digits, then the English form."""
    from django.utils import timezone

    local = timezone.localtime(moment)
    return f"{bengali_digits(local.strftime('%d/%m/%Y %H:%M'))} ({local:%d %b %Y %H:%M})"
