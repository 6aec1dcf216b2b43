"""OS integration: what install generates for each system, the runner, NSS for real, the CLI.

The generators are pure: unit files, task XML, plists, .reg texts and commands are
checked here for Linux, Windows and macOS on any machine. On Linux the NSS step runs
for real against throwaway databases (`certutil`, Debian's libnss3-tools), and the
systemd unit goes through `systemd-analyze verify` where it is installed.
"""

from __future__ import annotations

import getpass
import json
import plistlib
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

from guardian.os_integration.actions import CopyFile, RemoveFile, Run, Step, WriteFile
from guardian.os_integration.certificates import nss_removal_steps, nss_steps
from guardian.os_integration.host import Host, Install, ca_thumbprint, firefox_profiles
from guardian.os_integration.plan import install_plan, read_record, uninstall_plan
from guardian.os_integration.proxy_settings import (
    gsettings_commands,
    kioslaverc_commands,
    windows_proxy_reg,
)
from guardian.os_integration.runner import apply_steps
from guardian.os_integration.service import launchd_plist, systemd_quote, systemd_unit
from guardian.os_integration.service import windows_task_xml as task_xml

CHILD_KEY = r"HKU\GuardianChild\Software\Microsoft\Windows\CurrentVersion\Internet Settings"

LINUX_TOOLS = frozenset({"systemctl", "loginctl", "runuser", "update-ca-certificates",
                         "certutil", "gsettings", "dbus-run-session", "kwriteconfig5"})

HOSTS = {
    "linux-root": Host("linux", True, "root", 0, LINUX_TOOLS, PurePosixPath("/root"),
                       PurePosixPath("/home/an"),
                       (PurePosixPath("/home/an/.mozilla/firefox/x.default"),),
                       chromium_nssdb_exists=True),
    "linux-parent": Host("linux", False, "me", 1000, LINUX_TOOLS, PurePosixPath("/home/me"),
                         PurePosixPath("/home/me")),
    "windows-admin": Host("windows", True, "Parent", 0, frozenset({"schtasks", "reg", "certutil"}),
                          PureWindowsPath(r"C:\Users\Parent"), PureWindowsPath(r"C:\Users\An")),
    "macos-admin": Host("macos", True, "root", 0,
                        frozenset({"launchctl", "security", "networksetup"}),
                        PurePosixPath("/var/root"), PurePosixPath("/Users/an"),
                        network_services=("Wi-Fi", "USB 10/100/1000 LAN")),
}


def install_for(host: Host, **changes: object) -> Install:
    if host.system == "windows":
        base = Install(command=(r"C:\Program Files\Guardian\guardian.exe",),
                       data_dir=PureWindowsPath(r"C:\Users\Parent\AppData\Local\guardian"),
                       ca_cert=PureWindowsPath(r"C:\Users\Parent\AppData\Local\guardian\ca\c.pem"),
                       child_port=8081, child_user="An", service_user="Parent", ca_sha1="AB12")
    else:
        base = Install(command=("/opt/guardian/guardian",),
                       data_dir=PurePosixPath("/home/me/.local/share/guardian"),
                       ca_cert=PurePosixPath("/home/me/.local/share/guardian/ca/c.pem"),
                       child_port=8081, child_user="an", service_user="me", ca_sha1="AB12")
    return Install(**{**base.__dict__, **changes})  # type: ignore[arg-type]


def commands(steps: list[Step]) -> list[tuple[str, ...]]:
    return [a.argv for s in steps for a in s.actions if isinstance(a, Run)]


def written(steps: list[Step]) -> dict[str, WriteFile]:
    return {str(a.path): a for s in steps for a in s.actions if isinstance(a, WriteFile)}


# --- the plan for each system --------------------------------------------------------------

