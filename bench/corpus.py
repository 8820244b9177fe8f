#!/usr/bin/env python3
"""Writes a benchmark corpus of N guidance pages, twice: as a guidepost site and as an equivalent Hugo site.

    python3 bench/corpus.py --pages 10000 --seed 1 --out /tmp/gp-bench/10000

writes OUT/guidepost/{content,site} and OUT/hugo/{content,layouts,i18n,static,hugo.yaml}. The output depends
only on --pages and --seed (and on the repository's site/ folder, whose templates, strings and CSS the guidepost
site reuses), so two runs write byte-identical trees.

Shape of the content (what a large health region publishes):
- 100 pages per section, 10 sections per area: content/AREA/SECTION/PAGE.md, each folder with an _index.md;
- each page ~4 KB of Markdown: h2/h3 headings, bulleted and numbered lists, emphasis, a table of 5-6 rows,
  three relative `.md` links to other pages (same section, another section, another area) and one external link;
- YAML front matter: title, description, weight, updated, reviewed, editor.

Both sites list every page of the current section in a sidebar on every page and show breadcrumbs, so both
tools do the same O(pages x section size) work. Standard library only.
"""

from __future__ import annotations

import argparse
import datetime
import random
import shutil
import sys
from pathlib import Path

PAGES_PER_SECTION = 100
SECTIONS_PER_AREA = 10
REPO = Path(__file__).resolve().parent.parent

AREAS = [
    ("natverk", "Nätverk"), ("katalog", "Katalogtjänster"), ("support", "Support och drift"),
    ("sakerhet", "Informationssäkerhet"), ("journal", "Journalsystem"), ("lakemedel", "Läkemedel"),
    ("labb", "Laboratoriemedicin"), ("bild", "Bild och funktion"), ("behorighet", "Behörigheter"),
    ("utbildning", "Utbildning"), ("telefoni", "Telefoni"), ("arkiv", "Arkiv och e-arkiv"),
]
NOUNS = [
    "anslutning", "behörighet", "beställning", "kapacitet", "servicenivå", "brandvägg", "certifikat",
    "e-tjänstekort", "journal", "remiss", "provsvar", "läkemedelslista", "vårdkontakt", "samordning",
    "felanmälan", "driftstörning", "uppgradering", "säkerhetszon", "inloggning", "medarbetaruppdrag",
    "katalogpost", "funktionsbrevlåda", "telefonkö", "videomöte", "hemarbete", "distansåtkomst",
    "kostnad", "avtal", "underleverantör", "leveranstid", "backup", "loggning", "granskning", "avvikelse",
]
ADJECTIVES = [
    "regional", "lokal", "tillfällig", "permanent", "extern", "intern", "säker", "redundant",
    "prioriterad", "planerad", "akut", "gemensam", "nationell", "digital", "fysisk", "delad",
]
WORDS = (
    "vården region tjänsten användaren enheten beställaren förvaltningen leverantören kontaktperson "
    "uppdraget nätet avtalet servicedesk driftfönster helgdag kvällstid dokumentation underlag rutin "
    "ansvar verksamhet patient personal system information behörighet tillgång kontroll uppföljning "
    "besked ärende handläggning granskning ändring kostnad leverans tidplan prioritet risk åtgärd"
).split()
VERBS = (
    "beställer ansvarar granskar kontrollerar dokumenterar meddelar godkänner planerar levererar "
    "prioriterar följer uppdaterar registrerar anmäler avslutar kopplar säkerställer"
).split()
EDITORS = [
    "Anna Andersson", "Per Nilsson", "Karin Lindqvist", "Ola Nordmann", "Maria Berg", "Johan Ek",
    "Sara Holm", "Erik Dahl", "Lena Sjöberg", "Nils Strand",
]
EXTERNAL = [
    "https://www.socialstyrelsen.se/", "https://www.inera.se/", "https://www.ehalsomyndigheten.se/",
    "https://www.nhn.no/", "https://www.imy.se/", "https://www.1177.se/",
]
LEVELS = ["S1", "S2", "S3", "S4", "S5", "S6"]


