"""The BLS12-381 groups lerconf's BBS code uses, from py-arkworks-bls12381 (Rust arkworks): one
module imports the binding, so a change of library touches only this file. Scalars are plain
Python ints reduced mod ``R``; points are the library's G1/G2 points."""
from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from py_arkworks_bls12381 import GT, G1Point, G2Point, Scalar

__all__ = [
    "G1Point",
    "G2Point",
    "P",
    "R",
    "g1_from_bytes",
    "g1_to_bytes",
    "g2_from_bytes",
    "g2_to_bytes",
    "map_to_g1",
    "mul1",
    "mul2",
    "multiexp1",
    "pairing_is_one",
]

#: the base field's modulus
P = 0x1A0111EA397FE69A4B1BA7B6434BACD764774B84F38512BF6730D2A0F6B0F6241EABFFFEB153FFFFB9FEFFFFFFFFAAAB
#: the order of the prime-order subgroups (the scalar field)
R = 0x73EDA753299D7D483339D80809A1D80553BDA402FFFE5BFEFFFFFFFF00000001


class PointError(ValueError):
    """Bytes that are not a valid compressed point of the prime-order subgroup."""


def _scalar(value: int) -> Scalar:
    return Scalar(value % R)


def mul1(point: G1Point, scalar: int) -> G1Point:
    return point * _scalar(scalar)


def mul2(point: G2Point, scalar: int) -> G2Point:
    return point * _scalar(scalar)


def multiexp1(points: Sequence[G1Point], scalars: Sequence[int]) -> G1Point:
    """sum(scalar_i * point_i) in one multi-scalar multiplication (the library's Pippenger)."""
    if not points:
        return G1Point.identity()
    return G1Point.multiexp_unchecked(list(points), [_scalar(s) for s in scalars])


def map_to_g1(fp: int) -> G1Point:
    """RFC 9380 map_to_curve (simplified SWU + 11-isogeny) of one base-field element, followed by
    cofactor clearing (the library does both). Clearing is a homomorphism, so the sum of two mapped
    elements equals clear_cofactor(map(u0) + map(u1)), as hash_to_curve wants."""
    return G1Point.map_from_fp_be((fp % P).to_bytes(48, "big"))


def g1_to_bytes(point: G1Point) -> bytes:
    return bytes(point.to_compressed_bytes())


def g2_to_bytes(point: G2Point) -> bytes:
    return bytes(point.to_compressed_bytes())


def g1_from_bytes(data: bytes) -> G1Point:
    """A compressed G1 point, checked to be on the curve and in the subgroup; identity refused."""
    if len(data) != 48:
        raise PointError(f"a G1 point is 48 bytes, not {len(data)}")
    try:
        point = G1Point.from_compressed_bytes(data)
    except ValueError as exc:  # the binding reports a bad encoding as ValueError
        raise PointError(f"not a valid G1 point: {exc}") from None
    if point == G1Point.identity():
        raise PointError("the G1 point is the identity")
    return point


@lru_cache(maxsize=64)
def g2_from_bytes(data: bytes) -> G2Point:
    """A compressed G2 point (a BBS public key), checked; identity refused. Cached: an issuer's key
    is decoded (and subgroup-checked, most of a millisecond) once per process, not once per proof."""
    if len(data) != 96:
        raise PointError(f"a G2 point is 96 bytes, not {len(data)}")
    try:
        point = G2Point.from_compressed_bytes(data)
    except ValueError as exc:
        raise PointError(f"not a valid G2 point: {exc}") from None
    if point == G2Point.identity():
        raise PointError("the G2 point is the identity")
    return point


def pairing_is_one(g1s: Sequence[G1Point], g2s: Sequence[G2Point]) -> bool:
    """Is the product of the pairings e(g1_i, g2_i) the identity of GT? (one final exponentiation)"""
    return bool(GT.pairing_check(list(g1s), list(g2s)))
