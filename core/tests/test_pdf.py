"""Bengali in PDFs: the right font for every run, and HarfBuzz shaping switched on."""

import uharfbuzz
from reportlab.lib.pagesizes import A5
from reportlab.pdfbase import pdfmetrics

from core.pdf import BENGALI, FONT_DIR, _runs, document_build, markup, para, style, taka


def test_text_is_cut_into_runs_at_word_edges_only():
    assert list(_runs("বিকাশ (bKash)")) == [(True, "বিকাশ "), (False, "(bKash)")]
    # Digits and punctuation that both fonts draw never split a word.
    assert list(_runs("২৩/১১/২০২৬ ০৬:১০")) == [(True, "২৩/১১/২০২৬ ০৬:১০")]
    assert list(_runs("তৈরি, স্বাক্ষরের")) == [(True, "তৈরি, স্বাক্ষরের")]
    assert list(_runs("12,500.00 টাকা")) == [(True, "12,500.00 টাকা")]
    assert list(_runs("Receipt no. ১")) == [(False, "Receipt no. "), (True, "১")]
    assert list(_runs("")) == []


def test_markup_escapes_what_people_typed():
    assert markup("<b>&") == '<font name="CCLatin">&lt;b&gt;&amp;</font>'
    assert markup("দান", bold=True) == '<font name="CCBengali-Bold">দান</font>'


def test_amounts_in_both_scripts():
    assert taka("12500", bengali=True) == "১২,৫০০.০০ টাকা"
    assert taka("12500", bengali=False) == "BDT 12,500.00"


def test_the_bengali_font_is_shaped():
    style("probe")  # registers the fonts
    assert pdfmetrics.getFont(BENGALI).shapable
    # HarfBuzz with our font puts the vowel sign of "কি" before its consonant when drawn.
    face = uharfbuzz.Face(
        uharfbuzz.Blob.from_file_path(str(FONT_DIR / "NotoSansBengali-Regular.ttf"))
    )
    buffer = uharfbuzz.Buffer()
    buffer.add_str("কি")
    buffer.guess_segment_properties()
    uharfbuzz.shape(uharfbuzz.Font(face), buffer, {})
    assert [info.cluster for info in buffer.glyph_infos] == [0, 0]
    ka = uharfbuzz.Font(face).get_nominal_glyph(ord("ক"))
    assert buffer.glyph_infos[1].codepoint == ka  # the consonant is drawn second


def test_shaping_changes_what_is_drawn():
    shaped = style("shaped")
    plain = style("plain")
    plain.shaping = 0
    text = "ক্লিন কেয়ার"
    with_shaping = document_build([para(text, shaped)], pagesize=A5, title="t", margins=20)
    without = document_build([para(text, plain)], pagesize=A5, title="t", margins=20)
    assert with_shaping != without


def test_what_no_font_can_draw_is_left_out_not_boxed():
    assert markup("ধন্যবাদ 🙏 谢谢!") == '<font name="CCBengali">ধন্যবাদ  !</font>'
    assert markup("a\x00b") == '<font name="CCLatin">ab</font>'
