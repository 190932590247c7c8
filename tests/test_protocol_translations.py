"""Protocols in several languages: a translation file per language beside the protocol, with
texts only; every text a claimed language lacks is reported, and served in the first."""

import re
from pathlib import Path

import pytest

from server.plans.registry import InvalidProtocol, Registry, load_file
from server.plans.translations import localized, translation_warning
from tests.support.protocol_files import SPANISH, translated


def test_a_complete_translation_leaves_nothing_untranslated(tmp_path):
    loaded = load_file(translated(tmp_path))
    assert loaded.untranslated == ()
    assert loaded.bundle["languages"] == ["en", "es"]
    spanish = localized(loaded.bundle, "es")
    assert spanish["language"] == "es" and spanish["translation_missing"] == []
    assert [t["title"] for t in spanish["tasks"]] == ["Limpia", "Bálsamo"]
    assert spanish["questions"][0]["options"][1]["label"] == "Corto"
    assert "translations" not in spanish
    assert loaded.protocol.tasks[0].title == "Cleanse", "the file's own language stays its own"


def test_each_missing_text_is_named_by_file_language_item_and_field(tmp_path):
    gaps = SPANISH.replace('how = "Una capa fina."\n', "").replace(
        'options = { shaved = "Rapado", short = "Corto" }', 'options = { shaved = "Rapado" }'
    )
    loaded = load_file(translated(tmp_path, overlay=gaps))
    assert [str(gap) for gap in loaded.untranslated] == [
        "test-protocol.es.toml: questions.hair_length.options.short: no 'es' text: "
        "the protocol claims 'es'",
        "test-protocol.es.toml: tasks.balm.how: no 'es' text: the protocol claims 'es'",
    ]


def test_a_claimed_language_without_its_file_is_reported(tmp_path):
    loaded = load_file(translated(tmp_path, overlay=None))
    assert [str(gap) for gap in loaded.untranslated] == [
        "test-protocol.es.toml: (file): missing: the protocol claims 'es'"
    ]


@pytest.mark.parametrize(
    "extra, field",
    [
        ("[tasks.cleanse]\nper_day = { min = 1, target = 1 }\n", "tasks.cleanse.per_day"),
        (
            "[restrictions.no-water]\n"
            'windows = [{ anchor = "each_session", start = { at = "end" }, end = { day = 2 } }]\n',
            "restrictions.no-water.windows",
        ),
        ('[tasks.cleanse]\nid = "scrub"\n', "tasks.cleanse.id"),
        ('version = "2"\n', "version"),
    ],
)
def test_a_translation_that_changes_anything_but_words_is_refused(tmp_path, extra, field):
    # TOML tables may not be repeated: the care lines go in a table of their own section.
    overlay = SPANISH.replace(
        '[tasks.cleanse]\ntitle = "Limpia"\nhow = "Con suavidad."\n', ""
    ).replace(
        '[restrictions.no-water]\ntitle = "Nada de agua"\ndetail = "Mantenlo seco."\n'
        'lifted = "Ya puedes mojarlo"\n',
        "",
    )
    overlay = (extra + overlay) if not extra.startswith("[") else (overlay + "\n" + extra)
    with pytest.raises(InvalidProtocol) as refused:
        load_file(translated(tmp_path, overlay=overlay))
    assert f"test-protocol.es.toml: {field}: not a text: a translation carries only texts" in str(
        refused.value
    )


def test_a_translation_naming_an_unknown_item_or_language_is_refused(tmp_path):
    with pytest.raises(InvalidProtocol) as refused:
        load_file(translated(tmp_path, overlay=SPANISH + '\n[cards.sunburn]\ntitle = "Sol"\n'))
    assert "test-protocol.es.toml: cards.sunburn: no card 'sunburn' in test-protocol.toml" in str(
        refused.value
    )
    with pytest.raises(InvalidProtocol) as unclaimed:
        load_file(translated(tmp_path, languages='["en"]'))
    assert "does not claim 'es'" in str(unclaimed.value)


