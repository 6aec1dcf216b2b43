"""Content scanning: weighted phrase scores for a page, e2guardian style.

A page is scored per category: the weights of the listed phrases found on it
are added up (negative "good" phrases subtract), and a publisher's adult
label puts "adult" above any threshold. A profile blocks the page when one of
its blocked categories *reaches* the profile's threshold
(`ScanResult.categories_over(threshold)`).

The scale is e2guardian's `naughtynesslimit` (its documentation suggests 60
for young children, 100 for older children, 160 for young adults). The
shipped lists are weighted for these thresholds, which the age presets
(`guardian.presets`) start profiles with:

    age      threshold   what it takes to block
    0-5          40      one explicit phrase ("khiêu dâm", "online casino")
    6-10         60      one strong phrase, or two ordinary ones
    11-13        80      a page about the subject, not a mention
    14-15       100      a page clearly about the subject
    16-17       130      a page built around the subject
    18+         160      a page saturated with it

In the shipped lists a word or phrase with innocent uses weighs 25 or less,
so that no single one of them blocks even the youngest profile; 40-60 is
kept for explicit phrases ("cá độ bóng đá") and the few words with no
innocent use ("porn", "thinspo"). Education pages carry negative phrases
("giáo dục giới tính", "drug prevention", "phòng chống tự tử") that keep
them under every threshold.

Scanning is pure (no I/O, no clock) and bounded by `limit_bytes`: on a
two-core machine, about 1.5 ms for a typical 100 KB page in either language,
3 ms when nearly all of it is Vietnamese text, 5 ms when it is packed with
listed phrases (see `guardian.content_scan.scanner`).
"""

from __future__ import annotations

from guardian.content_scan.folding import fold
from guardian.content_scan.phrases import (
    BadLine,
    Phrase,
    PhraseMatcher,
    compile_matcher,
    load_default_matcher,
    load_default_phrases,
    load_phrase_file,
    parse_phrases,
)
from guardian.content_scan.scanner import (
    ADULT_LABEL_SCORE,
    DEFAULT_LIMIT_BYTES,
    RTA_LABEL,
    ScanResult,
    scan,
)

__all__ = [
    "ADULT_LABEL_SCORE",
    "DEFAULT_LIMIT_BYTES",
    "RTA_LABEL",
    "BadLine",
    "Phrase",
    "PhraseMatcher",
    "ScanResult",
    "compile_matcher",
    "fold",
    "load_default_matcher",
    "load_default_phrases",
    "load_phrase_file",
    "parse_phrases",
    "scan",
]
