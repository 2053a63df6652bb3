# Shared settings and helpers for scripts/setup and scripts/test (sourced, not run).
# Every value can be overridden from the environment.

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# runuser, useradd live in sbin, which a minimal PATH may lack
PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
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

mysql_root() {
	MYSQL_PWD="$DB_ROOT_PASSWORD" mariadb -h "$DB_HOST" -P "$DB_PORT" -u "$DB_ROOT_USER" -N -B "$@"
}

# A MariaDB account that can create site databases (sets DBA_USER, DBA_PASSWORD). frappe asks for
# the root password on a terminal when it is empty, so with a password-less root each bench gets an
# admin account of its own (kept in the bench: .db_admin_user, .db_admin), and another bench on the
# same server never changes its password.
db_admin_credentials() {
	if [ -n "$DB_ROOT_PASSWORD" ]; then
		DBA_USER="$DB_ROOT_USER"
		DBA_PASSWORD="$DB_ROOT_PASSWORD"
		return
	fi
	local file="$FRAPPE_BENCH/.db_admin" user_file="$FRAPPE_BENCH/.db_admin_user"
	if [ ! -f "$file" ]; then
		DBA_USER="complaint_dba"
		if [ -n "$(mysql_root -e "select 1 from mysql.user where user='$DBA_USER' limit 1")" ]; then
			DBA_USER="complaint_dba_$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
		fi
		DBA_PASSWORD="$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
		local host
		for host in localhost 127.0.0.1 '%'; do
			mysql_root -e "CREATE USER IF NOT EXISTS '$DBA_USER'@'$host' IDENTIFIED BY '$DBA_PASSWORD';
				GRANT ALL PRIVILEGES ON *.* TO '$DBA_USER'@'$host' WITH GRANT OPTION;"
		done
		printf '%s\n' "$DBA_PASSWORD" >"$file"
		printf '%s\n' "$DBA_USER" >"$user_file"
		chmod 600 "$file" "$user_file"
		[ "$(id -u)" = "0" ] && chown "$BENCH_USER:$BENCH_USER" "$file" "$user_file"
	fi
	DBA_PASSWORD="$(cat "$file")"
	DBA_USER="$(cat "$user_file" 2>/dev/null || echo complaint_dba)"
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
