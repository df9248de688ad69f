"""SECURITY.md's table names the test that covers each attack: each one must exist."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_test_security_md_names_exists():
    text = (ROOT / "SECURITY.md").read_text()
    named = re.findall(r"`((?:[\w/]+/)?test_\w+\.py)?(?:::(\w+))?`", text)
    module = None
    missing = []
    for path, function in named:
        if path:
            module = next(ROOT.glob(f"**/{path}"), None) if "/" not in path else ROOT / path
            if module is None or not module.exists():
                missing.append(path)
                continue
        if function and f"def {function}(" not in module.read_text():
            missing.append(f"{module.relative_to(ROOT)}::{function}")

    assert len(named) > 30
    assert missing == []
