"""The case forms, by topic: ``journeys`` (finding and adding children, requests, triage,
consent), ``episode`` (the episode steps) and ``reviews`` (moving the review date)."""
