"""What the machine is and what to put on it: the two inputs of every generator.

`probe_host` is the one function here that looks at the machine (accounts, tools on
PATH, the child's browser databases); everything built from a `Host` is pure, so the
generators are tested for Windows and macOS on any machine.
"""

from __future__ import annotations

import getpass
import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath

from guardian.datadir import DataDir
from guardian.errors import UsageError

# Commands the generators may use, looked up on PATH by `probe_host`.
KNOWN_TOOLS = (
    "systemctl", "loginctl", "runuser", "update-ca-certificates", "update-ca-trust", "certutil",
    "gsettings", "dbus-run-session", "kwriteconfig6", "kwriteconfig5", "schtasks", "reg",
    "launchctl", "security", "networksetup",
)
SERVICE_NAME = "guardian"
CA_NICKNAME = "Guardian"


@dataclass(frozen=True)
class Host:
    system: str  # "linux" | "windows" | "macos"
    admin: bool  # root or Administrator
    user: str  # the account running the install
    uid: int = 0
    tools: frozenset[str] = frozenset()
    home: PurePath = PurePosixPath("/root")  # the installing account's home
    child_home: PurePath | None = None  # the child's home, when --user names one
    # The child's NSS databases (Firefox profiles with cert9.db); Chromium's is child_nssdb.
    firefox_profiles: tuple[PurePath, ...] = ()
    chromium_nssdb_exists: bool = False
    network_services: tuple[str, ...] = ()  # macOS network services (Wi-Fi, Ethernet...)
    systemd_running: bool = True  # booted with systemd (not so in most containers)

    @property
    def windows(self) -> bool:
        return self.system == "windows"

    @property
    def child_nssdb(self) -> PurePath | None:
        return self.child_home / ".pki" / "nssdb" if self.child_home else None

    def has(self, tool: str) -> bool:
        return tool in self.tools


@dataclass(frozen=True)
class Install:
    """What `guardian install` puts in place."""

    command: tuple[str, ...]  # how to start Guardian: the frozen program, or python -m guardian
    data_dir: PurePath
    ca_cert: PurePath
    listen_host: str = "127.0.0.1"
    listen_port: int = 8080
    child_port: int = 8080  # the port the child's proxy settings point at
    child_user: str | None = None
    service_user: str | None = None  # the data folder's owner: the filter runs as them
    working_dir: PurePath | None = None  # for `python -m guardian` from a source tree
    ca_sha1: str | None = None  # thumbprint, to remove exactly this CA from Windows and macOS
    environment: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def filter_argv(self) -> tuple[str, ...]:
        return (*self.command, "--data-dir", str(self.data_dir), "proxy",
                "--listen", f"{self.listen_host}:{self.listen_port}")


def current_system() -> str:
    if sys.platform.startswith("win"):
        return "windows"
    if sys.platform == "darwin":
        return "macos"
    return "linux"


def guardian_command() -> tuple[tuple[str, ...], PurePath | None]:
    """How a service starts Guardian: this frozen program, or this Python with `-m guardian`."""
    if getattr(sys, "frozen", False):
        return (sys.executable,), None
    import guardian

    return (sys.executable, "-m", "guardian"), Path(guardian.__file__).resolve().parent.parent


def probe_host(child_user: str | None) -> Host:
    system = current_system()
    tools = frozenset(tool for tool in KNOWN_TOOLS if shutil.which(tool))
    user = getpass.getuser()
    home = Path.home()
    child_home = _home_of(child_user, system) if child_user else home
    firefox: list[PurePath] = []
    if system == "linux" and child_home is not None:
        firefox = firefox_profiles(Path(child_home))
    return Host(
        system=system,
        admin=_is_admin(system),
        user=user,
        uid=os.getuid() if hasattr(os, "getuid") else 0,
        tools=tools,
        home=home,
        child_home=child_home,
        firefox_profiles=tuple(firefox),
        chromium_nssdb_exists=bool(child_home) and (Path(child_home) / ".pki/nssdb").is_dir(),
        network_services=_network_services(system, tools),
        systemd_running=Path("/run/systemd/system").is_dir(),  # as sd_booted(3) checks
    )


def firefox_profiles(home: Path) -> list[PurePath]:
    """Firefox profiles with an NSS database: the deb, snap and flatpak locations."""
    roots = (
        home / ".mozilla" / "firefox",
        home / "snap" / "firefox" / "common" / ".mozilla" / "firefox",
        home / ".var" / "app" / "org.mozilla.firefox" / ".mozilla" / "firefox",
    )
    return [cert9.parent for root in roots if root.is_dir()
            for cert9 in sorted(root.glob("*/cert9.db"))]


def _home_of(user: str, system: str) -> PurePath:
    if system == "windows":
        return PureWindowsPath(os.environ.get("SYSTEMDRIVE", "C:") + "\\", "Users", user)
    try:
        import pwd

        return Path(pwd.getpwnam(user).pw_dir)
    except (ImportError, KeyError):
        raise UsageError(f"there is no account named {user!r} on this computer") from None


def _is_admin(system: str) -> bool:
    if system == "windows":
        import ctypes

        try:
            return bool(ctypes.windll.shell32.IsUserAnAdmin())  # type: ignore[attr-defined]
        except (AttributeError, OSError):
            return False
    return os.geteuid() == 0


def _network_services(system: str, tools: frozenset[str]) -> tuple[str, ...]:
    if system != "macos" or "networksetup" not in tools:
        return ()
    import subprocess

    listing = subprocess.run(["networksetup", "-listallnetworkservices"], capture_output=True,
                             text=True, timeout=30).stdout.splitlines()
    # The first line is a note; a leading '*' marks a disabled service.
    return tuple(line for line in listing[1:] if line and not line.startswith("*"))


def owner_of(path: Path) -> str | None:
    """The account owning the data folder: the filter service runs as it (never as root)."""
    try:
        import pwd

        return pwd.getpwuid(path.stat().st_uid).pw_name
    except (ImportError, KeyError, OSError):
        return None


def ca_thumbprint(ca_cert: Path) -> str | None:
    """The SHA-1 thumbprint Windows' certutil and macOS' security name a certificate by."""
    import hashlib
    import ssl

    try:
        der = ssl.PEM_cert_to_DER_cert(ca_cert.read_text(encoding="ascii"))
    except (OSError, ValueError):
        return None
    return hashlib.sha1(der).hexdigest().upper()  # noqa: S324 (a name, not a security check)


def default_install(data_dir: DataDir, ca_cert: Path, *, listen: tuple[str, int],
                    child_port: int | None, child_user: str | None) -> Install:
    command, working_dir = guardian_command()
    environment: tuple[tuple[str, str], ...] = ()
    if not data_dir.database_url.startswith("sqlite:///"):
        environment = (("GUARDIAN_DATABASE_URL", data_dir.database_url),)
    return Install(
        command=command,
        data_dir=data_dir.root,
        ca_cert=ca_cert,
        listen_host=listen[0],
        listen_port=listen[1],
        child_port=child_port or listen[1],
        child_user=child_user,
        service_user=owner_of(data_dir.root),
        working_dir=working_dir,
        ca_sha1=ca_thumbprint(ca_cert),
        environment=environment,
    )
