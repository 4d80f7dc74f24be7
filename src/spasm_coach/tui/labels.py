"""Words for the person's cautions, shared by the cautions dialog and the settings screen."""

from __future__ import annotations

CONDITION_LABELS = {
    "osteoporosis": "Osteoporosis (thin bones)",
    "pregnancy": "Pregnancy",
    "knee": "Knee problems",
    "wrist": "Wrist problems",
}