EXPECTED_INSTALL = {
    "linux-root": [
        ("start at boot (systemd unit /etc/systemd/system/guardian.service)",
         ("systemctl", "enable", "--now", "guardian.service")),
        ("trust the CA in the system store (/usr/local/share/ca-certificates/guardian.crt)",
         ("update-ca-certificates",)),
        ("trust the CA in Chromium (/home/an/.pki/nssdb)",
         ("runuser", "-u", "an", "--", "certutil", "-d", "sql:/home/an/.pki/nssdb", "-A", "-t",
          "C,,", "-n", "Guardian", "-i", "/home/me/.local/share/guardian/ca/c.pem")),
        ("trust the CA in Firefox (/home/an/.mozilla/firefox/x.default)",
         ("runuser", "-u", "an", "--", "certutil", "-d", "sql:/home/an/.mozilla/firefox/x.default",
          "-A", "-t", "C,,", "-n", "Guardian", "-i", "/home/me/.local/share/guardian/ca/c.pem")),
        ("point an's desktop at the filter (127.0.0.1:8081)",
         ("runuser", "-u", "an", "--", "dbus-run-session", "--", "gsettings", "set",
          "org.gnome.system.proxy", "mode", "manual")),
    ],
    "windows-admin": [
        ('start at boot (scheduled task "Guardian filter")',
         ("schtasks", "/Create", "/TN", "Guardian filter", "/XML",
          r"C:\Users\Parent\AppData\Local\guardian\guardian-task.xml", "/F")),
        ("trust the CA in the system store (Windows Root store)",
         ("certutil", "-addstore", "-f", "Root",
          r"C:\Users\Parent\AppData\Local\guardian\ca\c.pem")),
        ("point An's Internet Settings at the filter (127.0.0.1:8081) (sign An out first)",
         ("reg", "add", CHILD_KEY, "/v", "ProxyServer", "/t", "REG_SZ", "/d", "127.0.0.1:8081",
          "/f")),
    ],
    "macos-admin": [
        ("start at boot (launchd job /Library/LaunchDaemons/org.guardian.filter.plist)",
         ("launchctl", "bootstrap", "system", "/Library/LaunchDaemons/org.guardian.filter.plist")),
        ("trust the CA in the system store (System keychain)",
         ("security", "add-trusted-cert", "-d", "-r", "trustRoot", "-k",
          "/Library/Keychains/System.keychain", "/home/me/.local/share/guardian/ca/c.pem")),
        ("point this Mac's network services at the filter (127.0.0.1:8081; every account)",
         ("networksetup", "-setsecurewebproxy", "USB 10/100/1000 LAN", "127.0.0.1", "8081")),
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED_INSTALL))
def test_install_plan_per_system(name: str) -> None:
    host = HOSTS[name]
    steps = install_plan(host, install_for(host))
    titles = [step.title for step in steps if step.skip is None]
    for title, command in EXPECTED_INSTALL[name]:
        assert title in titles
        step = next(step for step in steps if step.title == title)
        assert command in [a.argv for a in step.actions if isinstance(a, Run)]


EXPECTED_UNINSTALL = {
    "linux-root": [("systemctl", "disable", "--now", "guardian.service"),
                   ("update-ca-certificates", "--fresh"),
                   ("runuser", "-u", "an", "--", "dbus-run-session", "--", "gsettings", "set",
                    "org.gnome.system.proxy", "mode", "none"),
                   ("runuser", "-u", "an", "--", "certutil", "-d", "sql:/home/an/.pki/nssdb",
                    "-D", "-n", "Guardian")],
    "windows-admin": [("schtasks", "/Delete", "/TN", "Guardian filter", "/F"),
                      ("certutil", "-delstore", "Root", "AB12"),
                      ("reg", "add", CHILD_KEY, "/v", "ProxyEnable", "/t", "REG_DWORD", "/d",
                       "0", "/f")],
    "macos-admin": [("launchctl", "bootout", "system/org.guardian.filter"),
                    ("security", "delete-certificate", "-Z", "AB12",
                     "/Library/Keychains/System.keychain"),
                    ("networksetup", "-setwebproxystate", "Wi-Fi", "off")],
}


@pytest.mark.parametrize("name", sorted(EXPECTED_UNINSTALL))
def test_uninstall_plan_removes_service_settings_and_certificate(name: str) -> None:
    host = HOSTS[name]
    steps = uninstall_plan(host, install_for(host))
    assert all(step.skip is None for step in steps), [s.skip for s in steps]
    found = commands(steps)
    for command in EXPECTED_UNINSTALL[name]:
        assert command in found
    removed = [str(a.path) for s in steps for a in s.actions if isinstance(a, RemoveFile)]
    assert removed, "the service's file goes too"


def test_a_parent_without_root_gets_a_user_unit_and_is_told_what_needs_root() -> None:
    host = HOSTS["linux-parent"]
    steps = install_plan(host, install_for(host, child_user=None))
    by_title = {step.title.split(" (")[0]: step for step in steps}
    unit = by_title["start at boot"]
    assert "/home/me/.config/systemd/user/guardian.service" in unit.title
    assert ("loginctl", "enable-linger", "me") in commands([unit])
    assert by_title["trust the CA in the system store"].skip == "needs root: run it with sudo"
    assert "no --user" in (by_title["point the child's account at the filter"].skip or "")


