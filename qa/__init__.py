"""Retrieve, rank and compose a cited answer."""
