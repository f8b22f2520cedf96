"""The use cases: fetch through the store, compute through insights, return plain data.

Services never see ``request``, ``session`` or ``current_user``: views pass ids in.
"""