def test_a_machine_without_systemd_running_skips_the_service() -> None:
    host = Host("linux", True, "root", tools=LINUX_TOOLS, systemd_running=False)
    install, uninstall = install_plan(host, install_for(host)), uninstall_plan(
        host, install_for(host))
    assert "systemd is not running" in (install[0].skip or "")
    assert "systemd is not running" in (uninstall[0].skip or "")


def test_missing_tools_are_skipped_with_the_reason() -> None:
    host = Host("linux", True, "root", tools=frozenset(), child_home=PurePosixPath("/home/an"))
    reasons = {step.title: step.skip for step in install_plan(host, install_for(host))}
    assert all(reasons.values()), reasons
    assert any("libnss3-tools" in (why or "") for why in reasons.values())


def test_windows_other_users_settings_need_an_administrator() -> None:
    host = Host("windows", False, "Parent", tools=frozenset({"reg"}),
                home=PureWindowsPath(r"C:\Users\Parent"),
                child_home=PureWindowsPath(r"C:\Users\An"))
    steps = install_plan(host, install_for(host))
    assert all(step.skip for step in steps)


def test_windows_own_account_uses_hkcu_without_loading_a_hive() -> None:
    host = HOSTS["windows-admin"]
    steps = install_plan(host, install_for(host, child_user="parent"))
    found = commands(steps)
    key = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings"
    assert ("reg", "add", key, "/v", "ProxyEnable", "/t", "REG_DWORD", "/d", "1", "/f") in found
    assert not any(argv[1] == "load" for argv in found if argv[0] == "reg")


# --- the generated texts -----------------------------------------------------------------------


def test_systemd_unit_text() -> None:
    install = install_for(HOSTS["linux-root"], command=("/opt/My Guardian/guardian",),
                          data_dir=PurePosixPath("/home/me/data 100%"))
    unit = systemd_unit(install, system_unit=True)
    assert ('ExecStart="/opt/My Guardian/guardian" --data-dir "/home/me/data 100%%" proxy '
            "--listen 127.0.0.1:8080") in unit
    assert "User=me" in unit and "WantedBy=multi-user.target" in unit
    assert "Restart=on-failure" in unit and "After=network-online.target" in unit
    user_unit = systemd_unit(install, system_unit=False)
    assert "User=" not in user_unit and "WantedBy=default.target" in user_unit


@pytest.mark.parametrize(("arg", "quoted"), [
    ("/usr/bin/guardian", "/usr/bin/guardian"),
    ("a b", '"a b"'),
    ('say "hi"', '"say \\"hi\\""'),
    ("50%", "50%%"),
    ("$HOME", "$$HOME"),
])
def test_systemd_quoting(arg: str, quoted: str) -> None:
    assert systemd_quote(arg) == quoted


def test_a_database_url_goes_into_the_environment_and_the_unit_is_private() -> None:
    host = HOSTS["linux-root"]
    install = install_for(host,
                          environment=(("GUARDIAN_DATABASE_URL", "postgresql://u:pw@db/g"),))
    unit_file = written(install_plan(host, install))["/etc/systemd/system/guardian.service"]
    assert "Environment=GUARDIAN_DATABASE_URL=postgresql://u:pw@db/g\n" in unit_file.text
    assert unit_file.mode == 0o600


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze not installed")
def test_systemd_analyze_verifies_the_unit(tmp_path: Path) -> None:
    install = Install(command=(sys.executable, "-m", "guardian"), data_dir=tmp_path / "data dir",
                      ca_cert=tmp_path / "ca.pem", service_user=getpass.getuser(),
                      working_dir=Path(__file__).resolve().parent.parent)
    unit = tmp_path / "guardian.service"
    unit.write_text(systemd_unit(install, system_unit=True))
    result = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True,
                            text=True, timeout=60)
    problems = [line for line in result.stderr.splitlines() if str(unit) in line
                and "Special user" not in line]
    assert result.returncode == 0 and problems == [], result.stderr


def test_windows_task_xml() -> None:
    install = install_for(HOSTS["windows-admin"])
    text = task_xml(install)
    root = ET.fromstring(text.encode("utf-16"))
    ns = {"t": "http://schemas.microsoft.com/windows/2004/02/mit/task"}
    assert root.find("t:Triggers/t:BootTrigger/t:Enabled", ns).text == "true"  # type: ignore[union-attr]
    assert root.find("t:Principals/t:Principal/t:UserId", ns).text == "S-1-5-18"  # type: ignore[union-attr]
    exec_ = root.find("t:Actions/t:Exec", ns)
    assert exec_ is not None
    assert exec_.find("t:Command", ns).text == r"C:\Program Files\Guardian\guardian.exe"  # type: ignore[union-attr]
    assert exec_.find("t:Arguments", ns).text == (  # type: ignore[union-attr]
        r'--data-dir C:\Users\Parent\AppData\Local\guardian proxy --listen 127.0.0.1:8080')
    assert root.find("t:Settings/t:ExecutionTimeLimit", ns).text == "PT0S"  # type: ignore[union-attr]
    assert root.find("t:Settings/t:RestartOnFailure/t:Count", ns) is not None
    task_file = written(install_plan(HOSTS["windows-admin"], install))
    xml_file = task_file[r"C:\Users\Parent\AppData\Local\guardian\guardian-task.xml"]
    assert xml_file.encoding == "utf-16"