def test_a_missing_text_falls_back_to_the_first_language_and_says_so(tmp_path):
    gaps = SPANISH.replace('how = "Una capa fina."\n', "")
    bundle = localized(load_file(translated(tmp_path, overlay=gaps)).bundle, "es")
    balm = bundle["tasks"][1]
    assert (balm["title"], balm["how"]) == ("Bálsamo", "Thinly."), "never blank"
    assert bundle["translation_missing"] == ["tasks.balm.how"]
    warning = translation_warning(bundle)
    assert warning.code == "translation_missing"
    assert "not translated into Spanish yet, so the client sees them in English" in warning.message


def test_a_language_the_protocol_does_not_claim_is_served_in_its_first(tmp_path):
    bundle = localized(load_file(translated(tmp_path)).bundle, "ar")
    assert bundle["language"] == "en" and bundle["tasks"][0]["title"] == "Cleanse"
    assert translation_warning(bundle).message == (
        "This protocol has no Arabic translation: the client sees it in English."
    )


def test_a_corrected_translation_is_a_new_version_and_is_reread(tmp_path):
    seconds = [1000.0]
    translated(tmp_path, name="good")
    registry = Registry(tmp_path, 5, clock=lambda: seconds[0])
    first = registry.get("good").bundle_version
    (tmp_path / "good.es.toml").write_text(SPANISH.replace("Con suavidad.", "Con cuidado."))
    seconds[0] += 5
    second = registry.get("good")
    assert second.bundle_version != first
    assert localized(second.bundle, "es")["tasks"][0]["how"] == "Con cuidado."
    assert [p.protocol.id for p in registry] == ["good"], "a translation is not a protocol"


SHIPPED = Path(__file__).parents[1] / "protocols"
ARABIC_LETTERS = re.compile(r"[\u0600-\u06ff]")


@pytest.mark.parametrize("name", ["scalp-nation", "seven-derma", "smp-faq", "smp-layering"])
def test_every_shipped_protocol_is_whole_in_english_arabic_and_spanish(name):
    loaded = load_file(SHIPPED / f"{name}.toml")
    assert loaded.bundle["languages"] == ["en", "ar", "es"]
    assert loaded.untranslated == ()
    english = localized(loaded.bundle, "en")
    for language in ("ar", "es"):
        header = (SHIPPED / f"{name}.{language}.toml").read_text().split("language =")[0]
        assert "Machine-drafted by the team's assistant" in header
        assert "no native speaker has reviewed it yet" in header
        bundle = localized(loaded.bundle, language)
        assert bundle["translation_missing"] == [] and bundle["language"] == language
        for section in ("tasks", "restrictions", "cards"):
            for mine, theirs in zip(bundle[section], english[section], strict=True):
                assert mine["title"] != theirs["title"], f"{language} {mine['id']} untranslated"
                if language == "ar":
                    assert ARABIC_LETTERS.search(mine["title"]), mine["title"]


def test_the_protocols_own_language_lacks_nothing(tmp_path):
    bundle = load_file(translated(tmp_path, overlay=None)).bundle
    for language in (None, "en"):
        served = localized(bundle, language)
        assert served["language"] == "en" and served["translation_missing"] == []
        assert translation_warning(served) is None


@pytest.mark.parametrize(
    "lifted", ["Ya puedes mojarlo desde hoy", "Ya puedes mojarlo a partir de HOY."]
)
def test_a_translated_lifted_text_may_not_end_in_today_either(tmp_path, lifted):
    # The app shows it under the date it lifts, as in English: "hoy" would say when twice.
    overlay = SPANISH.replace('lifted = "Ya puedes mojarlo"', f'lifted = "{lifted}"')
    with pytest.raises(InvalidProtocol) as refused:
        load_file(translated(tmp_path, overlay=overlay))
    assert "test-protocol.es.toml: restrictions.no-water.lifted: leave out 'hoy' at the end" in (
        str(refused.value)
    )


def test_today_inside_a_translated_lifted_text_is_fine(tmp_path):
    overlay = SPANISH.replace('lifted = "Ya puedes mojarlo"', 'lifted = "Hoy ya puedes mojarlo"')
    assert load_file(translated(tmp_path, overlay=overlay)).untranslated == ()
