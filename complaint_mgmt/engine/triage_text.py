"""Text features for triage: one normal form for every complaint text, and its character n-grams.

Chinese needs no word segmenter here: character n-grams (1–3 characters) carry the words ("破损",
"驿站", "保价") whatever their boundaries. Latin letters and digits are kept as whole tokens
(a waybill number, "APP", "12305"), so that "sf1234" does not dissolve into "sf", "f1", "12"….
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Sequence

_TAGS = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")
_RUNS = re.compile(r"[a-z0-9]+|[^\sa-z0-9]+")
_PUNCTUATION = "!?.,;:·、。，；：！？…~～-—_()（）[]【】\"'“”‘’<>《》/\\|@#$%^&*+="
_PUNCT_TABLE = str.maketrans(dict.fromkeys(_PUNCTUATION, " "))


def normalise(text: str | None) -> str:
	"""Plain text in one form: tags and entities removed, full-width folded (NFKC), lower case,
	single spaces."""
	if not text:
		return ""
	plain = html.unescape(_TAGS.sub(" ", str(text)))
	return _SPACES.sub(" ", unicodedata.normalize("NFKC", plain).casefold()).strip()


def _pieces(text: str) -> list[str]:
	"""Runs of Latin letters/digits, and runs of other characters between punctuation."""
	return _RUNS.findall(text.translate(_PUNCT_TABLE))


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


def join_overlapping(words: Sequence[str], text: str) -> tuple[str, ...]:
	"""The words in their order, without those inside another, and overlapping ones that stand
	side by side in ``text`` joined into the phrase ("外包装" + "包装破损" → "外包装破损")."""
	chosen: list[str] = []
	for word in words:
		if any(word in c for c in chosen):
			continue
		chosen = [_join(c, word, text) for c in chosen]
		if not any(word in c for c in chosen):
			chosen.append(word)
		chosen = list(dict.fromkeys(c for c in chosen if not any(c != o and c in o for o in chosen)))
	return tuple(chosen)


def _join(left: str, right: str, text: str) -> str:
	"""``left`` and ``right`` as one phrase when they overlap and the phrase is in ``text``."""
	for a, b in ((left, right), (right, left)):
		for size in range(min(len(a), len(b)) - 1, 0, -1):
			if a.endswith(b[:size]) and a + b[size:] in text:
				return a + b[size:]
	return left
