"""Schema steps, in order. Never edit a step once it has landed: add a new one."""
from sqlite_utils import Database, Migrations

migrations = Migrations("diary")


@migrations()
def m001_accounts_entries_sessions(db: Database) -> None:
    db.execute("""
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            email TEXT NOT NULL UNIQUE,
            password_hash TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('patient', 'provider')),
            display_name TEXT NOT NULL,
            timezone TEXT NOT NULL,
            created_at TEXT NOT NULL,
            session_version INTEGER NOT NULL DEFAULT 1
        ) STRICT
    """)
    db.execute("""
        CREATE TABLE entries (
            id TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            date TEXT NOT NULL,
            anxiety INTEGER NOT NULL CHECK (anxiety BETWEEN 0 AND 10),
            note TEXT NOT NULL DEFAULT '',
            private INTEGER NOT NULL DEFAULT 0 CHECK (private IN (0, 1)),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT
    """)
    db.execute("CREATE INDEX entries_by_user_date ON entries (user_id, date, created_at)")
    # name_key is the case-folded name: "Work" and "work" are one trigger.
    db.execute("""
        CREATE TABLE triggers (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            name_key TEXT NOT NULL,
            UNIQUE (user_id, name_key)
        ) STRICT
    """)
    db.execute("""
        CREATE TABLE entry_triggers (
            entry_id TEXT NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
            trigger_id INTEGER NOT NULL REFERENCES triggers(id) ON DELETE CASCADE,
            PRIMARY KEY (entry_id, trigger_id)
        ) STRICT, WITHOUT ROWID
    """)
    db.execute("CREATE INDEX entry_triggers_by_trigger ON entry_triggers (trigger_id)")
    # Frozen here as landed (diary.vocabulary.TREATMENTS may grow; that takes a new migration).
    treatments = ", ".join(f"'{t}'" for t in (
        "iv_ketamine", "im_ketamine", "esketamine_nasal", "oral_ketamine", "psychotherapy", "other"))
    db.execute(f"""
        CREATE TABLE treatment_sessions (
            id TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            date TEXT NOT NULL,
            treatment TEXT NOT NULL CHECK (treatment IN ({treatments})),
            dose_mg REAL CHECK (dose_mg IS NULL OR dose_mg > 0),
            anxiety_before INTEGER CHECK (anxiety_before BETWEEN 0 AND 10),
            anxiety_after INTEGER CHECK (anxiety_after BETWEEN 0 AND 10),
            side_effects TEXT NOT NULL DEFAULT '[]',
            reflection TEXT NOT NULL DEFAULT '',
            private INTEGER NOT NULL DEFAULT 0 CHECK (private IN (0, 1)),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT
    """)
    db.execute("CREATE INDEX sessions_by_user_date ON treatment_sessions (user_id, date)")


@migrations()
def m002_covering_index_for_insights(db: Database) -> None:
    # Trends read (date, anxiety, private, id) for years of check-ins; this index answers
    # that without touching the table rows.
    db.execute("CREATE INDEX entries_for_insights ON entries (user_id, date, anxiety, private, id)")


@migrations()
def m003_sharing_and_audit(db: Database) -> None:
    # scope: "scores" (scores and session numbers only) or "full" (plus notes and reflections).
    db.execute("""
        CREATE TABLE shares (
            id INTEGER PRIMARY KEY,
            patient_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            provider_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            scope TEXT NOT NULL CHECK (scope IN ('scores', 'full')),
            created_at TEXT NOT NULL,
            revoked_at TEXT
        ) STRICT
    """)
    # At most one live share per patient and provider; revoked ones stay as history.
    db.execute("CREATE UNIQUE INDEX shares_live ON shares (patient_id, provider_id) WHERE revoked_at IS NULL")
    db.execute("CREATE INDEX shares_by_provider ON shares (provider_id) WHERE revoked_at IS NULL")
    db.execute("""
        CREATE TABLE invites (
            code TEXT PRIMARY KEY,
            patient_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            scope TEXT NOT NULL CHECK (scope IN ('scores', 'full')),
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            redeemed_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
            redeemed_at TEXT,
            cancelled_at TEXT
        ) STRICT
    """)
    db.execute("CREATE INDEX invites_by_patient ON invites (patient_id, expires_at)")
    # No foreign keys: the record of who saw what outlives the accounts involved.
    db.execute("""
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor_id INTEGER,
            patient_id INTEGER,
            action TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT ''
        ) STRICT
    """)
    db.execute("CREATE INDEX audit_by_patient ON audit_log (patient_id, at)")
    db.execute("CREATE INDEX audit_by_actor ON audit_log (actor_id, action, at)")
    for event in ("UPDATE", "DELETE"):
        db.execute(f"""
            CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
        """)


