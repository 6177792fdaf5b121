"""Move every meeting email into the one outbox (notifications.EmailOutbox).

All rows move, sent ones included: they are the record that an invitation,
change, cancellation or minutes email went out, and they keep their Message-ID,
attempts, error and times. Unsent rows go on being sent by the one sender; a row
that was being sent is put back to wait (its attempt is already counted); dead
rows appear on the dead-letter page. What each email is about is kept as
``about_type``/``about_id``: the invitation when it had one, else the meeting.
Professionals' rows name their account as recipient; there was no in-app
notification for them then, so none is linked.

Reversible: the reverse moves every outbox row about a meeting or invitation
(including ones written since) back into ``meetings_meetingemail``. Their HTML
part and recipient are not kept there (meeting emails had neither before).
Both directions move rather than copy, so running one after the other never
doubles a row; a row about a meeting deleted since stops the reverse with an
error rather than being lost.
"""

from django.db import migrations

# Each direction deletes and inserts in one statement (a data-modifying CTE): exactly
# the rows taken are the rows written.
FORWARD = """
WITH moved AS (DELETE FROM meetings_meetingemail RETURNING *)
INSERT INTO notifications_emailoutbox
    (recipient_id, notification_id, to_address, subject, body_text, body_html,
     calendar, calendar_method, about_type, about_id, message_id, status, attempts,
     next_attempt_at, lease_until, last_error, created_at, sent_at)
SELECT i.professional_id, NULL, m.to_address, m.subject, m.body_text, '',
       m.ics, m.ics_method,
       CASE WHEN m.invitation_id IS NULL THEN 'meetings.meeting' ELSE 'meetings.invitation' END,
       COALESCE(m.invitation_id, m.meeting_id),
       m.message_id,
       CASE m.status WHEN 'sending' THEN 'pending' ELSE m.status END,
       m.attempts, m.next_attempt_at, NULL, m.last_error, m.created_at, m.sent_at
FROM moved AS m
LEFT JOIN meetings_invitation AS i ON i.id = m.invitation_id
ORDER BY m.id
"""

BACKWARD = """
WITH moved AS (
    DELETE FROM notifications_emailoutbox
    WHERE about_type IN ('meetings.invitation', 'meetings.meeting')
    RETURNING *
)
INSERT INTO meetings_meetingemail
    (meeting_id, invitation_id, to_address, subject, body_text, ics, ics_method,
     message_id, status, attempts, next_attempt_at, last_error, created_at, sent_at)
SELECT COALESCE(i.meeting_id, o.about_id), i.id, o.to_address, o.subject, o.body_text,
       o.calendar, o.calendar_method, o.message_id, o.status, o.attempts,
       o.next_attempt_at, o.last_error, o.created_at, o.sent_at
FROM moved AS o
LEFT JOIN meetings_invitation AS i
    ON o.about_type = 'meetings.invitation' AND i.id = o.about_id
ORDER BY o.id
"""


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0005_outcome_reviews"),
        ("notifications", "0006_outbox_for_every_email"),
    ]

    operations = [migrations.RunSQL(FORWARD, reverse_sql=BACKWARD)]
