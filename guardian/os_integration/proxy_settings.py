"""Point a child's account at the filter: GNOME, KDE, Windows (per user), macOS.

These are the settings browsers follow. A child who can change them can get around
the filter; `guardian proxy --capture local` (or a WireGuard tunnel on a phone)
captures traffic without relying on them.
"""

from __future__ import annotations

from pathlib import PureWindowsPath

from guardian.os_integration.actions import Run, Step, WriteFile, skipped
from guardian.os_integration.certificates import as_account
from guardian.os_integration.host import Host, Install

NO_PROXY = ("localhost", "127.0.0.0/8", "::1")
INTERNET_SETTINGS = r"Software\Microsoft\Windows\CurrentVersion\Internet Settings"
CHILD_HIVE = r"HKU\GuardianChild"
NO_USER = "no --user: name the child's account to point it at the filter"


def _untargeted_title(enable: bool) -> str:
    return ("point the child's account at the filter" if enable
            else "remove the filter from the child's proxy settings")


# --- Linux ----------------------------------------------------------------------------------


def gsettings_commands(host: str, port: int, enable: bool) -> list[tuple[str, ...]]:
    base = "org.gnome.system.proxy"
    if not enable:
        return [("gsettings", "set", base, "mode", "none"),
                ("gsettings", "reset", f"{base}.http", "host"),
                ("gsettings", "reset", f"{base}.http", "port"),
                ("gsettings", "reset", f"{base}.https", "host"),
                ("gsettings", "reset", f"{base}.https", "port")]
    ignore = "[" + ", ".join(f"'{h}'" for h in NO_PROXY) + "]"
    return [
        ("gsettings", "set", f"{base}.http", "host", host),
        ("gsettings", "set", f"{base}.http", "port", str(port)),
        ("gsettings", "set", f"{base}.https", "host", host),
        ("gsettings", "set", f"{base}.https", "port", str(port)),
        ("gsettings", "set", base, "ignore-hosts", ignore),
        ("gsettings", "set", base, "mode", "manual"),
    ]


def kioslaverc_commands(tool: str, host: str, port: int, enable: bool) -> list[tuple[str, ...]]:
    def write(key: str, value: str) -> tuple[str, ...]:
        return (tool, "--file", "kioslaverc", "--group", "Proxy Settings", "--key", key, value)

    if not enable:
        return [write("ProxyType", "0")]
    return [
        write("httpProxy", f"http://{host} {port}"),
        write("httpsProxy", f"http://{host} {port}"),
        write("NoProxyFor", ",".join(NO_PROXY)),
        write("ProxyType", "1"),  # 1: manual
    ]


def linux_proxy_step(host: Host, install: Install, enable: bool) -> Step:
    account = install.child_user
    if account is None:
        return skipped(_untargeted_title(enable), NO_USER)
    title = (f"point {account}'s desktop at the filter ({install.listen_host}:{install.child_port})"
             if enable else f"remove the filter from {account}'s desktop proxy settings")
    commands: list[tuple[str, ...]] = []
    if host.has("gsettings"):
        session = ("dbus-run-session", "--") if host.has("dbus-run-session") and (
            account != host.user) else ()
        commands += [(*session, *argv) for argv in
                     gsettings_commands(install.listen_host, install.child_port, enable)]
    kde = next((t for t in ("kwriteconfig6", "kwriteconfig5") if host.has(t)), None)
    if kde:
        commands += kioslaverc_commands(kde, install.listen_host, install.child_port, enable)
    if not commands:
        return skipped(title, "neither GNOME's gsettings nor KDE's kwriteconfig found")
    return Step(title, tuple(Run(as_account(host, account, argv)) for argv in commands))


# --- Windows: the child's Internet Settings ---------------------------------------------------


def windows_proxy_reg(host: str, port: int, enable: bool) -> str:
    """A .reg file the child (or an administrator for them) can import."""
    key = rf"[HKEY_CURRENT_USER\{INTERNET_SETTINGS}]"
    if not enable:
        return ("Windows Registry Editor Version 5.00\r\n\r\n"
                f'{key}\r\n"ProxyEnable"=dword:00000000\r\n"ProxyServer"=-\r\n')
    return (
        "Windows Registry Editor Version 5.00\r\n\r\n"
        f"{key}\r\n"
        '"ProxyEnable"=dword:00000001\r\n'
        f'"ProxyServer"="{host}:{port}"\r\n'
        '"ProxyOverride"="<local>"\r\n'
    )


