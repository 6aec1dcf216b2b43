"""mitmproxy embedded exactly as `guardian proxy` embeds it, without Guardian's addons.

`python -m benchmarks.lean_proxy PORT CONFDIR UPSTREAM_CA`. The same master
(events dispatched through `proxy_addons.hook_table`), the same five built-in
addons and the same options as proxy_addons/server.py (lazy connections,
large bodies streamed, the interpreter set up as
proxy_addons/interpreter.py does): beside bare `mitmdump` and the full
filter it splits what the lean embedding gains from what Guardian's own
addons cost.
"""

from __future__ import annotations

import asyncio
import signal
import sys

from mitmproxy import options
from mitmproxy.addons import core, errorcheck, next_layer, proxyserver, tlsconfig

from proxy_addons.hook_table import filter_master
from proxy_addons.interpreter import settle_heap, skip_debug_type_checks


async def serve(port: int, confdir: str, upstream_ca: str) -> None:
    skip_debug_type_checks()
    master = filter_master(options.Options())
    master.addons.add(core.Core(), proxyserver.Proxyserver(), next_layer.NextLayer(),
                      tlsconfig.TlsConfig(), errorcheck.ErrorCheck())
    master.options.update(listen_host="127.0.0.1", listen_port=port, confdir=confdir,
                          connection_strategy="lazy", stream_large_bodies="1m",
                          ssl_verify_upstream_trusted_ca=upstream_ca)
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, master.shutdown)
    settle_heap()
    await master.run()


if __name__ == "__main__":
    asyncio.run(serve(int(sys.argv[1]), sys.argv[2], sys.argv[3]))