@migrations()
def m004_account_deletion(db: Database) -> None:
    # A deleted account keeps its row as an anonymous tombstone (no email, name or password),
    # so its id is never handed to a new account and the audit log never points at a stranger.
    db.execute("ALTER TABLE users ADD COLUMN deleted_at TEXT")


@migrations()
def m005_questionnaires_and_safety(db: Database) -> None:
    # GAD-7 / PHQ-9 results. answers: a JSON list of 0-3, one per item; total and severity are
    # stored as scored when saved (the scoring is fixed by the published instruments).
    db.execute("""
        CREATE TABLE assessments (
            id TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            instrument TEXT NOT NULL CHECK (instrument IN ('gad7', 'phq9')),
            date TEXT NOT NULL,
            answers TEXT NOT NULL,
            difficulty INTEGER CHECK (difficulty IS NULL OR difficulty BETWEEN 0 AND 3),
            total INTEGER NOT NULL CHECK (total BETWEEN 0 AND 27),
            severity TEXT NOT NULL CHECK (severity IN
                ('minimal', 'mild', 'moderate', 'moderately_severe', 'severe')),
            private INTEGER NOT NULL DEFAULT 0 CHECK (private IN (0, 1)),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT
    """)
    db.execute("CREATE INDEX assessments_by_user_date ON assessments (user_id, instrument, date, created_at)")
    # The Stanley-Brown safety plan: one per patient, each step free text.
    db.execute("""
        CREATE TABLE safety_plans (
            user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
            warning_signs TEXT NOT NULL DEFAULT '',
            coping_strategies TEXT NOT NULL DEFAULT '',
            distractions TEXT NOT NULL DEFAULT '',
            people_to_ask TEXT NOT NULL DEFAULT '',
            professionals TEXT NOT NULL DEFAULT '',
            safer_environment TEXT NOT NULL DEFAULT '',
            reasons_for_living TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL
        ) STRICT
    """)
    # A record (check-in, session, assessment) that currently carries a crisis signal: one row per
    # record. raised_at moves forward when the signal newly appears or the record becomes shared,
    # which raises the provider flag again. detail never holds the patient's words.
    db.execute("""
        CREATE TABLE safety_events (
            id INTEGER PRIMARY KEY,
            patient_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            source TEXT NOT NULL CHECK (source IN ('entry', 'session', 'assessment')),
            source_id TEXT NOT NULL,
            reason TEXT NOT NULL CHECK (reason IN ('crisis_language', 'phq9_item9')),
            date TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '',
            private INTEGER NOT NULL DEFAULT 0 CHECK (private IN (0, 1)),
            raised_at TEXT NOT NULL,
            UNIQUE (source, source_id)
        ) STRICT
    """)
    db.execute("CREATE INDEX safety_events_by_patient ON safety_events (patient_id, raised_at)")
    # A deleted record takes its signal with it (whatever deletes it).
    for source, table in (("entry", "entries"), ("session", "treatment_sessions"), ("assessment", "assessments")):
        db.execute(f"""
            CREATE TRIGGER safety_events_drop_{source} AFTER DELETE ON {table}
            BEGIN DELETE FROM safety_events WHERE source = '{source}' AND source_id = old.id; END
        """)
    # Each provider acknowledges for themselves: one clinician's "seen" never hides the flag from
    # another clinician the patient also shares with. ``through`` is the raised_at of the newest
    # signal the provider was shown: a signal raised while they were reading stays open.
    db.execute("""
        CREATE TABLE safety_acknowledgements (
            id INTEGER PRIMARY KEY,
            patient_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            provider_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            at TEXT NOT NULL,
            through TEXT NOT NULL
        ) STRICT
    """)
    db.execute("CREATE INDEX safety_acks_by_pair ON safety_acknowledgements (patient_id, provider_id, through)")
    # Cards a patient dismissed (e.g. "questionnaires due"), and on which of their dates: a card
    # comes back only when something new makes it due again.
    db.execute("""
        CREATE TABLE dismissals (
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            card TEXT NOT NULL,
            at TEXT NOT NULL,
            PRIMARY KEY (user_id, card)
        ) STRICT, WITHOUT ROWID
    """)


