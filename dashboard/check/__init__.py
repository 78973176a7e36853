"""Checks of the pages an article cites."""
