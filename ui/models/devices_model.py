"""Children's phones and tablets joined to the filter by WireGuard."""

from __future__ import annotations

from guardian.devices import Device
from ui.models.table_model import RowTableModel

CHILD, NAME, ADDRESS, PORT, ENDPOINT = range(5)


class DevicesModel(RowTableModel[Device]):
    HEADER_KEYS = ("app.devices.column.child", "app.devices.column.name",
                   "app.devices.column.address", "app.devices.column.port",
                   "app.devices.column.endpoint")

    def display(self, row: Device, column: int) -> str | None:
        if column == CHILD:
            return row.profile
        if column == NAME:
            return row.name
        if column == ADDRESS:
            return row.address
        if column == PORT:
            return self.language.text("app.devices.udp", port=row.port)
        if column == ENDPOINT:
            return row.endpoint
        return None

    def tooltip(self, row: Device, column: int) -> str | None:
        if column == ENDPOINT:
            return self.language.text("app.devices.endpoint_tip")
        return None
