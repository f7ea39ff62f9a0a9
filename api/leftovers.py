"""What a killed upload leaves in the upload folder, tidied at startup (and said so in the log).

An upload is staged in ``.incoming-*`` folders; replacing a file parks the old one as
``.previous-<name>`` until the index is saved. A process killed in between leaves them behind.
At startup the index on disk decides: a parked file whose content is what the index holds for
that name goes back in place; any other parked file, every staging folder and any file the
index does not hold (moved in by an upload killed before its save) is removed.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from ingest.load import file_sha256

logger = logging.getLogger(__name__)

INCOMING = ".incoming-"
PREVIOUS = ".previous-"


def clean_upload_dir(upload_dir: Path, indexed_sha256: dict[str, str]) -> list[str]:
    """Remove staging folders and settle parked files; ``indexed_sha256`` maps a source name to
    the sha256 the index holds for it. Returns what was done, one line per leftover."""
    upload_dir = Path(upload_dir)
    if not upload_dir.is_dir():
        return []
    done = []
    for entry in sorted(upload_dir.iterdir()):
        if entry.name.startswith(INCOMING):
            shutil.rmtree(entry, ignore_errors=True) if entry.is_dir() else entry.unlink(missing_ok=True)
            done.append(f"removed the unfinished upload {entry.name}")
        elif entry.name.startswith(PREVIOUS) and entry.is_file():
            name = entry.name[len(PREVIOUS):]
            if indexed_sha256.get(name) == file_sha256(entry):
                os.replace(entry, upload_dir / name)
                done.append(f"put back {name}, the version the index holds")
            else:
                entry.unlink()
                done.append(f"removed {entry.name}, a version the index does not hold")
        elif entry.is_file() and not entry.name.startswith(".") and entry.name not in indexed_sha256 \
                and not (upload_dir / f"{PREVIOUS}{entry.name}").is_file():
            entry.unlink()  # moved in by an upload killed before its index was saved
            done.append(f"removed {entry.name}, which the index does not hold")
    for line in done:
        logger.warning("upload folder %s: %s", upload_dir, line)
    return done
