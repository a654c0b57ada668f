# stackfit in a container: see README, "Running as a service".
#
#   docker build --build-arg VERSION=$(git describe --tags --always) \
#     --build-arg COMMIT=$(git rev-parse HEAD) -t stackfit .
#   docker run -d -p 8080:8080 -v stackfit-data:/data \
#     -e STACKFIT_BASE_URL=https://stackfit.example stackfit
#
# The build flags live in scripts/build, which release builds use too.

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=devel
ARG COMMIT=unknown
ARG DATE=
RUN VERSION="$VERSION" COMMIT="$COMMIT" DATE="$DATE" ./scripts/build /out/stackfit \
 && mkdir /out/data

# distroless base: glibc (the cgo build of SQLite needs it, bookworm's like
# the builder's), no shell, no package manager; "nonroot" is uid 65532.
FROM gcr.io/distroless/base-debian12:nonroot
COPY --from=build /out/stackfit /usr/local/bin/stackfit
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
VOLUME /data
# Listening on every address, stackfit refuses to start without
# STACKFIT_BASE_URL (docker run -e STACKFIT_BASE_URL=https://...): links
# and QR codes would otherwise be made from the Host header.
ENV STACKFIT_DB=/data/stackfit.db \
    STACKFIT_ADDR=:8080
EXPOSE 8080
# SIGTERM lets requests finish (10 s grace): give docker stop -t 15 or more.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=6s --start-period=10s --retries=3 \
  CMD ["/usr/local/bin/stackfit", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/stackfit"]
CMD ["serve"]