@migrations()
def m006_times_side_effect_detail_dose_units_blood_pressure(db: Database) -> None:
    # A local time of day (HH:MM, 00:00-23:59) on check-ins and sessions; optional.
    time_check = "CHECK (time IS NULL OR (time GLOB '[0-2][0-9]:[0-5][0-9]' AND time <= '23:59'))"
    db.execute(f"ALTER TABLE entries ADD COLUMN time TEXT {time_check}")
    db.execute(f"ALTER TABLE treatment_sessions ADD COLUMN time TEXT {time_check}")
    # The dose as given: dose_value in dose_unit ('mg' or 'mg/kg', the latter with the patient's
    # weight). dose_mg stays: the dose in milligrams (for mg/kg, dose_value x weight_kg).
    db.execute("ALTER TABLE treatment_sessions ADD COLUMN dose_unit TEXT"
               " CHECK (dose_unit IS NULL OR dose_unit IN ('mg', 'mg/kg'))")
    db.execute("ALTER TABLE treatment_sessions ADD COLUMN dose_value REAL"
               " CHECK (dose_value IS NULL OR dose_value > 0)")
    db.execute("ALTER TABLE treatment_sessions ADD COLUMN weight_kg REAL"
               " CHECK (weight_kg IS NULL OR weight_kg BETWEEN 20 AND 400)")
    db.execute("UPDATE treatment_sessions SET dose_unit = 'mg', dose_value = dose_mg WHERE dose_mg IS NOT NULL")
    # Blood pressure before and after the session (mmHg), each reading optional.
    for when in ("before", "after"):
        db.execute(f"ALTER TABLE treatment_sessions ADD COLUMN bp_{when}_systolic INTEGER"
                   f" CHECK (bp_{when}_systolic IS NULL OR bp_{when}_systolic BETWEEN 60 AND 260)")
        db.execute(f"ALTER TABLE treatment_sessions ADD COLUMN bp_{when}_diastolic INTEGER"
                   f" CHECK (bp_{when}_diastolic IS NULL OR bp_{when}_diastolic BETWEEN 30 AND 160)")
    # side_effects keeps its JSON text column: items are now {name, severity, hours} objects;
    # rows saved before this step hold plain names, which the store reads as unrated.


@migrations()
def m007_audit_hash_chain(db: Database) -> None:
    # Tamper evidence: each row's hash is SHA-256 over the previous row's hash and this row's
    # fields, so a row deleted or changed behind the app's back breaks the chain from there on
    # (flask --app diary verify-audit). Existing rows are chained here, in id order: the
    # append-only triggers are lifted for that one backfill and put back.
    from hashlib import sha256  # the recipe is frozen here: diary/store/audit_chain.py repeats it
    db.execute("ALTER TABLE audit_log ADD COLUMN hash TEXT")
    db.execute("DROP TRIGGER audit_log_no_update")
    previous = ""
    for row_id, at, actor_id, patient_id, action, detail in db.execute(
            "SELECT id, at, actor_id, patient_id, action, detail FROM audit_log ORDER BY id").fetchall():
        fields = [previous, at, "" if actor_id is None else str(actor_id),
                  "" if patient_id is None else str(patient_id), action, detail]
        previous = sha256("\x1f".join(fields).encode()).hexdigest()
        db.execute("UPDATE audit_log SET hash = ? WHERE id = ?", [previous, row_id])
    db.execute("""
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
    """)


@migrations()
def m008_rate_limits(db: Database) -> None:
    # Attempts counted against a limit (wrong passwords, wrong share codes, registrations), kept
    # only for the limit's window. In the database, so every gunicorn worker counts into the same
    # limit. ``bucket`` names the limit and whom it is about (an account, an address, everyone);
    # ``at`` is Unix time in seconds.
    db.execute("""
        CREATE TABLE limit_hits (
            id INTEGER PRIMARY KEY,
            bucket TEXT NOT NULL,
            at REAL NOT NULL
        ) STRICT
    """)
    db.execute("CREATE INDEX limit_hits_by_bucket ON limit_hits (bucket, at)")
    db.execute("CREATE INDEX limit_hits_by_age ON limit_hits (at)")


