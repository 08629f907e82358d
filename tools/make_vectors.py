"""Write lerconf's own vectors into vectors/ (run `make vectors` after changing signing code)."""
from __future__ import annotations

from pathlib import Path

from lerconf.documents.jsonld import Processor
from lerconf.documents.loader import DocumentLoader, LoaderSettings
from lerconf.negatives.vectorgen import build

ROOT = Path(__file__).resolve().parent.parent / "vectors"

if __name__ == "__main__":
    files = build(Processor(DocumentLoader(LoaderSettings.from_env(offline=True))))
    for rel, data in files.items():
        path = ROOT / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    print(f"{len(files)} vector files written to {ROOT}")
