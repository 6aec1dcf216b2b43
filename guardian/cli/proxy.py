"""`guardian proxy` and `guardian ca path`: the filter and its certificate."""

from __future__ import annotations

import argparse

from guardian.cli.context import CliContext
from guardian.errors import UsageError
from guardian.machine import MACHINE_NAME_ENV, machine_name, machine_value

DEFAULT_LISTEN = "127.0.0.1:8080"


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    proxy = commands.add_parser("proxy", help="run the filter in the foreground")
    proxy.add_argument(
        "--listen", default=DEFAULT_LISTEN, metavar="HOST:PORT",
        help=f"main listening address (default {DEFAULT_LISTEN}); "
             "children's own ports listen on the same host",
    )
    proxy.add_argument(
        "--set", dest="options", action="append", default=[], metavar="NAME=VALUE",
        help="set a mitmproxy option, e.g. ssl_verify_upstream_trusted_ca=/path/ca.pem",
    )
    proxy.add_argument(
        "--upstream-proxy", metavar="URL",
        help="send allowed traffic on through another proxy, e.g. http://proxy.school:3128",
    )
    proxy.add_argument(
        "--capture", metavar="local[:PROGRAMS]", type=capture_spec,
        help="also capture this PC's own traffic without proxy settings (mitmproxy's local "
             "capture), so a child cannot switch the filter off in the browser; "
             "'local:firefox,chrome' captures only those programs. Needs root or an "
             "administrator: on Linux a kernel with eBPF (6.8 or newer), on Windows the "
             "WinDivert driver (bundled), on macOS the Mitmproxy Redirector system extension",
    )
    proxy.add_argument(
        "--machine-name", metavar="NAME",
        help=f"this filter's name in a shared database, and the machine that profiles "
             f"attributed with 'guardian profile attach NAME --machine' apply to "
             f"(env {MACHINE_NAME_ENV}; default: the host name)",
    )
    proxy.set_defaults(handler=run_proxy)

    ca = commands.add_parser("ca", help="the filter's certificate authority")
    ca_commands = ca.add_subparsers(dest="ca_command", metavar="COMMAND", required=True)
    path = ca_commands.add_parser("path", help="print the CA certificate to install in browsers")
    path.set_defaults(handler=print_ca_path)


def parse_listen(text: str) -> tuple[str, int]:
    host, sep, port_text = text.rpartition(":")
    if not sep:
        host, port_text = "127.0.0.1", text
    host = host.strip("[]") or "127.0.0.1"
    try:
        port = int(port_text)
    except ValueError:
        raise UsageError(f"--listen needs HOST:PORT, not {text!r}") from None
    if not 1 <= port <= 65535:
        raise UsageError(f"port {port} is not between 1 and 65535")
    return host, port


def capture_spec(text: str) -> str:
    """`local` or `local:PROGRAMS`: mitmproxy's local-capture mode spec."""
    kind, sep, programs = text.partition(":")
    if kind != "local" or (sep and not programs.strip()):
        raise argparse.ArgumentTypeError(f"--capture takes local or local:PROGRAMS, not {text!r}")
    return text


def check_upstream_proxy(url: str) -> None:
    """`http://host:port` (or https): anything else would fail every request later."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        port = None
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or not port:
        raise UsageError(f"--upstream-proxy needs a URL such as http://proxy.school:3128, "
                         f"not {url!r}")


def run_proxy(args: argparse.Namespace, context: CliContext) -> int:
    from proxy_addons.server import ProxyConfig
    from proxy_addons.server import run_proxy as serve

    host, port = parse_listen(args.listen)
    if args.upstream_proxy is not None:
        check_upstream_proxy(args.upstream_proxy)
    # A bad name, given or from the environment: one clear error before starting.
    machine = machine_value(args.machine_name) if args.machine_name else machine_name()
    return serve(ProxyConfig(context.data_dir, host, port, tuple(args.options),
                             upstream_proxy=args.upstream_proxy, capture=args.capture,
                             machine_name=machine))


def print_ca_path(args: argparse.Namespace, context: CliContext) -> int:
    from proxy_addons.certificates import ensure_ca

    context.data_dir.ensure()
    print(ensure_ca(context.data_dir.ca_dir))
    return 0
