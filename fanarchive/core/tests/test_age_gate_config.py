"""FANARCHIVE_AGE_GATE and its companions: read in config/env.py, refused at startup when
they cannot work."""

from __future__ import annotations

import ipaddress
import json
import subprocess
import sys

import pytest

from config.env import ConfigError, parse_age_gate
from fanarchive.core.tests.test_config import REPO, probe_environment

PROXIES = (ipaddress.ip_network("10.0.0.0/8"),)
SECRET = "s" * 32


def test_the_default_is_aos_interstitial():
    config = parse_age_gate({}, ())
    assert config.mode == "interstitial"
    assert config.countries == frozenset() and config.country_header == ""
    assert config.verification_secret == "" and config.verification_url == ""


def test_every_mode_and_setting_is_read():
    config = parse_age_gate(
        {
            "FANARCHIVE_AGE_GATE": " Countries ",
            "FANARCHIVE_AGE_GATE_COUNTRIES": "gb, AU,,",
            "FANARCHIVE_COUNTRY_HEADER": "CF-IPCountry",
            "FANARCHIVE_AGE_VERIFICATION_SECRET": SECRET,
            "FANARCHIVE_AGE_VERIFICATION_URL": "https://verify.example/start",
        },
        PROXIES,
    )
    assert config.mode == "countries"
    assert config.countries == {"GB", "AU"}
    assert config.country_header == "CF-IPCountry"
    assert config.verification_secret == SECRET
    assert config.verification_url == "https://verify.example/start"
    for mode in ("interstitial", "adults", "verified"):
        assert parse_age_gate({"FANARCHIVE_AGE_GATE": mode}, ()).mode == mode


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"FANARCHIVE_AGE_GATE": "strict"}, "must be one of interstitial, adults, verified"),
        (
            {"FANARCHIVE_AGE_GATE_COUNTRIES": "GB,Britain"},
            "two-letter ISO country codes such as GB,AU, not BRITAIN",
        ),
        ({"FANARCHIVE_COUNTRY_HEADER": "CF IPCountry"}, "must be an HTTP header name"),
        (
            {"FANARCHIVE_AGE_GATE": "countries", "FANARCHIVE_COUNTRY_HEADER": "CF-IPCountry"},
            "countries needs FANARCHIVE_AGE_GATE_COUNTRIES",
        ),
        (
            {"FANARCHIVE_AGE_GATE": "countries", "FANARCHIVE_AGE_GATE_COUNTRIES": "GB"},
            "countries needs FANARCHIVE_COUNTRY_HEADER",
        ),
        ({"FANARCHIVE_AGE_VERIFICATION_SECRET": "short"}, "at least 32 characters"),
        ({"FANARCHIVE_AGE_VERIFICATION_URL": "verify.example"}, "must be an http(s) address"),
        ({"FANARCHIVE_AGE_VERIFICATION_URL": "javascript:alert(1)"}, "http(s) address"),
    ],
)
def test_bad_values_are_refused_with_the_variable_named(environ, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_age_gate(environ, PROXIES)


def test_countries_needs_a_trusted_proxy_to_believe():
    environ = {
        "FANARCHIVE_AGE_GATE": "countries",
        "FANARCHIVE_AGE_GATE_COUNTRIES": "GB",
        "FANARCHIVE_COUNTRY_HEADER": "CF-IPCountry",
    }
    with pytest.raises(ConfigError, match="needs FANARCHIVE_TRUSTED_PROXIES"):
        parse_age_gate(environ, ())


PROBE = """
import json, django
django.setup()
from django.conf import settings
print(json.dumps({"mode": settings.AGE_GATE, "countries": sorted(settings.AGE_GATE_COUNTRIES),
    "header": settings.COUNTRY_HEADER, "url": settings.AGE_VERIFICATION_URL}))
"""


def run_probe(tmp_path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=REPO,
        env=probe_environment(tmp_path, **env),
        capture_output=True,
        text=True,
    )


def test_the_settings_follow_the_environment_and_startup_refuses_bad_values(tmp_path):
    good = run_probe(
        tmp_path,
        FANARCHIVE_AGE_GATE="countries",
        FANARCHIVE_AGE_GATE_COUNTRIES="GB,AU",
        FANARCHIVE_COUNTRY_HEADER="CF-IPCountry",
        FANARCHIVE_TRUSTED_PROXIES="10.0.0.1",
    )
    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout) == {
        "mode": "countries",
        "countries": ["AU", "GB"],
        "header": "CF-IPCountry",
        "url": "",
    }
    bad = run_probe(tmp_path, FANARCHIVE_AGE_GATE="everyone")
    assert bad.returncode != 0
    assert "FANARCHIVE_AGE_GATE must be one of" in bad.stderr
