"""spasm-coach: a terminal coach through an acute back spasm."""

__version__ = "0.1.0"
