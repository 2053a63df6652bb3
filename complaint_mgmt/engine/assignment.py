"""Choosing who handles a complaint: load balancing or round robin over a candidate pool."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

LOAD_BALANCING = "Load Balancing"
ROUND_ROBIN = "Round Robin"


def pick_assignee(
	candidates: Sequence[str],
	*,
	strategy: str = LOAD_BALANCING,
	open_load: Mapping[str, int] | None = None,
	last_assigned: str | None = None,
	exclude: Sequence[str] = (),
) -> str | None:
	"""The candidate who should take the next complaint, or None when the pool is empty.

	Load balancing takes the candidate with the fewest open complaints (ties: the pool's
	order). Round robin takes the candidate after ``last_assigned`` in the pool's order.
	"""
	pool = [c for c in dict.fromkeys(candidates) if c and c not in exclude]
	if not pool:
		return None
	if strategy == ROUND_ROBIN:
		ordered = sorted(pool)
		if last_assigned in ordered:
			return ordered[(ordered.index(last_assigned) + 1) % len(ordered)]
		return ordered[0]
	load = open_load or {}
	return min(pool, key=lambda user: (load.get(user, 0), pool.index(user)))


def first_pool(*pools: Iterable[str]) -> list[str]:
	"""The first pool with anyone in it: a department's members, else its fallback (the agents)."""
	for pool in pools:
		members = [user for user in pool if user]
		if members:
			return members
	return []
