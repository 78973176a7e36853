"""Keep the full garbage collection Streamlit forces after every run cheap.

Streamlit calls ``gc.collect(2)`` when each script run ends (``runner.postScriptGC``). Its cost grows
with every object the process tracks: here the imported libraries (plotly, pandas, Streamlit) and the
shared caches, about 160,000 objects, ~50 ms per run, which was most of the server's CPU per viewer.
Objects that live on are moved to the permanent generation (``gc.freeze``), which collections skip;
when enough new long-lived objects have piled up (caches filled, sessions opened) they are frozen too,
after unfreezing and collecting once, so what froze and became garbage since (an evicted cache entry,
a closed session) is freed then: memory stays bounded and each run's own garbage is still collected.
"""

from __future__ import annotations

import gc
import threading

REFREEZE_AT = 20_000  # unfrozen objects in the oldest generation that start a refreeze
_lock = threading.Lock()


def settle() -> None:
    """After a run: refreeze the long-lived heap when the oldest generation has grown past REFREEZE_AT."""
    if len(gc.get_objects(generation=2)) < REFREEZE_AT or not _lock.acquire(blocking=False):
        return
    try:
        gc.unfreeze()
        gc.collect()
        gc.freeze()
    finally:
        _lock.release()
