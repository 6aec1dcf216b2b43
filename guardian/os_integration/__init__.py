"""Fitting Guardian into the operating system: start at boot, trust its CA, point a child at it.

Each part is a pure generator that turns facts about the machine (`Host`) and what
to install (`Install`) into `Step`s: files to write and commands to run, with the
reason when a step cannot be done here. `runner.apply_steps` is the only part that
touches the machine, and in a dry run it only describes. Tests check the generated
unit, plist, task XML and registry texts for every system without running them.

    host.py             what the machine is: system, admin rights, tools, browsers' databases
    actions.py          the vocabulary: Run, WriteFile, CopyFile, RemoveFile, Step, Outcome
    service.py          start the filter at boot: systemd, Task Scheduler, launchd
    certificates.py     trust the CA: system stores and the NSS databases of Firefox and Chromium
    proxy_settings.py   a child's account pointed at the filter: GNOME, KDE, Windows, macOS
    plan.py             the whole install and uninstall, and the record install leaves
    runner.py           carries the steps out, or describes them in a dry run
"""
