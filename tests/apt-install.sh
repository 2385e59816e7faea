#!/bin/sh
# apt-install.sh WHAT PKG...: install Debian packages the build needs, as root or through
# passwordless sudo; otherwise say which to install and fail. WHAT names the need in the
# messages ("packages", "packages for fuzzing"). Prints one line either way.
set -u
what=$1
shift
pkgs=" $*"
if [ "$(id -u)" -eq 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	sudo="sudo -n"
else
	echo "msgsim: missing $what:$pkgs -- install them (apt-get install$pkgs) and run make again" >&2
	exit 1
fi
echo "msgsim: installing$pkgs" >&2
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086 # one word per package
$sudo apt-get update -qq >/dev/null && $sudo apt-get install -y -qq $* >/dev/null || {
	echo "msgsim: could not install$pkgs -- install them by hand (apt-get install$pkgs)" >&2
	exit 1
}
