# The coordinator executable, for `coordinator node` (docker-compose.yml) and every other verb.
#   docker build -t coordinator:local .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Coordinator.Cli -c Release -o /app

FROM mcr.microsoft.com/dotnet/runtime:10.0
# openssl: scripts/make-certs.sh (the compose file's `certs` service).
RUN apt-get update && apt-get install -y --no-install-recommends openssl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app /app
# The worked example (COORDINATOR_RUN=/app/hocon/digits.conf; its data path is relative to it).
COPY hocon/digits.conf /app/hocon/digits.conf
COPY data/digits.csv.gz /app/data/digits.csv.gz
COPY scripts/make-certs.sh /app/scripts/make-certs.sh
# Mount points owned by the unprivileged user, so new named volumes are writable by it.
RUN mkdir -p /certs /shared && chown app:app /certs /shared
USER app
ENTRYPOINT ["dotnet", "/app/coordinator.dll"]
CMD ["node"]
