"""The broker and the cache use the Redis database they are given (settings.py)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from tac_portal.celery import app
from tac_portal.settings import _env_bool, _env_int, redis_service_urls


@pytest.mark.parametrize(
    ("redis_url", "broker", "cache_url"),
    [
        # The database in the path is used by both.
        ("redis://redis.example:6379/3", "redis://redis.example:6379/3", None),
        # No database means database 0, as redis-py reads it.
        ("redis://redis.example:6379", "redis://redis.example:6379/0", None),
        # Credentials and TLS options are kept.
        (
            "rediss://:secret@redis.example:6380/5?ssl_cert_reqs=required",
            "rediss://:secret@redis.example:6380/5?ssl_cert_reqs=required",
            None,
        ),
        # redis-py reads ?db= before the path; Kombu takes the database from the path only.
        ("redis://redis.example:6379/1?db=7", "redis://redis.example:6379/7", None),
        # A socket: Kombu reads the database from virtual_host, redis-py from db.
        ("unix:///run/redis.sock?db=4", "redis+socket:///run/redis.sock?virtual_host=4", None),
        # The embedded server's socket URL (tac_portal.embedded.redis_url).
        (
            "unix://localhost/srv/tac/.data/redis/redis.sock",
            "redis+socket://localhost/srv/tac/.data/redis/redis.sock?virtual_host=0",
            None,
        ),
    ],
)
def test_the_broker_and_cache_follow_redis_url(
    redis_url: str, broker: str, cache_url: str | None
) -> None:
    assert redis_service_urls(redis_url) == (broker, cache_url or redis_url)


def test_cache_url_moves_only_the_cache() -> None:
    assert redis_service_urls(
        "redis://redis.example:6379/3", cache_url="redis://cache.example:6379/1"
    ) == ("redis://redis.example:6379/3", "redis://cache.example:6379/1")


def test_celery_broker_url_moves_only_the_broker_and_is_used_as_given() -> None:
    assert redis_service_urls(
        "redis://redis.example:6379/3",
        broker_url="redis+socket:///run/redis.sock?virtual_host=6",
    ) == ("redis+socket:///run/redis.sock?virtual_host=6", "redis://redis.example:6379/3")


def test_a_cache_with_replicas_is_accepted() -> None:
    servers = "redis://primary.example:6379/2,redis://replica.example:6379/2"
    assert redis_service_urls("redis://redis.example:6379/3", cache_url=servers)[1] == servers


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"redis_url": "http://redis.example/"}, "REDIS_URL must be a redis://"),
        ({"redis_url": "redis://redis.example:6379/three"}, "by number"),
        ({"redis_url": "unix://"}, "must name the socket"),
        (
            {"redis_url": "redis://r:6379/0", "cache_url": "memcached://m:11211"},
            "CACHE_URL must be a redis://",
        ),
        (
            {"redis_url": "redis://r:6379/0", "broker_url": "unix:///run/redis.sock"},
            r"redis\+socket://",
        ),
        (
            {"redis_url": "redis://r:6379/0", "broker_url": "redis+socket:///run/r.sock?db=3"},
            "virtual_host",
        ),
    ],
)
def test_it_refuses_urls_that_would_not_reach_the_database_given(
    kwargs: dict[str, str], message: str
) -> None:
    overrides = {k: v for k, v in kwargs.items() if k != "redis_url"}
    with pytest.raises(ImproperlyConfigured, match=message):
        redis_service_urls(kwargs["redis_url"], **overrides)


def _database(url: str) -> int:
    path_db = url.rsplit("/", 1)[-1].split("?", 1)[0]
    return int(path_db) if url.startswith("redis") and path_db.isdigit() else 0


def test_the_running_broker_and_cache_connect_to_the_database_in_redis_url() -> None:
    if not settings.REDIS_URL.startswith("redis://"):
        pytest.skip("checked against a TCP Redis URL with a database in its path")
    expected = _database(settings.REDIS_URL)
    with app.connection_for_write() as connection:
        client = connection.default_channel.client  # type: ignore[attr-defined]
        assert client.connection_pool.connection_kwargs["db"] == expected
    client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
    assert client.connection_pool.connection_kwargs["db"] == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("", True), ("1", True), ("yes", True), ("on", True), ("0", False), ("false", False)],
)
def test_a_true_or_false_setting_reads_the_usual_spellings(
    monkeypatch: pytest.MonkeyPatch, raw: str, expected: bool
) -> None:
    monkeypatch.setenv("TAC_SETTING_UNDER_TEST", raw)
    assert _env_bool("TAC_SETTING_UNDER_TEST", default=True) is expected


def test_a_true_or_false_setting_refuses_anything_else(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAC_SETTING_UNDER_TEST", "ture")
    with pytest.raises(ImproperlyConfigured, match="must be true or false"):
        _env_bool("TAC_SETTING_UNDER_TEST", default=True)


@pytest.mark.parametrize(
    ("raw", "message"),
    [("many", "must be a whole number"), ("0", "from 1 to 24"), ("25", "from 1 to 24")],
)
def test_a_number_setting_refuses_malformed_and_out_of_range_values(
    monkeypatch: pytest.MonkeyPatch, raw: str, message: str
) -> None:
    monkeypatch.setenv("TAC_SETTING_UNDER_TEST", raw)
    with pytest.raises(ImproperlyConfigured, match=message):
        _env_int("TAC_SETTING_UNDER_TEST", default=4, minimum=1, maximum=24)


def test_a_number_setting_uses_its_default_when_unset_or_empty(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("TAC_SETTING_UNDER_TEST", raising=False)
    assert _env_int("TAC_SETTING_UNDER_TEST", default=4, minimum=1) == 4
    monkeypatch.setenv("TAC_SETTING_UNDER_TEST", "")
    assert _env_int("TAC_SETTING_UNDER_TEST", default=4, minimum=1) == 4
    monkeypatch.setenv("TAC_SETTING_UNDER_TEST", "12")
    assert _env_int("TAC_SETTING_UNDER_TEST", default=4, minimum=1) == 12
