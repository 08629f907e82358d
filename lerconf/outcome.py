"""Outcome classification of one vendor call: the single place status codes become meaning.

A negative test passes only on ``rejected``; a 5xx, a timeout or a garbage answer is
*broken*, never a correct rejection (the W3C suites' lesson).
"""
from __future__ import annotations

import enum


class Outcome(str, enum.Enum):
    ACCEPTED = "accepted"                  # 2xx with the promised shape
    REJECTED = "rejected"                  # 400/422: the vendor refused the input
    AUTH_ERROR = "auth_error"              # 401/403
    SERVER_ERROR = "server_error"          # 5xx
    TRANSPORT_ERROR = "transport_error"    # DNS, refused, TLS, timeout, reset, size limit
    MALFORMED_RESPONSE = "malformed_response"  # not the promised shape (not JSON, redirect, other 4xx)


def classify_status(status: int) -> Outcome:
    if 200 <= status < 300:
        return Outcome.ACCEPTED
    if status in (401, 403):
        return Outcome.AUTH_ERROR
    if status in (400, 422):
        return Outcome.REJECTED
    if status >= 500:
        return Outcome.SERVER_ERROR
    # 1xx/3xx left unresolved, and 404/405/409/415/429…: a missing endpoint or throttling is not a
    # rejection of the input, so it must never let a negative test pass.
    return Outcome.MALFORMED_RESPONSE
