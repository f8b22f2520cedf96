"""The master key's use cases: is it the one the key store needs, and rotating it."""
from dataclasses import dataclass

from sqlite_utils import Database

from ..db import write_transaction
from ..security.fields import MasterKeys
from ..store import keys as keys_store


@dataclass(frozen=True)
class KeyCheck:
    """Whether this server's master keys and key store open every account's sealed words."""
    keys: int  # data keys in the key store
    unopenable: int  # of them, wrapped by a master key not given
    lost: int  # live accounts holding sealed words with no key in the key store

    @property
    def ok(self) -> bool:
        return self.unopenable == 0 and self.lost == 0

    def problem(self) -> str:
        problems = []
        if self.unopenable:
            problems.append(f"{self.unopenable} of the key store's {self.keys} data keys are wrapped by a master "
                            "key this server wasn't given (instance/master_key or DIARY_MASTER_KEY): restore that key.")
        if self.lost:
            problems.append(f"{self.lost} accounts hold sealed words but the key store (DIARY_KEY_STORE) has no key "
                            "for them: this is not the database's own key store, or it was lost. Restore it.")
        return (" ".join(problems) + " Until then those accounts' words can't be read (their scores and dates "
                "can), and nothing new is sealed for them.")


def check(db: Database, master_keys: MasterKeys) -> KeyCheck:
    counts = keys_store.master_key_ids(db)
    return KeyCheck(keys=sum(counts.values()),
                    unopenable=sum(n for key_id, n in counts.items() if not master_keys.has(key_id)),
                    lost=keys_store.missing_keys(db))


def prepare(db: Database, *, sealed: bool) -> None:
    """Before and after migrations (init-db): every live account has its key, committed on its
    own, and no deleted account keeps one (keys_store.ensure_all, destroy_deleted). ``sealed``:
    migration m020 has sealed the words already."""
    if "users" in db.table_names():
        keys_store.ensure_all(db, sealed=sealed)
        keys_store.destroy_deleted(db)


def rotate(db: Database, master_keys: MasterKeys) -> int:
    """Re-wrap every data key with the current (first) of ``master_keys``, opening each with any of
    them; the sealed words themselves are not touched. Returns how many keys were re-wrapped."""
    with write_transaction(db):
        return keys_store.rewrap_all(db, master_keys)
