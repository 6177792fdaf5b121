"""A working day on the portal, for locust: practitioners, lead professionals, managers
and partner systems in a realistic mix.

Run it through ``benchmarks/load_test.py``, which starts the portal as it runs in
production (gunicorn with several workers, Celery) and steps the number of users up;
or point it at a deployment yourself (see ``benchmarks/load.md``):

    TAC_LOAD_PASSWORD=... TAC_LOAD_PARTNERS=client-id:secret,... \\
        locust -f benchmarks/load/locustfile.py --host https://portal.example --headless \\
        --users 100 --spawn-rate 10 --run-time 5m

Every user signs in through the real sign-in page with a demo account (or the accounts
named in ``TAC_LOAD_ACCOUNTS_*``) and then only follows links the pages give it: the
cases on "My work", the sections of a case, a meeting of the case. Searches use the names
in ``TAC_LOAD_SEARCHES`` (a JSON file of given and family names; typos are added here),
never names in URLs: "Find a child" is a POST, as in the browser.

A response counts as a failure when its status is not what the page should answer
(a 5xx, an unexpected 4xx, a sign-in that does not sign in), so the error rate the run
reports is the users' own.
"""

from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path
from typing import Any, ClassVar

from locust import HttpUser, between, task

DEMO_DOMAIN = "demo.tac.example"
PASSWORD = os.environ.get("TAC_LOAD_PASSWORD", "tac-demo-password-2026")

# How people pause between clicks: a page read, then the next click (seconds, "low,high";
# the suite's run of this scenario shortens it).
_THINK = [float(s) for s in os.environ.get("TAC_LOAD_THINK_SECONDS", "2,8").split(",")]
THINK = between(_THINK[0], _THINK[-1])

CASE_LINK = re.compile(r'href="/cases/(\d+)/"')
MEETING_LINK = re.compile(r'href="/meetings/(\d+)/"')
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _accounts(kind: str, default: str) -> list[str]:
    """The sign-ins one kind of user takes turns with (comma-separated emails)."""
    named = os.environ.get(f"TAC_LOAD_ACCOUNTS_{kind.upper()}", "")
    return [email.strip() for email in named.split(",") if email.strip()] or [
        f"{default}@{DEMO_DOMAIN}"
    ]


def _searches() -> list[dict[str, str]]:
    path = os.environ.get("TAC_LOAD_SEARCHES", "")
    if not path or not Path(path).exists():
        return [{"given_names": "Amelia", "family_name": "Smith"}]
    loaded: list[dict[str, str]] = json.loads(Path(path).read_text())
    return loaded


SEARCHES = _searches()


def _slip(name: str) -> str:
    """A typing slip, as a hurried practitioner makes: one letter changed or dropped."""
    if len(name) < 4:
        return name
    i = random.randrange(1, len(name) - 1)
    if random.random() < 0.5:
        return name[:i] + name[i + 1 :]
    return name[:i] + random.choice("aeiou") + name[i + 1 :]


