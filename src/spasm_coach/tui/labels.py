"""Words shared by screens: the person's cautions (the cautions dialog and the settings screen),
and clinic mode's banner (the presenter and the plan's stages)."""

from __future__ import annotations

CONDITION_LABELS = {
    "osteoporosis": "Osteoporosis (thin bones)",
    "pregnancy": "Pregnancy",
    "knee": "Knee problems",
    "wrist": "Wrist problems",
}

CLINIC_BANNER = "CLINIC DEMO · nothing is saved · no safety questions: a clinician is present"
