"""Files → text: plain text in any Chinese encoding, Word, web pages and PDF."""

from kepugraph.reading.source import BUNDLED_PLAN, DEFAULT_MAX_BYTES, Document, read_source

__all__ = ["read_source", "Document", "BUNDLED_PLAN", "DEFAULT_MAX_BYTES"]
