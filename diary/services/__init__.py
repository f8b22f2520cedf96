"""The use cases: fetch through the store, compute through insights, return plain data.

Services never see ``request``, ``session`` or ``current_user``: views pass ids in. Views reach
the store only through a service (tests/test_architecture.py); the domain exceptions a write may
raise are named here for them.
"""
from ..store import IdConflict, NameTaken

__all__ = ["IdConflict", "NameTaken"]
