"""The two selective-disclosure cryptosuites behind one face, for the code that treats them alike
(the reference issuer and holder, the selective-disclosure scenarios): issue a base proof, derive a
disclosure, read a base proof's mandatory pointers, tell a derived proof, check a base proof as its
holder would. Each suite's own module keeps its algorithms (ecdsa_sd*, bbs_2023*)."""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lerconf.crypto.di import bbs_2023, bbs_2023_derive, ecdsa_sd, ecdsa_sd_derive
from lerconf.crypto.keys import PrivateKey, PublicKey
from lerconf.documents.jsonld import Processor

__all__ = ["SD_SUITES", "BaseCheck", "SelectiveSuite", "sd_proof_of", "selective_suite"]


@dataclass(frozen=True)
class BaseCheck:
    """A base proof checked as its holder checks it: valid or not, and why."""

    valid: bool
    message: str


@dataclass(frozen=True)
class SelectiveSuite:
    name: str
    #: requirement ids: base proof well formed and honouring its pointers, holder derivation,
    #: verifier takes derived proofs only, derived structure, issuer's base proof lets a holder disclose
    base_requirement: str
    holder_requirement: str
    derived_requirement: str
    create_base_proof: Callable[[Mapping[str, Any], PrivateKey, str, Sequence[str], Processor], dict[str, Any]]
    derive: Callable[[Mapping[str, Any], Sequence[str], Processor], dict[str, Any]]
    _pointers: Callable[[Any], tuple[str, ...]]
    _derived: Callable[[Any], object]
    _verify_base: Callable[[Mapping[str, Any], Mapping[str, Any], PublicKey, Processor], BaseCheck]

    def mandatory_pointers(self, proof_value: Any) -> tuple[str, ...]:
        """The mandatory pointers a base proof names (SdProofError when it is no base proof of this suite)."""
        return self._pointers(proof_value)

    def check_derived(self, proof_value: Any) -> None:
        """SdProofError unless ``proof_value`` is a derived proof of this suite."""
        self._derived(proof_value)

    def verify_base(self, document: Mapping[str, Any], proof: Mapping[str, Any], key: PublicKey,
                    processor: Processor) -> BaseCheck:
        return self._verify_base(document, proof, key, processor)


def _ecdsa_base(document: Mapping[str, Any], proof: Mapping[str, Any], key: PublicKey, processor: Processor) -> BaseCheck:
    outcome, _ = ecdsa_sd.verify_base(document, proof, key, processor)
    return BaseCheck(outcome.valid, outcome.message)


def _bbs_base(document: Mapping[str, Any], proof: Mapping[str, Any], key: PublicKey, processor: Processor) -> BaseCheck:
    if not isinstance(key.key, bytes):
        return BaseCheck(False, f"the verification method holds a {key.curve} key, not a BLS12-381 G2 key")
    outcome, _ = bbs_2023.verify_base(document, proof, key.key, processor)
    return BaseCheck(outcome.valid, outcome.message)


SD_SUITES: dict[str, SelectiveSuite] = {
    "ecdsa-sd-2023": SelectiveSuite(
        "ecdsa-sd-2023", "EC-03", "EC-04", "EC-05",
        lambda d, k, vm, p, proc: ecdsa_sd_derive.create_base_proof(d, k, vm, p, proc),
        lambda d, p, proc: ecdsa_sd_derive.derive(d, p, proc),
        lambda v: ecdsa_sd.parse_base_proof(v).mandatory_pointers, ecdsa_sd.parse_derived_proof, _ecdsa_base),
    "bbs-2023": SelectiveSuite(
        "bbs-2023", "LBB-01", "LBB-02", "LBB-03",
        lambda d, k, vm, p, proc: bbs_2023_derive.create_base_proof(d, k, vm, p, proc),
        lambda d, p, proc: bbs_2023_derive.derive(d, p, proc),
        lambda v: bbs_2023.parse_base_proof(v).mandatory_pointers, bbs_2023.parse_derived_proof, _bbs_base),
}


def selective_suite(name: str) -> SelectiveSuite:
    """The selective-disclosure suite ``name`` (KeyError naming the known ones otherwise)."""
    if name not in SD_SUITES:
        raise KeyError(f"{name} is not a selective-disclosure suite; known: {', '.join(SD_SUITES)}")
    return SD_SUITES[name]


def sd_proof_of(document: Any, suite: str) -> Mapping[str, Any] | None:
    """The document's proof of ``suite``, if it has one."""
    if not isinstance(document, Mapping):
        return None
    proofs = document.get("proof")
    return next((p for p in (proofs if isinstance(proofs, list) else [proofs])
                 if isinstance(p, Mapping) and p.get("cryptosuite") == suite), None)