@migrations()
def m009_two_factor(db: Database) -> None:
    # TOTP two-factor authentication. mfa_secret is the base32 TOTP secret (NULL: not enrolled);
    # mfa_last_step is the last accepted TOTP time-step: a code for that step or an earlier one
    # is refused (no replay within its window).
    db.execute("ALTER TABLE users ADD COLUMN mfa_secret TEXT")
    db.execute("ALTER TABLE users ADD COLUMN mfa_enabled_at TEXT")
    db.execute("ALTER TABLE users ADD COLUMN mfa_last_step INTEGER")
    # Single-use recovery codes, as argon2id hashes (salted; the PHC string) of the normalised
    # code, never the code itself. (Changed from SHA-256 before this step was released.)
    # A table rather than a JSON column on users: using one is a single conditional UPDATE of
    # its row (used_at IS NULL), atomic without read-modify-write of a list.
    db.execute("""
        CREATE TABLE recovery_codes (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            code_hash TEXT NOT NULL,
            used_at TEXT,
            UNIQUE (user_id, code_hash)
        ) STRICT
    """)


@migrations()
def m010_audit_actor_name(db: Database) -> None:
    # The actor's display name as it was when the event happened, so the patient's access log
    # doesn't show a provider's current name for past views. Rows from before this keep NULL (the
    # name then is unknown; the log shows the current one). The chain covers the name when present.
    db.execute("ALTER TABLE audit_log ADD COLUMN actor_name TEXT")


@migrations()
def m011_push_reminders(db: Database) -> None:
    # Web push reminders. A row per browser (push subscription) of a patient: its endpoint and
    # keys as the browser gave them, the local time ("HH:MM", in the patient's time zone) and the
    # days it should remind on (ISO weekday digits, "0" Monday ... "6" Sunday). ``device`` names
    # the browser for the patient's list ("Chrome on Android").
    db.execute("""
        CREATE TABLE push_subscriptions (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            endpoint TEXT NOT NULL UNIQUE,
            p256dh TEXT NOT NULL,
            auth TEXT NOT NULL,
            remind_at TEXT NOT NULL CHECK (remind_at GLOB '[0-2][0-9]:[0-5][0-9]'),
            days TEXT NOT NULL CHECK (days <> '' AND days NOT GLOB '*[^0-6]*'),
            device TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            last_sent_at TEXT
        ) STRICT
    """)
    db.execute("CREATE INDEX push_subscriptions_by_user ON push_subscriptions (user_id)")
    # What was sent (or is being sent): at most one reminder per subscription per local day. The
    # row is written before the push goes out, so a rerun (or a second cron job at the same
    # minute) never sends twice; a failed send that may be retried deletes it again.
    db.execute("""
        CREATE TABLE reminders_sent (
            subscription_id INTEGER NOT NULL REFERENCES push_subscriptions(id) ON DELETE CASCADE,
            local_date TEXT NOT NULL,
            kind TEXT NOT NULL,
            sent_at TEXT NOT NULL,
            PRIMARY KEY (subscription_id, local_date)
        ) STRICT
    """)


# What one day of a patient's check-ins adds up to, for a given day: every check-in, and only the
# shared ones (not private), which is what a clinician sees.
_DAY_TOTALS = """
    SELECT user_id, date, count(*), sum(anxiety), min(anxiety), max(anxiety),
           sum(private = 0), coalesce(sum(CASE WHEN private = 0 THEN anxiety END), 0),
           min(CASE WHEN private = 0 THEN anxiety END), max(CASE WHEN private = 0 THEN anxiety END)
    FROM entries WHERE user_id = {user} AND date IN ({dates}) GROUP BY user_id, date
"""
_DAY_TRIGGERS = """
    SELECT e.user_id, e.date, et.trigger_id, count(*), sum(e.private = 0)
    FROM entries e JOIN entry_triggers et ON et.entry_id = e.id
    WHERE e.user_id = {user} AND e.date IN ({dates}) GROUP BY e.user_id, e.date, et.trigger_id
"""


def _recount_days(user: str, dates: str) -> str:
    """Trigger body: the days ``dates`` of ``user`` counted again from their check-ins."""
    where = f"user_id = {user} AND date IN ({dates})"
    return f"""
        DELETE FROM checkin_days WHERE {where};
        INSERT INTO checkin_days {_DAY_TOTALS.format(user=user, dates=dates)};
        DELETE FROM checkin_day_triggers WHERE {where};
        INSERT INTO checkin_day_triggers {_DAY_TRIGGERS.format(user=user, dates=dates)};
    """


