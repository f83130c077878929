# SPDX-License-Identifier: MIT
"""The command line the three daemons share (src/common/daemon-opts.c):
--version, --help, an unknown option, a stray argument, each daemon's own
options applied through its table."""
import subprocess

import pytest

from conftest import BUILD

NAMES = {"sessiond": "ringtrace-sessiond", "consumerd": "ringtrace-consumerd",
         "relayd": "ringtrace-relayd"}


def run(daemon, *args):
    program = BUILD / "src" / daemon / NAMES[daemon]
    return subprocess.run([str(program), *args], capture_output=True, text=True, timeout=10)


@pytest.mark.parametrize("daemon", sorted(NAMES))
def test_version_help_and_usage_errors(daemon):
    name = NAMES[daemon]
    r = run(daemon, "--version")
    assert (r.returncode, r.stderr) == (0, "")
    assert r.stdout.startswith(f"{name} ") and r.stdout.count("\n") == 1
    assert run(daemon, "-V").stdout == r.stdout
    r = run(daemon, "--help")
    assert r.returncode == 0 and r.stdout.startswith(f"Usage: {name} ")
    r = run(daemon, "--bogus")
    assert r.returncode == 1 and r.stdout == ""
    assert "unrecognized option '--bogus'" in r.stderr
    if daemon == "consumerd":  # as lttng-consumerd: the usage
        assert f"Usage: {name} " in r.stderr
    else:
        assert r.stderr.endswith(f"Try '{name} --help' for more information.\n")
    r = run(daemon, "stray")
    assert (r.returncode, r.stdout) == (1, "")
    assert r.stderr == f'{name}: unexpected argument "stray"\n'


def test_each_daemon_applies_its_own_options():
    r = run("sessiond", "-q", "-v")
    assert r.returncode == 1
    assert "--quiet cannot be combined with --verbose" in r.stderr
    # Each ignored lttng-consumerd option is named, in whichever form it was given.
    r = run("consumerd", "-g", "tracing", "--consumerd-err-sock=/x", "--cmd-fd=x")
    assert r.returncode == 1
    assert r.stderr.splitlines() == [
        "ringtrace-consumerd: warning: option --group is not supported and ignored: the "
        "session daemon drives this daemon through --cmd-fd",
        "ringtrace-consumerd: warning: option --consumerd-err-sock is not supported and "
        "ignored: the session daemon drives this daemon through --cmd-fd",
        'ringtrace-consumerd: invalid --cmd-fd "x"',
    ]
    r = run("relayd", "--fd-pool-size=0")
    assert r.returncode == 1
    assert "wrong value in --fd-pool-size parameter: 0" in r.stderr
