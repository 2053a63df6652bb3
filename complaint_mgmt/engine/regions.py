"""Regions (SPEC §9: "volume trend and peaks (time, region)"). A complaint's region is the region
of its origin branch: each row of the admin's region map says "a branch whose name starts with
this prefix belongs to this region"; the longest matching prefix wins, so "上海" → 华东 and
"上海浦东" → 浦东片区 can both be set. Pure Python: the map comes in as (prefix, region) pairs.
"""

from __future__ import annotations

from collections.abc import Iterable

# the shipped starting point: city-name prefixes (the demo's and most branch names start with
# their city) of the seven regions Chinese express companies usually report by
DEFAULT_REGIONS = {
	"华东": ("上海", "杭州", "南京", "苏州", "宁波", "合肥", "济南", "青岛", "福州", "厦门"),
	"华北": ("北京", "天津", "石家庄", "太原", "呼和浩特"),
	"华南": ("广州", "深圳", "东莞", "佛山", "南宁", "海口"),
	"华中": ("武汉", "长沙", "郑州", "南昌"),
	"西南": ("成都", "重庆", "昆明", "贵阳"),
	"西北": ("西安", "兰州", "乌鲁木齐", "银川"),
	"东北": ("沈阳", "大连", "长春", "哈尔滨"),
}


def default_map() -> list[tuple[str, str]]:
	return [(prefix, region) for region, prefixes in DEFAULT_REGIONS.items() for prefix in prefixes]


def normalise(pairs: Iterable[tuple[str | None, str | None]]) -> tuple[tuple[str, str], ...]:
	"""The map in match order: trimmed, longest prefix first (ties in the admin's order)."""
	cleaned = [((prefix or "").strip(), (region or "").strip()) for prefix, region in pairs]
	return tuple(sorted(cleaned, key=lambda pair: -len(pair[0])))


def region_for(branch: str | None, ordered_map: tuple[tuple[str, str], ...]) -> str:
	"""The region of a branch ('' when no prefix matches); ``ordered_map`` as ``normalise`` gives it."""
	branch = (branch or "").strip()
	if not branch:
		return ""
	for prefix, region in ordered_map:
		if prefix and branch.startswith(prefix):
			return region
	return ""


def problems(pairs: list[tuple[str | None, str | None]]) -> list[tuple[int, str, dict]]:
	"""What is wrong with an admin's map, as (row number, message, values): an empty prefix or
	region, or a prefix given twice (a branch would belong to two regions)."""
	found, seen = [], {}
	for idx, (prefix, region) in enumerate(pairs, start=1):
		prefix, region = (prefix or "").strip(), (region or "").strip()
		if not prefix or not region:
			found.append((idx, "Row {row}: give both the branch prefix and its region", {}))
			continue
		if prefix in seen:
			found.append(
				(
					idx,
					"Row {row}: the prefix {prefix} is already in row {first}",
					{"prefix": prefix, "first": seen[prefix]},
				)
			)
			continue
		seen[prefix] = idx
	return found
