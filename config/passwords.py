"""Password hashing at OWASP's Argon2id parameters for servers (19 MiB, 2 passes, 1 lane).

Django's own Argon2 defaults (100 MiB, 8 lanes) cost a 2-core server a large share of a CPU and
100 MiB per log-in or registration. The algorithm name stays `argon2`, so hashes made with other
parameters are still verified, and Django re-hashes them at the next successful log-in because
`must_update` compares the stored parameters with these.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class ServerArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
