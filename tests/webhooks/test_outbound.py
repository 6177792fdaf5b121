"""The portal calls only public HTTPS endpoints in production: no private addresses,
no plain HTTP, no credentials in the URL, no redirects followed, bounded waits."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Thread
from typing import Any
from unittest import mock

import pytest
from django.test import override_settings

from webhooks.outbound import MSG_HTTPS_ONLY, MSG_PRIVATE, UnsafeURL, check_url, post

production_like = override_settings(
    TAC_WEBHOOK_ALLOW_HTTP=False, TAC_WEBHOOK_ALLOW_PRIVATE_ADDRESSES=False
)


@production_like
@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://10.1.2.3/hook",
        "https://192.168.0.10/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/hook",
        "https://[::ffff:10.0.0.1]/hook",
        "https://localhost/hook",
        "https://0.0.0.0/hook",
    ],
)
def test_it_refuses_private_and_local_addresses(url: str) -> None:
    with pytest.raises(UnsafeURL, match=MSG_PRIVATE):
        check_url(url)


@production_like
def test_it_refuses_plain_http_and_credentials() -> None:
    with pytest.raises(UnsafeURL, match=MSG_HTTPS_ONLY):
        check_url("http://mis.example/hook")
    with pytest.raises(UnsafeURL):
        check_url("https://user:pass@mis.example/hook")
    with pytest.raises(UnsafeURL):
        check_url("ftp://mis.example/hook")
    check_url("https://mis.example/hook")


@production_like
def test_a_name_that_resolves_to_a_private_address_is_refused_before_connecting() -> None:
    answer = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.5", 443))]
    with (
        mock.patch("webhooks.outbound.socket.getaddrinfo", return_value=answer),
        mock.patch("webhooks.outbound.socket.create_connection") as connect,
        pytest.raises(UnsafeURL),
    ):
        post("https://rebinding.example/hook", body=b"{}", headers={})
    connect.assert_not_called()


@pytest.fixture
def redirecting_server() -> Iterator[tuple[str, list[str]]]:
    paths: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            paths.append(self.path)
            self.send_response(307)
            self.send_header("Location", "http://127.0.0.1:1/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", paths
    server.shutdown()
    server.server_close()


def test_a_redirect_is_not_followed(redirecting_server: tuple[str, list[str]]) -> None:
    url, paths = redirecting_server
    answer = post(url, body=b"{}", headers={"Content-Type": "application/json"})
    assert answer.status == 307
    assert paths == ["/hook"]


@override_settings(TAC_WEBHOOK_READ_TIMEOUT=1.0)
def test_a_receiver_that_never_answers_times_out() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    try:
        with pytest.raises(TimeoutError):
            post(f"http://127.0.0.1:{listener.getsockname()[1]}/hook", body=b"{}", headers={})
    finally:
        listener.close()
