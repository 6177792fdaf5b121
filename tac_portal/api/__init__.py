"""The partner REST API machinery: ``auth`` (who is calling) and ``base`` (views, errors, pages)."""
