"""Which pool a complaint's owner is chosen from."""

from __future__ import annotations

from complaint_mgmt.engine.assignment import first_pool


def test_the_department_pool_is_used_when_it_has_anyone():
	assert first_pool(["wang@x", ""], ["li@x"]) == ["wang@x"]


def test_an_empty_department_falls_back_to_the_agents():
	assert first_pool([], ["li@x", "zhao@x"]) == ["li@x", "zhao@x"]
	assert first_pool([None], []) == []
