"""The words patients write, encrypted at rest: per-account data keys, wrapped by a master key.

Pure functions and small value objects (no SQL, no Flask); diary/store/keys.py keeps the wrapped
keys and the store modules seal and open their columns with them (docs/SECURITY.md, "Encryption
at rest").

- Every account has a random 256-bit **data key**. Text columns that hold a person's words (notes,
  trigger names, reflections, the safety plan, the TOTP secret) are sealed with it: AES-256-GCM,
  a fresh 96-bit nonce per value, and the account, table and column as associated data, so a
  sealed value copied into another account or column doesn't open. (Rows aren't bound: one of a
  patient's notes moved onto another of their own check-ins would open there.)
- A data key is stored only **wrapped** (AES-256-GCM again) by the **master key**, which lives
  outside the database (``instance/master_key`` or ``DIARY_MASTER_KEY``). A copy of the database,
  its WAL, a backup or a replica holds no key that opens anything.
- Deleting an account destroys its data key: every old copy of that account's words, wherever it
  lies, can no longer be opened by anyone.
- Where SQL must compare words (a patient's trigger names are unique per patient), it compares a
  **blind index**: HMAC-SHA256 of the normalised name under a key derived from the data key.
"""
import base64
import binascii
import hashlib
import hmac
import os
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

# The first byte of every sealed value and wrapped key: the format (AES-256-GCM, 12-byte nonce,
# 16-byte tag). A later format gets another byte, and values of both kinds can be read.
FORMAT = b"\x01"
_NONCE = 12
KEY_BYTES = 32


class Unreadable(Exception):
    """A sealed value or wrapped key didn't open: the wrong key, a key destroyed with its account,
    or bytes changed on disk (the tag is checked before anything is returned)."""


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=KEY_BYTES * 8)


def parse_master_keys(text: str) -> list[bytes]:
    """The master keys in ``text``: 64 hex digits each, comma-separated (the first is current)."""
    keys = []
    for part in text.split(","):
        part = part.strip()
        try:
            key = bytes.fromhex(part)
        except ValueError:
            key = b""
        if len(key) != KEY_BYTES:
            raise ValueError("A master key is 64 hexadecimal digits (32 random bytes); several are "
                             "separated by commas, the current one first.")
        keys.append(key)
    if not keys:
        raise ValueError("No master key given.")
    return keys


def key_id(key: bytes) -> str:
    """A short public name for a master key (stored beside each key it wraps): which one opens it."""
    return hashlib.sha256(b"symptom-diary master key id\x00" + key).hexdigest()[:16]


def _seal(key: bytes, plaintext: bytes, context: bytes) -> bytes:
    nonce = os.urandom(_NONCE)
    return FORMAT + nonce + AESGCM(key).encrypt(nonce, plaintext, context)


def _open(key: bytes, sealed: bytes, context: bytes) -> bytes:
    if sealed[:1] != FORMAT or len(sealed) < 1 + _NONCE + 16:
        raise Unreadable("not a sealed value of a known format")
    try:
        return AESGCM(key).decrypt(sealed[1:1 + _NONCE], sealed[1 + _NONCE:], context)
    except InvalidTag:
        raise Unreadable("the key doesn't open this value") from None


class MasterKeys:
    """The master keys: the first wraps, every one of them unwraps (during a rotation there are two)."""

    def __init__(self, keys: Sequence[bytes]) -> None:
        if not keys:
            raise ValueError("at least one master key")
        self._keys = {key_id(key): key for key in keys}
        self.current_id = key_id(keys[0])

    @classmethod
    def from_text(cls, text: str) -> "MasterKeys":
        return cls(parse_master_keys(text))

    def has(self, master_id: str) -> bool:
        return master_id in self._keys

    def wrap(self, data_key: bytes, user_id: int) -> tuple[bytes, str]:
        """``(wrapped, master key id)`` of ``data_key`` for account ``user_id``."""
        return _seal(self._keys[self.current_id], data_key, _wrap_context(user_id)), self.current_id

    def unwrap(self, wrapped: bytes, master_id: str, user_id: int) -> bytes:
        key = self._keys.get(master_id)
        if key is None:
            raise Unreadable(f"no master key {master_id} (it was rotated away or never given)")
        return _open(key, wrapped, _wrap_context(user_id))


def _wrap_context(user_id: int) -> bytes:
    return f"data key of account {user_id}".encode()


class DataKey:
    """One account's data key: seals and opens that account's words, and gives blind indexes."""

    __slots__ = ("user_id", "_aead", "_index_key")

    def __init__(self, user_id: int, key: bytes) -> None:
        self.user_id = user_id
        self._aead = AESGCM(key)
        # A separate key for the blind index (HKDF-style expansion with HMAC-SHA256), so the index
        # never uses the encryption key itself.
        self._index_key = hmac.new(key, b"symptom-diary blind index\x01", hashlib.sha256).digest()

    def _context(self, column: str) -> bytes:
        return f"{self.user_id}|{column}".encode()

    def seal(self, column: str, text: str) -> str:
        """``text`` as ``column`` (``"table.column"``) stores it: base64 text, since the tables are
        STRICT and their columns TEXT. "" stays "" (an empty field says only what its length would)."""
        if text == "":
            return ""
        nonce = os.urandom(_NONCE)
        sealed = FORMAT + nonce + self._aead.encrypt(nonce, text.encode(), self._context(column))
        return base64.b64encode(sealed).decode("ascii")

    def open(self, column: str, stored: str | None) -> str:
        """The text behind a stored value of ``column`` (None and "" read as "")."""
        if not stored:
            return ""
        try:
            sealed = base64.b64decode(stored, validate=True)
        except (binascii.Error, ValueError):
            raise Unreadable(f"{column} of account {self.user_id} is not sealed") from None
        if sealed[:1] != FORMAT:
            raise Unreadable("not a sealed value of a known format")
        try:
            return self._aead.decrypt(sealed[1:1 + _NONCE], sealed[1 + _NONCE:], self._context(column)).decode()
        except InvalidTag:
            raise Unreadable(f"{column} of account {self.user_id} doesn't open with its key") from None

    def blind_index(self, normalised: str) -> str:
        """A keyed fingerprint of ``normalised`` for equality in SQL (hex, 64 digits)."""
        return hmac.new(self._index_key, normalised.encode(), hashlib.sha256).hexdigest()
