"""Guardian: a household screen-time and content filter.

This package is the core. It imports neither Qt nor mitmproxy; the proxy
(`proxy_addons`) and the parent app (`ui`) build on it.
"""

__version__ = "0.1.0"
