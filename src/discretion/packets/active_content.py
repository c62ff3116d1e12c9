"""Active content in exhibit PDFs: named at preflight, removed before the pages are filed.

A PDF from a client's phone, a bank or an unknown sender can carry things a viewer *runs*
rather than shows: JavaScript, Launch actions that start a program (``/bin/sh``, ``cmd.exe``),
actions run when the document or a page opens or closes (``/OpenAction``, ``/AA``), form
actions that send data elsewhere (SubmitForm, ImportData), embedded files and attachments, and
multimedia annotations that script. None of it belongs in a packet filed with a court and
handed to ICE, and a practitioner must not be the one who delivers it. Every exhibit page is
rewritten before binding (``paper.fit_upright``), and that is where this module strips it;
preflight runs the same walk without changing anything, so what it names is exactly what the
build removes.

What stays is what a reader clicks and that does nothing by itself: links to a page of the
document (GoTo), to a web or mail address (URI with http, https or mailto), and the viewer's
page-turning named actions. It is an allow-list: an action of any other type, or one this
version does not know, is removed. pikepdf has no sanitiser of its own (qpdf neither), so the
walk is written here over the places the PDF standard (ISO 32000-2, 12.6) lets actions live.
"""

from __future__ import annotations

from dataclasses import dataclass

import pikepdf

SAFE_ACTIONS = {"/GoTo", "/URI", "/Named"}
SAFE_SCHEMES = ("http://", "https://", "mailto:")
SAFE_NAMED = {"/NextPage", "/PrevPage", "/FirstPage", "/LastPage"}
# Annotations that exist to hold a file, a movie, a sound or a script: removed whole.
ACTIVE_ANNOTATIONS = {
    "/FileAttachment": "a file attachment",
    "/Screen": "a media player",
    "/Movie": "a movie",
    "/Sound": "a sound",
    "/RichMedia": "rich media (Flash or video)",
    "/3D": "a 3D model",
}
_SHOWN = 8  # removals named one by one in a preflight message (worst first); the rest are counted
_WORST_FIRST = ("Launch", "JavaScript", "form action", "file", "XFA")


def _danger(text: str) -> int:
    return next((n for n, word in enumerate(_WORST_FIRST) if word in text), len(_WORST_FIRST))


@dataclass(frozen=True)
class Removal:
    """One piece of active content: what it is and where it sits."""

    what: str
    where: str

    def __str__(self) -> str:
        return f"{self.what} {self.where}"


def find(pdf: pikepdf.Pdf) -> list[Removal]:
    """Every piece of active content in ``pdf``, without changing it."""
    return _Walk(pdf, remove=False).run()


def strip(pdf: pikepdf.Pdf) -> list[Removal]:
    """Remove every piece of active content from ``pdf`` (in memory); returns what was removed."""
    return _Walk(pdf, remove=True).run()


def describe_texts(removals: tuple[str, ...] | list[str]) -> str:
    """The preflight message for a file's removals, the first few named, the rest counted."""
    ranked = sorted(removals, key=_danger)
    named = ranked[:_SHOWN]
    rest = len(removals) - len(named)
    text = "; ".join(named) + (f"; and {rest} more" if rest else "")
    return (
        f"contains active content, removed from the packet (the filed copy only shows the pages): "
        f"{text}. Ask the sender for a plain copy if the original must be kept"
    )


