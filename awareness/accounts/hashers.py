"""A quick password hasher, only for the random one-time passwords teachers hand out."""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class OneTimePasswordHasher(PBKDF2PasswordHasher):
    """PBKDF2-SHA256 with 20,000 iterations, for machine-made one-time passwords only.

    Django's default (1,000,000 iterations in Django 5.2) is slow on purpose, because people
    choose guessable passwords. A batch of 60 pupil accounts needs 60 hashes of about 0.8 s
    each on one core of the 2-core server: 48 s of CPU, 24 s even with both cores and nothing
    else running, past gunicorn's 30 s timeout as soon as other requests share the machine. At
    20,000 iterations (1/50 of the work, about 16 ms a hash) the batch costs about 1 s: the
    hashing of one ordinary login.

    That is enough because nobody chose these passwords: ``secrets`` picks 12 characters from
    31 (``PASSWORD_ALPHABET`` of the class services), 31**12 = 7.9e17 ≈ 2**59.5 equally likely
    passwords. Someone holding a copy of the database, with a current high-end GPU that tries
    about 10 million PBKDF2-SHA256 guesses a second at 1,000 iterations, manages about 500,000 a
    second at 20,000, and needs on average 7.9e17 / 2 / 5e5 ≈ 8e11 s, some 25,000 years, for one
    password. And each one is worth something only until the pupil replaces it at first login,
    at most ``ONE_TIME_PASSWORD_DAYS`` (14) days.

    This hasher comes after the default in ``PASSWORD_HASHERS``, so Django never picks it on its
    own: only ``make_password(..., hasher=OneTimePasswordHasher.algorithm)`` does. When the
    pupil logs in or sets their own password, Django hashes again with the default.
    """

    algorithm = "pbkdf2_sha256_otp"
    iterations = 20_000
