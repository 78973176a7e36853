"""The long-lived heap is frozen so Streamlit's collection after each run stays cheap."""

from __future__ import annotations

import gc

from dashboard.ui import heap


def test_settle_freezes_a_grown_heap():
    gc.collect()
    try:
        kept = [[i] for i in range(heap.REFREEZE_AT + 1000)]  # long-lived objects, tracked by the GC
        gc.collect()  # they reach the oldest generation
        assert len(gc.get_objects(generation=2)) >= heap.REFREEZE_AT
        heap.settle()
        assert gc.get_freeze_count() >= len(kept)  # a collection no longer walks them
        assert len(gc.get_objects(generation=2)) < heap.REFREEZE_AT
    finally:
        gc.unfreeze()
        gc.collect()


def test_a_refreeze_frees_garbage_that_was_frozen():
    gc.collect()
    try:
        cycles = []
        for _ in range(5000):
            cycle: list[object] = []
            cycle.append(cycle)  # only the cycle collector can free it
            cycles.append(cycle)
        gc.collect()
        gc.freeze()
        before = gc.get_freeze_count()
        del cycles, cycle  # garbage now, but frozen: ordinary collections skip it
        filler = [[i] for i in range(heap.REFREEZE_AT + 10)]
        gc.collect()
        heap.settle()  # unfreeze, collect, freeze again
        assert gc.get_freeze_count() < before + len(filler)
        del filler
    finally:
        gc.unfreeze()
        gc.collect()
