"""Regenerate the expected JSON of the spider fixture pages, on purpose only.

    PYTHONPATH=. .venv/bin/python scripts/regenerate_expected.py            # show what would change
    PYTHONPATH=. .venv/bin/python scripts/regenerate_expected.py --write    # write it

Without --write it only reports differences. Read every changed file before committing it: the
expected records are the specification the extractor is tested against, not its output.
"""

from __future__ import annotations

import argparse
import json
import sys

from testkit.fixtures import article_pages


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--write", action="store_true", help="write the regenerated expected JSON files")
    arguments = parser.parse_args()
    changed = 0
    for page in article_pages():
        extraction = page.extract()
        if extraction.article is None:
            record = {"outcome": extraction.outcome}
            print(f"reject {page.url}: {extraction.outcome} ({extraction.reason})")
        else:
            record = extraction.article.to_dict()
        if record == page.expected():
            continue
        changed += 1
        print(f"{'write ' if arguments.write else 'differs'} {page.expected_file}")
        if arguments.write:
            page.expected_file.parent.mkdir(parents=True, exist_ok=True)
            text = json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True)
            page.expected_file.write_text(text + "\n", encoding="utf-8")
    print(f"{changed} expected file(s) {'written' if arguments.write else 'differ; rerun with --write'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
