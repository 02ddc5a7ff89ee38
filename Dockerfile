# The coordinator executable, for `coordinator node` (docker-compose.yml) and every other verb.
#
#   docker build -t coordinator:local .
#       Microsoft's .NET images: the SDK image publishes, the runtime image runs (the default).
#   docker build -t coordinator:local --build-arg BUILD=published --build-arg RUNTIME_IMAGE=IMAGE .
#       No registry needed: the app is a self-contained `dotnet publish` made beforehand, in
#       out/docker/publish (PUBLISHED), on any Debian-like base image (docker-compose.local.yml):
#         dotnet publish src/Coordinator.Cli -c Release -r linux-x64 --self-contained -o out/docker/publish
#
# Needs BuildKit (Docker 23 and later build with it; older engines: DOCKER_BUILDKIT=1), which builds only
# the stage BUILD names, so the unused base image is never pulled.
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/runtime:10.0
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
# sdk: published inside SDK_IMAGE | published: copied from PUBLISHED in the build context
ARG BUILD=sdk

FROM ${SDK_IMAGE} AS app-sdk
WORKDIR /src
COPY . .
RUN dotnet publish src/Coordinator.Cli -c Release -o /app

FROM scratch AS app-published
ARG PUBLISHED=out/docker/publish
COPY ${PUBLISHED}/ /app/

FROM app-${BUILD} AS app

FROM ${RUNTIME_IMAGE}
# openssl: scripts/make-certs.sh (the `certs` service); libgssapi-krb5-2: Npgsql probes it at connect.
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openssl libgssapi-krb5-2 \
    && rm -rf /var/lib/apt/lists/*
# Microsoft's images have the unprivileged user `app` (1654); a plain Debian base gets the same.
RUN id app >/dev/null 2>&1 || { echo 'app:x:1654:1654:app:/app:/usr/sbin/nologin' >>/etc/passwd \
    && echo 'app:x:1654:' >>/etc/group; }
WORKDIR /app
COPY --from=app /app /app
# The worked example (COORDINATOR_RUN=/app/hocon/digits.conf; its data path is relative to it).
COPY hocon/digits.conf /app/hocon/digits.conf
COPY data/digits.csv.gz /app/data/digits.csv.gz
COPY scripts/make-certs.sh /app/scripts/make-certs.sh
# Mount points owned by the unprivileged user, so new named volumes are writable by it.
RUN mkdir -p /certs /shared && chown app:app /certs /shared
USER app
# A node keeps this file while it is an Up member of the cluster: healthy means "in the cluster".
ENV COORDINATOR_HEALTH_FILE=/tmp/coordinator-node.up
HEALTHCHECK --interval=5s --timeout=3s --start-period=60s --retries=3 CMD ["sh", "-c", "test -f \"$COORDINATOR_HEALTH_FILE\""]
# The apphost: it runs the self-contained build, and finds the shared runtime for the SDK build.
ENTRYPOINT ["/app/coordinator"]
CMD ["node"]
