"""Rate limits count a visitor by the address they come from, not by a header they can write."""

from complaint_mgmt.utils.client_address import client_address, trusted_set

PROXIES = trusted_set("10.0.0.2\n10.0.0.3, 10.0.0.4")


def test_a_made_up_forwarded_header_from_a_direct_visitor_is_ignored():
	assert client_address("203.0.113.7", "1.2.3.4", PROXIES) == "203.0.113.7"
	assert client_address("203.0.113.7", "1.2.3.4", frozenset()) == "203.0.113.7"


def test_behind_our_proxy_the_visitor_is_the_address_the_proxy_saw():
	# the visitor wrote "1.2.3.4" themselves; our proxy appended the address it really saw
	assert client_address("10.0.0.2", "1.2.3.4, 198.51.100.9", PROXIES) == "198.51.100.9"
	assert client_address("10.0.0.2", "198.51.100.9, 10.0.0.3", PROXIES) == "198.51.100.9"


def test_a_request_from_our_proxy_without_a_header_is_the_proxy():
	assert client_address("10.0.0.2", None, PROXIES) == "10.0.0.2"
	assert client_address(None, None, PROXIES) == "127.0.0.1"
