"""Which address a request really comes from, for rate limits (no frappe import).

Frappe takes the first entry of X-Forwarded-For, which any visitor can write, so a guest who sends
a new made-up address with every request is never limited. Only a proxy of our own adds a
trustworthy entry: the visitor is the right-most address that is not one of our proxies, and a
request that does not come through one of them is its own remote address.
"""

from __future__ import annotations


def trusted_set(text: str | None) -> frozenset[str]:
	"""The admin's list: one address per line (commas and spaces also separate)."""
	return frozenset(part for part in (text or "").replace(",", " ").split() if part)


def client_address(remote: str | None, forwarded: str | None, trusted: frozenset[str]) -> str:
	remote = (remote or "").strip() or "127.0.0.1"
	if remote not in trusted or not forwarded:
		return remote
	hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
	for hop in reversed(hops):
		if hop not in trusted:
			return hop
	return hops[0] if hops else remote
