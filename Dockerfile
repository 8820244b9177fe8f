# syntax=docker/dockerfile:1
#
# The form function's standalone server (guidepost-function) as a container image, for a region that runs
# it in its own data centre. docs/deploy-on-premises.md explains how to run it:
#
#   docker build -t guidepost .
#   docker run --read-only -v guidepost-spool:/var/lib/guidepost/spool \
#     --env-file /etc/guidepost/function.env -p 127.0.0.1:3000:3000 guidepost
#
# The image holds the server binary and the part of the built site the server reads (forms/forms.json,
# forms/pages.json and the form pages listed there). It runs as a non-root user (65532), writes only to
# the spool volume, and logs JSON lines on stderr. The distroless base has no shell and no curl, so there
# is no HEALTHCHECK: let the orchestrator probe GET /healthz (port 3000 or 9464) and GET /readyz (port 9464 only).

# The workspace needs Rust 1.94 or newer (rust-version in Cargo.toml). Pin a release with
# --build-arg RUST_VERSION=1.94 for a repeatable build.
ARG RUST_VERSION=1

# ---- 1. Build the site and the server ----
FROM rust:${RUST_VERSION}-bookworm AS build
WORKDIR /src
COPY . .
ENV CARGO_TARGET_DIR=/cache/target
# The cache mounts keep downloaded crates and compiled dependencies between builds. Everything that
# leaves this step is copied out of them into /dist.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/usr/local/cargo/git \
    --mount=type=cache,target=/cache/target \
    set -eu; \
    cargo build --release --locked -p guidepost --bin guidepost; \
    cargo build --release --locked -p guidepost-handler --bin guidepost-function; \
    "$CARGO_TARGET_DIR/release/guidepost" build --root /src --out /site; \
    mkdir -p /dist/bin; \
    strip --strip-debug -o /dist/bin/guidepost-function "$CARGO_TARGET_DIR/release/guidepost-function"

# Keep only what the server reads from the site: the exported forms, the page index and the pages it
# lists (pages.json is written one `"form id": "page path"` pair per line). The rest of the site goes to
# the static web server, not into this image.
RUN set -eu; \
    out=/dist/srv/guidepost/public; \
    mkdir -p "$out/forms"; \
    cp /site/forms/forms.json /site/forms/pages.json "$out/forms/"; \
    sed -n 's/^ *"[^"]*": *"\([^"]*\)",\{0,1\}$/\1/p' /site/forms/pages.json > /tmp/pages; \
    while IFS= read -r page; do \
      mkdir -p "$out/$(dirname "$page")"; \
      cp "/site/$page" "$out/$page"; \
    done < /tmp/pages; \
    listed=$(grep -c '": ' /site/forms/pages.json || true); \
    copied=$(wc -l < /tmp/pages); \
    if [ "$listed" != "$copied" ]; then \
      echo "pages.json lists $listed pages but $copied were copied" >&2; exit 1; \
    fi; \
    mkdir -p /dist/var/lib/guidepost; \
    mkdir -m 0700 /dist/var/lib/guidepost/spool

# ---- 2. The runtime image ----
# distroless/cc: glibc, libgcc, CA certificates (the relay's and the object store's TLS use the system
# roots) and a `nonroot` user (65532), nothing else. Same Debian release as the builder, so the same glibc.
FROM gcr.io/distroless/cc-debian12:nonroot
LABEL org.opencontainers.image.title="guidepost-function" \
      org.opencontainers.image.description="guidepost form function, standalone server"
COPY --from=build /dist/bin/guidepost-function /usr/local/bin/guidepost-function
COPY --from=build /dist/srv/ /srv/
# The spool folder, owned by the service user and 0700, so a new named volume takes over that ownership.
COPY --from=build --chown=65532:65532 /dist/var/lib/guidepost/ /var/lib/guidepost/
ENV GUIDEPOST_ADDR=0.0.0.0:3000 \
    GUIDEPOST_METRICS_ADDR=0.0.0.0:9464 \
    GUIDEPOST_MAIL=smtp \
    GUIDEPOST_SPOOL=folder \
    GUIDEPOST_SPOOL_DIR=/var/lib/guidepost/spool \
    GUIDEPOST_FORMS=/srv/guidepost/public/forms/forms.json \
    GUIDEPOST_SITE_DIR=/srv/guidepost/public
# Accepted submissions wait here until the relay has taken their mail: mount a volume (the root file
# system can then be read-only), and back it up.
VOLUME ["/var/lib/guidepost/spool"]
USER 65532:65532
WORKDIR /srv/guidepost
# 3000: the forms (behind the TLS reverse proxy). 9464: /metrics, for the monitoring network only.
EXPOSE 3000 9464
# On SIGTERM the server stops accepting and lets requests in flight finish (GUIDEPOST_SHUTDOWN_GRACE_SECS,
# 30 s): give `docker stop` (default 10 s) or the orchestrator more than that.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/guidepost-function"]
CMD ["serve"]