@migrations()
def m012_checkin_days(db: Database) -> None:
    # Per-day totals of each patient's check-ins, kept by SQLite triggers in the same transaction
    # as every change to entries and entry_triggers (no write path can forget them), so Trends
    # over years reads a row per day instead of every check-in and its tags (docs/PERFORMANCE.md).
    # A derived copy: no foreign keys (it empties itself as the check-ins go), and
    # tests/test_checkin_days.py checks it against a count from scratch after every kind of write.
    # ``shared_*``: the same over the check-ins not marked private.
    db.execute("""
        CREATE TABLE checkin_days (
            user_id INTEGER NOT NULL,
            date TEXT NOT NULL,
            checkins INTEGER NOT NULL,
            anxiety_sum INTEGER NOT NULL,
            anxiety_min INTEGER NOT NULL,
            anxiety_max INTEGER NOT NULL,
            shared_checkins INTEGER NOT NULL,
            shared_sum INTEGER NOT NULL,
            shared_min INTEGER,
            shared_max INTEGER,
            PRIMARY KEY (user_id, date)
        ) STRICT, WITHOUT ROWID
    """)
    # How many of a day's check-ins name each trigger (all, and shared only).
    db.execute("""
        CREATE TABLE checkin_day_triggers (
            user_id INTEGER NOT NULL,
            date TEXT NOT NULL,
            trigger_id INTEGER NOT NULL,
            checkins INTEGER NOT NULL,
            shared_checkins INTEGER NOT NULL,
            PRIMARY KEY (user_id, date, trigger_id)
        ) STRICT, WITHOUT ROWID
    """)
    # A new check-in is added to its day; edits and deletions count the days they touch again
    # (a minimum can't be taken back). New tags are added one by one; removed ones taken away.
    for trigger in (
        """CREATE TRIGGER checkin_days_insert AFTER INSERT ON entries BEGIN
            INSERT INTO checkin_days VALUES (
                NEW.user_id, NEW.date, 1, NEW.anxiety, NEW.anxiety, NEW.anxiety, NEW.private = 0,
                CASE WHEN NEW.private = 0 THEN NEW.anxiety ELSE 0 END,
                CASE WHEN NEW.private = 0 THEN NEW.anxiety END, CASE WHEN NEW.private = 0 THEN NEW.anxiety END)
            ON CONFLICT (user_id, date) DO UPDATE SET
                checkins = checkins + 1, anxiety_sum = anxiety_sum + excluded.anxiety_sum,
                anxiety_min = min(anxiety_min, excluded.anxiety_min),
                anxiety_max = max(anxiety_max, excluded.anxiety_max),
                shared_checkins = shared_checkins + excluded.shared_checkins,
                shared_sum = shared_sum + excluded.shared_sum,
                shared_min = coalesce(min(shared_min, excluded.shared_min), shared_min, excluded.shared_min),
                shared_max = coalesce(max(shared_max, excluded.shared_max), shared_max, excluded.shared_max);
        END;""",
        f"""CREATE TRIGGER checkin_days_update AFTER UPDATE OF user_id, date, anxiety, private ON entries BEGIN
            {_recount_days("OLD.user_id", "OLD.date, NEW.date")}
        END;""",
        f"""CREATE TRIGGER checkin_days_delete AFTER DELETE ON entries BEGIN
            {_recount_days("OLD.user_id", "OLD.date")}
        END;""",
        """CREATE TRIGGER checkin_day_triggers_insert AFTER INSERT ON entry_triggers BEGIN
            INSERT INTO checkin_day_triggers
            SELECT user_id, date, NEW.trigger_id, 1, private = 0 FROM entries WHERE id = NEW.entry_id
            ON CONFLICT (user_id, date, trigger_id) DO UPDATE SET
                checkins = checkins + 1, shared_checkins = shared_checkins + excluded.shared_checkins;
        END;""",
        """CREATE TRIGGER checkin_day_triggers_delete AFTER DELETE ON entry_triggers BEGIN
            UPDATE checkin_day_triggers
            SET checkins = checkins - 1, shared_checkins = shared_checkins - (e.private = 0)
            FROM (SELECT user_id, date, private FROM entries WHERE id = OLD.entry_id) AS e
            WHERE checkin_day_triggers.user_id = e.user_id AND checkin_day_triggers.date = e.date
              AND trigger_id = OLD.trigger_id;
            DELETE FROM checkin_day_triggers WHERE checkins = 0 AND trigger_id = OLD.trigger_id
              AND (user_id, date) IN (SELECT user_id, date FROM entries WHERE id = OLD.entry_id);
        END;""",
        f"""CREATE TRIGGER checkin_day_triggers_update AFTER UPDATE ON entry_triggers BEGIN
            {_recount_days("(SELECT user_id FROM entries WHERE id = NEW.entry_id)",
                           "SELECT date FROM entries WHERE id IN (OLD.entry_id, NEW.entry_id)")}
        END;""",
    ):
        db.execute(trigger)
    db.execute(f"INSERT INTO checkin_days {_DAY_TOTALS.format(user='user_id', dates='date')}")
    db.execute(f"INSERT INTO checkin_day_triggers {_DAY_TRIGGERS.format(user='e.user_id', dates='e.date')}")


