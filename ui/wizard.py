"""The first run: language, parent password, children, the filter, its certificate.

Children are stored as they are added (each is a complete profile on its
own); the password is stored when the wizard finishes, so a wizard left
halfway comes back at the next start instead of locking the app behind a
password the parent may not have meant to keep.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)
from sqlalchemy.orm import Session

from guardian.i18n import LANGUAGES
from guardian.storage.parent_account import set_parent_password
from guardian.storage.settings import APP_LANGUAGE, set_setting
from ui.certificate_panel import CertificatePanel
from ui.filter_launcher import FilterLauncher
from ui.language import Language
from ui.models.children_model import reach_text
from ui.pages.children import ChildrenEditor
from ui.password_dialogs import NewPasswordFields
from ui.styles import error_label
from ui.supervisor import FilterState, FilterSupervisor
from ui.tasks import Tasks, error_sentence


def finish_setup(session: Session, password: str, language: str) -> None:
    set_parent_password(session, password)
    set_setting(session, APP_LANGUAGE, language)


class WelcomeStep(QWizardPage):
    def __init__(self, language: Language, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language = language
        self.text = QLabel(wordWrap=True)
        self.choice = QComboBox()
        for code in LANGUAGES:
            self.choice.addItem(language.language_name(code), code)
        self.choice.setCurrentIndex(self.choice.findData(language.code))
        self.choice_label = QLabel()
        self.choice_label.setBuddy(self.choice)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(self.choice_label, self.choice)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addLayout(form)
        layout.addStretch(1)

    def retranslate(self) -> None:
        tr = self.language.text
        self.setTitle(tr("app.wizard.welcome.title"))
        self.text.setText(tr("app.wizard.welcome.text"))
        self.choice_label.setText(tr("app.settings.language"))


class PasswordStep(QWizardPage):
    def __init__(self, language: Language, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language = language
        self.text = QLabel(wordWrap=True)
        self.fields = NewPasswordFields(language)
        self.problem = error_label()
        self.problem.show()
        for field in (self.fields.password, self.fields.confirm):
            field.textChanged.connect(self._changed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.fields)
        layout.addWidget(self.problem)
        layout.addStretch(1)

    def retranslate(self) -> None:
        self.setTitle(self.language.text("app.wizard.password.title"))
        self.text.setText(self.language.text("app.wizard.password.text"))
        self.fields.retranslate()
        self._changed()

    def _changed(self) -> None:
        typed = bool(self.fields.password.text() or self.fields.confirm.text())
        self.problem.setText((self.fields.problem() or "") if typed else "")
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802
        return self.fields.problem() is None


class ChildrenStep(QWizardPage):
    def __init__(self, language: Language, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language = language
        self.text = QLabel(wordWrap=True)
        self.editor = ChildrenEditor(language, tasks, self)
        self.editor.model.modelReset.connect(self.completeChanged)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.editor, 1)

    def retranslate(self) -> None:
        self.setTitle(self.language.text("app.wizard.children.title"))
        self.text.setText(self.language.text("app.wizard.children.text"))
        self.editor.retranslate()

    def initializePage(self) -> None:  # noqa: N802
        self.editor.refresh()

    def isComplete(self) -> bool:  # noqa: N802
        return bool(self.editor.profiles)


class FilterStep(QWizardPage):
    def __init__(self, language: Language, supervisor: FilterSupervisor,
                 children: ChildrenEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language, self.supervisor, self.editor = language, supervisor, children
        self.text = QLabel(wordWrap=True)
        self.status = QLabel(wordWrap=True)
        self.start_button = QPushButton()
        self.start_button.clicked.connect(supervisor.start)
        self.settings = QLabel(wordWrap=True)
        start_row = QHBoxLayout()
        start_row.addWidget(self.start_button)
        start_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.status)
        layout.addLayout(start_row)
        layout.addWidget(self.settings)
        layout.addStretch(1)

    def retranslate(self) -> None:
        tr = self.language.text
        self.setTitle(tr("app.wizard.filter.title"))
        self.text.setText(tr("app.wizard.filter.text"))
        self.start_button.setText(tr("app.overview.start"))
        self.show_filter_state(self.supervisor.state)

    def initializePage(self) -> None:  # noqa: N802
        self.supervisor.start()
        self.show_filter_state(self.supervisor.state)

    def show_filter_state(self, state: FilterState) -> None:
        tr = self.language.text
        self.status.setText(tr(f"app.filter.status.{state.status.value}", address=state.address))
        self.start_button.setEnabled(not state.is_up)
        lines = [tr("app.wizard.filter.settings", host=state.host)]
        for child in self.editor.profiles:
            if child.ports:
                lines.append(tr("app.wizard.filter.child", name=child.name, host=state.host,
                                port=child.ports[0]))
            else:
                reach = reach_text(self.language, child.ports, child.clients, child.is_default)
                lines.append(tr("app.wizard.filter.child_device", name=child.name,
                                host=state.host, port=state.port, reach=reach))
        self.settings.setText("\n".join(lines))


class CertificateStep(QWizardPage):
    def __init__(self, language: Language, panel: CertificatePanel,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language, self.panel = language, panel
        self.error = error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(panel, 1)
        layout.addWidget(self.error)

    def retranslate(self) -> None:
        self.setTitle(self.language.text("app.wizard.certificate.title"))
        self.panel.retranslate()

    def initializePage(self) -> None:  # noqa: N802
        self.panel.load_path()


class SetupWizard(QWizard):
    setup_completed = Signal()
    language_chosen = Signal(str)

    def __init__(self, language: Language, tasks: Tasks, launcher: FilterLauncher,
                 supervisor: FilterSupervisor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language, self.tasks = language, tasks
        self._finished_storing = False
        self.setObjectName("wizard")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self.welcome = WelcomeStep(language)
        self.password = PasswordStep(language)
        self.children_step = ChildrenStep(language, tasks)
        self.filter = FilterStep(language, supervisor, self.children_step.editor)
        self.certificate = CertificateStep(
            language, CertificatePanel(language, tasks, launcher, supervisor))
        for page in self.steps():
            self.addPage(page)
        self.welcome.choice.currentIndexChanged.connect(
            lambda _i: self.language_chosen.emit(str(self.welcome.choice.currentData())))
        self.resize(900, 640)
        self.retranslate()

    def steps(self) -> tuple[QWizardPage, ...]:
        return (self.welcome, self.password, self.children_step, self.filter, self.certificate)

    def retranslate(self) -> None:
        tr = self.language.text
        self.setWindowTitle(tr("app.wizard.title"))
        for button, key in ((QWizard.WizardButton.BackButton, "app.wizard.back"),
                            (QWizard.WizardButton.NextButton, "app.wizard.next"),
                            (QWizard.WizardButton.FinishButton, "app.wizard.finish"),
                            (QWizard.WizardButton.CancelButton, "app.button.cancel")):
            self.setButtonText(button, tr(key))
        for step in self.steps():
            step.retranslate()  # type: ignore[attr-defined]

    def show_filter_state(self, state: FilterState) -> None:
        self.filter.show_filter_state(state)

    def accept(self) -> None:
        if self._finished_storing:
            super().accept()
            return
        password, language = self.password.fields.password.text(), self.language.code
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        self.tasks.write(lambda session: finish_setup(session, password, language),
                         self._stored, self._failed, owner=self)

    def _stored(self, _none: None) -> None:
        self._finished_storing = True
        self.password.fields.clear()
        self.setup_completed.emit()
        super().accept()

    def _failed(self, exc: BaseException) -> None:
        self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
        self.certificate.error.setText(error_sentence(exc, self.language))
        self.certificate.error.show()
