"""Reusable widgets: the countdown, the breath pacer, the pose figure and the pain scale."""