@migrations()
def m013_dashboard_lines(db: Database) -> None:
    # A counter per patient, moved on by SQLite triggers in the same transaction as every insert,
    # edit and deletion of their check-ins, sessions and questionnaires (no write path can forget
    # it): what a stored dashboard line is keyed on (diary/services/care.py, docs/PERFORMANCE.md).
    db.execute("""
        CREATE TABLE diary_versions (
            user_id INTEGER PRIMARY KEY,
            version INTEGER NOT NULL
        ) STRICT
    """)
    # Each sharing patient's provider-independent dashboard line (from shared records only), valid
    # for one diary version, one day (the patient's local date) and one ``format`` of the line
    # (diary/services/care.py: LINE_FORMAT, moved on with the code that computes it). A row per
    # patient, the lists in JSON: ``reasons`` their flags but safety ([{flag, date, text}], most
    # urgent first; the first one's flag and date also in ``top_flag``, ``top_date`` for the
    # sort), read only for the patients listed, and ``last_session`` ({id, date, treatment}) and
    # ``sparkline`` (30 daily means) only for the page's. A derived copy: the same triggers delete
    # it, and so does the end of a share, so no stale or unshared line lingers.
    db.execute("""
        CREATE TABLE dashboard_lines (
            patient_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
            version INTEGER NOT NULL,
            today TEXT NOT NULL,
            format INTEGER NOT NULL,
            last_entry_date TEXT,
            mean_7 REAL,
            change_from_baseline REAL,
            top_flag TEXT,
            top_date TEXT,
            reasons TEXT NOT NULL,
            days_since_session INTEGER,
            forecast_status TEXT NOT NULL,
            last_session TEXT,
            sparkline TEXT NOT NULL
        ) STRICT
    """)
    for table in ("entries", "treatment_sessions", "assessments"):
        for event, row in (("insert", "NEW"), ("update", "NEW"), ("delete", "OLD")):
            db.execute(f"""
                CREATE TRIGGER {table}_{event}_diary_version AFTER {event.upper()} ON {table} BEGIN
                    INSERT INTO diary_versions (user_id, version) VALUES ({row}.user_id, 1)
                        ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
                    DELETE FROM dashboard_lines WHERE patient_id = {row}.user_id;
                END
            """)
    db.execute("""
        CREATE TRIGGER shares_revoked_dashboard_line AFTER UPDATE OF revoked_at ON shares
        WHEN NEW.revoked_at IS NOT NULL BEGIN
            DELETE FROM dashboard_lines WHERE patient_id = NEW.patient_id;
        END
    """)
    db.execute("""
        CREATE TRIGGER shares_deleted_dashboard_line AFTER DELETE ON shares BEGIN
            DELETE FROM dashboard_lines WHERE patient_id = OLD.patient_id;
        END
    """)


@migrations()
def m014_trigger_names_move_the_diary_version_and_a_database_id(db: Database) -> None:
    # Trends name each trigger: renaming, merging (which deletes the source) or deleting one
    # changes what a patient's Trends say, so it moves their diary version on too, like every
    # write to check-ins, sessions and questionnaires (m013). Tagging a check-in needs no trigger
    # here: entry_triggers change only with their check-in's own row, which moves it already.
    # Results kept in memory are filed under the database's own random id too (services/memo.py):
    # a database made again at the same path (or on a reused inode) starts its versions afresh.
    db.execute("CREATE TABLE database_id (id TEXT NOT NULL) STRICT")
    db.execute("INSERT INTO database_id (id) VALUES (lower(hex(randomblob(16))))")
    for event, row in (("update", "NEW"), ("delete", "OLD")):
        db.execute(f"""
            CREATE TRIGGER triggers_{event}_diary_version AFTER {event.upper()} ON triggers BEGIN
                INSERT INTO diary_versions (user_id, version) VALUES ({row}.user_id, 1)
                    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
            END
        """)


