"""bench/report.py rewrites docs/benchmarks.md but keeps its hand-written Dashboard section."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("bench_report", ROOT / "bench" / "report.py")
report = importlib.util.module_from_spec(spec)
spec.loader.exec_module(report)


def test_the_dashboard_section_is_kept_up_to_the_next_section(tmp_path):
    old = tmp_path / "benchmarks.md"
    old.write_text(
        "# Benchmarks\n\n## Pages\n\nold\n\n## Dashboard\n\n### 100,000 tickets\n\n"
        "| who | ms |\n\n## Later\n\nnot kept\n"
    )
    assert report.kept_section(old) == [
        "",
        "## Dashboard",
        "",
        "### 100,000 tickets",
        "",
        "| who | ms |",
        "",
    ]


def test_a_file_without_the_section_or_no_file_keeps_nothing(tmp_path):
    old = tmp_path / "benchmarks.md"
    assert report.kept_section(old) == []
    old.write_text("# Benchmarks\n\n## Pages\n")
    assert report.kept_section(old) == []


def test_the_sorts_table_gives_each_role_a_column_and_its_worst_sort():
    result = {
        "tickets": 1000,
        "sorts": [
            {"who": "oda", "sort": "id", "median": 12.0},
            {"who": "tesk", "sort": "id", "median": 20.5},
            {"who": "oda", "sort": "-assignee", "median": 950.25},
            {"who": "tesk", "sort": "-assignee", "median": 18.0},
        ],
    }

    lines = report.sorts_table(result)

    assert "| sort | oda | tesk |" in lines
    assert "| id | 12.0 | 20.5 |" in lines
    assert "| -assignee | 950.2 | 18.0 |" in lines
    assert "| **worst** | 950.2 | 20.5 |" in lines
    assert report.sorts_table({"tickets": 1000}) == []  # a result from before sorts


def test_the_flame_graphs_are_images_beside_the_report(tmp_path):
    drawn = tmp_path / "docs" / "flame-list.svg"
    result = {
        "tickets": 1_000_000,
        "flames": [
            {"page": "handler's list", "who": "kapasite", "requests": 500, "path": str(drawn)}
        ],
    }

    lines = report.flames(result, tmp_path / "docs" / "benchmarks.md")

    assert lines[0] == "### Where the workers' CPU goes at 1,000,000 tickets"
    title = "handler's list, as kapasite, 500 requests"
    assert f"![{title}](flame-list.svg)" in lines
    assert report.flames({"tickets": 1000, "flames": []}, tmp_path / "b.md") == []
    assert report.flames({"tickets": 1000}, tmp_path / "b.md") == []  # a result from before
