"""Writes docs/benchmarks.md from the JSON files of `bench/pages.py`, one per size.

The file's "## Dashboard" section, written from `bench/dashboard_bench.py` by hand, is
kept as it was, at the end."""

import argparse
import json
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEPT = "## Dashboard"


def kept_section(path: Path) -> list[str]:
    """The lines of `path`'s KEPT section, up to the next section; none if it has none."""
    lines = path.read_text().splitlines() if path.exists() else []
    if KEPT not in lines:
        return []
    start = lines.index(KEPT)
    end = next((n for n in range(start + 1, len(lines)) if lines[n].startswith("## ")), None)
    section = lines[start:end]
    while section and not section[-1].strip():
        section.pop()
    return ["", *section, ""]


def machine(server: str) -> list[str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        line.split()[1]
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    versions = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, gunicorn, psycopg2; "
            "print(django.get_version(), gunicorn.__version__, psycopg2.__version__)",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [
        f"- {os.cpu_count()} cores ({cpu}), {int(memory) // 1024 // 1024} GiB of memory",
        f"- Python {platform.python_version()}, Django {versions[0]}, gunicorn {versions[1]}"
        f" (2 sync workers), psycopg2 {versions[2]}, PostgreSQL {server}",
    ]


def size_table(result: dict) -> list[str]:
    floor = result["floor"]["median"]
    lines = [
        f"### {result['tickets']:,} tickets",
        "",
        f"Static floor (a static file through gunicorn and WhiteNoise): {floor:.1f} ms.",
        "",
        "| page | who | median ms | p95 | p99 | SQL queries | × floor |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for page in result["pages"]:
        queries = "—" if page["queries"] is None else page["queries"]
        lines.append(
            f"| {page['page']} | {page['who']} | {page['median']:.1f} | {page['p95']:.1f} "
            f"| {page['p99']:.1f} | {queries} | {page['median'] / floor:.0f} |"
        )
    return [*lines, ""]


def ratio_table(small: dict, large: dict) -> list[str]:
    lines = [
        f"### {large['tickets']:,} against {small['tickets']:,} tickets",
        "",
        "| page | median small | median large | ratio |",
        "| --- | ---: | ---: | ---: |",
    ]
    before = {page["page"]: page for page in small["pages"]}
    for page in large["pages"]:
        if page["page"] in before:
            was = before[page["page"]]["median"]
            lines.append(
                f"| {page['page']} | {was:.1f} | {page['median']:.1f} "
                f"| {page['median'] / was:.2f} |"
            )
    return [*lines, ""]


def sorts_table(result: dict) -> list[str]:
    """Every sort by every role: median ms of a few requests each."""
    if not result.get("sorts"):
        return []
    roles = list(dict.fromkeys(row["who"] for row in result["sorts"]))
    medians = {(row["sort"], row["who"]): row["median"] for row in result["sorts"]}
    lines = [
        f"### Every sort at {result['tickets']:,} tickets",
        "",
        "Each role's default list with `?sort=`, median ms of a few requests each.",
        "",
        "| sort | " + " | ".join(roles) + " |",
        "| --- |" + " ---: |" * len(roles),
    ]
    for sort in dict.fromkeys(row["sort"] for row in result["sorts"]):
        cells = " | ".join(f"{medians[sort, who]:.1f}" for who in roles)
        lines.append(f"| {sort} | {cells} |")
    worst = " | ".join(
        f"{max(m for (_, w), m in medians.items() if w == who):.1f}" for who in roles
    )
    return [*lines, f"| **worst** | {worst} |", ""]


def slowest(result: dict) -> list[str]:
    lines = [f"### The three slowest queries at {result['tickets']:,} tickets", ""]
    for query in result["slowest"]:
        lines += [
            f"{query['page']}: {query['ms']:.1f} ms",
            "",
            "```sql",
            query["sql"],
            "```",
            "",
            "```",
            query["plan"],
            "```",
            "",
        ]
    return lines


def flames(result: dict, report: Path) -> list[str]:
    """The flame graphs `bench/pages.py --flames` drew, as images beside the report."""
    if not result.get("flames"):
        return []
    lines = [
        f"### Where the workers' CPU goes at {result['tickets']:,} tickets",
        "",
        "Flame graphs drawn by py-spy, which sampled gunicorn's workers a thousand times",
        "a second while one user requested the page again and again. Each box is a",
        "function, as wide as its share of the samples, above the function that called",
        "it. A worker waiting for PostgreSQL is not sampled: the SQL shows only as the",
        "Python that builds the queries and reads their rows (its own time is in the",
        "plans below). Opened on their own, the SVG files zoom on a click and search.",
        "",
    ]
    for drawn in result["flames"]:
        image = os.path.relpath(drawn["path"], report.resolve().parent)
        title = f"{drawn['page']}, as {drawn['who']}, {drawn['requests']} requests"
        lines += [f"{title}:", "", f"![{title}]({image})", ""]
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("results", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args()
    results = sorted(
        (json.loads(path.read_text()) for path in args.results), key=lambda r: r["tickets"]
    )
    lines = [
        "# Benchmarks",
        "",
        f"Written by `bench/run` on {datetime.now(UTC).date().isoformat()}. Each page is",
        "requested over HTTP on one kept-alive connection, after a warm-up; the site",
        "runs under gunicorn with `deploy/gunicorn.conf.py` on PostgreSQL, with `DEBUG=0`,",
        f"its cache and sessions in {results[-1].get('cache', 'the database')}.",
        "A streamed export's first byte is timed with each export alone, 0.1 s after",
        "the last was read whole. Query counts are taken through Django's test client",
        "on the same data.",
        "",
        "## Machine",
        "",
        *machine(results[-1].get("postgresql", "?")),
        "",
        "## Pages",
        "",
    ]
    for result in results:
        lines += size_table(result)
    if len(results) > 1:
        lines += ["## Growth", "", *ratio_table(results[0], results[-1])]
    lines += ["## Sorts", "", *(line for result in results for line in sorts_table(result))]
    lines += ["## Where the time goes", "", *flames(results[-1], args.out)]
    lines += slowest(results[-1])
    lines += kept_section(args.out)
    args.out.write_text("\n".join(lines))
    print(f"Wrote {args.out}")


if __name__ == "__main__":
    main()
