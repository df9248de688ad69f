"""A real IMAP server for the tests: Debian's dovecot, on loopback, on a free port,
run as an unprivileged user (nobody when the tests run as root) with a passwd-file.
.ci/run installs it (apt-get install dovecot-imapd); where it is missing or cannot
start, the tests that need it are skipped with the reason."""

import imaplib
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import time
from pathlib import Path

PASSWORD = "secret"
ACCOUNTS = 500

CONFIG = """\
protocols = imap
listen = 127.0.0.1
base_dir = {base}/run
state_dir = {base}/state
log_path = {base}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
first_valid_uid = 1
mail_location = maildir:{base}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {base}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={base}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0600
  }}
  unix_listener stats-writer {{
    mode = 0600
  }}
}}
"""


class Unavailable(Exception):  # noqa: N818 - the reason to skip
    pass


class Dovecot:
    def __init__(self, base: Path):
        self.base = base
        self.host = "127.0.0.1"
        self.port = _free_port()
        self.process = None
        self._names = itertools.count(1)

    def start(self) -> None:
        binary = shutil.which("dovecot") or "/usr/sbin/dovecot"
        if not os.path.exists(binary):
            raise Unavailable(
                "dovecot is not installed: apt-get install dovecot-imapd (.ci/run does)"
            )
        account = pwd.getpwnam("nobody") if os.getuid() == 0 else pwd.getpwuid(os.getuid())
        for folder in ("run", "state", "mail", "home"):
            (self.base / folder).mkdir(parents=True, exist_ok=True)
        # Every account up front: dovecot notices a changed passwd-file by its time,
        # to the second, and tests come faster than that.
        (self.base / "passwd").write_text(
            "".join(f"desk{n}:{{PLAIN}}{PASSWORD}\n" for n in range(1, ACCOUNTS + 1))
        )
        config = self.base / "dovecot.conf"
        config.write_text(
            CONFIG.format(
                base=self.base,
                user=account.pw_name,
                group=_group_name(account.pw_gid),
                uid=account.pw_uid,
                gid=account.pw_gid,
                port=self.port,
            )
        )
        if os.getuid() == 0:
            for path in [self.base, *self.base.rglob("*")]:
                os.chown(path, account.pw_uid, account.pw_gid)
        switch = {"user": account.pw_uid, "group": account.pw_gid} if os.getuid() == 0 else {}
        self.process = subprocess.Popen(  # noqa: S603 - our own binary and config
            [binary, "-F", "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=(self.base / "stderr.log").open("w"),
            **switch,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise Unavailable(f"dovecot did not start: {self._log()}")
            try:
                socket.create_connection((self.host, self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise Unavailable(f"dovecot did not answer in 15 seconds: {self._log()}")

    def _log(self) -> str:
        logs = [self.base / "stderr.log", self.base / "dovecot.log"]
        return " ".join(p.read_text()[-500:] for p in logs if p.exists())

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def new_account(self) -> str:
        """A fresh mailbox for one test: nothing another test left in it."""
        return f"desk{next(self._names)}"

    def client(self, user: str) -> imaplib.IMAP4:
        client = imaplib.IMAP4(self.host, self.port, timeout=10)
        client.login(user, PASSWORD)
        return client

    def append(self, user: str, raw: bytes, folder: str = "INBOX") -> None:
        client = self.client(user)
        try:
            status, _ = client.append(folder, None, None, raw)
            assert status == "OK"
        finally:
            client.logout()

    def messages(self, user: str, folder: str = "INBOX") -> list[bytes]:
        client = self.client(user)
        try:
            status, _ = client.select(f'"{folder}"', readonly=True)
            if status != "OK":
                return []
            _, data = client.uid("SEARCH", None, "ALL")
            found = []
            for uid in data[0].split():
                _, fetched = client.uid("FETCH", uid, "(BODY.PEEK[])")
                found.append(next(item[1] for item in fetched if isinstance(item, tuple)))
            return found
        finally:
            client.logout()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _group_name(gid: int) -> str:
    import grp

    return grp.getgrgid(gid).gr_name