def slugify(text: str) -> str:
    table = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", " ": "-"})
    return "".join(c for c in text.lower().translate(table) if c.isalnum() or c == "-")


class Writer:
    """Generates the text of every page from one seeded random source."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def pick(self, items):
        return items[self.rng.randrange(len(items))]

    def sentence(self, words: int = 12) -> str:
        parts = [self.pick(WORDS) for _ in range(words)]
        parts.insert(self.rng.randrange(2, words - 2), self.pick(VERBS))
        text = " ".join(parts)
        return text[0].upper() + text[1:] + "."

    def paragraph(self, sentences: int, link: str | None = None) -> str:
        out = [self.sentence(self.rng.randrange(6, 12)) for _ in range(sentences)]
        i = self.rng.randrange(len(out))
        words = out[i].split(" ")
        j = self.rng.randrange(1, len(words) - 1)
        words[j] = f"**{words[j]}**" if self.rng.random() < 0.5 else f"*{words[j]}*"
        out[i] = " ".join(words)
        if link:
            out.append(link)
        return " ".join(out)

    def title(self) -> str:
        adjective, noun = self.pick(ADJECTIVES), self.pick(NOUNS)
        return f"{adjective.capitalize()} {noun}"

    def date(self, start: datetime.date) -> datetime.date:
        return start + datetime.timedelta(days=self.rng.randrange(0, 700))

    def table(self) -> str:
        rows = ["| Nivå | Drifttid | Felavhjälpning | Anmärkning |", "|---|---|---|---|"]
        for level in LEVELS[: self.rng.choice([5, 6])]:
            hours = self.pick(["08–17 vardagar", "07–19 vardagar", "dygnet runt", "06–22 alla dagar"])
            fix = self.pick(["4 timmar", "8 timmar", "nästa vardag", "2 timmar", "1 timme"])
            note = " ".join(self.pick(WORDS) for _ in range(self.rng.randrange(3, 7)))
            rows.append(f"| {level} | {hours} | {fix} | {note} |")
        return "\n".join(rows)

    def bullets(self, n: int, ordered: bool = False) -> str:
        lines = []
        for k in range(n):
            marker = f"{k + 1}." if ordered else "-"
            lines.append(f"{marker} {self.sentence(self.rng.randrange(5, 10))}")
        return "\n".join(lines)

    def body(self, links: list[tuple[str, str]], external: str) -> str:
        """~4 KB of Markdown; `links` are three (text, relative .md path) pairs."""
        (t1, l1), (t2, l2), (t3, l3) = links
        h = [self.title() for _ in range(6)]
        return "\n\n".join([
            self.paragraph(3, f"Läs också [{t1.lower()}]({l1})."),
            f"## {h[0]}",
            self.paragraph(3),
            self.bullets(5),
            f"### {h[1]} i praktiken",
            self.paragraph(3, f"Mer om detta finns under [{t2.lower()}]({l2})."),
            f"## Servicenivåer för {h[2].lower()}",
            self.paragraph(2),
            self.table(),
            f"### {h[3]} och ansvar",
            self.paragraph(3),
            self.bullets(4, ordered=True),
            f"## Så beställer du {h[4].lower()}",
            self.paragraph(3, f"Se [{t3.lower()}]({l3}) innan du beställer."),
            self.bullets(4),
            f"### Frågor om {h[5].lower()}",
            self.paragraph(3, f"Nationella riktlinjer finns hos [{external.split('/')[2]}]({external})."),
        ]) + "\n"


def plan(n_pages: int, rng: random.Random, writer: Writer):
    """Areas → sections → pages, with titles and paths (relative to content/)."""
    n_sections = max(1, -(-n_pages // PAGES_PER_SECTION))
    sections = []
    for s in range(n_sections):
        a = s // SECTIONS_PER_AREA
        area_slug, area_title = AREAS[a % len(AREAS)]
        if a >= len(AREAS):
            area_slug, area_title = f"{area_slug}-{a // len(AREAS) + 1}", f"{area_title} {a // len(AREAS) + 1}"
        title = writer.title()
        slug = f"{slugify(title)}-{s + 1:03d}"
        count = min(PAGES_PER_SECTION, n_pages - s * PAGES_PER_SECTION)
        pages = []
        for p in range(count):
            page_title = f"{writer.title()} {s * PAGES_PER_SECTION + p + 1}"
            pages.append((f"{slugify(page_title)}.md", page_title))
        sections.append({"area": (area_slug, area_title), "slug": slug, "title": title, "pages": pages})
    return sections


def relative(from_dir: list[str], to: list[str]) -> str:
    """The relative path from folder `from_dir` to file `to` (both as lists of parts below content/)."""
    common = 0
    while common < min(len(from_dir), len(to) - 1) and from_dir[common] == to[common]:
        common += 1
    return "/".join([".."] * (len(from_dir) - common) + to[common:])


def front_matter(fields: list[tuple[str, object]]) -> str:
    lines = ["---"]
    for key, value in fields:
        if isinstance(value, str) and key in ("title", "description", "editor"):
            value = '"' + value.replace('"', "'") + '"'
        lines.append(f"{key}: {value}")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def write_content(content: Path, sections, writer: Writer, rng: random.Random) -> int:
    """Writes every page; returns the number of bytes of Markdown written."""
    total = 0
    start = datetime.date(2025, 1, 1)

    def put(rel: str, text: str):
        nonlocal total
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        total += len(text.encode("utf-8"))

    put("_index.md", front_matter([("title", "Regionens vägledning"),
                                   ("description", "Vägledning för vårdens it-tjänster.")])
        + writer.paragraph(3) + "\n")
    areas_done = set()
    for s, sec in enumerate(sections):
        area_slug, area_title = sec["area"]
        if area_slug not in areas_done:
            areas_done.add(area_slug)
            put(f"{area_slug}/_index.md", front_matter([("title", area_title),
                                                         ("description", writer.sentence(10))])
                + writer.paragraph(2) + "\n")
        put(f"{area_slug}/{sec['slug']}/_index.md",
            front_matter([("title", sec["title"]), ("description", writer.sentence(10)),
                          ("weight", (s % SECTIONS_PER_AREA + 1) * 10)])
            + writer.paragraph(3) + "\n")
        here = [area_slug, sec["slug"]]
        for p, (name, title) in enumerate(sec["pages"]):
            links = []
            # Same section, another section (of the same area when there is one), another area.
            targets = [sections[s], sections[rng.randrange(len(sections))], sections[rng.randrange(len(sections))]]
            for target in targets:
                t_name, t_title = target["pages"][rng.randrange(len(target["pages"]))]
                links.append((t_title, relative(here, [target["area"][0], target["slug"], t_name])))
            updated = writer.date(start)
            reviewed = updated - datetime.timedelta(days=rng.randrange(0, 60))
            put(f"{area_slug}/{sec['slug']}/{name}",
                front_matter([("title", title), ("description", writer.sentence(10)),
                              ("weight", (p + 1) * 10), ("updated", updated.isoformat()),
                              ("reviewed", reviewed.isoformat()), ("editor", writer.pick(EDITORS))])
                + writer.body(links, writer.pick(EXTERNAL)))
    return total


def write_guidepost_site(site: Path, search: bool = False) -> None:
    """The repository's own templates, strings and CSS (their page layout has the section sidebar).
    Search is off unless asked for: the Hugo site has none, so the two do the same work."""
    for part in ("templates", "i18n", "static"):
        shutil.copytree(REPO / "site" / part, site / part)
    (site / "site.yaml").write_text(
        "# Benchmark site (bench/corpus.py).\nbase_url: https://guidepost.example\ndefault_lang: sv\n"
        f"search: {'true' if search else 'false'}\n",
        encoding="utf-8")


HUGO_CONFIG = """\
# Benchmark site (bench/corpus.py): the same pages as the guidepost site, with equivalent templates.
baseURL: https://guidepost.example/
languageCode: sv
defaultContentLanguage: sv
title: guidepost benchmark
disableKinds: [taxonomy, term, RSS]
enableRobotsTXT: true
markup:
  goldmark:
    renderer:
      unsafe: false
