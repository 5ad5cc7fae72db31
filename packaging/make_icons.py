"""Render the app icon from resources/icons/csoffice.svg into PNG sizes and a Windows .ico."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parent.parent
SIZES = [16, 24, 32, 48, 64, 128, 256]


def render(svg: Path, size: int, out: Path) -> None:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    image.save(str(out))


def main(out_dir: Path) -> None:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (Qt needs it)
    out_dir.mkdir(parents=True, exist_ok=True)
    svg = ROOT / "resources" / "icons" / "csoffice.svg"
    pngs = []
    for size in SIZES:
        path = out_dir / f"csoffice-{size}.png"
        render(svg, size, path)
        pngs.append(path)
    (out_dir / "csoffice.png").write_bytes((out_dir / "csoffice-256.png").read_bytes())
    Image.open(out_dir / "csoffice-256.png").save(
        out_dir / "csoffice.ico", sizes=[(s, s) for s in SIZES]
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "icons")
