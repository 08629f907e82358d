"""lerconf's side of the ``ob_consumer`` role (the vendor is an Open Badges 3.0 / CLR 2.0 API
consumer: an issuer pushing badges, a wallet or backpack pulling them).

* ``host`` — a fresh reference host per consumer scenario (``/ob-consumer/s/<id>/ims/...``), made
  by lerconf's hook ``POST /ob-consumer/sessions``: several pages to read, an access token it can
  declare expired, the next links it served kept;
* ``consumer`` — the reference consumer, a correct Service Consumer (rules switch its behaviours
  off one by one for the faulty bed);
* ``routes`` — its trigger ``POST /ob-consumer/trigger``, the contract lerconf drives any consumer by.
"""
from __future__ import annotations

from lerconf.refimpl.obconsumer.consumer import ConsumerRules, Order
from lerconf.refimpl.obconsumer.host import PAGE_SIZE, SEEDED, sessions_of
from lerconf.refimpl.obconsumer.routes import ROUTES, TRIGGER_PATH

__all__ = ["PAGE_SIZE", "ROUTES", "SEEDED", "TRIGGER_PATH", "ConsumerRules", "Order", "sessions_of"]
