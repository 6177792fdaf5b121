"""Browser journeys share the fixtures in tests/conftest.py (one Chromium per session)."""
