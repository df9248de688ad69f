"""Date formats per language (settings.FORMAT_MODULE_PATH).

Each module overrides only what differs from Django's own locale formats; Django
falls back to its own module for every other name. Persian dates are shown in the
Solar Hijri calendar by the `when` filter (common/calendars.py), not here.
"""
