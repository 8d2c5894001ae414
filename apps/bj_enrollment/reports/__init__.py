"""Figures computed for the desk (statistics, disclosure, registry hand-off), always within a user's scope."""
