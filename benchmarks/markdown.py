"""Markdown rendering time per KB: a realistic support message against pathological input.

Renders (CommonMark parse + nh3 sanitising, as pages and services do) each text at 1, 16
and 64 KB, the last being the longest anyone may write (MAX_MARKDOWN_CHARS), and prints
CPU µs per KB, the ratio to normal text of the same size, and the ratio of the per-KB cost
at 64 KB to that at 1 KB (1.0 is linear; Python-Markdown, used before, was at 46 on '[':
0.23 s for 1 KB, 675 s for 64 KB).
Targets: every text at 64 KB under 0.5 s, and 64KB/1KB under 2.

    uv run python benchmarks/markdown.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import time

import _common  # noqa: F401 - puts the project on sys.path

from servicedesk.markdown import MAX_MARKDOWN_CHARS, render_markdown

SIZES_KB = (1, 16, 64)
TARGET_S = 0.5
MAX_GROWTH = 2.0

MESSAGE = """Hi team,

Since this morning's update the **invoice export** fails for two of our accounts:

1. Open *Billing → Exports* and choose March.
2. Click **Export CSV**; after ~30 s the page shows `Error 502`.

The log from our side is in https://drive.google.com/file/d/1AbC/view and the screenshot
is [here](https://example.com/screens/502.png). We tried:

- another browser (same result)
- a smaller date range, which works

> Could this be the new rounding rule? Last month's export was fine.

```
GET /exports/2026-03.csv 502 30012ms
```

Thanks, Mia

"""

PATHOLOGICAL = {
    "[": "[",
    "![": "![",
    "*a": "*a",
    "*_": "*_",
    "<a": "<a",
    "> ": "> ",
    "[a](": "[a](",
    "`a``": "`a``",
    "http://": "http://",
}


def _fill(pattern: str, length: int) -> str:
    return (pattern * (length // len(pattern) + 1))[:length]


def _nested(length: int) -> str:
    return "[" * (length // 2) + "]" * (length - length // 2)


def _cpu(text: str, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.process_time()
        render_markdown(text)
        samples.append(time.process_time() - started)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    assert max(SIZES_KB) * 1024 == MAX_MARKDOWN_CHARS
    render_markdown(MESSAGE)  # warm

    makers = {"normal message": lambda n: _fill(MESSAGE, n)}
    makers |= {repr(p): (lambda n, p=pattern: _fill(p, n)) for p, pattern in PATHOLOGICAL.items()}
    makers["'[' x n/2, ']' x n/2"] = _nested

    per_kb: dict[str, dict[int, float]] = {}
    for label, make in makers.items():
        per_kb[label] = {kb: _cpu(make(kb * 1024), args.repeat) / kb for kb in SIZES_KB}

    normal = per_kb["normal message"]
    print(f"{'text':<24}" + "".join(f"{f'{kb} KB µs/KB':>14}" for kb in SIZES_KB), end="")
    print(f"{'64KB total':>12}{'x normal':>10}{'64KB/1KB':>10}")
    failed = []
    for label, costs in per_kb.items():
        total = costs[64] * 64
        growth = costs[64] / costs[1]
        print(f"{label:<24}" + "".join(f"{costs[kb] * 1e6:14.0f}" for kb in SIZES_KB), end="")
        print(f"{total * 1000:10.0f} ms{costs[64] / normal[64]:10.1f}{growth:10.2f}")
        if total > TARGET_S or growth > MAX_GROWTH:
            failed.append(label)
    worst = max(per_kb, key=lambda label: per_kb[label][64])
    print(
        f"\nworst at 64 KB: {worst} ({per_kb[worst][64] * 64 * 1000:.0f} ms, "
        f"{per_kb[worst][64] / normal[64]:.1f}x normal text)"
    )
    if failed:
        print("MISSED the targets:", ", ".join(failed))


if __name__ == "__main__":
    main()
