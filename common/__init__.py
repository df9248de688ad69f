"""Plumbing that several apps share: text folding, calendars and date formats.

It sits below the apps and imports none of them.
"""
