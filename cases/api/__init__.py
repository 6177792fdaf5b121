"""The partner API of the case data: ``base`` (who is calling, the access log), ``resources``
(children, cases, teams, reference data) and ``referrals`` (requests for support)."""
