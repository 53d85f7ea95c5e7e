"""Backups of the platform (sao lưu): consistent snapshots of the database, the lake and the uploads, kept
encrypted and deduplicated by restic in a local repository and an S3-compatible one; restore and drills.

- ``config``: the targets, the repository password and the errors operators see (Vietnamese and English);
- ``restic``: the restic command wrapped, its failures told apart (wrong key, unreachable, corrupt...);
- ``checksums``: per-table row counts and checksums, and file digests, the same before and after a restore;
- ``snapshot``: the consistent copy (database first, then the files it refers to) and its manifest;
- ``runs``: ``langson backup`` and the scheduled backup, recorded in ``BackupRun``;
- ``restore``: a snapshot fetched, verified against its manifest, then swapped in;
- ``drill``: the latest snapshot restored into a scratch place, verified and served (RPO, RTO);
- ``status``: what the operations page, the API, the indicators and the alerts read;
- ``tasks``: the worker's jobs (backup, retention, drill, alerts).
"""