def test_launchd_plist() -> None:
    install = install_for(HOSTS["macos-admin"])
    job = plistlib.loads(launchd_plist(install, daemon=True).encode())
    assert job["Label"] == "org.guardian.filter"
    assert job["ProgramArguments"] == ["/opt/guardian/guardian", "--data-dir",
                                       "/home/me/.local/share/guardian", "proxy", "--listen",
                                       "127.0.0.1:8080"]
    assert job["RunAtLoad"] is True and job["KeepAlive"] == {"SuccessfulExit": False}
    assert job["UserName"] == "me"
    assert "UserName" not in plistlib.loads(launchd_plist(install, daemon=False).encode())


def test_windows_reg_text() -> None:
    on = windows_proxy_reg("127.0.0.1", 8081, True)
    assert on.startswith("Windows Registry Editor Version 5.00\r\n\r\n")
    assert (r"[HKEY_CURRENT_USER\Software\Microsoft\Windows\CurrentVersion\Internet Settings]"
            in on)
    assert '"ProxyEnable"=dword:00000001\r\n' in on
    assert '"ProxyServer"="127.0.0.1:8081"\r\n' in on
    off = windows_proxy_reg("127.0.0.1", 8081, False)
    assert '"ProxyEnable"=dword:00000000' in off and '"ProxyServer"=-' in off


def test_gnome_and_kde_commands() -> None:
    on = gsettings_commands("127.0.0.1", 8081, True)
    assert ("gsettings", "set", "org.gnome.system.proxy.https", "port", "8081") in on
    assert on[-1] == ("gsettings", "set", "org.gnome.system.proxy", "mode", "manual")
    assert gsettings_commands("127.0.0.1", 8081, False)[0][-1] == "none"
    kde = kioslaverc_commands("kwriteconfig6", "127.0.0.1", 8081, True)
    assert ("kwriteconfig6", "--file", "kioslaverc", "--group", "Proxy Settings", "--key",
            "httpsProxy", "http://127.0.0.1 8081") in kde
    assert kioslaverc_commands("kwriteconfig5", "h", 1, False)[0][-2:] == ("ProxyType", "0")


# --- the runner -------------------------------------------------------------------------------


def test_runner_reports_each_step_and_goes_on_after_a_failure(tmp_path: Path) -> None:
    source = tmp_path / "ca.pem"
    source.write_text("cert")
    ran: list[tuple[str, ...]] = []

    def run(argv):  # type: ignore[no-untyped-def]
        ran.append(tuple(argv))
        return (3, "first\nthe reason") if argv[0] == "broken" else (0, "")

    steps = [
        Step("write", (WriteFile(tmp_path / "sub" / "unit", "text", 0o600),
                       CopyFile(source, tmp_path / "copy.pem"))),
        Step("fails", (Run(("broken",)), Run(("never",)))),
        Step("not here", skip="no such tool"),
        Step("undo", (RemoveFile(tmp_path / "copy.pem"), Run(("gone",), (0, 1)))),
    ]
    lines: list[str] = []
    outcomes = apply_steps(steps, run=run, report=lines.append)
    assert lines == [
        "done: write",
        "failed: fails (broken exited with 3: the reason)",
        "skipped: not here (no such tool)",
        "done: undo",
    ]
    assert [o.status for o in outcomes] == ["done", "failed", "skipped", "done"]
    assert ("never",) not in ran
    assert (tmp_path / "sub" / "unit").read_text() == "text"
    assert (tmp_path / "sub" / "unit").stat().st_mode & 0o777 == 0o600
    assert not (tmp_path / "copy.pem").exists()


def test_dry_run_describes_and_changes_nothing(tmp_path: Path) -> None:
    steps = [Step("write", (WriteFile(tmp_path / "unit", "x"), Run(("systemctl", "start", "a b"))))]
    lines: list[str] = []

    def run(argv):  # type: ignore[no-untyped-def]
        raise AssertionError("a dry run runs nothing")

    apply_steps(steps, dry_run=True, run=run, report=lines.append)
    assert lines == ["dry run: write", f"    write {tmp_path / 'unit'} (mode 644):\n        | x",
                     "    $ systemctl start 'a b'"]
    assert not (tmp_path / "unit").exists()


