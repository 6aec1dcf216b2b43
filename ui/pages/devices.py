"""The Children page's "Phones and tablets" tab: each device joins the filter by WireGuard.

The app's `guardian device add/list/show/remove`: a device gets its own keys,
tunnel address and UDP port (`guardian.device_setup`); the parent installs the
WireGuard app on it and scans the QR code shown here, or saves the
configuration as a file to import. Removing a device takes its keys away.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from guardian.datadir import DataDir
from guardian.device_setup import add_device_with_config, remove_device_and_config, write_private
from guardian.devices import Device, device_config, list_devices, qr_png
from guardian.storage.profiles import ProfileSummary, profile_summaries
from ui.language import Language
from ui.models.devices_model import DevicesModel
from ui.styles import WAIT_COLOUR, error_label
from ui.tasks import Tasks, error_sentence
from ui.widgets.table_view import table

QR_SCALE = 4


@dataclass(frozen=True, slots=True)
class DeviceConfig:
    device: Device
    text: str
    png: bytes


def device_qr(device: Device) -> DeviceConfig:
    text = device_config(device)
    return DeviceConfig(device, text, qr_png(text, scale=QR_SCALE))


class DevicesPanel(QWidget):
    devices_changed = Signal()

    def __init__(self, language: Language, tasks: Tasks, data_dir: DataDir,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language, self.tasks, self.data_dir = language, tasks, data_dir
        self.shown: DeviceConfig | None = None
        self.confirm: QMessageBox | None = None
        self.intro = QLabel(wordWrap=True)
        self.model = DevicesModel(language, self)
        self.view = table(self.model, self)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._selected_changed())
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.view,
                  self.remove_selected, context=Qt.ShortcutContext.WidgetShortcut)
        self.remove_button = QPushButton()
        self.remove_button.clicked.connect(self.remove_selected)

        self.add_box = QGroupBox()
        self.child = QComboBox()
        self.name = QLineEdit()
        self.name.setMaxLength(40)
        self.endpoint = QLineEdit()
        self.child_label, self.name_label, self.endpoint_label = QLabel(), QLabel(), QLabel()
        for label, field in ((self.child_label, self.child), (self.name_label, self.name),
                             (self.endpoint_label, self.endpoint)):
            label.setBuddy(field)
        self.add_button = QPushButton()
        self.add_button.clicked.connect(self.add)
        self.name.returnPressed.connect(self.add)
        self.error = error_label()
        form = QFormLayout(self.add_box)
        form.addRow(self.child_label, self.child)
        form.addRow(self.name_label, self.name)
        form.addRow(self.endpoint_label, self.endpoint)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_button)
        add_row.addStretch(1)
        form.addRow(self.error)
        form.addRow(add_row)

        self.qr_box = QGroupBox()
        self.qr = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.qr.setMinimumSize(220, 220)
        self.qr_caption = QLabel(wordWrap=True)
        self.note = QLabel(wordWrap=True)
        self.note.setStyleSheet(f"color: {WAIT_COLOUR};")
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.save_config)
        qr = QVBoxLayout(self.qr_box)
        qr.addWidget(self.qr_caption)
        qr.addWidget(self.qr, 1)
        qr.addWidget(self.note)
        save_row = QHBoxLayout()
        save_row.addWidget(self.save_button)
        save_row.addStretch(1)
        qr.addLayout(save_row)

        left = QVBoxLayout()
        left.addWidget(self.view, 1)
        remove_row = QHBoxLayout()
        remove_row.addStretch(1)
        remove_row.addWidget(self.remove_button)
        left.addLayout(remove_row)
        left.addWidget(self.add_box)
        columns = QHBoxLayout()
        columns.addLayout(left, 3)
        columns.addWidget(self.qr_box, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(columns, 1)
        order = [self.view, self.remove_button, self.child, self.name, self.endpoint,
                 self.add_button, self.save_button]
        for first, second in zip(order, order[1:], strict=False):
            self.setTabOrder(first, second)
        self._show_config(None)
        self.retranslate()

    def retranslate(self) -> None:
        tr = self.language.text
        self.intro.setText(tr("app.devices.intro"))
        self.remove_button.setText(tr("app.devices.remove"))
        self.add_box.setTitle(tr("app.devices.add_title"))
        self.child_label.setText(tr("app.devices.child"))
        self.name_label.setText(tr("app.devices.name"))
        self.name.setPlaceholderText(tr("app.devices.name_placeholder"))
        self.endpoint_label.setText(tr("app.devices.endpoint"))
        self.endpoint.setPlaceholderText(tr("app.devices.endpoint_placeholder"))
        self.add_button.setText(tr("app.devices.add"))
        self.qr_box.setTitle(tr("app.devices.qr_title"))
        self.save_button.setText(tr("app.devices.save"))
        self.model.retranslate()
        self._show_config(self.shown)

    def refresh(self) -> None:
        self.tasks.query(profile_summaries, self._children_loaded, owner=self)
        data_dir = self.data_dir
        self.tasks.run(lambda: list_devices(data_dir), self._devices_loaded, owner=self)

    def _children_loaded(self, children: list[ProfileSummary]) -> None:
        chosen = self.child.currentText()
        self.child.clear()
        for child in children:
            self.child.addItem(child.name)
        if chosen:
            self.child.setCurrentIndex(max(0, self.child.findText(chosen)))
        self.add_box.setEnabled(bool(children))

    def _devices_loaded(self, devices: list[Device]) -> None:
        shown = self.shown.device if self.shown else None
        self.model.set_rows(devices)
        for row, device in enumerate(devices):
            if shown is not None and (device.profile, device.name) == (shown.profile, shown.name):
                self.view.selectRow(row)
                return
        if devices:
            self.view.selectRow(0)
        else:
            self._show_config(None)

    def selected(self) -> Device | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _selected_changed(self) -> None:
        device = self.selected()
        self.remove_button.setEnabled(device is not None)
        if device is None:
            self._show_config(None)
            return
        self.tasks.run(lambda: device_qr(device), self._qr_made, owner=self)

    def _qr_made(self, config: DeviceConfig) -> None:
        if config.device == self.selected():
            self._show_config(config)

    def _show_config(self, config: DeviceConfig | None) -> None:
        tr = self.language.text
        self.shown = config
        self.save_button.setEnabled(config is not None)
        if config is None:
            self.qr.clear()
            self.qr.setText(tr("app.devices.no_device"))
            self.qr_caption.clear()
            self.note.clear()
            return
        device = config.device
        pixmap = QPixmap()
        pixmap.loadFromData(config.png, "PNG")
        self.qr.setPixmap(pixmap)
        self.qr_caption.setText(tr("app.devices.scan", name=device.name))
        notes = [tr("app.devices.firewall", port=device.port)]
        if device.endpoint.startswith("127."):
            notes.insert(0, tr("app.devices.loopback", endpoint=device.endpoint))
        self.note.setText("\n".join(notes))

    def add(self) -> None:
        child, name = self.child.currentText(), self.name.text().strip()
        endpoint = self.endpoint.text().strip() or None
        if not child:
            return
        if not name:
            self._fail_text(self.language.text("app.devices.error_name"))
            return
        self.error.hide()
        data_dir = self.data_dir
        self.tasks.serial(
            lambda db: add_device_with_config(db, data_dir, child, name, endpoint=endpoint),
            self._added, lambda exc: self._fail_text(error_sentence(exc, self.language)),
            owner=self)

    def _added(self, device: Device) -> None:
        self.name.clear()
        self.shown = DeviceConfig(device, "", b"")  # select it once the list is back
        self.devices_changed.emit()
        data_dir = self.data_dir
        self.tasks.run(lambda: list_devices(data_dir), self._devices_loaded, owner=self)

    def _fail_text(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def remove_selected(self) -> None:
        device = self.selected()
        if device is None:
            return
        tr = self.language.text
        box = QMessageBox(QMessageBox.Icon.Question, tr("app.devices.remove_title"),
                          tr("app.devices.remove_question", name=device.name,
                             child=device.profile),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.button(QMessageBox.StandardButton.Yes).setText(tr("app.devices.remove_confirm"))
        box.button(QMessageBox.StandardButton.No).setText(tr("app.button.cancel"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.finished.connect(lambda result: self._remove(device, result, box))
        self.confirm = box
        box.open()

    def _remove(self, device: Device, result: int, box: QMessageBox) -> None:
        box.deleteLater()
        self.confirm = None
        if result != QMessageBox.StandardButton.Yes:
            return
        data_dir = self.data_dir

        def removed(_device: Device) -> None:
            self.shown = None
            self.devices_changed.emit()
            self.refresh()

        self.tasks.serial(
            lambda db: remove_device_and_config(db, data_dir, device.profile, device.name),
            removed, lambda exc: self._fail_text(error_sentence(exc, self.language)),
            owner=self)

    def save_config(self) -> None:
        config = self.shown
        if config is None or not config.text:
            return
        suggested = str(Path.home() / f"{config.device.name.replace(' ', '-')}.conf")
        path, _filter = QFileDialog.getSaveFileName(
            self, self.language.text("app.devices.save_title"), suggested,
            self.language.text("app.devices.save_filter"))
        if not path:
            return
        text = config.text
        self.tasks.run(lambda: write_private(Path(path), text),
                       lambda _none: self.note.setText(
                           self.language.text("app.devices.saved_to", path=path)),
                       lambda exc: self._fail_text(error_sentence(exc, self.language)),
                       owner=self)
