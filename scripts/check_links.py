#!/usr/bin/env python3
"""Checks the links of the README and of docs/*.md: every relative link names a file of the repository
and, where it has an #anchor, a heading of that file (GitHub's anchor rules); no link leaves the
repository's tree (`..` above the root, or absolute paths). Web links (http, https, mailto) are not
followed.

    check_links.py REPOSITORY_ROOT
"""
import pathlib
import re
import sys

LINK = re.compile(r"\[(?:[^\]\[]|\[[^\]]*\])*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def anchors(path):
    """GitHub's anchors of the headings of a Markdown file."""
    out, seen, fence = set(), {}, False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            fence = not fence
        if fence or not re.match(r"^#{1,6} ", line):
            continue
        text = re.sub(r"^#{1,6} ", "", line).strip().lower()
        text = re.sub(r"[^\w\- ]", "", text).replace(" ", "-")
        n = seen.get(text, 0)
        seen[text] = n + 1
        out.add(text if n == 0 else f"{text}-{n}")
    return out


def links(path):
    text, fence = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            fence = not fence
            continue
        if not fence:
            text.append(re.sub(r"`[^`]*`", "", line))  # code spans are not links
    return LINK.findall("\n".join(text))


def main():
    root = pathlib.Path(sys.argv[1]).resolve()
    files = [root / "README.md", *sorted((root / "docs").glob("*.md"))]
    errors, count = [], 0
    for f in files:
        for target in links(f):
            if re.match(r"^(https?|mailto):", target):
                continue
            count += 1
            name, _, anchor = target.partition("#")
            dest = f if name == "" else (f.parent / name).resolve()
            where = f"{f.relative_to(root)}: ({target})"
            if name.startswith("/") or root not in dest.parents and dest != root:
                errors.append(f"{where} leaves the repository")
            elif not dest.exists():
                errors.append(f"{where}: no such file")
            elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
                errors.append(f"{where}: no heading with that anchor in {dest.relative_to(root)}")
    for e in errors:
        print(e)
    print(f"check_links: {count} links in {len(files)} files, {len(errors)} broken")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