def test_a_missing_command_fails_its_step_with_a_reason() -> None:
    outcomes = apply_steps([Step("x", (Run(("guardian-no-such-command",)),))])
    assert outcomes[0].status == "failed"
    assert "not found" in outcomes[0].detail


# --- NSS databases for real -------------------------------------------------------------------

needs_certutil = pytest.mark.skipif(not shutil.which("certutil"),
                                    reason="NSS certutil not installed (libnss3-tools)")


def make_ca(folder: Path) -> Path:
    from proxy_addons.certificates import ensure_ca

    return ensure_ca(folder)


def listed(database: Path) -> str:
    return subprocess.run(["certutil", "-L", "-d", f"sql:{database}"], capture_output=True,
                          text=True, check=True).stdout


@needs_certutil
def test_nss_install_and_uninstall_for_real(tmp_path: Path) -> None:
    home = tmp_path / "home"
    profile = home / ".mozilla" / "firefox" / "abcd.default-release"
    profile.mkdir(parents=True)
    subprocess.run(["certutil", "-N", "-d", f"sql:{profile}", "--empty-password"], check=True)
    assert firefox_profiles(home) == [profile]
    ca = make_ca(tmp_path / "ca")
    host = Host("linux", False, getpass.getuser(), tools=frozenset({"certutil"}), home=home,
                child_home=home, firefox_profiles=(profile,), chromium_nssdb_exists=False)
    install = Install(command=("guardian",), data_dir=tmp_path, ca_cert=ca)

    outcomes = apply_steps(nss_steps(host, install))
    assert [o.status for o in outcomes] == ["done", "done"], outcomes
    chromium = home / ".pki" / "nssdb"
    for database in (chromium, profile):
        assert any(line.startswith("Guardian") and line.split()[-1] == "C,,"
                   for line in listed(database).splitlines()), listed(database)

    host = Host("linux", False, getpass.getuser(), tools=frozenset({"certutil"}), home=home,
                child_home=home, firefox_profiles=(profile,), chromium_nssdb_exists=True)
    outcomes = apply_steps(nss_removal_steps(host, install))
    assert [o.status for o in outcomes] == ["done", "done"], outcomes
    for database in (chromium, profile):
        assert "Guardian" not in listed(database)
    # A second uninstall finds nothing to remove, and says done rather than failing.
    assert [o.status for o in apply_steps(nss_removal_steps(host, install))] == ["done", "done"]


def test_thumbprint_of_the_ca(tmp_path: Path) -> None:
    import hashlib
    import ssl

    ca = make_ca(tmp_path / "ca")
    expected = hashlib.sha1(ssl.PEM_cert_to_DER_cert(ca.read_text())).hexdigest().upper()
    assert ca_thumbprint(ca) == expected
    assert ca_thumbprint(tmp_path / "missing.pem") is None


# --- the commands -------------------------------------------------------------------------------


def test_install_dry_run_prints_every_step_and_changes_nothing(cli, data_dir) -> None:
    result = cli("install", "--dry-run", "--user", getpass.getuser(), "--port", "8081")
    assert result.code == 0, result.err
    step_lines = [line for line in result.out.splitlines() if not line.startswith("    ")]
    assert step_lines and all(line.split(":")[0] in ("dry run", "skipped")
                              for line in step_lines), result.out
    assert any("start at boot" in line for line in step_lines)
    assert any("trust the CA" in line for line in step_lines)
    assert any("proxy" in line or "desktop" in line or "skipped: point" in line
               for line in step_lines)
    assert "--listen 127.0.0.1:8080" in result.out or "skipped: start at boot" in result.out
    assert read_record(data_dir.root) == {}
    assert not (data_dir.ca_dir / "mitmproxy-ca-cert.pem").exists()


def test_uninstall_dry_run_uses_the_record_of_install(cli, data_dir) -> None:
    record = {"child_user": getpass.getuser(), "child_port": 8081, "listen": "127.0.0.1:8080"}
    (data_dir.root / "install.json").write_text(json.dumps(record))
    result = cli("uninstall", "--dry-run")
    assert result.code == 0, result.err
    assert "stop starting at boot" in result.out
    assert "remove the CA" in result.out
    assert (data_dir.root / "install.json").exists()


def test_install_refuses_a_bad_port(cli) -> None:
    result = cli("install", "--dry-run", "--port", "70000")
    assert result.code == 1 and "between 1 and 65535" in result.err
