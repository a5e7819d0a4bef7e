"""Reader preferences: the pure parsing functions, and the form over HTTP."""

from __future__ import annotations

from dataclasses import fields

import pytest
from bs4 import BeautifulSoup

from voiceref.web.preferences import (
    COOKIE,
    DEFAULT,
    FIELDS,
    Preferences,
    cookie_value,
    from_form,
    parse_cookie,
    valid_value,
)

CHOSEN = Preferences(
    size="175", theme="contrast", line="wider", letter="wide", font="dyslexic",
    voice="clear", speed="1.5", shortcuts="off", highlight="off", words="off",
)


# --- pure functions --------------------------------------------------------------------

def test_fields_and_preferences_name_the_same_settings():
    assert [f.name for f in fields(Preferences)] == [f.name for f in FIELDS]


def test_every_field_offers_its_default_first_and_five_text_sizes_up_to_200():
    sizes = [int(v) for v in next(f for f in FIELDS if f.name == "size").values]
    assert len(sizes) >= 5 and sizes[0] == 100 and max(sizes) == 200
    assert all(getattr(DEFAULT, f.name) == f.default for f in FIELDS)


def test_cookie_round_trips_every_choice():
    assert parse_cookie(cookie_value(CHOSEN)) == CHOSEN


def test_default_preferences_write_an_empty_cookie():
    assert cookie_value(DEFAULT) == ""
    assert parse_cookie("") == DEFAULT
    assert parse_cookie(None) == DEFAULT


@pytest.mark.parametrize(
    "raw",
    [
        "theme=purple",
        "size=1000",
        "size=100%22%3E%3Cscript%3E",
        'theme="><script>alert(1)</script>',
        "speed=1e3",
        "shortcuts=maybe",
        "nonsense",
        "=dark",
        "x" * 5000,
    ],
)
def test_tampered_cookie_values_are_ignored(raw):
    assert parse_cookie(raw) == DEFAULT


def test_valid_parts_survive_beside_invalid_ones():
    prefs = parse_cookie("theme=dark&size=999&unknown=1&font=legible&font")
    assert prefs == Preferences(theme="dark", font="legible")


def test_valid_value_knows_only_listed_values():
    assert valid_value("theme", "contrast")
    assert not valid_value("theme", "CONTRAST")
    assert not valid_value("colour", "dark")
    assert not valid_value("size", None)


def test_form_without_ticked_checkboxes_turns_them_off():
    prefs = from_form({"size": "150", "theme": "light"})
    assert prefs == Preferences(
        size="150", theme="light", shortcuts="off", highlight="off", words="off"
    )


def test_form_ignores_invalid_answers():
    prefs = from_form({"size": "12", "theme": "neon", "shortcuts": "on", "highlight": "yes",
                       "words": "on", "voice": "robot"})
    assert prefs == Preferences(highlight="off")


def test_html_classes_and_data_attributes():
    assert DEFAULT.html_classes() == ""
    assert CHOSEN.html_classes() == (
        "theme-contrast text-175 line-wider letter-wide font-dyslexic"
    )
    assert CHOSEN.html_data() == {
        "data-shortcuts": "off",
        "data-highlight": "off",
        "data-words": "off",
        "data-default-speed": "1.5",
    }


def test_the_natural_voice_and_word_highlighting_are_the_defaults():
    assert DEFAULT.voice == "natural" and DEFAULT.words == "on"
    assert parse_cookie("voice=clear&words=off") == Preferences(voice="clear", words="off")
    assert parse_cookie("voice=espeak") == DEFAULT


# --- over HTTP ---------------------------------------------------------------------------

def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_preferences_page_is_a_plain_form_with_labelled_controls(client):
    response = client.get("/preferences")
    assert response.status_code == 200
    page = soup(response)
    assert [h.get_text() for h in page.find_all("h1")] == ["Reading preferences"]
    form = page.find("form", class_="preferences")
    assert form["method"] == "post" and form["action"] == "/preferences"
    controls = form.find_all(["input", "select"])
    assert controls
    for control in controls:
        assert page.find("label", attrs={"for": control["id"]}), control
    names = {c["name"] for c in controls}
    assert names == {f.name for f in FIELDS}
    # The default choices are the checked ones.
    assert form.find("input", attrs={"name": "theme", "checked": True})["value"] == "system"
    assert form.find("input", attrs={"name": "shortcuts"}).has_attr("checked")


