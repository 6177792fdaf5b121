"""How backup codes are hashed (ASVS 6.5.2)."""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class BackupCodeHasher(Argon2PasswordHasher):
    """Argon2id at OWASP's minimum cost for password storage (19 MiB, 2 passes, 1 lane),
    with Django's random salt (about 131 bits) for each code.

    The portal's password cost (100 MiB, 8 lanes) takes about 0.2 s a check, and a wrong
    backup code is checked against every unused one (up to ten); this cost takes about
    25 ms a check. Used directly rather than through PASSWORD_HASHERS, so that codes are
    hashed the same way whatever hashers a settings module lists."""

    time_cost = 2
    memory_cost = 19 * 1024
    parallelism = 1