def reg_commands(root: str, host: str, port: int, enable: bool) -> list[tuple[str, ...]]:
    key = rf"{root}\{INTERNET_SETTINGS}"
    if not enable:
        return [("reg", "add", key, "/v", "ProxyEnable", "/t", "REG_DWORD", "/d", "0", "/f"),
                ("reg", "delete", key, "/v", "ProxyServer", "/f")]
    return [
        ("reg", "add", key, "/v", "ProxyEnable", "/t", "REG_DWORD", "/d", "1", "/f"),
        ("reg", "add", key, "/v", "ProxyServer", "/t", "REG_SZ", "/d", f"{host}:{port}", "/f"),
        ("reg", "add", key, "/v", "ProxyOverride", "/t", "REG_SZ", "/d", "<local>", "/f"),
    ]


def windows_proxy_step(host: Host, install: Install, enable: bool) -> Step:
    account = install.child_user
    if account is None:
        return skipped(_untargeted_title(enable), NO_USER)
    title = (f"point {account}'s Internet Settings at the filter "
             f"({install.listen_host}:{install.child_port})" if enable
             else f"remove the filter from {account}'s Internet Settings")
    reg_file = WriteFile(PureWindowsPath(install.data_dir) / f"proxy-{account}.reg",
                         windows_proxy_reg(install.listen_host, install.child_port, enable),
                         encoding="utf-16")
    if account.lower() == host.user.lower():
        commands = reg_commands("HKCU", install.listen_host, install.child_port, enable)
        return Step(title, (reg_file, *(_reg_run(argv) for argv in commands)))
    if not host.admin:
        return skipped(title, "another account's settings need an administrator")
    # The child's own registry hive, loaded while they are signed out.
    hive = PureWindowsPath(host.child_home or PureWindowsPath("C:/Users", account)) / "NTUSER.DAT"
    commands = [("reg", "load", CHILD_HIVE, str(hive)),
                *reg_commands(CHILD_HIVE, install.listen_host, install.child_port, enable),
                ("reg", "unload", CHILD_HIVE)]
    return Step(title + f" (sign {account} out first)",
                (reg_file, *(_reg_run(argv) for argv in commands)))


def _reg_run(argv: tuple[str, ...]) -> Run:
    return Run(argv, (0, 1) if argv[1] == "delete" else (0,))  # 1: the value was not there


# --- macOS: the network services ----------------------------------------------------------------


def networksetup_commands(service: str, host: str, port: int,
                          enable: bool) -> list[tuple[str, ...]]:
    if not enable:
        return [("networksetup", "-setwebproxystate", service, "off"),
                ("networksetup", "-setsecurewebproxystate", service, "off")]
    return [
        ("networksetup", "-setwebproxy", service, host, str(port)),
        ("networksetup", "-setsecurewebproxy", service, host, str(port)),
        ("networksetup", "-setproxybypassdomains", service, "localhost", "127.0.0.1"),
    ]


def macos_proxy_step(host: Host, install: Install, enable: bool) -> Step:
    title = ("point this Mac's network services at the filter "
             f"({install.listen_host}:{install.child_port}; every account)" if enable
             else "remove the filter from this Mac's network services")
    if not host.admin:
        return skipped(title, "needs root: run it with sudo")
    if not host.network_services:
        return skipped(title, "no network service found (networksetup -listallnetworkservices)")
    commands = [argv for service in host.network_services for argv in
                networksetup_commands(service, install.listen_host, install.child_port, enable)]
    return Step(title, tuple(Run(argv) for argv in commands))


def proxy_step(host: Host, install: Install, enable: bool = True) -> Step:
    if host.system == "windows":
        return windows_proxy_step(host, install, enable)
    if host.system == "macos":
        return macos_proxy_step(host, install, enable)
    return linux_proxy_step(host, install, enable)
