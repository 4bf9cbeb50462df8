"""Profiles in: the plain-text profile format and the all-or-nothing sync into the store."""
