"""Trust the filter's CA: in the system store, and in the NSS databases of Linux browsers.

Chromium on Linux reads `~/.pki/nssdb` (not the system store); Firefox reads its own
profile's `cert9.db` on every system. On Windows and macOS the system store serves
Chromium, Edge and Safari (and Firefox since it imports the system's roots by default).
"""

from __future__ import annotations

from pathlib import PurePath, PurePosixPath

from guardian.os_integration.actions import CopyFile, RemoveFile, Run, Step, skipped
from guardian.os_integration.host import CA_NICKNAME, Host, Install

DEBIAN_ANCHOR = PurePosixPath("/usr/local/share/ca-certificates/guardian.crt")
FEDORA_ANCHOR = PurePosixPath("/etc/pki/ca-trust/source/anchors/guardian.pem")
MACOS_KEYCHAIN = "/Library/Keychains/System.keychain"
NEEDS_ROOT = "needs root: run it with sudo"
# Windows certutil's exit codes when the certificate is not in the store: nothing to remove.
CERTUTIL_NOT_FOUND = (0, 0x80070002, 0x80092004)


def system_store_step(host: Host, install: Install) -> Step:
    title = "trust the CA in the system store"
    if host.system == "windows":
        if not host.admin:
            return skipped(title, "needs an administrator")
        return Step(f"{title} (Windows Root store)", (
            Run(("certutil", "-addstore", "-f", "Root", str(install.ca_cert))),
        ))
    if host.system == "macos":
        if not host.admin:
            return skipped(title, NEEDS_ROOT)
        return Step(f"{title} (System keychain)", (
            Run(("security", "add-trusted-cert", "-d", "-r", "trustRoot", "-k", MACOS_KEYCHAIN,
                 str(install.ca_cert))),
        ))
    if not host.admin:
        return skipped(title, NEEDS_ROOT)
    if host.has("update-ca-certificates"):
        return Step(f"{title} ({DEBIAN_ANCHOR})", (
            CopyFile(install.ca_cert, DEBIAN_ANCHOR),
            Run(("update-ca-certificates",)),
        ))
    if host.has("update-ca-trust"):
        return Step(f"{title} ({FEDORA_ANCHOR})", (
            CopyFile(install.ca_cert, FEDORA_ANCHOR),
            Run(("update-ca-trust", "extract")),
        ))
    return skipped(title, "neither update-ca-certificates nor update-ca-trust found")


def system_store_removal_step(host: Host, install: Install) -> Step:
    title = "remove the CA from the system store"
    if host.system == "windows":
        if not host.admin:
            return skipped(title, "needs an administrator")
        # By thumbprint when the CA is still there to read, else by its name.
        return Step(title, (Run(("certutil", "-delstore", "Root",
                                 install.ca_sha1 or "mitmproxy"), CERTUTIL_NOT_FOUND),))
    if host.system == "macos":
        if not host.admin:
            return skipped(title, NEEDS_ROOT)
        which = ("-Z", install.ca_sha1) if install.ca_sha1 else ("-c", "mitmproxy")
        return Step(title, (Run(("security", "delete-certificate", *which, MACOS_KEYCHAIN),
                                (0, 44)),))
    if not host.admin:
        return skipped(title, NEEDS_ROOT)
    if host.has("update-ca-certificates"):
        return Step(f"{title} ({DEBIAN_ANCHOR})", (
            RemoveFile(DEBIAN_ANCHOR),
            Run(("update-ca-certificates", "--fresh")),  # rebuilds the bundle without it
        ))
    if host.has("update-ca-trust"):
        return Step(f"{title} ({FEDORA_ANCHOR})", (
            RemoveFile(FEDORA_ANCHOR),
            Run(("update-ca-trust", "extract")),
        ))
    return skipped(title, "neither update-ca-certificates nor update-ca-trust found")


def as_account(host: Host, account: str | None, argv: tuple[str, ...]) -> tuple[str, ...]:
    """Run as the child when root installs for them, so their files stay theirs."""
    if account and host.admin and account != host.user and host.has("runuser"):
        return ("runuser", "-u", account, "--", *argv)
    return argv


def nss_databases(host: Host) -> list[tuple[str, PurePath]]:
    """(browser, database folder) for the child's account: Chromium's and each Firefox profile."""
    found: list[tuple[str, PurePath]] = []
    if host.child_nssdb is not None:
        found.append(("Chromium", host.child_nssdb))
    found += [("Firefox", profile) for profile in host.firefox_profiles]
    return found


def nss_steps(host: Host, install: Install) -> list[Step]:
    if host.system != "linux":
        return []
    account = install.child_user
    if not host.has("certutil"):
        return [skipped("trust the CA in Firefox and Chromium",
                        "NSS's certutil not found: apt-get install libnss3-tools")]
    steps = []
    for browser, folder in nss_databases(host):
        database = f"sql:{folder}"
        actions: list[Run] = []
        if browser == "Chromium" and not host.chromium_nssdb_exists:
            # Chromium makes it on first start; made now, it is trusted from that start on.
            actions += [
                Run(as_account(host, account, ("mkdir", "-p", str(folder)))),
                Run(as_account(host, account,
                               ("certutil", "-N", "-d", database, "--empty-password"))),
            ]
        actions.append(Run(as_account(host, account, (
            "certutil", "-d", database, "-A", "-t", "C,,", "-n", CA_NICKNAME,
            "-i", str(install.ca_cert)))))
        steps.append(Step(f"trust the CA in {browser} ({folder})", tuple(actions)))
    if not host.firefox_profiles:
        steps.append(skipped("trust the CA in Firefox", "no Firefox profile yet: run install "
                                                        "again after Firefox's first start"))
    return steps


def nss_removal_steps(host: Host, install: Install) -> list[Step]:
    if host.system != "linux":
        return []
    if not host.has("certutil"):
        return [skipped("remove the CA from Firefox and Chromium", "NSS's certutil not found")]
    steps = []
    for browser, folder in nss_databases(host):
        if browser == "Chromium" and not host.chromium_nssdb_exists:
            continue
        steps.append(Step(f"remove the CA from {browser} ({folder})", (
            # 255: the certificate was not there.
            Run(as_account(host, install.child_user, (
                "certutil", "-d", f"sql:{folder}", "-D", "-n", CA_NICKNAME)), (0, 255)),
        )))
    return steps
