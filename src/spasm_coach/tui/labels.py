"""Words shared by screens: the person's cautions (their questions and the settings screen),
the heat and ice questions' introduction, and clinic mode's banner (the presenter and the
plan's stages)."""

from __future__ import annotations

CONDITION_LABELS = {
    "osteoporosis": "Osteoporosis (thin bones)",
    "pregnancy": "Pregnancy",
    "knee": "Knee problems",
    "wrist": "Wrist problems",
}
CONDITION_QUESTIONS = {
    "osteoporosis": "Do you have osteoporosis (thin bones)?",
    "pregnancy": "Are you pregnant?",
    "knee": "Do you have problems with your knees?",
    "wrist": "Do you have problems with your wrists?",
}
CAUTIONS_INTRO = (
    "Before your first session: the coach changes or leaves out stretches that don't suit "
    "these. It asks once and remembers (change your answers in Settings)."
)
HEAT_ICE_INTRO = (
    "Before heat or ice: a few questions, asked once and remembered (change your answers in "
    "Settings). A yes means no timer: ask a doctor, nurse or physiotherapist instead."
)
NOT_ANSWERED = "Not answered yet"
"""How a safety question never answered shows in Settings: never as no."""

CLINIC_BANNER = "CLINIC DEMO · nothing is saved · no safety questions: a clinician is present"
