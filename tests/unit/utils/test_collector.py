"""The garbage collector kept out of the way (ingest/utils/collector.py): under `mkdocs serve`, the oldest
generation is collected after each build instead of inside it."""

from __future__ import annotations

import gc
import threading

import pytest

from ingest.utils import collector
from ingest.utils.collector import (
    COMMAND_THRESHOLD,
    CollectionBetweenBuilds,
    collect_less,
)


@pytest.fixture(autouse=True)
def thresholds():
    before = gc.get_threshold()
    yield before
    gc.set_threshold(*before)


@pytest.fixture
def collections(monkeypatch):
    """Each full collection the collector is asked for, as an event."""
    done = threading.Event()
    monkeypatch.setattr(collector.gc, "collect", lambda *args: done.set())
    return done


def test_a_command_collects_less_often():
    collect_less()
    assert gc.get_threshold()[0] == COMMAND_THRESHOLD


def test_while_a_build_runs_the_oldest_generation_is_not_collected(thresholds):
    collection = CollectionBetweenBuilds()
    collection.building()
    young, middle, oldest = gc.get_threshold()
    assert (young, middle) == thresholds[:2] and oldest >= 2**30
    collection.building()  # a build that starts again (serve) keeps the thresholds it found first
    collection.built()
    assert gc.get_threshold() == thresholds
    collection.stop()


def test_after_the_build_everything_is_collected_a_moment_later(collections):
    collection = CollectionBetweenBuilds(delay=0.01)
    collection.building()
    assert not collections.is_set()
    collection.built()
    assert collections.wait(5)


def test_a_build_that_starts_before_the_collection_puts_it_off(collections):
    collection = CollectionBetweenBuilds(delay=0.2)
    collection.building()
    collection.built()
    collection.building()  # the next edit, before the collection ran
    assert not collections.wait(0.5)
    collection.built()
    assert collections.wait(5)


def test_stopping_leaves_nothing_to_run_and_the_collector_as_it_was(collections, thresholds):
    collection = CollectionBetweenBuilds(delay=0.05)
    collection.building()
    collection.stop()
    assert gc.get_threshold() == thresholds
    collection.built()  # after a stop: nothing is building, nothing to do
    assert not collections.wait(0.3)
