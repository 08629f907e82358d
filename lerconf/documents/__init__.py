"""Loading published documents (contexts, schemas) and remote documents (DIDs, status lists)."""
from __future__ import annotations

from lerconf.documents.loader import DocumentLoader, LoaderSettings
from lerconf.documents.registry import REGISTRY, RegisteredDocument

__all__ = ["REGISTRY", "DocumentLoader", "LoaderSettings", "RegisteredDocument"]
