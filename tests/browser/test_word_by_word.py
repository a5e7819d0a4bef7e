"""Word by word: while the article plays, the spoken sentence and word are marked, in styles
that differ in more than colour and show in every theme and in forced colours; the page
follows the word only when it leaves the view; any sentence plays when clicked, or with Enter."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from voiceref.speech.script import own_text

from .listening import PAUSED, PLAYING, marked, open_player, pause, play, seek, timings
from .pages import THEMES
from .probes import PROBES_JS, probe

pytestmark = pytest.mark.browser

SENTENCE, WORD = "voiceref-speaking", "voiceref-word"

# Records each new word mark: its text, whether it comes after the one before in the
# document, and whether it lies inside the sentence mark.
RECORD_WORD_MARKS = """() => {
  window.wordMarks = [];
  let last = null;
  const first = (name) => { const h = CSS.highlights.get(name); return h && h.size ? [...h][0] : null; };
  const step = () => {
    const word = first('voiceref-word');
    if (word && (!last || word.compareBoundaryPoints(Range.START_TO_START, last) !== 0)) {
      const sentence = first('voiceref-speaking');
      window.wordMarks.push({
        text: word.toString(),
        after: !last || last.compareBoundaryPoints(Range.START_TO_START, word) < 0,
        inside: Boolean(sentence) && sentence.compareBoundaryPoints(Range.START_TO_START, word) <= 0
          && sentence.compareBoundaryPoints(Range.END_TO_END, word) >= 0,
      });
      last = word.cloneRange();
    }
    requestAnimationFrame(step);
  };
  requestAnimationFrame(step);
}"""

MARKED_WORD = """() => { const h = CSS.highlights.get('voiceref-word');
  return h && h.size ? [...h][0].toString() : null; }"""

WORD_BOX = """() => {
  const mark = CSS.highlights.get('voiceref-word');
  if (!mark || !mark.size) return null;
  const r = [...mark][0].getBoundingClientRect();
  return {top: r.top, bottom: r.bottom, left: r.left, width: r.width, height: r.height};
}"""

WORD_IN_VIEW = f"""() => {{
  const box = ({WORD_BOX})();
  return Boolean(box) && box.top >= 0 && box.bottom <= window.innerHeight;
}}"""


def test_the_word_mark_moves_through_the_words_during_playback(browsing):
    page = open_player(browsing)
    page.evaluate(RECORD_WORD_MARKS)
    play(page)
    page.wait_for_function("() => window.wordMarks.length >= 8", timeout=20_000)
    pause(page)
    marks = page.evaluate("window.wordMarks")
    assert all(m["after"] for m in marks), marks  # forwards through the text, never back
    assert all(m["inside"] for m in marks), marks  # each word inside its sentence's mark
    assert all(m["text"].strip() and " " not in m["text"].strip() for m in marks), marks
    assert len({m["text"] for m in marks}) >= 6, marks


def words_with_their_text(page) -> list[tuple[float, str]]:
    """(mid-time, text) of sample words: the text measured on the served HTML, in Python."""
    html = BeautifulSoup(page.request.get(page.url).text(), "html.parser")
    samples = []
    for sentence in timings(page)["sentences"]:
        words = sentence.get("words") or []
        element = html.find(id=sentence["block"]) if sentence["block"] else None
        if not words or element is None:
            continue
        text, _ = own_text(element)
        for word in (words[0], words[len(words) // 2], words[-1]):
            samples.append(((word["start"] + word["end"]) / 2, text[word["from"]:word["to"]]))
    return samples


def test_the_marked_word_is_the_word_being_spoken(browsing):
    page = open_player(browsing)
    play(page)
    pause(page)
    samples = words_with_their_text(page)
    assert len(samples) >= 20
    # Words inside links and list items too: the offsets cross element boundaries.
    assert any("spasticity" in text for _, text in samples)
    for seconds, text in samples:
        seek(page, seconds)
        page.wait_for_function("(text) => " + f"({MARKED_WORD})() === text", arg=text)


STYLES = """() => {
  const block = document.querySelector('.is-speaking');
  const of = (name) => getComputedStyle(block, `::highlight(${name})`);
  const sentence = of('voiceref-speaking'), word = of('voiceref-word');
  return {
    outline: getComputedStyle(block).outlineStyle,
    sentence: {line: sentence.textDecorationLine, bg: sentence.backgroundColor, fg: sentence.color},
    word: {line: word.textDecorationLine, thickness: word.textDecorationThickness,
           bg: word.backgroundColor, fg: word.color},
  };
}"""


CONTRAST = f"([fg, bg]) => {{ const p = ({PROBES_JS}); return p.contrast(p.parse(fg), p.parse(bg)); }}"


PRESENTATIONS = {
    **{name: (prefs, {"color_scheme": scheme}) for name, (prefs, scheme) in THEMES.items()},
    "forced-colours-light": ("", {"forced_colors": "active", "color_scheme": "light"}),
    "forced-colours-dark": ("", {"forced_colors": "active", "color_scheme": "dark"}),
}


@pytest.mark.parametrize("presentation", PRESENTATIONS)
def test_sentence_and_word_marks_differ_in_shape_and_show_in_every_theme(browsing, presentation):
    prefs, options = PRESENTATIONS[presentation]
    page = open_player(browsing, prefs=prefs, **options)
    play(page)
    page.wait_for_function(f"() => ({MARKED_WORD})() !== null && document.querySelector('audio').currentTime > 3.5")
    pause(page)
    styles = page.evaluate(STYLES)
    # Not colour alone: the word is underlined (thickly), the sentence is not; the block is outlined.
    assert styles["word"]["line"] == "underline" and styles["sentence"]["line"] == "none", styles
    assert float(styles["word"]["thickness"].rstrip("px")) >= 2, styles
    assert styles["outline"] == "dashed", styles
    for mark in ("sentence", "word"):
        ratio = page.evaluate(CONTRAST, [styles[mark]["fg"], styles[mark]["bg"]])
        assert ratio >= 4.5, f"{mark} mark contrast {ratio:.2f} in {presentation}: {styles[mark]}"

    # What the reader sees changes with each mark: take each away and the pixels change.
    box = page.evaluate(WORD_BOX)
    line = page.evaluate("() => document.querySelector('.is-speaking').getBoundingClientRect().toJSON()")
    clips = {
        "word": {"x": box["left"], "y": box["top"], "width": box["width"], "height": box["height"]},
        # The strip just under the word's box, where only its underline is drawn.
        "underline": {"x": box["left"], "y": box["bottom"], "width": box["width"], "height": 8},
        "sentence": {"x": line["left"], "y": line["top"], "width": line["width"], "height": line["height"]},
    }

    def shoot() -> dict[str, bytes]:
        return {name: page.screenshot(clip=clip) for name, clip in clips.items()}

    both = shoot()
    page.evaluate("CSS.highlights.delete('voiceref-word')")
    sentence_only = shoot()
    page.evaluate("CSS.highlights.delete('voiceref-speaking')")
    neither = shoot()
    assert both["word"] != sentence_only["word"], f"the word's box is invisible in {presentation}"
    assert both["underline"] != sentence_only["underline"], f"the word's underline is invisible in {presentation}"
    assert sentence_only["sentence"] != neither["sentence"], f"the sentence mark is invisible in {presentation}"


def test_the_page_stays_still_while_the_word_is_in_view(browsing):
    page = open_player(browsing, width=1280, height=2400)  # the whole article is in view
    page.evaluate(RECORD_WORD_MARKS)
    play(page)
    page.wait_for_function("() => window.wordMarks.length >= 6", timeout=20_000)
    pause(page)
    assert page.evaluate("window.scrollY") == 0


def test_the_page_follows_the_word_when_it_leaves_the_view(browsing):
    page = open_player(browsing, width=800, height=400)
    play(page)
    page.evaluate("window.scrollTo(0, 0)")
    last = timings(page)["sentences"][-2]  # far below the fold of a 400 px window
    seek(page, last["start"])
    page.wait_for_function(PLAYING)
    page.wait_for_function(f"() => ({WORD_IN_VIEW})() && window.scrollY > 0", timeout=10_000)
    pause(page)


def sentence_box(page, block: str, word: str) -> tuple[float, float]:
    """The middle of `word` in the own text of element `block`, scrolled into view."""
    page.locator(f"#{block}").scroll_into_view_if_needed()
    return page.evaluate(
        """([block, word]) => {
          const el = document.getElementById(block);
          const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.data.indexOf(word);
            if (at < 0) continue;
            const range = document.createRange();
            range.setStart(node, at); range.setEnd(node, at + word.length);
            const r = range.getBoundingClientRect();
            return [r.left + r.width / 2, r.top + r.height / 2];
          }
          return null;
        }""",
        [block, word],
    )


def test_clicking_a_sentence_while_listening_plays_from_that_sentence(browsing):
    page = open_player(browsing)
    play(page)
    page.mouse.click(*sentence_box(page, "blk-1", "harmless"))  # the second sentence of blk-1
    page.wait_for_function(f"() => ({MARKED_WORD})() !== null")
    assert marked(page, SENTENCE) == "Hiccups are a harmless kind."
    hiccups = next(s for s in timings(page)["sentences"] if s["text"] == "Hiccups are a harmless kind.")
    assert page.evaluate("document.querySelector('audio').currentTime") >= hiccups["start"] - 0.05
    assert not page.evaluate("document.querySelector('audio').paused")
    pause(page)


def test_a_click_on_the_text_before_listening_starts_nothing(browsing):
    page = open_player(browsing)
    page.mouse.click(*sentence_box(page, "blk-1", "harmless"))
    page.wait_for_timeout(500)  # long enough for playback to start, had the click started it
    assert page.evaluate(PAUSED)
    assert marked(page, SENTENCE) is None


def test_enter_plays_from_the_sentence_at_the_text_caret(browsing):
    page = open_player(browsing)
    # Caret browsing (F7) puts the caret in the text; focus stays on the page.
    page.evaluate("""() => {
      const link = document.querySelector('#blk-5 a[href^="https"]');
      const text = link.previousSibling;  // " Read more at "
      getSelection().collapse(text, text.data.indexOf('more'));
    }""")
    page.keyboard.press("Enter")
    page.wait_for_function(PLAYING)
    assert marked(page, SENTENCE) == "Read more at the NINDS page."
    pause(page)


def test_enter_on_a_heading_reached_from_on_this_page_plays_from_it(browsing):
    page = open_player(browsing)
    page.get_by_role("link", name="What can help").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.id === 'what-can-help'")
    page.keyboard.press("Enter")
    page.wait_for_function(PLAYING)
    assert marked(page, SENTENCE) == "What can help"
    assert page.evaluate("document.activeElement.id") == "what-can-help"  # focus stays put
    pause(page)


def test_word_marks_use_the_real_page_text_at_any_width(browsing):
    """At 320 px the words wrap differently; the marks still sit on the right words."""
    page = open_player(browsing, width=320, height=640)
    play(page)
    pause(page)
    for seconds, text in words_with_their_text(page)[:12]:
        seek(page, seconds)
        page.wait_for_function("(text) => " + f"({MARKED_WORD})() === text", arg=text)
    assert probe(page, "reflow")["scrollWidth"] <= 320

