"""The protocol of the partner API (/api/v1/).

Who is calling is ``agencies.api_auth`` (``cases.api.base.Viewer`` hides the difference
between a partner system's OAuth2 token and a signed-in professional's session). Here:
RFC 9457 problems (``problems``), ``serializers``, keyset pagination with
``updated_since`` for incremental sync (``pagination``), and the base views with ETags,
content negotiation (415, 406) and throttling per partner client (``views``).
"""
