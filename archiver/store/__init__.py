"""The archive: captures (raw, never overwritten) and articles (derived)."""

from archiver.store.archive import Archive, default_db_path, open_archive

__all__ = ["Archive", "default_db_path", "open_archive"]