"""

# Same markup as site/templates/base.html: breadcrumbs, sidebar with every page of the current section, footer.
HUGO_BASEOF = """\
<!DOCTYPE html>
<html lang="{{ site.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ block "title" . }}{{ .Title }} – {{ i18n "site_title" }}{{ end }}</title>
{{ with .Description }}<meta name="description" content="{{ . }}">
{{ end }}<link rel="canonical" href="{{ .Permalink }}">
<link rel="stylesheet" href="/css/site.css">
</head>
<body>
<a class="skip-link" href="#main">{{ i18n "skip_to_content" }}</a>
<header class="site-header">
  <div class="wrap">
    <a class="site-name" href="/">{{ i18n "site_title" }}</a>
  </div>
</header>
{{ if not .IsHome }}<nav class="breadcrumbs wrap" aria-label="{{ i18n "breadcrumbs" }}">
  <ol>
{{ range .Ancestors.Reverse }}    <li><a href="{{ .RelPermalink }}">{{ if .IsHome }}{{ i18n "home" }}{{ else }}{{ .Title }}{{ end }}</a></li>
{{ end }}    <li><a href="{{ .RelPermalink }}" aria-current="page">{{ .Title }}</a></li>
  </ol>
</nav>
{{ end }}<div class="wrap layout">
<main id="main" tabindex="-1">
{{ block "main" . }}{{ end }}
</main>
{{ if not .IsHome }}{{ $s := .CurrentSection }}{{ if and .IsSection (eq (len .Pages) 0) }}{{ $s = .Parent }}{{ end }}<nav class="section-nav" aria-label="{{ i18n "section_nav" }}">
  <p class="section-nav-title"><a href="{{ $s.RelPermalink }}"{{ if eq $s.RelPermalink $.RelPermalink }} aria-current="page"{{ end }}>{{ $s.Title }}</a></p>
  <ul>
{{ range $s.Pages }}    <li><a href="{{ .RelPermalink }}"{{ if eq .RelPermalink $.RelPermalink }} aria-current="page"{{ end }}>{{ .Title }}</a></li>
{{ end }}  </ul>
</nav>
{{ end }}</div>
<footer class="site-footer">
  <div class="wrap">
{{ with .Params }}{{ if or .updated .reviewed .editor }}    <h2 class="visually-hidden">{{ i18n "page_info" }}</h2>
    <dl class="page-info">
{{ with .updated }}      <div><dt>{{ i18n "updated" }}</dt><dd><time datetime="{{ dateFormat "2006-01-02" . }}">{{ dateFormat "2006-01-02" . }}</time></dd></div>
{{ end }}{{ with .reviewed }}      <div><dt>{{ i18n "reviewed" }}</dt><dd><time datetime="{{ dateFormat "2006-01-02" . }}">{{ dateFormat "2006-01-02" . }}</time></dd></div>
{{ end }}{{ with .editor }}      <div><dt>{{ i18n "editor" }}</dt><dd>{{ . }}</dd></div>
{{ end }}    </dl>
{{ end }}{{ end }}    <p><a href="{{ i18n "accessibility_url" }}">{{ i18n "accessibility" }}</a> · {{ i18n "footer_note" }}</p>
  </div>
