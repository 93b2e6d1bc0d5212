"""``python -m testkit.translation_worker``: one translation worker process, for fault tests.

It runs the real ``translate_pending`` against ``DATABASE_URL`` with the installed packages. With
``--stall-seconds`` the engine waits that long after each claim before translating (a slow worker,
or, with a long wait, a worker to SIGKILL mid-batch); it prints ``claimed <ids>`` on stdout first, so
the caller knows the claim is committed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pipeline.settings import PipelineSettings
from translate.engine import DocumentTranslation, Engine, SourceDocument
from warehouse import db


class StallingEngine(Engine):
    """The real engine, pausing after each claim so a test can observe or kill the worker mid-batch."""

    def __init__(self, stall_seconds: float, packages_dir: Path | None):
        super().__init__(packages_dir=packages_dir)
        self.stall_seconds = stall_seconds

    def translate_documents(
        self, documents: Sequence[SourceDocument], *args: Any, **kwargs: Any
    ) -> list[DocumentTranslation]:
        print("claimed " + " ".join(document.key for document in documents), flush=True)
        time.sleep(self.stall_seconds)
        return super().translate_documents(documents, *args, **kwargs)


def main(argv: Sequence[str] | None = None) -> int:
    from translate.queue_worker import translate_pending

    parser = argparse.ArgumentParser(prog="python -m testkit.translation_worker")
    parser.add_argument("--batch-size", type=int, default=4)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--stall-seconds", type=float, default=0.0)
    parser.add_argument("--packages-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    engine = StallingEngine(args.stall_seconds, args.packages_dir)
    with db.connect() as conn:
        counts = translate_pending(
            conn,
            engine,
            PipelineSettings.from_env().claim_limits(),
            articles_per_claim=args.batch_size,
            limit=args.limit,
        )
    print(json.dumps(counts), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
