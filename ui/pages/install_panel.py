"""Settings' "Install on this computer" tab: `guardian install` and `uninstall`, step by step.

"Preview" lists every step and what it would run, changing nothing (a dry
run). "Install" and "Uninstall" carry the steps out one at a time on a worker;
each row says done, skipped (why) or failed (why) as soon as it is known. The
machine is probed and changed only through `guardian.install_flow`, whose probe
and command runner come in through the constructor (tests give pretend ones).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from guardian.datadir import DataDir
from guardian.install_flow import Plan, Probe, finish, plan, recorded_user, run_step
from guardian.os_integration.actions import Outcome
from guardian.os_integration.host import probe_host
from guardian.os_integration.runner import CommandRunner, run_command
from ui.filter_launcher import FilterLauncher
from ui.language import Language
from ui.models.install_model import InstallStepsModel, StepRow
from ui.styles import error_label
from ui.tasks import Tasks, error_sentence
from ui.widgets.table_view import table


def make_ca(data_dir: DataDir) -> Path:
    """The filter's certificate, created by `guardian ca path` if it does not exist yet."""
    return FilterLauncher(data_dir).ca_path()


class InstallPanel(QWidget):
    finished = Signal(str, bool)  # "install" | "uninstall", whether every step went well

    def __init__(self, language: Language, tasks: Tasks, data_dir: DataDir,
                 listen: tuple[str, int], *, probe: Probe = probe_host,
                 run: CommandRunner = run_command,
                 prepare: Callable[[DataDir], object] = make_ca,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language, self.tasks, self.data_dir = language, tasks, data_dir
        self.listen, self._probe, self._run, self._prepare = listen, probe, run, prepare
        self.plan: Plan | None = None
        self.dry_run = True
        self.outcomes: list[Outcome] = []
        self.running = False

        self.box = QGroupBox()
        self.intro = QLabel(wordWrap=True)
        self.user = QLineEdit()
        self.user.setMaximumWidth(260)
        self.user_label = QLabel()
        self.user_label.setBuddy(self.user)
        self.user_help = QLabel(wordWrap=True)
        form = QFormLayout()
        form.addRow(self.user_label, self.user)
        self.preview_button, self.install_button = QPushButton(), QPushButton()
        self.uninstall_button = QPushButton()
        self.preview_button.clicked.connect(lambda: self.start("install", dry_run=True))
        self.install_button.clicked.connect(lambda: self.start("install", dry_run=False))
        self.uninstall_button.clicked.connect(lambda: self.start("uninstall", dry_run=False))
        buttons = QHBoxLayout()
        for button in (self.preview_button, self.install_button, self.uninstall_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.model = InstallStepsModel(language, self)
        self.view = table(self.model, self)
        self.summary = QLabel(wordWrap=True)
        self.error = error_label()
        column = QVBoxLayout(self.box)
        column.addWidget(self.intro)
        column.addLayout(form)
        column.addWidget(self.user_help)
        column.addLayout(buttons)
        column.addWidget(self.view, 1)
        column.addWidget(self.summary)
        column.addWidget(self.error)
        layout = QVBoxLayout(self)
        layout.addWidget(self.box)
        self.retranslate()

    def retranslate(self) -> None:
        tr = self.language.text
        self.box.setTitle(tr("app.install.title"))
        self.intro.setText(tr("app.install.intro"))
        self.user_label.setText(tr("app.install.user"))
        self.user.setPlaceholderText(tr("app.install.user_placeholder"))
        self.user_help.setText(tr("app.install.user_help"))
        self.preview_button.setText(tr("app.install.preview"))
        self.install_button.setText(tr("app.install.install"))
        self.uninstall_button.setText(tr("app.install.uninstall"))
        self.model.retranslate()
        self._show_summary()

    def set_listen(self, host: str, port: int) -> None:
        """The filter's address, for the service and the child's proxy settings."""
        self.listen = (host, port)

    def refresh(self) -> None:
        if not self.user.text() and not self.running:
            data_dir = self.data_dir
            self.tasks.run(lambda: recorded_user(data_dir), self._user_found, owner=self)

    def _user_found(self, user: str | None) -> None:
        if user and not self.user.text():
            self.user.setText(user)

    def start(self, kind: str, *, dry_run: bool) -> None:
        if self.running:
            return
        self.running, self.dry_run, self.outcomes, self.plan = True, dry_run, [], None
        self._enable()
        self.error.hide()
        self.model.set_rows([])
        user = self.user.text().strip() or None
        data_dir, listen, probe, prepare = self.data_dir, self.listen, self._probe, self._prepare

        def make_plan() -> Plan:
            if kind == "install" and not dry_run:
                prepare(data_dir)  # the certificate the steps install must exist
            return plan(kind, data_dir, child_user=user, listen=listen,
                        child_port=listen[1], probe=probe)

        self.tasks.run(make_plan, self._planned, self._failed, owner=self)

    def _planned(self, found: Plan) -> None:
        self.plan = found
        self.model.set_rows([StepRow(step.title, "waiting", commands=tuple(found.commands(step)))
                             for step in found.steps])
        self._next()

    def _next(self) -> None:
        assert self.plan is not None
        number = len(self.outcomes)
        if number >= len(self.plan.steps):
            self._done()
            return
        row = self.model.row_at(number)
        assert row is not None
        self.model.update_row(number, StepRow(row.title, "running", commands=row.commands))
        found, step, dry_run, run = self.plan, self.plan.steps[number], self.dry_run, self._run
        self.tasks.run(lambda: run_step(found, step, dry_run=dry_run, run=run),
                       lambda outcome: self._stepped(number, outcome), self._failed, owner=self)

    def _stepped(self, number: int, outcome: Outcome) -> None:
        self.outcomes.append(outcome)
        row = self.model.row_at(number)
        assert row is not None
        self.model.update_row(number, StepRow(row.title, outcome.status, outcome.detail,
                                              row.commands))
        self._show_summary()
        self._next()

    def _done(self) -> None:
        assert self.plan is not None
        found, data_dir, outcomes, dry_run = self.plan, self.data_dir, list(self.outcomes), \
            self.dry_run
        ok = not any(outcome.status == "failed" for outcome in outcomes)

        def finished(_none: None) -> None:
            self.running = False
            self._enable()
            self._show_summary()
            self.finished.emit(found.kind, ok)

        self.tasks.run(lambda: finish(found, data_dir, outcomes, dry_run=dry_run), finished,
                       self._failed, owner=self)

    def _failed(self, exc: BaseException) -> None:
        self.running = False
        self._enable()
        self.error.setText(error_sentence(exc, self.language))
        self.error.show()

    def _enable(self) -> None:
        for button in (self.preview_button, self.install_button, self.uninstall_button):
            button.setEnabled(not self.running)

    def _show_summary(self) -> None:
        tr = self.language.text
        if self.plan is None:
            self.summary.setText(tr("app.install.none_yet"))
            return
        counts = {status: sum(o.status == status for o in self.outcomes)
                  for status in ("done", "skipped", "failed")}
        if self.running:
            key = "app.install.running"
        elif self.dry_run:
            key = "app.install.previewed"
        else:
            key = f"app.install.finished_{self.plan.kind}"
        self.summary.setText(tr(key, done=counts["done"], skipped=counts["skipped"],
                                failed=counts["failed"], total=len(self.plan.steps)))
