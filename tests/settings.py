"""Test settings: the production settings module with test-only environment defaults.

Only environment variables are set here, so the suite exercises the same settings code that
production runs.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-" + "x" * 20)
os.environ.setdefault("HTTPS", "off")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("TEACHER_SIGNUP", "open")
# Most tests take "before" then "after" checks back to back; the tests of the check's measures
# set the number of scenarios to finish first themselves.
os.environ.setdefault("AFTER_CHECK_SCENARIOS", "0")

from awareness.settings import *  # noqa: E402, F403

# Hashing passwords slowly protects real accounts; the tests create hundreds of throwaway ones.
# The one-time password hasher stays listed: the pupil-account services ask for it by name.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",  # noqa: S303
    "awareness.accounts.hashers.OneTimePasswordHasher",
]
