"""Guardian's benchmark suite: `python -m benchmarks` (add `--quick` for a short run).

Every result is measured side by side with a baseline in the same run (bare
`mitmdump`, direct to the upstream, a Python dict, a full scan of the raw
rows...), because absolute numbers move from machine to machine and the
ratios do not. The results go to `benchmarks/RESULTS.md` as tables, with the
targets from issue 7 and, where one is missed, by how much.

One module per measure:

    proxy_bench    throughput and latency through the proxies, the block path,
                   large downloads, several workers on one port (SO_REUSEPORT)
    index_bench    host classifications, memory, list compile and index load
    logging_bench  log write throughput and event-loop stalls while logging
    scan_bench     content scanning per 100 KB of HTML
    weekly_bench   the weekly summary over millions of raw rows
    app_bench      the parent app's launch to a usable window (offscreen)

and the parts they share: `household` (a data folder with the realistic
policy and millions of listed domains), `upstream` (nginx, or an asyncio
server without it), `proxies` (starting each proxy), `loadgen` (wrk, hey, or
a Python client), `machine` (load average, memory, CPU) and `results`.
"""
