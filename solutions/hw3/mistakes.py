"""The known mistakes of hw3."""

MISTAKES = {}
