"""Is a folder on a network share? SQLite's WAL journal keeps a shared-memory index beside
the file, which SMB, NFS and other network file systems cannot share between PCs: two desks
writing there can corrupt the database, so such a folder is refused."""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Linux fstype names of network and cluster file systems.
NETWORK_FILESYSTEMS = frozenset(
    {
        "cifs",
        "smb",
        "smb2",
        "smb3",
        "smbfs",
        "nfs",
        "nfs4",
        "ncpfs",
        "afs",
        "coda",
        "ceph",
        "glusterfs",
        "fuse.glusterfs",
        "fuse.sshfs",
        "sshfs",
        "davfs",
        "fuse.davfs2",
        "lustre",
        "gpfs",
        "ocfs2",
        "gfs2",
        "fuse.smbnetfs",
    }
)


def _unescape(field: str) -> str:
    """Mount table fields escape blanks and backslashes as octal (\\040)."""
    out, i = [], 0
    while i < len(field):
        code = field[i + 1 : i + 4]
        if field[i] == "\\" and len(code) == 3 and code.isdigit():
            out.append(chr(int(code, 8)))
            i += 4
        else:
            out.append(field[i])
            i += 1
    return "".join(out)


def mounts_from_mountinfo(text: str) -> list[tuple[str, str]]:
    """(mount point, fstype) for each line of /proc/self/mountinfo."""
    found = []
    for line in text.splitlines():
        left, sep, right = line.partition(" - ")
        if not sep:
            continue
        fields, rest = left.split(), right.split()
        if len(fields) >= 5 and rest:
            found.append((_unescape(fields[4]), rest[0]))
    return found


def filesystem_type(path: Path, mountinfo: str | None = None) -> str:
    """The fstype of the mount holding ``path`` on Linux ("" when unknown)."""
    if mountinfo is None:
        try:
            mountinfo = Path("/proc/self/mountinfo").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
    target = str(path)
    best, kind = "", ""
    for point, fstype in mounts_from_mountinfo(mountinfo):
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, fstype
    return kind


def _windows_remote(path: Path) -> str:
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return "SMB"
    import ctypes

    drive = os.path.splitdrive(text)[0]
    if not drive:
        return ""
    DRIVE_REMOTE = 4
    kernel32 = ctypes.windll.kernel32  # pyright: ignore[reportAttributeAccessIssue] (Windows)
    if kernel32.GetDriveTypeW(drive + "\\") == DRIVE_REMOTE:
        return "SMB"
    return ""


def network_filesystem(path: Path) -> str:
    """The network file system holding ``path`` ("cifs", "nfs4", "SMB" …), or "" if local."""
    try:
        resolved = Path(path).resolve()
    except OSError:
        resolved = Path(path).absolute()
    if sys.platform == "win32":
        return _windows_remote(resolved)
    kind = filesystem_type(resolved)
    return kind if kind.lower() in NETWORK_FILESYSTEMS else ""
