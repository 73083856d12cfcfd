"""Auto-graded numpy exercises for a neural-network basics course."""
