"""The process pool: lint files in workers, share the cross-file stage with a helper, place many findings.

Workers are forked with the run's settings and rules; each lints whole files
and sends back compact results. Small runs never start a pool (nor import its
machinery).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from contextlib import contextmanager

from k8slint import observed
from k8slint.documents import Document, Span, relocate
from k8slint.sources import Source
from k8slint.terminal import progress

PARALLEL_MIN_FILES = 16
PARALLEL_MIN_PLACES = 1000  # cross-object findings worth a second pool to re-read their documents
PARALLEL_MIN_OBJECTS = 2000  # an index worth sharing the cross-file rules with a helper process


def usable_cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def worker_count(settings) -> int:
    """``jobs`` (0: one per CPU), never more than the CPUs (a config file's ``jobs: 100000`` is no fork bomb)."""
    return min(settings.jobs or usable_cpus(), usable_cpus())


def map_files(sources: list[Source], settings, rules: dict, lint_file: Callable) -> list:
    """``lint_file(source, settings, rules)`` for every source, in a pool when there are enough files."""
    jobs = worker_count(settings)
    stdin = [s for s in sources if s.text_from_stdin is not None]
    shown = progress()
    shown.files(len(sources))
    if jobs <= 1 or len(sources) < PARALLEL_MIN_FILES or stdin:
        return [_advancing(shown, lint_file(source, settings, rules)) for source in sources]
    for rule in rules.values():  # import the checks once, before the workers fork
        if rule.check is not None:
            rule.check.load()
    chunk = max(1, min(64, len(sources) // (jobs * 8)))
    with _pool(jobs, _init_worker, (settings, tuple(rules), lint_file)) as pool:
        return [_advancing(shown, result) for result in pool.map(_lint_file_in_worker, sources, chunksize=chunk)]


def _advancing(shown, result):
    shown.advance()
    return result


def share(count: int, work: Callable[[Callable[[], int | None]], list], helper: bool) -> list:
    """``work(claim)`` here and, with ``helper``, at once in one forked helper process; the results, concatenated.

    ``claim()`` hands out each of ``range(count)`` once, to whichever process
    asks first, then None: the two share the tasks as they go, however uneven
    their costs. The helper sends back its result (a list) and what it looked
    at (``observed``), so a run's record holds every look either made.
    """
    if not helper or count < 2 or sys.platform != "linux":  # one process: fork is what shares the run's state
        tasks = iter(range(count))
        return work(lambda: next(tasks, None))
    import multiprocessing

    claimed = multiprocessing.get_context("fork").Value("i", 0)

    def claim() -> int | None:
        with claimed.get_lock():
            task = claimed.value
            if task >= count:
                return None
            claimed.value = task + 1
        return task

    _SHARED.update(work=work, claim=claim)
    try:
        with _pool(1) as helper_pool:
            theirs = helper_pool.submit(_share_in_helper)  # the helper is forked here, holding _SHARED
            mine = work(claim)
            found, looks = theirs.result()
    finally:
        _SHARED.clear()
    observed.add(looks)
    return mine + found


_SHARED: dict = {}


def _share_in_helper() -> tuple[list, dict]:
    before = observed.looks()
    found = _SHARED["work"](_SHARED["claim"])
    return found, {look: seen for look, seen in observed.looks().items() if look not in before}


def place(requests: list[tuple[Document, str, bool]], settings) -> list[Span]:
    """Spans of ``(document, path, on_key)`` requests sorted by file; many are re-read by workers, file by file."""
    jobs = worker_count(settings)
    if jobs <= 1 or len(requests) < PARALLEL_MIN_PLACES:
        return [doc.locate(path, on_key) for doc, path, on_key in requests]
    by_file: dict[str, tuple[Source, list]] = {}
    for doc, path, on_key in requests:
        if not doc.has_tree:  # documents still holding their tree are placed here, below
            by_file.setdefault(doc.file, (doc.source, []))[1].append((doc.start, path, on_key))
    with _pool(jobs) as pool:
        placed = pool.map(_place_in_file, by_file.values(), chunksize=max(1, len(by_file) // (jobs * 8)))
        spans = iter([span for spans in placed for span in spans])
    return [doc.locate(path, on_key) if doc.has_tree else next(spans) for doc, path, on_key in requests]


@contextmanager
def _pool(jobs: int, initializer=None, initargs=()):
    """A process pool whose workers are terminated, not waited for, when the run is stopped (a signal, an error)."""
    import multiprocessing  # only here: a run on a few files never pays for the pool machinery
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork") if sys.platform == "linux" else None
    pool = ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_start_worker, initargs=(initializer, initargs)
    )
    try:
        yield pool
    except BaseException:
        import threading

        # the executor's bookkeeping thread may trip over the futures this exit cancelled: the run is over
        threading.excepthook = lambda args: None
        workers = list((pool._processes or {}).values())  # the executor has no public terminate
        for process in workers:
            process.terminate()
        for process in workers:
            process.join(timeout=2)
        pool.shutdown(wait=False)
        raise
    pool.shutdown(wait=True)


def _start_worker(initializer, initargs) -> None:
    from k8slint import stopping

    stopping.in_worker()
    if initializer is not None:
        initializer(*initargs)


def _place_in_file(task) -> list[Span]:
    source, wanted = task
    return [relocate(source, start, path, on_key) for start, path, on_key in wanted]


_WORKER: dict = {}


def _init_worker(settings, rule_ids: tuple[str, ...], lint_file: Callable) -> None:
    from k8slint.registry import all_rules

    rules = all_rules()
    _WORKER.update(settings=settings, rules={rid: rules[rid] for rid in rule_ids}, lint_file=lint_file)


def _lint_file_in_worker(source: Source):
    return _WORKER["lint_file"](source, _WORKER["settings"], _WORKER["rules"])