</footer>
</body>
</html>
"""

HUGO_SINGLE = """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ with .Description }}<p class="lead">{{ . }}</p>
{{ end }}{{ .Content }}
{{ end }}
"""

HUGO_LIST = """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ with .Description }}<p class="lead">{{ . }}</p>
{{ end }}{{ .Content }}
{{ with .Pages }}<h2>{{ i18n "in_this_section" }}</h2>
<ul class="cards">
{{ range . }}  <li>
    <a href="{{ .RelPermalink }}">{{ .Title }}</a>
{{ with .Description }}    <p>{{ . }}</p>
{{ end }}  </li>
{{ end }}</ul>
{{ end }}{{ end }}
"""

HUGO_HOME = """\
{{ define "title" }}{{ .Title }}{{ end }}
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ with .Description }}<p class="lead">{{ . }}</p>
{{ end }}{{ .Content }}
{{ with .Pages }}<ul class="cards">
{{ range . }}  <li>
    <a href="{{ .RelPermalink }}">{{ .Title }}</a>
{{ with .Description }}    <p>{{ . }}</p>
{{ end }}  </li>
{{ end }}</ul>
{{ end }}{{ end }}
"""

HUGO_404 = """\
<!DOCTYPE html>
<html lang="{{ site.LanguageCode }}">
<head>
<meta charset="utf-8">
<title>{{ i18n "not_found_title" }} – {{ i18n "site_title" }}</title>
<meta name="robots" content="noindex">
<link rel="stylesheet" href="/css/site.css">
</head>
<body>
<main id="main" class="wrap" tabindex="-1">
<h1>{{ i18n "not_found_title" }}</h1>
<p>{{ i18n "not_found_text" }}</p>
<p><a href="/">{{ i18n "not_found_home" }}</a></p>
</main>
</body>
</html>
"""

# Relative `.md` links become page URLs, and a missing target fails the build: the check guidepost does.
HUGO_RENDER_LINK = """\
{{- $u := urls.Parse .Destination -}}
{{- $href := .Destination -}}
{{- if and (not $u.IsAbs) (strings.HasSuffix $u.Path ".md") -}}
{{- with $.Page.GetPage $u.Path -}}{{- $href = .RelPermalink -}}{{- with $u.Fragment }}{{ $href = printf "%s#%s" $href . }}{{ end -}}
{{- else -}}{{- errorf "%s: the link %q points to a page that does not exist" $.Page.File.Path .Destination -}}{{- end -}}
{{- end -}}
<a href="{{ $href }}"{{ with .Title }} title="{{ . }}"{{ end }}>{{ .Text | safeHTML }}</a>"""


def write_hugo_site(hugo: Path) -> None:
    hugo.mkdir(parents=True, exist_ok=True)
    (hugo / "hugo.yaml").write_text(HUGO_CONFIG, encoding="utf-8")
    files = {
        "layouts/_default/baseof.html": HUGO_BASEOF,
        "layouts/_default/single.html": HUGO_SINGLE,
        "layouts/_default/list.html": HUGO_LIST,
        "layouts/index.html": HUGO_HOME,
        "layouts/404.html": HUGO_404,
        "layouts/_default/_markup/render-link.html": HUGO_RENDER_LINK,
    }
    for rel, text in files.items():
        path = hugo / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    shutil.copytree(REPO / "site" / "static", hugo / "static")
    # The same user-interface strings, in Hugo's i18n format (a flat `key: text` file is accepted).
    (hugo / "i18n").mkdir()
    shutil.copyfile(REPO / "site" / "i18n" / "sv.yaml", hugo / "i18n" / "sv.yaml")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, required=True, help="number of pages (section indexes not counted)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True, help="folder to (re)create")
    parser.add_argument("--search", action="store_true", help="build guidepost's search index too")
    args = parser.parse_args(argv)
    if args.pages < 1:
        parser.error("--pages must be at least 1")
    if args.out.exists():
        shutil.rmtree(args.out)
    rng = random.Random(args.seed)
    writer = Writer(rng)
    sections = plan(args.pages, rng, writer)
    gp = args.out / "guidepost"
    size = write_content(gp / "content", sections, writer, rng)
    write_guidepost_site(gp / "site", args.search)
    write_hugo_site(args.out / "hugo")
    shutil.copytree(gp / "content", args.out / "hugo" / "content")
    print(f"{args.pages} pages in {len(sections)} sections, {size / args.pages / 1024:.1f} KiB of Markdown "
          f"per page on average → {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
