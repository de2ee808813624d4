"""What any signed-in page can reach: two pages that only ``bench/run.sh`` serves.

``bench/run.sh`` runs gunicorn with ``DJANGO_SETTINGS_MODULE=bench.ceiling.settings`` (the
site's settings, with the two pages of ``urls.py`` added to its URLs) and measures them with
the same rotating students as the real pages:

- ``/bench/bare/``: the session and the user loaded (every signed-in page does that), then a
  plain-text response: no template, no other query;
- ``/bench/layout/``: the site's layout (``base.html``: navigation, language switch, footer)
  around an empty page.

A real page costs what ``/bench/layout/`` costs plus its own queries and template, so its
ratio to ``/healthz`` can only be lower.
"""
