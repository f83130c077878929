# SPDX-License-Identifier: MIT
"""Manual pages (doc/man) and `ringtrace help`.

Every command of the CLI's table has its page, every option a command lists
with --list-options (and every option a daemon shows in --help) is an item
of its page's option lists, every page renders without a groff or man
warning and is installed by meson, references between pages resolve, and
`ringtrace help COMMAND` opens the page with man(1) as lttng does, or prints
the short help when the page or man is missing.
"""
import json
import pathlib
import re
import shutil
import subprocess

import pytest

from conftest import BUILD, ROOT

MAN_DIR = ROOT / "doc/man"
DAEMONS = {
    "ringtrace-sessiond.8": BUILD / "src/sessiond/ringtrace-sessiond",
    "ringtrace-consumerd.8": BUILD / "src/consumerd/ringtrace-consumerd",
    "ringtrace-relayd.8": BUILD / "src/relayd/ringtrace-relayd",
}
OPTION_RE = re.compile(r"(?<![\w-])(--[A-Za-z0-9][\w-]*|-[A-Za-z0-9])(?![\w-])")


def pages():
    return sorted(p for p in MAN_DIR.iterdir() if re.fullmatch(r"[\w.-]+\.[1-8]", p.name))


def plain(roff_line):
    """A roff line without font escapes, with \\- as a plain hyphen."""
    line = re.sub(r"\\f(\[[^]]*\]|\(..|.)", "", roff_line)
    return line.replace("\\-", "-").replace("\\ ", " ").replace("\\&", "")


def option_items(page):
    """Options named in the tags of the page's item lists (.TP/.TQ)."""
    lines = page.read_text().splitlines()
    found = set()
    for prev, line in zip(lines, lines[1:]):
        if prev.strip() in (".TP", ".TQ"):
            found.update(OPTION_RE.findall(plain(line)))
    return found


def lines_of(r):
    return r.stdout.splitlines()


def test_every_command_has_its_page(rt):
    commands = lines_of(rt.run("--list-commands"))
    assert len(commands) >= 20
    missing = [c for c in commands if not (MAN_DIR / f"ringtrace-{c}.1").is_file()]
    assert not missing, f"commands without a page in doc/man: {missing}"
    # ...and no page for a command that does not exist any more.
    stale = [p.name for p in MAN_DIR.glob("ringtrace-*.1")
             if p.name[len("ringtrace-"):-2] not in commands]
    assert not stale, f"pages of unknown commands: {stale}"
    # ringtrace(1) lists them all in its COMMANDS section.
    overview = plain((MAN_DIR / "ringtrace.1").read_text()).split(".SH COMMANDS", 1)[1]
    unlisted = [c for c in commands if f".BR ringtrace-{c} (1)" not in overview]
    assert not unlisted, f"commands missing from COMMANDS of ringtrace.1: {unlisted}"


def test_every_option_of_every_command_is_documented(rt):
    missing = {}
    for cmd in lines_of(rt.run("--list-commands")):
        accepted = lines_of(rt.run(cmd, "--list-options"))
        assert "--help" in accepted and "--list-options" in accepted, cmd
        documented = option_items(MAN_DIR / f"ringtrace-{cmd}.1")
        undocumented = [o for o in accepted if o not in documented]
        if undocumented:
            missing[cmd] = undocumented
    assert not missing, f"options missing from the OPTIONS of their page: {missing}"


def test_global_options_are_documented(rt):
    accepted = lines_of(rt.run("--list-options"))
    assert "--sessiond-path" in accepted and "-n" in accepted
    documented = option_items(MAN_DIR / "ringtrace.1")
    assert [o for o in accepted if o not in documented] == []


def daemon_help_options(binary):
    r = subprocess.run([str(binary), "--help"], capture_output=True, text=True, timeout=10)
    assert r.returncode == 0, r.stderr
    found = set()
    for line in r.stdout.splitlines():
        if line.lstrip().startswith("-"):
            # "  -d, --daemonize    text": the options end at the first wide gap.
            found.update(OPTION_RE.findall(re.split(r"\s{2,}", line.strip())[0]))
    return found


@pytest.mark.parametrize("page", sorted(DAEMONS))
def test_daemon_options_are_documented(page):
    binary = DAEMONS[page]
    if not binary.exists():
        pytest.skip(f"{binary.name} is not built")
    shown = daemon_help_options(binary)
    assert {"--help", "--version", "-h", "-V"} <= shown
    assert sorted(shown - option_items(MAN_DIR / page)) == []


def test_pages_render_without_warnings():
    groff = shutil.which("groff")
    assert groff, "groff is needed (scripts/install-deps.sh installs it)"
    for page in pages():
        # -ww: every warning (what `man --warnings=w` shows), -z: no output.
        r = subprocess.run([groff, "-man", "-ww", "-z", str(page)], capture_output=True,
                           text=True, timeout=30)
        assert (r.returncode, r.stderr) == (0, ""), page.name


def test_page_headers_and_names_match_their_files():
    for page in pages():
        name, section = page.name.rsplit(".", 1)
        text = page.read_text()
        assert text.startswith(f".TH {name.upper()} {section} "), page.name
        sections = re.findall(r"^\.SH (.*)$", text, re.M)
        assert sections[:2] == ["NAME", "SYNOPSIS"] or page.name == "ringtrace-concepts.7", \
            (page.name, sections)
        assert sections[-1] == '"SEE ALSO"', page.name
        name_line = text.split(".SH NAME\n", 1)[1].splitlines()[0]
        assert name_line.startswith(f"{name} \\- "), page.name


