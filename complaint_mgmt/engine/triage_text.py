"""Text features for triage: one normal form for every complaint text, and its character n-grams.

Chinese needs no word segmenter here: character n-grams (1–3 characters) carry the words ("破损",
"驿站", "保价") whatever their boundaries. Latin letters and digits are kept as whole tokens
(a waybill number, "APP", "12305"), so that "sf1234" does not dissolve into "sf", "f1", "12"….
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable

_TAGS = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")
_RUNS = re.compile(r"[a-z0-9]+|[^\sa-z0-9]+")
_PUNCTUATION = set("!?.,;:·、。，；：！？…~～-—_()（）[]【】\"'“”‘’<>《》/\\|@#$%^&*+=")


def normalise(text: str | None) -> str:
	"""Plain text in one form: tags and entities removed, full-width folded (NFKC), lower case,
	single spaces."""
	if not text:
		return ""
	plain = html.unescape(_TAGS.sub(" ", str(text)))
	return _SPACES.sub(" ", unicodedata.normalize("NFKC", plain).casefold()).strip()


def _pieces(text: str) -> list[str]:
	"""Runs of Latin letters/digits (one piece each) and runs of other characters without
	punctuation (split into single characters later)."""
	pieces = []
	for run in _RUNS.findall(text):
		if run[0].isascii() and run[0].isalnum():
			pieces.append(run)
			continue
		current = "".join(ch if ch not in _PUNCTUATION else " " for ch in run)
		pieces.extend(part for part in current.split() if part)
	return pieces


def char_ngrams(text: str, sizes: Iterable[int] = (1, 2, 3)) -> list[str]:
	"""The n-grams of a normalised text, in order, with repeats: Latin/digit runs as whole tokens,
	other characters as n-grams within each stretch between punctuation."""
	sizes = tuple(sizes)
	grams: list[str] = []
	for piece in _pieces(text):
		if piece.isascii():
			grams.append(piece)
			continue
		for size in sizes:
			grams.extend(piece[i : i + size] for i in range(len(piece) - size + 1))
	return grams


def features(subject: str | None, description: str | None, channel: str | None = None) -> list[str]:
	"""What a complaint says, as the n-grams the type and priority model reads (1–3 characters),
	plus its channel as one token."""
	grams = char_ngrams(normalise(f"{subject or ''} {description or ''}"))
	if channel:
		grams.append(f"channel={normalise(channel)}")
	return grams
