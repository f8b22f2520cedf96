"""The master key's use cases: is it the one the key store needs, and rotating it."""
from dataclasses import dataclass

from sqlite_utils import Database

from ..db import write_transaction
from ..security.fields import MasterKeys
from ..store import keys as keys_store


@dataclass(frozen=True)
class KeyCheck:
    """Whether the master keys given open every data key in the key store."""
    keys: int  # data keys in the key store
    unopenable: int  # of them, wrapped by a master key not given

    @property
    def ok(self) -> bool:
        return self.unopenable == 0

    def problem(self) -> str:
        return (f"{self.unopenable} of the key store's {self.keys} data keys are wrapped by a master key this "
                "server wasn't given (instance/master_key or DIARY_MASTER_KEY): restore that key. Without it "
                "the words those accounts wrote can't be read; their scores and dates can.")


def check(db: Database, master_keys: MasterKeys) -> KeyCheck:
    counts = keys_store.master_key_ids(db)
    return KeyCheck(keys=sum(counts.values()),
                    unopenable=sum(n for key_id, n in counts.items() if not master_keys.has(key_id)))


def rotate(db: Database, master_keys: MasterKeys) -> int:
    """Re-wrap every data key with the current (first) of ``master_keys``, opening each with any of
    them; the sealed words themselves are not touched. Returns how many keys were re-wrapped."""
    with write_transaction(db):
        return keys_store.rewrap_all(db, master_keys)
