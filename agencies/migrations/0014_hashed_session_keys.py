"""The session store keeps a hash of each session id (``agencies.session_store``): the
ids already stored, and their owners' rows, are replaced by their hashes, so that every
session signed in before carries on. Only ids not yet hashed are touched (32 characters;
a hash has 40). Going back cannot recover the ids: it ends every session instead."""

from django.db import migrations

FORWARD = [
    # Both in one transaction: the foreign key is checked at the end. The hash is the
    # session store's: SHA-256 of the id, in hex, its first 40 characters.
    "UPDATE agencies_usersession"
    " SET session_id = left(encode(sha256(convert_to(session_id, 'UTF8')), 'hex'), 40)"
    " WHERE length(session_id) = 32",
    "UPDATE django_session"
    " SET session_key = left(encode(sha256(convert_to(session_key, 'UTF8')), 'hex'), 40)"
    " WHERE length(session_key) = 32",
]
BACKWARD = ["DELETE FROM agencies_usersession", "DELETE FROM django_session"]


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0013_user_leavers_by_name_idx"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
