"""Mail over TLS (STARTTLS and implicit TLS) verifies the server's certificate and host name;
every mail carries Date and Message-ID."""

from datetime import UTC, datetime

import pytest

from app.core.mail import Mail, MailError, deliver

MAIL = Mail(to="member@example.org", subject="A new case", body="A case for your country.")
TLS_MODES = ["starttls", "ssl"]


# Certificates that do not prove the server is the configured host, and whether the test CA
# is trusted while it presents them.
REFUSED = {
    "self-signed-for-another-host": ("self_signed", True),
    "trusted-ca-another-host": ("wrong_host", True),
    "right-host-unknown-ca": ("right_host", False),
}


def trust_test_ca(certificates, monkeypatch) -> None:
    """Trust the test CA as an operator trusts a private CA: SSL_CERT_FILE names it."""
    monkeypatch.setenv("SSL_CERT_FILE", str(certificates.ca))


@pytest.fixture
def trusted_test_ca(certificates, monkeypatch):
    """The certificates, with the test CA trusted."""
    trust_test_ca(certificates, monkeypatch)
    return certificates


@pytest.mark.parametrize("mode", TLS_MODES)
@pytest.mark.parametrize(("certificate", "trusted"), list(REFUSED.values()), ids=list(REFUSED))
def test_mail_is_refused_to_a_certificate_that_does_not_prove_the_host(
        smtp_server, certificates, monkeypatch, mode, certificate, trusted):
    if trusted:
        trust_test_ca(certificates, monkeypatch)
    server = smtp_server(mode, getattr(certificates, certificate))
    with pytest.raises(MailError):
        deliver(MAIL)
    assert server.received == []


@pytest.mark.parametrize("mode", TLS_MODES)
def test_mail_is_delivered_over_tls_to_a_trusted_certificate_for_the_right_host(
        smtp_server, trusted_test_ca, mode):
    server = smtp_server(mode, trusted_test_ca.right_host)
    deliver(MAIL)
    assert [message["To"] for message in server.received] == [MAIL.to]
    assert server.encrypted == [True]


def test_mail_carries_a_date_in_utc(smtp_server):
    server = smtp_server("plain")
    deliver(MAIL)
    sent = server.received[0]["Date"].datetime
    assert sent.utcoffset().total_seconds() == 0
    assert abs((datetime.now(UTC) - sent).total_seconds()) < 60


def test_mail_carries_a_message_id_in_the_senders_domain(app, smtp_server):
    app.config["MAIL_SENDER"] = "CHAMPIONs Portal <portal@ngo.example.org>"
    server = smtp_server("plain")
    deliver(MAIL)
    deliver(MAIL)
    first, second = (message["Message-ID"] for message in server.received)
    assert first.endswith("@ngo.example.org>")
    assert first != second