class PortalUser(HttpUser):
    """Someone signed in to the portal's pages with their own session."""

    abstract = True
    wait_time = THINK
    accounts: ClassVar[list[str]] = []
    case_ids: list[str]

    def on_start(self) -> None:
        self.case_ids = []
        email = random.choice(self.accounts)
        page = self.client.get("/accounts/sign-in/", name="sign in (page)")
        token = CSRF_FIELD.search(page.text)
        with self.client.post(
            "/accounts/sign-in/",
            data={
                "username": email,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": f"{self.host}/accounts/sign-in/"},
            name="sign in",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in answered {response.status_code}, not a redirect")
        self.my_work()

    def page(self, path: str, name: str) -> Any:
        """GET a page that should answer 200."""
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{name} answered {response.status_code}")
            return response

    @task(4)
    def my_work(self) -> None:
        response = self.page("/cases/", "My work")
        self.case_ids = CASE_LINK.findall(response.text or "")[:50]

    @task(6)
    def case_page(self) -> None:
        if self.case_ids:
            self.page(f"/cases/{random.choice(self.case_ids)}/", "case page")

    @task(2)
    def find_a_child(self) -> None:
        page = self.page("/cases/find-a-child/", "find a child (page)")
        token = CSRF_FIELD.search(page.text or "")
        wanted = random.choice(SEARCHES)
        with self.client.post(
            "/cases/find-a-child/",
            data={
                "given_names": _slip(wanted["given_names"]),
                "family_name": wanted["family_name"],
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": f"{self.host}/cases/find-a-child/"},
            name="find a child (search)",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"search answered {response.status_code}")


class Practitioner(PortalUser):
    """A member of several teams around a child: reads the cases and the plan."""

    weight = 5
    accounts = _accounts("practitioner", "practitioner") + _accounts("school", "school")

    @task(2)
    def plan(self) -> None:
        if self.case_ids:
            self.page(f"/meetings/case/{random.choice(self.case_ids)}/plan/", "plan")

    @task(1)
    def notifications(self) -> None:
        self.page("/notifications/", "notifications")


class LeadProfessional(PortalUser):
    """Runs the cases they lead: the case, its team, its meetings and history."""

    weight = 3
    accounts = _accounts("lead", "lead")

    @task(2)
    def team(self) -> None:
        if self.case_ids:
            self.page(f"/cases/{random.choice(self.case_ids)}/team/", "team page")

    @task(2)
    def meeting(self) -> None:
        if not self.case_ids:
            return
        case = self.page(f"/cases/{random.choice(self.case_ids)}/", "case page")
        meetings = MEETING_LINK.findall(case.text or "")
        if meetings:
            meeting = random.choice(meetings)
            self.page(f"/meetings/{meeting}/", "meeting")
            self.page(f"/meetings/{meeting}/run/", "meeting mode")

    @task(1)
    def history(self) -> None:
        if self.case_ids:
            self.page(f"/cases/{random.choice(self.case_ids)}/history/", "case history")


class Manager(PortalUser):
    """Watches the team's caseload and what is overdue."""

    weight = 1
    accounts = _accounts("manager", "manager") + _accounts("coordinator", "coordinator")

    @task(4)
    def dashboard(self) -> None:
        self.page("/dashboards/", "dashboard")

    @task(2)
    def overdue_reviews(self) -> None:
        self.page("/dashboards/list/overdue-reviews/", "overdue reviews")

    @task(2)
    def overdue_actions(self) -> None:
        self.page("/dashboards/list/overdue-actions/", "overdue actions")


class PartnerSystem(HttpUser):
    """A partner system syncing its agency's cases all day: client-credentials tokens,
    list pages by cursor, then single cases."""

    weight = 2
    wait_time = between(_THINK[0] / 4, _THINK[-1] / 4)
    partners: ClassVar[list[tuple[str, str]]] = [
        tuple(pair.split(":", 1))  # type: ignore[misc]
        for pair in os.environ.get("TAC_LOAD_PARTNERS", "").split(",")
        if ":" in pair
    ]
    token: str = ""
    next_page: str | None = None
    case_ids: list[int]

    def on_start(self) -> None:
        self.case_ids = []
        if not self.partners:
            raise RuntimeError("TAC_LOAD_PARTNERS names no client-id:secret pair")
        self.client_id, self.secret = random.choice(self.partners)
        self.new_token()

    def new_token(self) -> None:
        with self.client.post(
            "/o/token/",
            data={"grant_type": "client_credentials", "scope": "cases:read"},
            auth=(self.client_id, self.secret),
            name="API token",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"token answered {response.status_code}")
                return
            self.token = response.json()["access_token"]

    def api(self, path: str, name: str) -> Any:
        with self.client.get(
            path,
            headers={"Authorization": f"Bearer {self.token}"},
            name=name,
            catch_response=True,
        ) as response:
            if response.status_code == 401:
                # Tokens last ten minutes: a partner asks for a new one, as the docs say.
                response.success()
                self.new_token()
                return None
            if response.status_code != 200:
                response.failure(f"{name} answered {response.status_code}")
                return None
            return response.json()

    @task(3)
    def list_cases(self) -> None:
        path = self.next_page or "/api/v1/cases/?page_size=100"
        body = self.api(path, "API list of cases (100)")
        if body is None:
            return
        self.case_ids = [case["id"] for case in body["results"]][:100]
        following = body.get("next")
        # Start again from the first page after a few pages, as a nightly sync restarts.
        self.next_page = following.split("//", 1)[-1].split("/", 1)[-1] if following else None
        if self.next_page:
            self.next_page = "/" + self.next_page
        if random.random() < 0.2:
            self.next_page = None

    @task(5)
    def one_case(self) -> None:
        if self.case_ids:
            self.api(f"/api/v1/cases/{random.choice(self.case_ids)}/", "API one case")
