# Sourced by .ci/run (bash, set -euo pipefail): `postgres_start` runs a throwaway PostgreSQL
# on 127.0.0.1:54329 with its data and unix socket in a temp dir, exports
# REDACTOR_TEST_POSTGRES for the storage tests, and stops it when the shell exits.
# When PostgreSQL is missing and cannot be installed it prints a note and returns 0:
# the PostgreSQL tests then skip, the SQLite ones still run.

POSTGRES_PORT=54329
POSTGRES_DB=redactor_test
POSTGRES_ROLE=redactor

# Directory holding initdb/pg_ctl/postgres, or nothing.
_postgres_bin_dir() {
    local pg_ctl
    if pg_ctl=$(command -v pg_ctl); then
        # /usr/local/bin/pg_ctl is a symlink: initdb and postgres sit next to its target.
        dirname "$(readlink -f "$pg_ctl")"
        return
    fi
    # Debian keeps the server binaries off PATH; take the newest major version.
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true
}

_postgres_install() {
    if [[ $EUID -ne 0 ]] || ! command -v apt-get >/dev/null; then
        return 1
    fi
    echo "postgres.sh: installing PostgreSQL with apt-get"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
}

# PostgreSQL refuses to run as root: as root, run its commands as an unprivileged user.
_postgres_as_owner() {
    if [[ $EUID -eq 0 ]]; then
        runuser -u "$_POSTGRES_OWNER" -- "$@"
    else
        "$@"
    fi
}

postgres_start() {
    local bin
    bin=$(_postgres_bin_dir)
    if [[ -z $bin || ! -x $bin/initdb ]] && _postgres_install; then
        bin=$(_postgres_bin_dir)
    fi
    if [[ -z $bin || ! -x $bin/initdb || ! -x $bin/pg_ctl || ! -x $bin/createdb ]]; then
        echo "postgres.sh: note: PostgreSQL is not available; its storage tests will be skipped"
        return 0
    fi
    _POSTGRES_OWNER=$(id -un)
    if [[ $EUID -eq 0 ]]; then
        if ! id postgres >/dev/null 2>&1; then
            echo "postgres.sh: note: no 'postgres' user to run PostgreSQL as; its tests will be skipped"
            return 0
        fi
        _POSTGRES_OWNER=postgres
    fi

    _POSTGRES_BIN=$bin
    _POSTGRES_DIR=$(mktemp -d /tmp/redactor-pg.XXXXXX)
    # Exiting on INT/TERM (rather than dying) runs the EXIT trap, so the server is stopped.
    trap postgres_stop EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    chown "$_POSTGRES_OWNER" "$_POSTGRES_DIR"
    # A random password: the tests connect over TCP with scram, as production would.
    local password
    password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
    printf '%s\n' "$password" >"$_POSTGRES_DIR/pwfile"
    chown "$_POSTGRES_OWNER" "$_POSTGRES_DIR/pwfile"
    chmod 600 "$_POSTGRES_DIR/pwfile"

    if ! _postgres_as_owner "$bin/initdb" -D "$_POSTGRES_DIR/data" -U "$POSTGRES_ROLE" \
            --pwfile="$_POSTGRES_DIR/pwfile" --auth-local=trust --auth-host=scram-sha-256 \
            -E UTF8 --no-locale --no-sync >"$_POSTGRES_DIR/initdb.log" 2>&1 \
        || ! _postgres_as_owner "$bin/pg_ctl" -D "$_POSTGRES_DIR/data" -l "$_POSTGRES_DIR/server.log" \
            -w -t 30 -o "-c listen_addresses=127.0.0.1 -p $POSTGRES_PORT -k $_POSTGRES_DIR -c fsync=off" \
            start >/dev/null \
        || ! _postgres_as_owner "$bin/createdb" -h "$_POSTGRES_DIR" -p "$POSTGRES_PORT" \
            -U "$POSTGRES_ROLE" "$POSTGRES_DB"; then
        echo "postgres.sh: note: could not start PostgreSQL; its storage tests will be skipped"
        local log=$_POSTGRES_DIR/server.log
        [[ -f $log ]] || log=$_POSTGRES_DIR/initdb.log
        tail -n 5 "$log" 2>/dev/null || true
        postgres_stop
        return 0
    fi
    rm -f "$_POSTGRES_DIR/pwfile"
    export REDACTOR_TEST_POSTGRES="postgresql://$POSTGRES_ROLE:$password@127.0.0.1:$POSTGRES_PORT/$POSTGRES_DB"
    echo "postgres.sh: PostgreSQL running on 127.0.0.1:$POSTGRES_PORT (data in $_POSTGRES_DIR)"
}

postgres_stop() {
    if [[ -z ${_POSTGRES_DIR:-} ]]; then
        return 0
    fi
    if [[ -f $_POSTGRES_DIR/data/postmaster.pid ]]; then
        _postgres_as_owner "$_POSTGRES_BIN/pg_ctl" -D "$_POSTGRES_DIR/data" -m immediate \
            stop >/dev/null 2>&1 || true
    fi
    rm -rf "$_POSTGRES_DIR"
    _POSTGRES_DIR=
    unset REDACTOR_TEST_POSTGRES
}
