"""The case pages, by topic: "My work" and the case page (``case_page``), finding and adding
children, requests and triage, consent and concerns (``journeys``), the episode steps
(``episode``) and moving the review date (``review_date``)."""
