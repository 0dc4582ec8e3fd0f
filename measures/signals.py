"""``data_changed``: sent by writers that bypass model signals (``bulk_create``, ``update``:
imports, ``load_plan``, demo data) inside their transaction, so that cached pages are
recomputed (``measures.versioning``)."""

from django.dispatch import Signal

data_changed = Signal()
