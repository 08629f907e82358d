"""Outcome classification of one vendor call: the single place status codes become meaning.

A negative test passes only on ``rejected``; a 5xx, a timeout or a garbage answer is
*broken*, never a correct rejection (the W3C suites' lesson).
"""
from __future__ import annotations

import enum


class Outcome(str, enum.Enum):
    ACCEPTED = "accepted"                  # 2xx with the promised shape
    REJECTED = "rejected"                  # 400/422 (or another 4xx that is not auth) with a reason
    AUTH_ERROR = "auth_error"              # 401/403
    SERVER_ERROR = "server_error"          # 5xx
    TRANSPORT_ERROR = "transport_error"    # DNS, refused, TLS, timeout, reset, size limit
    MALFORMED_RESPONSE = "malformed_response"  # not the promised shape (not JSON, wrong type, redirect)


def classify_status(status: int) -> Outcome:
    if 200 <= status < 300:
        return Outcome.ACCEPTED
    if status in (401, 403):
        return Outcome.AUTH_ERROR
    if 400 <= status < 500:
        return Outcome.REJECTED
    if status >= 500:
        return Outcome.SERVER_ERROR
    return Outcome.MALFORMED_RESPONSE  # 1xx/3xx left unresolved
