"""Clinical content: typed models and the loader that reads them from TOML.

The content is reviewed by clinicians as data (see data/README.md), so a mistake in a file must say
exactly where it is: every ContentError names the file, the item and the field. The built-in
content stops at its first mistake; a physiotherapist's own routine file (docs/routines.md) is
checked in full, every problem with its line, so one run of `routines validate` finds them all.

The package in its seams: models.py (the typed values), reading.py (a TOML table read with its
mistakes named), exercises.py (an exercise and its dose checked), regions.py, routines.py (routine
files, built-in and a physio's own) and builtin.py (every file in data/ loaded). The names the
rest of the coach uses are here.
"""

from spasm_coach.content.builtin import load_content
from spasm_coach.content.models import (
    Action,
    Card,
    Caution,
    Change,
    Content,
    ContentError,
    Contraindication,
    Dose,
    DoseRange,
    Exercise,
    LevelAdvice,
    PainScale,
    QuickCheck,
    RedFlag,
    Region,
    Routine,
    RoutineStep,
    Source,
    SourceDose,
    SpokenWords,
    ThermalRule,
    fill_placeholders,
)
from spasm_coach.content.regions import environment_locale, guess_region
from spasm_coach.content.routines import (
    OWN_ID,
    SESSIONS_PER_DAY_MAX,
    ExerciseNotFound,
    RoutineCheck,
    RoutineError,
    RoutineNotFound,
    RoutineProblem,
    Severity,
    check_routine_file,
    check_routine_text,
    find_exercise,
    find_routine,
    installed_routines,
    load_routine_file,
    parse_routine,
)

__all__ = [
    "OWN_ID",
    "SESSIONS_PER_DAY_MAX",
    "Action",
    "Card",
    "Caution",
    "Change",
    "Content",
    "ContentError",
    "Contraindication",
    "Dose",
    "DoseRange",
    "Exercise",
    "ExerciseNotFound",
    "LevelAdvice",
    "PainScale",
    "QuickCheck",
    "RedFlag",
    "Region",
    "Routine",
    "RoutineCheck",
    "RoutineError",
    "RoutineNotFound",
    "RoutineProblem",
    "RoutineStep",
    "Severity",
    "Source",
    "SourceDose",
    "SpokenWords",
    "ThermalRule",
    "check_routine_file",
    "check_routine_text",
    "environment_locale",
    "fill_placeholders",
    "find_exercise",
    "find_routine",
    "guess_region",
    "installed_routines",
    "load_content",
    "load_routine_file",
    "parse_routine",
]