@migrations()
def m015_dashboard_lines_relief_window(db: Database) -> None:
    # The dashboard shows when each patient's relief usually fades ("relief usually fades 9–13
    # Dec"), so a clinic can call before it does. Lines stored in the old format are computed
    # again on their next read (services.care.LINE_FORMAT moved on with this step).
    db.execute("ALTER TABLE dashboard_lines ADD COLUMN fade_from TEXT")
    db.execute("ALTER TABLE dashboard_lines ADD COLUMN fade_to TEXT")


@migrations()
def m016_safety_alerts_for_providers(db: Database) -> None:
    # A push subscription is for a patient's reminders or for a provider's safety alerts
    # (docs/REMINDERS.md, "Safety alerts"). A browser (its endpoint) still serves one account and
    # one purpose: whoever turned notifications on in it last. A safety-alert browser has no
    # reminder time: its remind_at and days hold '00:00' and '0123456', which nothing reads.
    db.execute("ALTER TABLE push_subscriptions ADD COLUMN purpose TEXT NOT NULL DEFAULT 'reminders'"
               " CHECK (purpose IN ('reminders', 'safety_alerts'))")
    # What was alerted (or is being alerted): a row per browser and safety signal, as raised then.
    # It is written before the push goes out, so a rerun (or a second run at the same minute) never
    # sends it twice; a failed send that may be retried deletes it again. A signal raised anew
    # (its words changed, or made shared again) after the provider acknowledged it is news again.
    # A deleted signal (its record deleted, or the words removed) takes its rows with it.
    db.execute("""
        CREATE TABLE safety_alerts_sent (
            subscription_id INTEGER NOT NULL REFERENCES push_subscriptions(id) ON DELETE CASCADE,
            event_id INTEGER NOT NULL REFERENCES safety_events(id) ON DELETE CASCADE,
            raised_at TEXT NOT NULL,
            sent_at TEXT NOT NULL,
            PRIMARY KEY (subscription_id, event_id, raised_at)
        ) STRICT
    """)
    db.execute("CREATE INDEX safety_alerts_sent_by_event ON safety_alerts_sent (event_id)")


@migrations()
def m017_provider_invitations(db: Database) -> None:
    # Under DIARY_PROVIDER_SIGNUP=invite a clinician's account needs an invitation an administrator
    # made for their e-mail (`flask invite-provider`). Only the token's SHA-256 is kept; it works
    # once, until expires_at.
    db.execute("""
        CREATE TABLE provider_invitations (
            id INTEGER PRIMARY KEY,
            token_hash TEXT NOT NULL UNIQUE,
            email TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used_at TEXT,
            used_by INTEGER REFERENCES users(id) ON DELETE SET NULL
        ) STRICT
    """)


@migrations()
def m018_password_resets(db: Database) -> None:
    # A forgotten password: a link sent by e-mail, single use, for 30 minutes (services.accounts).
    # Only the token's SHA-256 is kept.
    db.execute("""
        CREATE TABLE password_resets (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            token_hash TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used_at TEXT
        ) STRICT
    """)


@migrations()
def m019_keyed_audit_chain(db: Database) -> None:
    # From now on each audit row's hash is an HMAC keyed with instance/audit_key (or
    # DIARY_AUDIT_KEY), which is never in the database: someone with the file alone can't recompute
    # the chain after removing or changing rows. Rows written before keep their plain SHA-256
    # (keyed = 0); verify-audit refuses a plain row after a keyed one.
    db.execute("ALTER TABLE audit_log ADD COLUMN keyed INTEGER NOT NULL DEFAULT 0 CHECK (keyed IN (0, 1))")


