"""The spoken cues as a person hears them: every cue of each built-in routine spoken by espeak-ng
(as the coach runs it) into a WAV file, which must hold speech, and must end before the next cue
is due (espeak-ng's trailing silence aside), or the next would cut it off. Set
SPASM_COACH_RENDERS=DIR to keep the WAV files.
"""

from __future__ import annotations

import array
import itertools
import os
import shutil
import subprocess
import wave
from pathlib import Path

import pytest

from spasm_coach.content import Content
from spasm_coach.cues import spoken
from spasm_coach.session import SessionRunner, View, plan_session
from spasm_coach.speech import ENGINES

ESPEAK = shutil.which("espeak-ng")
RATE = dict(ENGINES)["espeak-ng"][1:]
"""The options the coach gives espeak-ng (its speaking rate)."""
SPEECH_SECONDS = 0.3
"""A WAV shorter than this holds no words."""
START = 1000.0


def session_cues(content: Content, routine_id: str) -> list[tuple[float, str]]:
    """(seconds from the start, words) for a whole session of the routine at its own doses, as
    the player says them: a view at every moment the runner says something may change."""
    plan = plan_session(content.routines[routine_id], ())
    runner = SessionRunner(plan, START)
    cues: list[tuple[float, str]] = []
    previous: View | None = None
    now = START
    while True:
        runner.tick(now)
        view = runner.view(now)
        cues += [(now - START, words) for words in spoken(previous, view, content.spoken)]
        previous = view
        due = runner.next_change(now)
        if due is None:
            return cues
        now = due


LOUD = 500
"""A 16-bit sample louder than this is speech rather than espeak-ng's trailing silence."""


def durations(path: Path) -> tuple[float, float]:
    """(the recording's length, when its speech ends) in seconds."""
    with wave.open(str(path)) as recording:
        assert recording.getsampwidth() == 2
        samples = array.array("h", recording.readframes(recording.getnframes()))
        rate = recording.getframerate()
    last = max((index for index, sample in enumerate(samples) if abs(sample) > LOUD), default=-1)
    return len(samples) / rate, (last + 1) / rate


@pytest.fixture(scope="module")
def espeak() -> str:
    if ESPEAK is None:
        pytest.skip("espeak-ng not found: install it (apt-get install espeak-ng) to hear the cues")
    return ESPEAK


@pytest.mark.parametrize("routine_id", ["standard", "gentle", "relaxation", "getting_stronger"])
def test_every_cue_is_speech_and_ends_before_the_next_is_due(
    espeak: str, content: Content, routine_id: str, tmp_path: Path
) -> None:
    out = Path(os.environ.get("SPASM_COACH_RENDERS") or tmp_path) / f"cues-{routine_id}"
    out.mkdir(parents=True, exist_ok=True)
    cues = session_cues(content, routine_id)
    assert cues[-1][1] == content.spoken.done
    lengths: dict[str, float] = {}
    for words in dict.fromkeys(words for _, words in cues):
        wav = out / f"{len(lengths):03d}.wav"
        subprocess.run([espeak, *RATE, "-w", str(wav), words], check=True, timeout=30)
        length, lengths[words] = durations(wav)
        assert length > SPEECH_SECONDS, f"no speech in {wav} for {words!r}"
        assert lengths[words] > 0, f"{wav} is silent ({words!r})"
    cut_off = [
        f"{words!r} takes {lengths[words]:.1f} s, the next cue comes after {following - at:.1f} s"
        for (at, words), (following, _) in itertools.pairwise(cues)
        if lengths[words] > following - at
    ]
    assert not cut_off, "\n".join(cut_off)
