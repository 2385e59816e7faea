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

# shellcheck disable=SC2086 # one word per package
exec "$(dirname "$0")/apt-install.sh" packages $missing
