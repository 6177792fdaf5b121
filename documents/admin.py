from __future__ import annotations

# Nothing here: documents belong to cases, and system administrators see no case.
