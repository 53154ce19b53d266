"""The cycle collector's pause around an import's bulk work: nested, from two threads, and
nothing it should collect is lost."""

import gc
import threading
import weakref

from models.collector import paused_collector


def test_the_collector_is_paused_inside_and_back_after_the_last_block():
    assert gc.isenabled()
    with paused_collector():
        assert not gc.isenabled()
        with paused_collector():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_overlapping_pauses_of_two_threads():
    inside, release = threading.Event(), threading.Event()

    def other():
        with paused_collector():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=other)
    with paused_collector():
        thread.start()
        inside.wait(5)
    assert not gc.isenabled()  # the other thread's pause goes on
    release.set()
    thread.join(5)
    assert gc.isenabled()


def test_a_cycle_made_during_a_pause_is_still_collected():
    class Node:
        pass

    with paused_collector():
        node = Node()
        node.itself = node
        ref = weakref.ref(node)
        del node
    gc.collect()
    assert ref() is None


def test_a_collector_switched_off_stays_off():
    gc.disable()
    try:
        with paused_collector():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