def test_references_between_pages_resolve():
    names = {p.name.rsplit(".", 1)[0] + f"({p.suffix[1:]})" for p in pages()}
    dangling = set()
    for page in pages():
        for line in page.read_text().splitlines():
            text = plain(line)
            if text.startswith(".BR "):
                text = text[4:].replace(" (", "(")
            for ref in re.findall(r"\bringtrace(?:-[a-z0-9-]+)?\(\d\)", text):
                if ref not in names:
                    dangling.add((page.name, ref))
    assert not dangling


def installed_files():
    meson = shutil.which("meson")
    assert meson
    r = subprocess.run([meson, "introspect", str(BUILD), "--installed"], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return {pathlib.PurePath(dst).as_posix() for dst in json.loads(r.stdout).values()}


def test_every_page_is_installed_where_help_looks(rt, tmp_path):
    installed = installed_files()
    for page in pages():
        section = page.suffix[1:]
        assert any(dst.endswith(f"/man{section}/{page.name}") for dst in installed), page.name
    # Without RINGTRACE_MANPATH, help looks in the directory meson installs to.
    mandir = next(dst for dst in installed if dst.endswith("/man1/ringtrace-create.1"))
    mandir = mandir[:-len("/man1/ringtrace-create.1")]
    pager, log = recording_pager(tmp_path)
    rt.env.pop("RINGTRACE_MANPATH", None)
    rt.env["RINGTRACE_MAN_BIN_PATH"] = str(pager)
    r = rt.run("-v", "help", "create")
    if log.exists():  # the pages are installed on this machine
        assert log.read_text().splitlines() == ["-M", mandir, "1", "ringtrace-create"]
    else:
        assert f"Debug: Manual page ringtrace-create(1) not found in {mandir}\n" in r.stderr


# ---------------------------------------------------------------- ringtrace help


def man_tree(root, compress=False):
    """A manual directory holding the pages of doc/man, as installed."""
    for page in pages():
        section_dir = root / f"man{page.suffix[1:]}"
        section_dir.mkdir(parents=True, exist_ok=True)
        if compress:
            with open(section_dir / (page.name + ".gz"), "wb") as out:
                subprocess.run(["gzip", "-c", str(page)], stdout=out, check=True)
        else:
            (section_dir / page.name).symlink_to(page)
    return root


def recording_pager(tmp_path):
    """A stand-in for man(1) that writes its arguments to a file."""
    log = tmp_path / "pager-args"
    script = tmp_path / "fake-man"
    script.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$@\" > {log}\necho fake man page\n")
    script.chmod(0o755)
    return script, log


def test_help_opens_the_page_with_man(rt, tmp_path):
    if not shutil.which("man"):
        pytest.fail("man is needed (scripts/install-deps.sh installs it)")
    rt.env.update(RINGTRACE_MANPATH=str(man_tree(tmp_path / "man")), LC_ALL="C",
                  MANWIDTH="80", MANPAGER="cat", PAGER="cat")
    r = rt.run("help", "enable-event")
    assert re.match(r"RINGTRACE-ENABLE-EVENT\(1\) +ringtrace Manual", r.stdout), r.stdout[:200]
    assert "ringtrace-enable-event - create or enable recording event rules" in r.stdout
    assert "--loglevel-only=LEVEL" in r.stdout
    assert rt.run("help").stdout.startswith("RINGTRACE(1)")


def test_help_runs_the_given_pager_on_the_installed_page(rt, tmp_path):
    pager, log = recording_pager(tmp_path)
    tree = man_tree(tmp_path / "man", compress=True)
    rt.env.update(RINGTRACE_MANPATH=str(tree), RINGTRACE_MAN_BIN_PATH=str(pager))
    r = rt.run("help", "snapshot")
    assert r.stdout == "fake man page\n"
    assert log.read_text().splitlines() == ["-M", str(tree), "1", "ringtrace-snapshot"]
    rt.run("help")
    assert log.read_text().splitlines() == ["-M", str(tree), "1", "ringtrace"]
    # --help stays the short help; an unknown command never reaches man.
    log.unlink()
    assert rt.run("snapshot", "--help").stdout.startswith(
        "Usage: ringtrace [GENERAL OPTIONS] snapshot")
    r = rt.run("help", "nosuch", check=False)
    assert (r.returncode, r.stderr) == (1, 'Error: Unknown command "nosuch"\n')
    assert not log.exists()


def test_help_prints_the_short_help_without_page_or_man(rt, tmp_path):
    short = rt.run("create", "--help").stdout
    assert short.startswith("Usage: ringtrace [GENERAL OPTIONS] create")
    assert short.endswith("\nSee ringtrace-create(1) for the full manual.\n")

    (tmp_path / "empty").mkdir()
    rt.env["RINGTRACE_MANPATH"] = str(tmp_path / "empty")
    assert rt.run("help", "create").stdout == short
    assert "Available commands:" in rt.run("help").stdout

    rt.env.update(RINGTRACE_MANPATH=str(man_tree(tmp_path / "man")),
                  RINGTRACE_MAN_BIN_PATH=str(tmp_path / "no-such-man"))
    r = rt.run("help", "create")
    assert (r.returncode, r.stdout, r.stderr) == (0, short, "")
    r = rt.run("help", "create", "extra", check=False)
    assert (r.returncode, r.stderr) == (1, "Error: Unknown argument: extra\n")
