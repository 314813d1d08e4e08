"""contentlint's rules, one module per rule family. Importing this package registers them all."""

from rules import encoding, links, schema

__all__ = ["encoding", "links", "schema"]
