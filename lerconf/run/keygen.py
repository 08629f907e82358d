"""`lerconf keygen`: a signing key for `lerconf report --sign`, and the did:key it signs as.

The key file is the JSON `lerconf report --sign` reads (lerconf.reports.certificate.load_key): a
Multikey document whose ``privateKeyMultibase`` is the secret, with its public key, its did:key
controller and the cryptosuite it signs with beside it. It is created with mode 0600 and never
replaces a file unless asked (--force); only the did:key is printed, never the private key.
"""
from __future__ import annotations

import argparse
import errno
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from lerconf.crypto.keys import PrivateKey, generate
from lerconf.crypto.signing import Signer
from lerconf.errors import LerconfError

__all__ = ["CURVE_FOR_SUITE", "DEFAULT_KEY_FILE", "add_keygen", "cmd_keygen", "key_document", "write_key_file"]

#: the cryptosuites a certificate can be signed with, and the curve of the key each needs
CURVE_FOR_SUITE = {"eddsa-rdfc-2022": "Ed25519", "ecdsa-rdfc-2019": "P-256"}
DEFAULT_KEY_FILE = Path("lerconf-signing-key.json")

KEYGEN_DESCRIPTION = """\
Write a new signing key for `lerconf report RUN --sign KEYFILE` and print the
did:key a certificate signed with it names as its issuer (give that to whoever
verifies your certificates). The file holds the private key: it is created
readable by you only (mode 0600), an existing file is never replaced without
--force, and the private key is never printed."""


class KeyFileExists(Exception):
    """The key file exists and --force was not given."""


def add_keygen(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    keygen = sub.add_parser("keygen", help="write a signing key for `lerconf report --sign` and print its did:key",
                            description=KEYGEN_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    keygen.add_argument("--out", type=Path, default=DEFAULT_KEY_FILE, metavar="KEYFILE",
                        help=f"where the key goes (default {DEFAULT_KEY_FILE})")
    keygen.add_argument("--suite", choices=list(CURVE_FOR_SUITE), default="eddsa-rdfc-2022",
                        help="the cryptosuite certificates are signed with: eddsa-rdfc-2022 (an Ed25519 key, "
                             "the default) or ecdsa-rdfc-2019 (a P-256 key)")
    keygen.add_argument("--force", action="store_true", help="replace KEYFILE if it exists")
    keygen.set_defaults(handler=cmd_keygen)


def key_document(key: PrivateKey, suite: str) -> dict[str, Any]:
    """The key file's content: a Multikey with its private part, controller and cryptosuite."""
    signer = Signer.did_key(key)
    return {"type": "Multikey", "id": signer.verification_method, "controller": signer.controller,
            "cryptosuite": suite, "publicKeyMultibase": key.public.to_multikey(),
            "privateKeyMultibase": key.to_multikey()}


def write_key_file(path: Path, document: dict[str, Any], *, force: bool = False) -> None:
    """Write `document` to `path` with mode 0600; KeyFileExists unless `force`.

    The file is created with mode 0600 (never readable by others, not even for a moment) and, with
    `force`, written beside the old one and moved into place, so a failed write leaves no half key.
    """
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a directory", str(path))
    text = json.dumps(document, indent=1) + "\n"
    if not force:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # never replaces a file
        except FileExistsError:
            raise KeyFileExists(str(path)) from None
        target = path
    else:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)  # mode 0600
        target = Path(tmp)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(target, 0o600)  # whatever the umask
        if target != path:
            os.replace(target, path)
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def cmd_keygen(args: argparse.Namespace) -> int:
    key = generate(CURVE_FOR_SUITE[args.suite])
    document = key_document(key, args.suite)
    try:
        write_key_file(args.out, document, force=args.force)
    except KeyFileExists:
        raise LerconfError(f"{args.out} exists; give another --out, or --force to replace it "
                           "(certificates signed with the old key keep naming its did:key)") from None
    except OSError as exc:
        raise LerconfError(f"cannot write {args.out}: {exc.strerror or exc}") from None
    print(document["controller"])
    print(f"lerconf: wrote {args.out}: a signing key for {args.suite} ({key.curve}; mode 0600, keep it secret); "
          f"sign with: lerconf report RUN_DIR --sign {args.out}", file=sys.stderr)
    return 0
