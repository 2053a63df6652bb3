# Shared settings and helpers for scripts/setup and scripts/test (sourced, not run).
# Every value can be overridden from the environment.

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
APP_NAME="complaint_mgmt"

if [ "$(id -u)" = "0" ]; then
	BENCH_USER="${BENCH_USER:-frappe}"
else
	BENCH_USER="${BENCH_USER:-$(id -un)}"
fi
BENCH_HOME="$(getent passwd "$BENCH_USER" 2>/dev/null | cut -d: -f6 || true)"
BENCH_HOME="${BENCH_HOME:-/home/$BENCH_USER}"
FRAPPE_BENCH="${FRAPPE_BENCH:-$BENCH_HOME/frappe-bench}"
FRAPPE_PATH="${FRAPPE_PATH:-https://github.com/frappe/frappe}"
FRAPPE_BRANCH="${FRAPPE_BRANCH:-version-15}"
SITE="${SITE:-complaint.localhost}"
TEST_SITE="${TEST_SITE:-test.complaint.localhost}"
ADMIN_PASSWORD="${ADMIN_PASSWORD:-admin}"
DB_HOST="${DB_HOST:-127.0.0.1}"
DB_PORT="${DB_PORT:-3306}"
DB_ROOT_USER="${DB_ROOT_USER:-root}"
DB_ROOT_PASSWORD="${DB_ROOT_PASSWORD:-}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
WEB_PORT="${WEB_PORT:-8000}"

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
warn() { printf '\033[1;33mwarning:\033[0m %s\n' "$*" >&2; }
die() {
	printf '\033[1;31merror:\033[0m %s\n' "$*" >&2
	exit 1
}

# Run a command as the bench user (bench refuses root), with a login-like environment.
as_bench() {
	if [ "$(id -un)" = "$BENCH_USER" ]; then
		(cd "${RUN_DIR:-$FRAPPE_BENCH}" && "$@")
	else
		local keep=() var
		# certificates, proxies and package-client settings of this machine go along
		for var in $(compgen -e | grep -E '^(SSL_|REQUESTS_CA|CURL_CA|NODE_EXTRA_CA|GIT_SSL|PIP_|UV_|[Hh][Tt][Tt][Pp][Ss]?_[Pp][Rr][Oo][Xx][Yy]|[Nn][Oo]_[Pp][Rr][Oo][Xx][Yy]|CI$)'); do
			keep+=("$var=${!var}")
		done
		runuser -u "$BENCH_USER" -- env -i HOME="$BENCH_HOME" USER="$BENCH_USER" LANG=C.UTF-8 \
			PATH="$BENCH_HOME/.local/bin:/usr/local/bin:/usr/bin:/bin" "${keep[@]}" \
			bash -c 'cd "$0" && exec "$@"' "${RUN_DIR:-$FRAPPE_BENCH}" "$@"
	fi
}

# bench's own site command runner, without the bench CLI's root check.
frappe_cmd() {
	RUN_DIR="$FRAPPE_BENCH/sites" as_bench "$FRAPPE_BENCH/env/bin/python" -m frappe.utils.bench_helper frappe "$@"
}

site_exists() { [ -f "$FRAPPE_BENCH/sites/$1/site_config.json" ]; }
bench_exists() { [ -x "$FRAPPE_BENCH/env/bin/python" ] && [ -d "$FRAPPE_BENCH/apps/frappe" ]; }

# Copy this checkout (tracked and untracked-but-not-ignored files) into the bench, replacing any
# older copy, so the bench runs exactly the code of the checkout that called us.
sync_app() {
	local dest="$FRAPPE_BENCH/apps/$APP_NAME"
	local stage
	stage="$(mktemp -d)"
	(cd "$REPO_DIR" && git ls-files -z --cached --others --exclude-standard |
		rsync -a --from0 --files-from=- --ignore-missing-args ./ "$stage/")
	chmod -R a+rX "$stage"
	rsync -a --delete --exclude '*.pyc' --exclude '__pycache__' --exclude '*.egg-info' "$stage/" "$dest/"
	rm -rf "$stage"
	[ "$(id -u)" = "0" ] && chown -R "$BENCH_USER:$BENCH_USER" "$dest"
	if ! grep -qx "$APP_NAME" "$FRAPPE_BENCH/sites/apps.txt" 2>/dev/null; then
		printf '\n%s' "$APP_NAME" >>"$FRAPPE_BENCH/sites/apps.txt"
		sed -i '/^$/d' "$FRAPPE_BENCH/sites/apps.txt"
	fi
	if ! as_bench "$FRAPPE_BENCH/env/bin/python" -c "import $APP_NAME" 2>/dev/null; then
		as_bench "$FRAPPE_BENCH/env/bin/python" -m pip install -q -e "apps/$APP_NAME"
	fi
}
