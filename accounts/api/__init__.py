"""The REST API's core, at /api/v1/ on a System's host (django-ninja).

- ``app``: the API object, the registry apps add their routers to, the URL patterns;
- ``auth``: bearer tokens, scopes, the gates a call passes (the UI's, for a token);
- ``problems``: RFC 9457 answers for every error;
- ``pagination``: opaque keyset cursors;
- ``etags``: ETag, If-None-Match and If-Match;
- ``idempotency``: creates replayed for a repeated Idempotency-Key;
- ``ratelimits``: per-token limits and their headers.
"""
