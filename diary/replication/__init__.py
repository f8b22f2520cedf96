"""Continuous replication of the app's two SQLite files with Litestream (docs/OPERATIONS.md).

``litestream``: where its binary is, the configuration the app generates for it from its settings,
its control socket (what /healthz asks) and its restore command. ``files``: what the restore drill
reads from a SQLite file (its integrity, row counts, newest records). No Flask here: the commands
and services pass the settings in.
"""