@migrations()
def m020_seal_words(db: Database) -> None:
    # The words people write are sealed from now on: AES-256-GCM under each account's own data key,
    # itself wrapped by the master key outside the database (diary/security/fields.py and
    # store/keys.py say why and how). This seals what was written before, and replaces each
    # trigger's name_key (until now the case-folded name itself) by its blind index. Like every
    # step it is frozen: format 1 of fields.py, the key store's table and the column names as they
    # are today, written out here rather than imported.
    import base64
    import datetime as dt
    import hashlib
    import hmac
    import os

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    master_keys = getattr(db, "master_keys", None)
    columns = {
        "entries": ("user_id", "id", ["note"]),
        "treatment_sessions": ("user_id", "id", ["reflection"]),
        "triggers": ("user_id", "id", ["name"]),
        "safety_plans": ("user_id", "user_id", ["warning_signs", "coping_strategies", "distractions",
                                                "people_to_ask", "professionals", "safer_environment",
                                                "reasons_for_living"]),
        "users": ("id", "id", ["mfa_secret"]),
    }
    data_keys: dict[int, bytes] = {}

    def data_key(user_id: int) -> bytes:
        if user_id not in data_keys:
            if master_keys is None:
                raise RuntimeError("Sealing the words already written needs the master key and the key store: "
                                   "run `flask --app diary init-db`.")
            # init-db commits every account's key before this step (a key made here commits with
            # the sealed rows, in the second of two files: a crash between them would lose it).
            row = db.execute("SELECT wrapped, master_id FROM keys.data_keys WHERE user_id = ?", [user_id]).fetchone()
            if row is not None:
                data_keys[user_id] = master_keys.unwrap(row[0], row[1], user_id)
                return data_keys[user_id]
            raw = os.urandom(32)
            wrapped, master_id = master_keys.wrap(raw, user_id)
            db.execute("INSERT INTO keys.data_keys (user_id, wrapped, master_id, created_at) VALUES (?, ?, ?, ?)",
                       [user_id, wrapped, master_id,
                        dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")])
            data_keys[user_id] = raw
        return data_keys[user_id]

    def seal(user_id: int, column: str, text: str) -> str:
        nonce = os.urandom(12)
        sealed = AESGCM(data_key(user_id)).encrypt(nonce, text.encode(), f"{user_id}|{column}".encode())
        return base64.b64encode(b"\x01" + nonce + sealed).decode("ascii")

    def blind_index(user_id: int, name: str) -> str:
        index_key = hmac.new(data_key(user_id), b"symptom-diary blind index\x01", hashlib.sha256).digest()
        return hmac.new(index_key, " ".join(name.split()).casefold().encode(), hashlib.sha256).hexdigest()

    for table, (owner, row_id, names) in columns.items():
        for row in db.execute(f"SELECT {owner}, {row_id}, {', '.join(names)} FROM {table}").fetchall():
            if not any(row[2:]):
                continue
            sealed = [seal(row[0], f"{table}.{name}", value) if value else value for name, value in zip(names, row[2:])]
            assignments = ", ".join(f"{name} = ?" for name in names)
            if table == "triggers":
                assignments += ", name_key = ?"
                sealed.append(blind_index(row[0], row[2]))
            db.execute(f"UPDATE {table} SET {assignments} WHERE {row_id} = ?", [*sealed, row[1]])


@migrations()
def m021_questionnaire_schedules(db: Database) -> None:
    # When a patient's GAD-7 and PHQ-9 fall due, as a clinician they share with set it
    # (services/assessments.py): every week, two weeks or four weeks, or the day after each session,
    # counted again from the start of each new series of sessions when restart is on. No row: the
    # patient's default (every 14 days and on session days). A schedule whose clinician no longer
    # has a live share doesn't apply.
    db.execute("""
        CREATE TABLE questionnaire_schedules (
            patient_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
            set_by INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            cadence TEXT NOT NULL CHECK (cadence IN ('weekly', 'fortnightly', 'four_weekly', 'after_session')),
            restart_each_series INTEGER NOT NULL DEFAULT 0 CHECK (restart_each_series IN (0, 1)),
            set_at TEXT NOT NULL
        ) STRICT
    """)


@migrations()
def m022_account_language(db: Database) -> None:
    # The language the app speaks to the account (docs/ARCHITECTURE.md, "Languages"): its pages,
    # messages, questionnaires, reminders and report. What people wrote stays as written; CSV
    # columns and JSON keys never change with it. Accounts made before this speak English. A
    # questionnaire keeps the language of the form it was answered on (the FHIR export says it).
    db.execute("ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'es'))")
    db.execute("ALTER TABLE assessments ADD COLUMN language TEXT NOT NULL DEFAULT 'en'"
               " CHECK (language IN ('en', 'es'))")
