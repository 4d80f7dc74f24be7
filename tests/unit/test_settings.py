"""Settings file: defaults when missing, safe defaults and a reason when broken, and a writer
whose output reads back the same, private, keeping a broken file beside it."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from tests.support import NO_HEAT_ICE_PROBLEMS, NONE_APPLY

from spasm_coach.settings import Settings, load_settings, save_settings


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "config" / "settings.toml"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_missing_file_gives_the_defaults(path: Path) -> None:
    settings = load_settings(path)
    assert settings == Settings()
    assert settings.problem is None
    assert settings.region is None  # asked on first run
    assert settings.sounds is True
    assert settings.speech is False
    assert settings.cautions == {}  # not answered yet: asked before they matter
    assert settings.thermal_contraindications == {}
    assert settings.session_every_hours == 4


def test_a_good_file_is_read(path: Path) -> None:
    write(
        path,
        '# mine\nregion = "uk"\nsounds = false\nsession_every_hours = 3\n'
        "[cautions]\nknee = true\nwrist = true\npregnancy = false\n"
        "[thermal_contraindications]\ndiabetes = false\n",
    )
    settings = load_settings(path)
    assert settings.problem is None
    assert settings == Settings(
        region="uk",
        sounds=False,
        cautions={"knee": True, "wrist": True, "pregnancy": False},
        thermal_contraindications={"diabetes": False},
        session_every_hours=3,
    )


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ('colour = "blue"', "colour"),
        ("region = 44", "region"),
        ('region = ["uk"]', "region"),
        ('sounds = "yes"', "sounds"),
        ("reduced_motion = 1", "reduced_motion"),
        ('cautions = ["back"]', "cautions"),
        ('cautions = "knee"', "cautions"),
        ("thermal_contraindications = [1]", "thermal_contraindications"),
        ("[cautions]\nknee = 1", "cautions"),
        ('[cautions]\nknee = "yes"', "cautions"),
        ("[cautions]\nback = true", "cautions"),
        ('[thermal_contraindications]\n"a b" = true', "thermal_contraindications"),
        ('default_routine = ""', "default_routine"),
        ("session_every_hours = 0", "session_every_hours"),
        ("session_every_hours = 25", "session_every_hours"),
        ('session_every_hours = "x"', "session_every_hours"),
        ("session_every_hours = 2.5", "session_every_hours"),
        ("session_every_hours = true", "session_every_hours"),
    ],
)
def test_a_bad_value_falls_back_to_its_default_and_names_the_key(
    path: Path, line: str, key: str
) -> None:
    """One mistake costs only that setting: the rest of the file still counts, never a failed
    start, and the default for a question (region, cautions) means it is asked again."""
    good = [g for g in ('default_routine = "gentle"', "sounds = false") if not g.startswith(key)]
    write(path, "\n".join([*good, line]) + "\n")
    settings = load_settings(path)
    assert settings.problem is not None
    assert f"'{key}'" in settings.problem
    assert str(path) in settings.problem
    assert "defaults" in settings.problem
    if key not in ("default_routine", "sounds"):
        assert settings.default_routine == "gentle"
        assert settings.sounds is False
    if key in Settings.__dataclass_fields__:
        assert getattr(settings, key) == getattr(Settings(), key)


def test_a_region_the_content_may_not_know_is_kept_for_the_coach_to_check(path: Path) -> None:
    """settings.py doesn't know the regions; the coach asks again for one it can't find."""
    write(path, 'region = "mars"\n')
    settings = load_settings(path)
    assert settings.problem is None
    assert settings.region == "mars"


def test_a_toml_syntax_error_gives_the_defaults_and_a_problem(path: Path) -> None:
    write(path, 'region = "uk\nsounds = \n')
    settings = load_settings(path)
    assert settings == Settings()
    assert settings.problem is not None
    assert str(path) in settings.problem
    assert "line 1" in settings.problem


def test_a_file_that_is_not_text_gives_a_problem(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(b'region = "\xff\xfe"\n')
    settings = load_settings(path)
    assert settings == Settings()
    assert settings.problem is not None
    assert "can't be read" in settings.problem


def test_a_folder_in_its_place_gives_a_problem(path: Path) -> None:
    path.mkdir(parents=True)
    settings = load_settings(path)
    assert settings == Settings()
    assert settings.problem is not None
    assert "can't be read" in settings.problem


@pytest.mark.parametrize(
    "settings",
    [
        Settings(),
        Settings(cautions=NONE_APPLY, thermal_contraindications=NO_HEAT_ICE_PROBLEMS),
        Settings(
            region="eu",
            sounds=False,
            speech=True,
            reduced_motion=True,
            cautions={"osteoporosis": True, "pregnancy": True, "knee": False},
            thermal_contraindications={"raynauds": True, "diabetes": False},
            default_routine="gentle",
            session_every_hours=24,
        ),
        Settings(thermal_contraindications={"v2.diabetes": False, "numb-skin_2": True}),
    ],
    ids=["defaults", "answered-none", "everything", "ids-needing-quotes"],
)
def test_save_and_load_give_the_same_settings(path: Path, settings: Settings) -> None:
    save_settings(path, settings)
    loaded = load_settings(path)
    assert loaded.problem is None
    assert loaded == settings
    assert loaded.cautions == settings.cautions  # no, yes and not answered, each kept


def test_only_the_answers_given_are_written(path: Path) -> None:
    """A question not answered stays out of the file, so it is asked again."""
    save_settings(path, Settings(cautions={"pregnancy": False}))
    text = path.read_text(encoding="utf-8")
    assert "[cautions]\npregnancy = false\n" in text
    assert "knee" not in text
    assert "thermal_contraindications" not in text
    assert load_settings(path).cautions_to_ask == ("osteoporosis", "knee", "wrist")


def test_an_older_list_counts_only_its_yes_answers(path: Path) -> None:
    """Older files listed the yes answers, and wrote [] for questions nobody answered: the list
    says which were yes, and the rest are asked."""
    write(path, 'cautions = ["knee"]\nthermal_contraindications = []\n')
    settings = load_settings(path)
    assert settings.problem is None
    assert settings.cautions == {"knee": True}
    assert settings.conditions == ("knee",)
    assert settings.cautions_to_ask == ("osteoporosis", "pregnancy", "wrist")
    assert settings.thermal_contraindications == {}


def test_unset_fields_are_left_out_of_the_file(path: Path) -> None:
    save_settings(path, Settings(problem="old trouble"))
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# spasm-coach settings")
    assert "cautions" not in text
    assert "thermal_contraindications" not in text
    assert "problem" not in text
    assert "region" not in text  # never chosen: asked on first run
    assert "sounds = true\n" in text


def test_the_saved_file_is_private(path: Path, tmp_path: Path) -> None:
    save_settings(path, Settings())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not (path.parent / ".settings.toml.tmp").exists()
    path.chmod(0o644)
    save_settings(path, Settings(region="uk"))  # an existing file is replaced, not reused
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_settings(path).region == "uk"


def test_saving_over_a_broken_file_keeps_it_beside(path: Path) -> None:
    broken = "region = 44\nsounds = false\n"
    write(path, broken)
    settings = load_settings(path)
    assert settings.problem is not None
    save_settings(path, settings)
    assert path.with_name("settings.toml.broken").read_text(encoding="utf-8") == broken
    assert load_settings(path) == Settings(sounds=False)
    assert load_settings(path).problem is None


def test_saving_over_a_good_file_keeps_no_copy(path: Path) -> None:
    save_settings(path, Settings(region="uk"))
    save_settings(path, Settings(region="us"))
    assert not path.with_name("settings.toml.broken").exists()
    assert load_settings(path).region == "us"


@pytest.mark.parametrize("value", ["gen\x1b[2Jtle", "two words", "", 'quote"d'])
def test_a_routine_or_region_that_is_not_an_id_falls_back_and_says_why(
    path: Path, value: str
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"default_routine = {json.dumps(value)}\n")  # a TOML basic string
    loaded = load_settings(path)
    assert loaded.default_routine == Settings().default_routine
    assert loaded.problem is not None
    assert "default_routine" in loaded.problem
    assert "\x1b" not in loaded.problem


@pytest.mark.parametrize("planted", [".settings.toml.tmp", "settings.toml"])
def test_saving_never_writes_through_a_link_planted_beside_it(tmp_path: Path, planted: str) -> None:
    """Another program's link where the settings are written: the file it points to is left
    alone, and settings.toml is a private file of its own."""
    precious = tmp_path / "precious"
    precious.write_text("keep")
    folder = tmp_path / "config"
    folder.mkdir()
    (folder / planted).symlink_to(precious)
    save_settings(folder / "settings.toml", Settings(region="uk"))
    assert precious.read_text() == "keep"
    saved = folder / "settings.toml"
    assert not saved.is_symlink()
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert load_settings(saved).region == "uk"