def test_every_page_links_to_preferences_from_the_main_nav(client):
    for path in ["/", "/glossary/", "/glossary/myoclonus", "/search?q=mri", "/nowhere"]:
        nav = soup(client.get(path)).find("nav", attrs={"aria-label": "Main"})
        assert nav.find("a", href="/preferences"), path


def test_saving_sets_a_cookie_and_redirects_back(client):
    response = client.post(
        "/preferences",
        data={"size": "200", "theme": "dark", "line": "wide", "letter": "standard",
              "font": "legible", "voice": "clear", "speed": "1.25", "highlight": "on",
              "action": "save"},
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/preferences?saved=1")
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None
    assert parse_cookie(cookie.value) == Preferences(
        size="200", theme="dark", line="wide", font="legible", voice="clear", speed="1.25",
        shortcuts="off", highlight="on", words="off",
    )
    assert cookie.http_only and cookie.same_site == "Lax"

    page = soup(client.get(response.headers["Location"]))
    assert page.find(attrs={"role": "status"}).get_text(" ", strip=True).startswith(
        "Your preferences are saved"
    )
    assert page.title.get_text().startswith("Preferences saved")
    assert page.find("input", attrs={"name": "theme", "value": "dark"}).has_attr("checked")
    assert not page.find("input", attrs={"name": "shortcuts"}).has_attr("checked")


def test_preferences_are_applied_on_the_server_to_every_page(client):
    client.set_cookie(COOKIE, cookie_value(CHOSEN))
    for path in ["/", "/glossary/myoclonus", "/nowhere"]:
        html = soup(client.get(path)).html
        assert html["class"] == CHOSEN.html_classes().split(), path
        assert html["data-shortcuts"] == "off"
        assert html["data-highlight"] == "off"
        assert html["data-default-speed"] == "1.5"


def test_pages_without_a_cookie_have_no_reader_classes(client):
    response = client.get("/")
    html = soup(response).html
    assert not html.has_attr("class")
    assert html["data-shortcuts"] == "on"
    assert "Cookie" in response.headers["Vary"]


def test_a_tampered_cookie_never_reaches_the_page(client):
    client.set_cookie(COOKIE, 'theme=dark"><script>alert(1)</script>&size=150')
    response = client.get("/")
    body = response.get_data(as_text=True)
    assert "alert(1)" not in body
    assert soup(response).html["class"] == ["text-150"]


def test_reset_clears_the_cookie(client):
    client.set_cookie(COOKIE, cookie_value(CHOSEN))
    response = client.post("/preferences", data={"action": "reset"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("saved=reset")
    assert client.get_cookie(COOKIE) is None
    assert "back to the standard settings" in client.get(response.headers["Location"]).text


def test_saving_the_defaults_removes_the_cookie(client):
    client.set_cookie(COOKIE, cookie_value(CHOSEN))
    data = {f.name: f.default for f in FIELDS if f.control != "checkbox"}
    client.post("/preferences", data={**data, "shortcuts": "on", "highlight": "on", "words": "on"})
    assert client.get_cookie(COOKIE) is None


def test_a_post_from_another_site_is_refused(client):
    response = client.post(
        "/preferences", data={"theme": "dark"}, headers={"Origin": "https://evil.example"}
    )
    assert response.status_code == 403
    assert client.get_cookie(COOKIE) is None


def test_a_post_from_an_opaque_origin_is_refused(client):
    response = client.post("/preferences", data={"theme": "dark"}, headers={"Origin": "null"})
    assert response.status_code == 403


def test_a_post_from_this_site_is_accepted(client):
    response = client.post(
        "/preferences", data={"theme": "dark"}, headers={"Origin": "http://localhost"}
    )
    assert response.status_code == 303
    assert parse_cookie(client.get_cookie(COOKIE).value).theme == "dark"


def test_shortcuts_are_listed_on_the_preferences_page_and_accessibility_statement(client):
    for path in ["/preferences", "/about/accessibility-statement"]:
        section = soup(client.get(path)).find("section", class_="shortcuts")
        assert section is not None, path
        keys = [k.get_text() for k in section.find_all("kbd")]
        assert "/" in keys and "k" in keys, path


def test_the_voice_choices_are_the_voices_every_article_is_published_in():
    from voiceref.speech.engines import VOICES

    assert next(f for f in FIELDS if f.name == "voice").values == VOICES  # the default first
