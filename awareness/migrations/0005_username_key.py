"""User.username_key: a unique key that look-alike usernames share (see awareness.accounts.usernames).

Existing rows are keyed in id order. If two existing accounts already look alike, the first
(lowest id) keeps the plain key and each later one gets its key with "#<id>" appended, which no
real key contains ("#" is not allowed in usernames and no look-alike maps to it), so the unique
constraint can be added; those accounts keep their usernames and can still sign in. A key too
long for the column is cut and given the same suffix.
"""

from django.db import migrations, models

import awareness.accounts.usernames

BATCH = 2000


def backfill_username_keys(apps, schema_editor):
    # The current key function, not a frozen copy: the keys must match what the code computes.
    from awareness.accounts.usernames import KEY_MAX_LENGTH, username_key

    User = apps.get_model("awareness", "User")
    users = User.objects.using(schema_editor.connection.alias)
    seen: set[str] = set()
    changed = []
    for user in users.order_by("pk").only("pk", "username").iterator(chunk_size=BATCH):
        key = username_key(user.username)
        if key in seen or len(key) > KEY_MAX_LENGTH:
            suffix = f"#{user.pk}"
            key = key[: KEY_MAX_LENGTH - len(suffix)] + suffix
        seen.add(key)
        user.username_key = key
        changed.append(user)
        if len(changed) >= BATCH:
            # bulk_update writes the value as set (save() would recompute the plain key).
            users.bulk_update(changed, ["username_key"])
            changed = []
    users.bulk_update(changed, ["username_key"])


class Migration(migrations.Migration):
    dependencies = [("awareness", "0004_cache_table")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="username_key",
            field=awareness.accounts.usernames.UsernameKeyField(
                default="", editable=False, max_length=300, verbose_name="username key"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(backfill_username_keys, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                fields=("username_key",), name="user_unique_username_key"
            ),
        ),
    ]
