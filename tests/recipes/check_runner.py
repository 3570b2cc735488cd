#!/usr/bin/env python3
"""Checks a GitLab Runner config.toml recipe for Docker-in-Docker with dind-init.

    check_runner.py config.toml

Every [[runners]] entry must use the docker or the kubernetes executor, run its containers
privileged (Docker-in-Docker needs it), and share /certs/client between the service and the job
(the docker executor's volumes, or an empty_dir of the kubernetes executor). Prints one line per
problem ("FILE: where: what is wrong") and exits 1 if there is any.
"""
import sys

try:
    import tomllib  # Python >= 3.11
except ModuleNotFoundError:
    sys.exit("check_runner.py: needs Python 3.11 or later (tomllib)")

RUNNER_KEYS = {
    "name", "url", "token", "executor", "limit", "output_limit", "request_concurrency",
    "environment", "pre_get_sources_script", "post_get_sources_script", "pre_build_script",
    "post_build_script", "shell", "builds_dir", "cache_dir", "clone_url", "docker", "kubernetes",
    "cache", "feature_flags", "id", "token_obtained_at", "token_expires_at", "unhealthy_requests_limit",
    "unhealthy_interval", "debug_trace_disabled", "custom_build_dir", "referees", "tls-ca-file",
    "tls-cert-file", "tls-key-file",
}


def check(path):
    problems = []

    def fail(where, what):
        problems.append(f"{path}: {where}: {what}")

    try:
        with open(path, "rb") as f:
            conf = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as e:
        return [f"{path}: {e}"]

    runners = conf.get("runners")
    if not isinstance(runners, list) or not runners:
        return [f"{path}: no [[runners]] entry"]
    for i, r in enumerate(runners):
        where = f"runners[{i}] ({r.get('name', 'unnamed')})"
        for key in r:
            if key not in RUNNER_KEYS:
                fail(f"{where}.{key}", "not a [[runners]] setting (a typo?)")
        for key in ("url", "token", "executor"):
            if not isinstance(r.get(key), str) or not r[key]:
                fail(f"{where}.{key}", "missing")
        executor = r.get("executor")
        if executor not in ("docker", "kubernetes"):
            fail(f"{where}.executor", f"{executor!r}: Docker-in-Docker services need docker or kubernetes")
            continue
        section = r.get(executor)
        if not isinstance(section, dict):
            fail(where, f"no [runners.{executor}] section")
            continue
        if section.get("privileged") is not True:
            fail(f"{where}.{executor}.privileged",
                 "must be true: dind-init exits 3 in an unprivileged container")
        if executor == "docker":
            volumes = section.get("volumes", [])
            # "/certs/client" alone: a volume the runner makes; "src:/certs/client[:mode]": a bind mount
            if not any(v == "/certs/client" or v.split(":")[1:2] == ["/certs/client"] for v in volumes):
                fail(f"{where}.docker.volumes",
                     'add "/certs/client": the job finds the service\'s client certificates there')
        else:
            dirs = section.get("volumes", {}).get("empty_dir", [])
            if not any(d.get("mount_path") == "/certs/client" for d in dirs):
                fail(f"{where}.kubernetes.volumes.empty_dir",
                     'add an empty_dir with mount_path = "/certs/client" for the client certificates')
    return problems


def main(argv):
    if len(argv) < 2:
        print("usage: check_runner.py config.toml...", file=sys.stderr)
        return 2
    problems = [p for path in argv[1:] for p in check(path)]
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
