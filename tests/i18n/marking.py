"""Finding text a person reads that is not marked for translation, and the marked strings
themselves, in templates and in our Python code (no gettext tools needed)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.template import engines
from django.template.base import DebugLexer, TokenType
from django.templatetags.i18n import BlockTranslateNode, TranslateNode

ROOT = Path(settings.BASE_DIR)
TEMPLATE_DIR = ROOT / "templates"
PYTHON_PACKAGES = ("servicedesk", "accounts", "tenants", "tickets", "legal")
# Names that stay as they are in every language: the product, acronyms, formats, codes.
KEPT = re.compile(
    r"Service Desk|Tiếng Việt|English|Markdown|CSV|JSON|SLA|SMTP|IMAP|HTTPS?|URL|API|"
    r"PDF|UTC|IBAN|DNS|SPF|DKIM|DMARC|MFA|TOTP|ID|OK|MB|GB|KB|[A-Z]{2,}\b"
)
WORD = re.compile(r"[A-Za-z]{2,}")
MARK = "\x00"
VISIBLE_ATTRIBUTES = {
    "title", "alt", "placeholder", "aria-label", "aria-description", "label",
    "aria-roledescription", "data-confirm",
}  # fmt: skip
SKIPPED_BLOCKS = {"blocktranslate", "blocktrans", "comment", "verbatim"}
# Blocks whose content is markup, not text: the page's CSS classes.
MARKUP_BLOCKS = {"block body_class"}


def templates() -> list[Path]:
    return sorted(p for p in TEMPLATE_DIR.rglob("*") if p.suffix in {".html", ".txt"})


def unmarked_text(path: Path) -> list[tuple[int, str]]:
    """(line, text) of each piece of literal text in ``path`` a reader would see."""
    source = path.read_text(encoding="utf-8")
    plain = _template_tags_blanked(source)
    if path.suffix == ".txt":
        return [
            (number, line.strip())
            for number, line in enumerate(plain.splitlines(), 1)
            if _has_words(line)
        ]
    finder = _TextFinder()
    finder.feed(plain)
    finder.close()
    return finder.found


def _template_tags_blanked(source: str) -> str:
    """``source`` with every template tag, variable and translated block replaced by a
    mark (newlines kept, so line numbers stay true)."""
    out, closing = [], None
    for token in DebugLexer(source).tokenize():
        start, end = token.position
        raw = source[start:end]
        word = token.contents.split()[0] if token.token_type == TokenType.BLOCK else ""
        if closing:
            if word == closing:
                closing = None
            out.append(MARK + "\n" * raw.count("\n"))
        elif token.token_type == TokenType.TEXT:
            out.append(raw)
        else:
            if word in SKIPPED_BLOCKS:
                closing = f"end{word}"
            elif " ".join(token.contents.split()) in MARKUP_BLOCKS:
                closing = "endblock"
            out.append(MARK + "\n" * raw.count("\n"))
    return "".join(out)


def _has_words(text: str) -> bool:
    return bool(WORD.search(KEPT.sub(" ", text.replace(MARK, " "))))


class _TextFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._hidden += 1
        values = dict(attrs)
        for name, value in attrs:
            shown = name in VISIBLE_ATTRIBUTES or (
                name == "value" and tag == "input" and values.get("type") in {"submit", "button"}
            )
            if shown and value and _has_words(value):
                self.found.append((self.getpos()[0], f'{name}="{value}"'))

    def handle_endtag(self, tag):
        if tag in {"script", "style"} and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and _has_words(data):
            self.found.append((self.getpos()[0], " ".join(data.replace(MARK, "…").split())))


def template_messages(path: Path) -> Iterator[str]:
    """The catalog keys the template asks for (with context as gettext keys them)."""
    template = engines["django"].from_string(path.read_text(encoding="utf-8"))
    nodelist = template.template.nodelist
    for node in nodelist.get_nodes_by_type(TranslateNode):
        value = node.filter_expression.var
        literal = getattr(value, "literal", None)
        if isinstance(literal, str):
            yield _key(node.message_context, literal)
    for node in nodelist.get_nodes_by_type(BlockTranslateNode):
        singular, _vars = node.render_token_list(node.singular)
        if node.plural and node.countervar:
            yield (_key(node.message_context, singular), 0)
        else:
            yield _key(node.message_context, singular)


def _key(context, message: str) -> str:
    if context is None:
        return message
    literal = getattr(context.var, "literal", context.var)
    return f"{literal}\x04{message}"


GETTEXT = {
    "_", "gettext", "gettext_lazy", "gettext_noop", "pgettext", "pgettext_lazy",
    "ngettext", "ngettext_lazy", "npgettext", "npgettext_lazy",
}  # fmt: skip


def python_files() -> list[Path]:
    return sorted(
        path
        for package in PYTHON_PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts and "management" not in path.parts
    )


def python_messages(path: Path) -> Iterator[tuple[int, object]]:
    """(line, catalog key) for each gettext call; a key of None is a call whose text is
    not a plain string (an f-string can't be in a catalog)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in GETTEXT or not node.args:
            continue
        strings = [_constant(arg) for arg in node.args]
        if name.startswith("np"):
            key = (f"{strings[0]}\x04{strings[1]}", 0) if None not in strings[:3] else None
        elif name.startswith("n"):
            key = (strings[0], 0) if None not in strings[:2] else None
        elif name.startswith("p"):
            key = f"{strings[0]}\x04{strings[1]}" if None not in strings[:2] else None
        else:
            key = strings[0]
        yield node.lineno, key


def _constant(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


# Calls whose literal text a person reads: flash messages, form errors, field labels.
MESSAGE_CALLS = {"success", "info", "warning", "error", "add_message", "ValidationError"}
# log.warning(...) and the like share those names but are read by operators: not translated.
LOGGERS = {"log", "logger", "logging"}
LABEL_KEYWORDS = {"label", "help_text", "empty_label", "empty_value_display"}


def unmarked_python_text(path: Path) -> Iterator[tuple[int, str]]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name in MESSAGE_CALLS and not _is_logger_call(node):
            for arg in node.args:
                if _literal_text(arg):
                    yield node.lineno, f"{name}(…{_literal_text(arg)!r})"
        for keyword in node.keywords:
            if keyword.arg in LABEL_KEYWORDS and _literal_text(keyword.value):
                yield node.lineno, f"{keyword.arg}={_literal_text(keyword.value)!r}"


# Log lines are for operators, in English (common.md): ``log.warning(...)`` is not a flash message.


def _is_logger_call(node: ast.Call) -> bool:
    receiver = getattr(node.func, "value", None)
    return getattr(receiver, "id", None) in LOGGERS


def _literal_text(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and _has_words(node.value):
        return node.value
    if isinstance(node, ast.JoinedStr):
        text = "".join(part.value for part in node.values if isinstance(part, ast.Constant))
        return text if _has_words(text) else None
    return None
