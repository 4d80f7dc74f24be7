"""The coach's screens, one module each."""
