"""(f): content scanning of 100 KB HTML pages with the shipped phrase lists.

Three pages of 100 KB, made here: an English news-style page, a Vietnamese
one (accented text, the costly case for folding), and one packed with
listed phrases. Each as real pages are: markup, scripts and styles around
the text. Side by side: the standard library's `html.parser` merely
extracting the same page's text, which a scanner built on a parser would
pay before matching anything.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
from html.parser import HTMLParser

from benchmarks.machine import in_child
from benchmarks.results import Results, Row, at_most, fmt, markdown_table

PAGE_BYTES = 100 * 1024


def _words(text: str) -> list[str]:
    return text.split()


ENGLISH = _words("the school children science project history lesson weather city council "
                 "football match music festival library teacher students homework garden "
                 "family weekend travel museum river mountain health doctor vaccine market "
                 "prices technology computer programming story book reading writing")
VIETNAMESE = _words("học sinh trường lớp giáo viên bài tập thời tiết thành phố bóng đá âm nhạc "
                    "lễ hội thư viện gia đình cuối tuần du lịch bảo tàng sông núi sức khỏe "
                    "bác sĩ chợ giá cả công nghệ máy tính lập trình câu chuyện sách đọc viết "
                    "Hà Nội Sài Gòn Đà Nẵng mùa xuân tết nguyên đán")
LISTED = ("khiêu dâm", "cá độ bóng đá", "online casino", "porn", "ma túy", "súng",
          "tự tử", "thinspo", "nhà cái", "đánh bạc", "heroin", "gun shop")


def make_page(words: list[str], seed: int, listed_every: int = 0) -> bytes:
    """About 100 KB of HTML: paragraphs in `words`, scripts, styles, links, a menu."""
    rng = random.Random(seed)
    parts = ["<!doctype html><html lang='en'><head><meta charset='utf-8'>",
             "<title>", " ".join(rng.choices(words, k=8)), "</title>",
             "<meta name='description' content='", " ".join(rng.choices(words, k=20)), "'>",
             "<style>body{font-family:sans-serif}.nav a{color:#036;margin:0 4px}</style>",
             "</head><body><nav class='nav'>"]
    parts += [f"<a href='/section/{i}'>{rng.choice(words)}</a>" for i in range(30)]
    parts.append("</nav><main>")
    count = 0
    size = sum(len(part.encode()) for part in parts)
    while size < PAGE_BYTES - 400:
        sentence = rng.choices(words, k=rng.randint(8, 20))
        if listed_every:
            count += 1
            if count % listed_every == 0:
                sentence.insert(rng.randrange(len(sentence)), rng.choice(LISTED))
        added = [f"<p class='body'>{' '.join(sentence).capitalize()}.</p>"]
        if rng.random() < 0.05:
            added.append("<script>window.dataLayer=window.dataLayer||[];function gtag()"
                         "{dataLayer.push(arguments)}gtag('js',new Date());</script>")
        if rng.random() < 0.1:
            added.append(f"<img src='/img/{rng.randrange(10**6)}.jpg' alt='photo'>")
        parts += added
        size += sum(len(part.encode()) for part in added)
    parts.append("</main></body></html>")
    page = "".join(parts).encode()
    return page[:PAGE_BYTES] if len(page) > PAGE_BYTES else page + b" " * (PAGE_BYTES - len(page))


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse_text(page: bytes) -> None:
    parser = _TextOnly()
    parser.feed(page.decode("utf-8", errors="replace"))
    parser.close()


def _median_ms(work, rounds: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def measure(rounds: int) -> dict:
    """Runs in the child process."""
    from guardian.content_scan import load_default_matcher, scan

    matcher = load_default_matcher()
    pages = {
        "English": make_page(ENGLISH, 1),
        "Vietnamese": make_page(VIETNAMESE, 2),
        "packed with listed phrases": make_page(ENGLISH + VIETNAMESE, 3, listed_every=3),
    }
    kind = "text/html; charset=utf-8"
    measured = {}
    for name, page in pages.items():
        scan(page, kind, matcher)  # warm
        ours = _median_ms(lambda page=page: scan(page, kind, matcher), rounds)
        parser = _median_ms(lambda page=page: _parse_text(page), max(3, rounds // 4))
        result = scan(page, kind, matcher)
        scores = ", ".join(f"{c} {s}" for c, s in sorted(result.scores.items()) if s) or "none"
        measured[name] = [ours, parser, len(page), scores]
    return measured


def run_scan_benchmarks(results: Results, rounds: int) -> None:
    measured = in_child("benchmarks.scan_bench", {"rounds": rounds})
    rows = []
    for name, (ours, parser, size, scores) in measured.items():
        rows.append([name, f"{size / 1024:.0f} KB", f"{fmt(ours)} ms", f"{fmt(parser)} ms",
                     scores])
        results.add(Row(
            "f", f"content scan, 100 KB HTML, {name}", ours, "ms",
            f"html.parser text only: {fmt(parser)} ms", ours / parser,
            target=at_most(2.0, "< 2 ms"),
        ))
    results.table("Content scanning", f"Medians of {rounds} scans with the shipped lists.\n\n"
                  + markdown_table(["page", "size", "scan", "html.parser, text only",
                                    "scores"], rows))


if __name__ == "__main__":
    print(json.dumps(measure(int(json.loads(sys.stdin.read())["rounds"]))))
