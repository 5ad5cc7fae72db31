"""Survey results in the Reports tab: per question and kind of call, for the chosen report's
period, as a whole or by day, week or month (figures from csoffice.survey)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from csoffice import reports, survey, visits
from csoffice.i18n import _, format_number

COLUMNS = ("period", "kind", "question", "answered", "average", "answers")


def answers_text(line: survey.ResultLine) -> str:
    return " · ".join(f"{label} {format_number(count)}" for label, count in line.counts)


class SurveyResults(QGroupBox):
    """The survey's results of the period the Reports tab shows."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(_("Survey results"), parent)
        self.period: reports.Period | None = None
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.by = QComboBox()
        self.by.setObjectName("surveyBy")
        self.by.addItem(_("The whole period"), "")
        for code, label in survey.BUCKETS.items():
            self.by.addItem(_(label), code)
        self.kind = QComboBox()
        self.kind.setObjectName("surveyKind")
        self.kind.addItem(_("Every kind of call"), "")
        for code, label in visits.kinds():
            self.kind.addItem(label, code)
        self.caption = QLabel()
        row.addWidget(self.by)
        row.addWidget(self.kind)
        row.addWidget(self.caption, 1)
        layout.addLayout(row)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(
            [_("Period"), _("Type"), _("Question"), _("Answered"), _("Average score"), _("Answers")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.by.currentIndexChanged.connect(self.refresh)
        self.kind.currentIndexChanged.connect(self.refresh)

    def show_period(self, period: reports.Period | None) -> None:
        self.period = period
        self.refresh()

    def refresh(self) -> list[survey.ResultLine]:
        self.table.setRowCount(0)
        if self.period is None:
            self.caption.clear()
            return []
        by = self.by.currentData() or None
        lines = survey.results(self.period.first, self.period.last, by, self.kind.currentData())
        self.caption.setText(self.period.label())
        for line in lines:
            row = self.table.rowCount()
            self.table.insertRow(row)
            values = [
                survey.bucket_label(line.start, by) if line.start and by else self.period.label(),
                visits.label(line.kind),
                line.question,
                format_number(line.answered),
                reports.average_text(line.average),
                answers_text(line),
            ]
            for column, text in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(text))
        return lines