class _Walk:
    def __init__(self, pdf: pikepdf.Pdf, *, remove: bool) -> None:
        self.pdf = pdf
        self.remove = remove
        self.found: list[Removal] = []
        self.seen: set[tuple[int, int]] = set()

    def run(self) -> list[Removal]:
        root = self.pdf.Root
        opening = root.get("/OpenAction")
        # An /OpenAction that is a destination array only says which page to show first.
        if isinstance(opening, pikepdf.Dictionary):
            self._action(root, "/OpenAction", "run when the document opens")
        self._additional(root, "run when the document is closed, saved or printed")
        self._names(root)
        self._associated(root, "in the document")
        # Pages before the form's field tree, so a field is reported with its page.
        for number, page in enumerate(self.pdf.pages, 1):
            self._page(page.obj, number)
        self._form(root)
        self._outlines(root)
        return self.found

    # --- places ----------------------------------------------------------------------

    def _names(self, root: pikepdf.Object) -> None:
        names = root.get("/Names")
        if not isinstance(names, pikepdf.Dictionary):
            return
        if "/JavaScript" in names:
            self._note("JavaScript", "in the document's script list")
            if self.remove:
                del names["/JavaScript"]
        if "/EmbeddedFiles" in names:
            files = _tree_names(names.EmbeddedFiles)
            listed = ", ".join(repr(f) for f in files[:3]) + (" ..." if len(files) > 3 else "")
            self._note(
                f"{len(files) or 'an'} embedded file{'s' if len(files) != 1 else ''}"
                + (f" ({listed})" if listed else ""),
                "in the document",
            )
            if self.remove:
                del names["/EmbeddedFiles"]

    def _form(self, root: pikepdf.Object) -> None:
        form = root.get("/AcroForm")
        if not isinstance(form, pikepdf.Dictionary):
            return
        if "/XFA" in form:
            # XFA forms are scriptable; the standard form fields and their appearances remain.
            self._note("a scriptable XFA form", "in the document")
            if self.remove:
                del form["/XFA"]
        stack = list(form.get("/Fields") or [])
        while stack:
            field = stack.pop()
            if not isinstance(field, pikepdf.Dictionary) or not self._first_visit(field):
                continue
            name = str(field.get("/T", "")) or "unnamed"
            self._action(field, "/A", f"in form field {name!r}")
            self._additional(field, f"run by form field {name!r}")
            stack.extend(field.get("/Kids") or [])

    def _outlines(self, root: pikepdf.Object) -> None:
        outlines = root.get("/Outlines")
        if not isinstance(outlines, pikepdf.Dictionary):
            return
        stack = [outlines.get("/First")]
        while stack:
            item = stack.pop()
            if not isinstance(item, pikepdf.Dictionary) or not self._first_visit(item):
                continue
            self._action(item, "/A", f"in the bookmark {str(item.get('/Title', ''))[:40]!r}")
            stack += [item.get("/First"), item.get("/Next")]

    def _associated(self, holder: pikepdf.Object, where: str) -> None:
        """PDF 2.0 associated files (/AF): files carried beside the document or a page."""
        files = holder.get("/AF")
        if files is None:
            return
        count = len(files) if isinstance(files, pikepdf.Array) else 1
        self._note(f"{count} associated file{'s' if count != 1 else ''}", where)
        if self.remove:
            del holder["/AF"]

    def _page(self, page: pikepdf.Object, number: int) -> None:
        self._additional(page, f"run when page {number} opens or closes")
        self._associated(page, f"on page {number}")
        annots = page.get("/Annots")
        if not isinstance(annots, pikepdf.Array):
            return
        keep = []
        for annot in annots:
            if not isinstance(annot, pikepdf.Dictionary):
                keep.append(annot)
                continue
            subtype = str(annot.get("/Subtype", ""))
            if subtype in ACTIVE_ANNOTATIONS:
                self._note(ACTIVE_ANNOTATIONS[subtype], f"on page {number}")
                continue  # dropped from the page
            keep.append(annot)
            if not self._first_visit(annot):
                continue
            kind = "a form field" if subtype == "/Widget" else "a link" if subtype == "/Link" else "a note"
            self._action(annot, "/A", f"in {kind} on page {number}")
            self._additional(annot, f"run by {kind} on page {number}")
            self._associated(annot, f"in {kind} on page {number}")
            parent = annot.get("/Parent")
            while isinstance(parent, pikepdf.Dictionary) and self._first_visit(parent):
                self._action(parent, "/A", f"in a form field on page {number}")
                self._additional(parent, f"run by a form field on page {number}")
                parent = parent.get("/Parent")
        if self.remove and len(keep) != len(annots):
            page.Annots = pikepdf.Array(keep)

    # --- actions ---------------------------------------------------------------------

    def _additional(self, holder: pikepdf.Object, where: str) -> None:
        """An /AA dictionary: actions triggered by events (open, close, focus, keystroke...).
        None is something a reader asks for, so the whole dictionary goes."""
        extra = holder.get("/AA")
        if not isinstance(extra, pikepdf.Dictionary):
            return
        kinds = sorted({self._kind(a) for _, a in extra.items()}) or ["an action"]
        self._note(", ".join(kinds), where)
        if self.remove:
            del holder["/AA"]

    def _action(self, holder: pikepdf.Object, key: str, where: str) -> None:
        """``holder[key]`` is an action; remove it if unsafe, else look down its /Next chain."""
        action = holder.get(key)
        if not isinstance(action, pikepdf.Dictionary):
            return
        if not _safe(action):
            self._note(self._kind(action), where)
            if self.remove:
                del holder[key]
            return
        following = action.get("/Next")
        if following is None or not self._first_visit(action):
            return
        chain = list(following) if isinstance(following, pikepdf.Array) else [following]
        if all(isinstance(a, pikepdf.Dictionary) and _safe(a) for a in chain):
            return
        for bad in (a for a in chain if not (isinstance(a, pikepdf.Dictionary) and _safe(a))):
            self._note(self._kind(bad), where.replace("in ", "chained after ", 1))
        if self.remove:
            del action["/Next"]

    def _kind(self, action: object) -> str:
        if not isinstance(action, pikepdf.Dictionary):
            return "an action"
        kind = str(action.get("/S", ""))
        if kind == "/JavaScript":
            return "JavaScript"
        if kind == "/Launch":
            target = action.get("/F")
            windows = action.get("/Win")
            if target is None and isinstance(windows, pikepdf.Dictionary):
                target = windows.get("/F")
            if isinstance(target, pikepdf.Dictionary):
                target = target.get("/UF") or target.get("/F")
            return (
                f"a Launch action (starts {str(target)[:60]!r})" if target is not None else "a Launch action"
            )
        if kind in ("/SubmitForm", "/ImportData"):
            url = action.get("/F")
            if isinstance(url, pikepdf.Dictionary):
                url = url.get("/F")
            sends = "sends the form's data" if kind == "/SubmitForm" else "imports data"
            return f"a form action that {sends}" + (f" ({str(url)[:60]})" if url is not None else "")
        if kind == "/URI":
            return f"a link to {str(action.get('/URI', ''))[:60]!r}"
        if kind == "/GoToE":
            return "a link into an embedded file"
        return f"a {kind.lstrip('/') or 'unnamed'} action"

    def _note(self, what: str, where: str) -> None:
        self.found.append(Removal(what, where))

    def _first_visit(self, obj: pikepdf.Object) -> bool:
        if not obj.is_indirect:
            return True
        key = obj.objgen
        if key in self.seen:
            return False
        self.seen.add(key)
        return True


def _safe(action: pikepdf.Dictionary) -> bool:
    kind = str(action.get("/S", ""))
    if kind not in SAFE_ACTIONS:
        return False
    if kind == "/URI":
        return str(action.get("/URI", "")).strip().lower().startswith(SAFE_SCHEMES)
    if kind == "/Named":
        return str(action.get("/N", "")) in SAFE_NAMED
    return True


def _tree_names(node: pikepdf.Object, depth: int = 0) -> list[str]:
    """The keys of a PDF name tree (the embedded files' names), to say what was removed."""
    if not isinstance(node, pikepdf.Dictionary) or depth > 32:
        return []
    names = node.get("/Names")
    out = [str(names[i]) for i in range(0, len(names) - 1, 2)] if isinstance(names, pikepdf.Array) else []
    for kid in node.get("/Kids") or []:
        out += _tree_names(kid, depth + 1)
    return out
