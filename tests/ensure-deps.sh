#!/bin/sh
# Make sure the GLib and CUnit development files are present; install them when we may.
# Prints one line and fails when they are missing and we cannot install them.
set -u
missing=""
command -v pkg-config >/dev/null 2>&1 || missing="$missing pkg-config"
if command -v pkg-config >/dev/null 2>&1; then
	pkg-config --exists glib-2.0 || missing="$missing libglib2.0-dev"
else
	missing="$missing libglib2.0-dev"
fi
[ -f /usr/include/CUnit/CUnit.h ] || missing="$missing libcunit1-dev"
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	sudo="sudo -n"
else
	echo "msgsim: missing packages:$missing -- install them (apt-get install$missing) and run make again" >&2
	exit 1
fi
echo "msgsim: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null && $sudo apt-get install -y -qq $missing >/dev/null || {
	echo "msgsim: could not install$missing -- install them by hand (apt-get install$missing)" >&2
	exit 1
}
