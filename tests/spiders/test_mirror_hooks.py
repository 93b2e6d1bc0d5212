"""The mirror hooks the reliability campaign relies on: registered pages and going down."""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request

import pytest

from testkit.mirror import MirrorPage, running_mirror


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def test_a_registered_page_is_served_with_its_status_headers_and_bytes() -> None:
    pages = {
        "bytes": MirrorPage(b"\xff\xfe broken", "text/html; charset=utf-8"),
        "hop": MirrorPage(b"", status=302, headers=(("Location", "{mirror}/baoquocte.vn/a-1.html"),)),
    }
    with running_mirror(pages=pages) as server:
        with urllib.request.urlopen(
            f"{server.base_url}/baoquocte.vn/__mirror__/page/bytes/x-1.html"
        ) as answer:
            assert answer.read() == b"\xff\xfe broken"
        opener = urllib.request.build_opener(_NoRedirect)
        with pytest.raises(urllib.error.HTTPError) as redirect:
            opener.open(f"{server.base_url}/baoquocte.vn/__mirror__/page/hop/x-2.html")
        assert redirect.value.code == 302
        assert redirect.value.headers["Location"] == f"{server.base_url}/baoquocte.vn/a-1.html"


def test_a_mirror_that_is_down_drops_every_connection_until_it_is_up_again() -> None:
    url_path = "/baoquocte.vn/__mirror__/status/200/x-3.html"
    with running_mirror() as server:
        server.down.set()
        connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
        connection.request("GET", url_path)
        with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):
            connection.getresponse()
        server.down.clear()
        with urllib.request.urlopen(server.base_url + url_path) as answer:
            assert answer.status == 200
