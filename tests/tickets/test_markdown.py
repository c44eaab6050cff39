"""Markdown: CommonMark in linear time, sanitised, links safe; the longest text is cheap."""

import time

import pytest

from servicedesk.markdown import MAX_MARKDOWN_CHARS, render_markdown

REL = 'rel="nofollow noopener noreferrer"'


def _fill(pattern: str, length: int = MAX_MARKDOWN_CHARS) -> str:
    return (pattern * (length // len(pattern) + 1))[:length]


# Inputs that made Python-Markdown (and make naive parsers) go quadratic or worse, each at
# the longest length anyone may write: unclosed and nested brackets, emphasis that never
# closes, half tags, quotes in quotes, link and image openers, nested parentheses.
PATHOLOGICAL = {
    "[": _fill("["),
    "*a": _fill("*a"),
    "<a": _fill("<a"),
    "> ": _fill("> "),
    "![": _fill("!["),
    "[a](": _fill("[a]("),
    "*_": _fill("*_"),
    "**a _": _fill("**a _"),
    "[[...]]": "[" * (MAX_MARKDOWN_CHARS // 2) + "]" * (MAX_MARKDOWN_CHARS // 2),
    "[...]( (((": "[a](" + "(" * (MAX_MARKDOWN_CHARS - 4),
    "`a``": _fill("`a``"),
    "http://": _fill("http://"),
    "a (no space)": _fill("a"),
}


@pytest.mark.parametrize("text", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_a_pathological_pattern_renders_in_time_linear_in_its_length(text):
    # A ratio, not a stopwatch: four times the text may cost about four times the work
    # (a quadratic renderer costs sixteen), whatever the machine's speed. The absolute
    # bound only catches a constant gone wild; it holds on a slow CI machine.
    assert len(text) == MAX_MARKDOWN_CHARS
    whole = _cpu_seconds(text)
    quarter = _cpu_seconds(text[: MAX_MARKDOWN_CHARS // 4])
    assert whole < 0.05 or whole / quarter < 8, (whole, quarter)
    assert whole < 3


def _cpu_seconds(text: str) -> float:
    # The best of three, so a collection or a busy neighbour landing in one run doesn't
    # decide.
    samples = []
    for _ in range(3):
        started = time.process_time()
        render_markdown(text)
        samples.append(time.process_time() - started)
    return min(samples)


def test_a_text_beyond_the_limit_is_cut_not_rendered():
    html = render_markdown("a" * MAX_MARKDOWN_CHARS + "ZZZ")
    assert "ZZZ" not in html
    assert "is not shown" in html


def test_bare_urls_become_safe_links_and_stay_text_in_code():
    html = render_markdown(
        "See https://example.com/a_b?x=1. and (https://example.org/path).\n\n"
        "`https://in.code/x`\n\n```\nhttps://in.block/y\n```"
    )
    assert f'<a href="https://example.com/a_b?x=1" {REL}>https://example.com/a_b?x=1</a>.' in html
    assert f'(<a href="https://example.org/path" {REL}>https://example.org/path</a>)' in html
    assert "<code>https://in.code/x</code>" in html
    assert "<pre><code>https://in.block/y\n</code></pre>" in html


def test_a_url_inside_a_link_is_not_linked_again():
    html = render_markdown("[see https://inner.example](https://outer.example)")
    assert html == f'<p><a href="https://outer.example" {REL}>see https://inner.example</a></p>\n'


def test_links_get_the_rel_and_only_safe_schemes_survive():
    html = render_markdown(
        "[site](https://example.com) <https://auto.example> <mailto:help@example.com> "
        "[bad](javascript:alert(1)) [data](data:text/html,x) [vb](vbscript:x) "
        '<a href="javascript:alert(2)">raw</a>'
    )
    assert f'<a href="https://example.com" {REL}>site</a>' in html
    assert f'<a href="https://auto.example" {REL}>https://auto.example</a>' in html
    assert f'<a href="mailto:help@example.com" {REL}>' in html
    assert html.count("<a ") == 3  # the others stay text, the raw <a> escaped
    assert "[bad](javascript:alert(1))" in html
    assert '&lt;a href="javascript:alert(2)"&gt;raw&lt;/a&gt;' in html


def test_raw_html_is_shown_as_text_never_as_markup():
    html = render_markdown(
        '<script>alert("x")</script>\n\n<img src=x onerror=alert(1)>\n\n'
        "Text <b onclick=alert(1)>bold</b> <iframe src=https://evil.example></iframe>"
    )
    assert "<script" not in html and "<img" not in html and "<iframe" not in html
    assert "<b" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_what_people_write_today_still_renders():
    html = render_markdown(
        "# Title\n\n**bold** *em* ~~struck~~ `code`\n\n- one\n- two\n\n1. first\n2. second\n\n"
        "> quoted\n\n| left | centre |\n|:-----|:------:|\n| a | b |\n\n"
        "```python\nprint('x')\n```\n\n---\n"
    )
    for fragment in (
        "<h1>Title</h1>",
        "<strong>bold</strong> <em>em</em> <del>struck</del> <code>code</code>",
        "<ul>\n<li>one</li>\n<li>two</li>\n</ul>",
        "<ol>\n<li>first</li>\n<li>second</li>\n</ol>",
        "<blockquote>\n<p>quoted</p>\n</blockquote>",
        '<th align="left">left</th>\n<th align="center">centre</th>',
        '<td align="left">a</td>\n<td align="center">b</td>',
        "<pre><code>print('x')\n</code></pre>",
        "<hr>",
    ):
        assert fragment in html
